CREATE TABLE `unit_closure` (
	`ancestor_id` integer NOT NULL,
	`descendant_id` integer NOT NULL,
	`depth` integer NOT NULL,
	PRIMARY KEY(`ancestor_id`, `descendant_id`),
	FOREIGN KEY (`ancestor_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`descendant_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_closure_descendant` ON `unit_closure` (`descendant_id`,`depth`);--> statement-breakpoint
CREATE TABLE `unit_roles` (
	`person_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`person_id`, `unit_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unit_roles_unit` ON `unit_roles` (`unit_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `units_parent` ON `units` (`parent_id`);--> statement-breakpoint
ALTER TABLE `day_calendars` ADD `unit_id` integer REFERENCES units(id);--> statement-breakpoint
ALTER TABLE `people` ADD `unit_id` integer REFERENCES units(id);--> statement-breakpoint
CREATE INDEX `people_unit` ON `people` (`unit_id`);--> statement-breakpoint
ALTER TABLE `rotas` ADD `unit_id` integer REFERENCES units(id);--> statement-breakpoint
CREATE INDEX `rotas_unit` ON `rotas` (`unit_id`);--> statement-breakpoint
ALTER TABLE `teams` ADD `unit_id` integer REFERENCES units(id);--> statement-breakpoint
CREATE INDEX `teams_unit` ON `teams` (`unit_id`);--> statement-breakpoint
-- Data steps (hand-written): everything that exists moves into one root unit, a community (the
-- deployment served one community until now); every coordinator becomes its coordinator.
INSERT INTO `units` (`id`, `name`, `kind`, `parent_id`, `created_at`, `updated_at`) VALUES (1, '本社区', 'community', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
--> statement-breakpoint
INSERT INTO `unit_closure` (`ancestor_id`, `descendant_id`, `depth`) VALUES (1, 1, 0);
--> statement-breakpoint
UPDATE `people` SET `unit_id` = 1;
--> statement-breakpoint
UPDATE `rotas` SET `unit_id` = 1;
--> statement-breakpoint
UPDATE `teams` SET `unit_id` = 1;
--> statement-breakpoint
UPDATE `day_calendars` SET `unit_id` = 1;
--> statement-breakpoint
INSERT INTO `unit_roles` (`person_id`, `unit_id`, `role`, `created_at`) SELECT `id`, 1, 'coordinator', `created_at` FROM `people` WHERE `role` = 'coordinator';
