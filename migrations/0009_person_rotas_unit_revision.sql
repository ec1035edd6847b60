CREATE TABLE `person_revisions` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `signups_person_start`;--> statement-breakpoint
CREATE INDEX `signups_person_start` ON `signups` (`person_id`,`start_at`,`rota_id`);
--> statement-breakpoint
-- Row 4 counts changes to units, the unit tree and unit roles: what each person's reach (scope) is computed from.
INSERT INTO `data_revision` (`id`, `value`) VALUES (4, 0);
--> statement-breakpoint
CREATE TRIGGER `units_insert_units_revision` AFTER INSERT ON `units` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `units_update_units_revision` AFTER UPDATE ON `units` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `units_delete_units_revision` AFTER DELETE ON `units` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_closure_insert_units_revision` AFTER INSERT ON `unit_closure` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_closure_update_units_revision` AFTER UPDATE ON `unit_closure` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_closure_delete_units_revision` AFTER DELETE ON `unit_closure` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_roles_insert_units_revision` AFTER INSERT ON `unit_roles` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_roles_update_units_revision` AFTER UPDATE ON `unit_roles` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
CREATE TRIGGER `unit_roles_delete_units_revision` AFTER DELETE ON `unit_roles` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 4; END;
--> statement-breakpoint
-- A person's revision (see src/db/schema.ts personRevisions): every change to one of their sign-ups.
--> statement-breakpoint
CREATE TRIGGER `signups_insert_person_revision` AFTER INSERT ON `signups` BEGIN INSERT INTO `person_revisions` (`person_id`, `value`) VALUES (NEW.`person_id`, random()) ON CONFLICT (`person_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_update_person_revision` AFTER UPDATE ON `signups` BEGIN INSERT INTO `person_revisions` (`person_id`, `value`) VALUES (NEW.`person_id`, random()) ON CONFLICT (`person_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_delete_person_revision` AFTER DELETE ON `signups` BEGIN INSERT INTO `person_revisions` (`person_id`, `value`) VALUES (OLD.`person_id`, random()) ON CONFLICT (`person_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_update_old_person_revision` AFTER UPDATE OF `person_id` ON `signups` WHEN OLD.`person_id` <> NEW.`person_id` BEGIN INSERT INTO `person_revisions` (`person_id`, `value`) VALUES (OLD.`person_id`, random()) ON CONFLICT (`person_id`) DO UPDATE SET `value` = random(); END;
