CREATE TABLE `rota_revisions` (
	`rota_id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `rotas` ADD `created_by` integer REFERENCES people(id);--> statement-breakpoint
ALTER TABLE `signups` ADD `cancel_reason` text;
--> statement-breakpoint
-- Backfill: who created each rota, and why each cancelled sign-up ended, from the audit log.
UPDATE `rotas` SET `created_by` = (SELECT a.`actor_id` FROM `audit_log` a WHERE a.`entity` = 'rota' AND a.`action` = 'rota.create' AND a.`entity_id` = CAST(`rotas`.`id` AS TEXT) AND a.`actor_id` IN (SELECT `id` FROM `people`) ORDER BY a.`id` LIMIT 1);
--> statement-breakpoint
UPDATE `signups` SET `cancel_reason` = (
  SELECT CASE
    WHEN json_extract(a.`detail`, '$.change') IS NOT NULL THEN 'shift_changed'
    WHEN json_extract(a.`detail`, '$.offerId') IS NOT NULL THEN 'given_away'
    WHEN a.`actor_id` = `signups`.`person_id` THEN 'left'
    ELSE 'removed' END
  FROM `audit_log` a WHERE a.`entity` = 'signup' AND a.`action` = 'signup.cancel' AND a.`entity_id` = CAST(`signups`.`id` AS TEXT) ORDER BY a.`id` DESC LIMIT 1)
WHERE `status` = 'cancelled';
--> statement-breakpoint
INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `id`, 1 FROM `rotas`;
--> statement-breakpoint
-- Row 2 counts changes to day calendars, row 3 to people and teams (what rotas share).
INSERT INTO `data_revision` (`id`, `value`) VALUES (2, 0), (3, 0);
--> statement-breakpoint
-- Per-rota revisions (see src/db/schema.ts rotaRevisions).
CREATE TRIGGER `rotas_insert_rota_revision` AFTER INSERT ON `rotas` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_insert_rota_revision` AFTER INSERT ON `rota_teams` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_insert_rota_revision` AFTER INSERT ON `series` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_insert_rota_revision` AFTER INSERT ON `signups` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_insert_rota_revision` AFTER INSERT ON `series_versions` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_insert_rota_revision` AFTER INSERT ON `series_calendars` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_insert_rota_revision` AFTER INSERT ON `shift_overrides` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_insert_calendar_revision` AFTER INSERT ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_insert_calendar_revision` AFTER INSERT ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `people_insert_people_revision` AFTER INSERT ON `people` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `teams_insert_people_revision` AFTER INSERT ON `teams` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_insert_people_revision` AFTER INSERT ON `team_members` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `rotas_update_rota_revision` AFTER UPDATE ON `rotas` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_update_rota_revision` AFTER UPDATE ON `rota_teams` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_update_rota_revision` AFTER UPDATE ON `series` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_update_rota_revision` AFTER UPDATE ON `signups` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (NEW.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_update_rota_revision` AFTER UPDATE ON `series_versions` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_update_rota_revision` AFTER UPDATE ON `series_calendars` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_update_rota_revision` AFTER UPDATE ON `shift_overrides` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = NEW.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_update_calendar_revision` AFTER UPDATE ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_update_calendar_revision` AFTER UPDATE ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `people_update_people_revision` AFTER UPDATE ON `people` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `teams_update_people_revision` AFTER UPDATE ON `teams` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_update_people_revision` AFTER UPDATE ON `team_members` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_delete_rota_revision` AFTER DELETE ON `rota_teams` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (OLD.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_delete_rota_revision` AFTER DELETE ON `series` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (OLD.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `signups_delete_rota_revision` AFTER DELETE ON `signups` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) VALUES (OLD.`rota_id`, random()) ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_delete_rota_revision` AFTER DELETE ON `series_versions` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = OLD.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_delete_rota_revision` AFTER DELETE ON `series_calendars` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = OLD.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_delete_rota_revision` AFTER DELETE ON `shift_overrides` BEGIN INSERT INTO `rota_revisions` (`rota_id`, `value`) SELECT `rota_id`, random() FROM `series` WHERE `id` = OLD.`series_id` ON CONFLICT (`rota_id`) DO UPDATE SET `value` = random(); END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_delete_calendar_revision` AFTER DELETE ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_delete_calendar_revision` AFTER DELETE ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 2; END;
--> statement-breakpoint
CREATE TRIGGER `people_delete_people_revision` AFTER DELETE ON `people` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `teams_delete_people_revision` AFTER DELETE ON `teams` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_delete_people_revision` AFTER DELETE ON `team_members` BEGIN UPDATE `data_revision` SET `value` = random() WHERE `id` = 3; END;
