CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `data_revision` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `day_calendar_days` (
	`calendar_id` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`label` text,
	PRIMARY KEY(`calendar_id`, `date`),
	FOREIGN KEY (`calendar_id`) REFERENCES `day_calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `day_calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signup_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`status` text NOT NULL,
	`claimed_by` integer,
	`claim_signup_id` integer,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`signup_id`) REFERENCES `signups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claim_signup_id`) REFERENCES `signups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offers_status` ON `offers` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `offers_one_open_per_signup` ON `offers` (`signup_id`) WHERE status in ('open', 'pending_approval');--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`email` text,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`role` text DEFAULT 'volunteer' NOT NULL,
	`home_team_id` integer,
	`access_token_hash` text NOT NULL,
	`feed_token` text NOT NULL,
	`preferences` text DEFAULT '{}' NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`home_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_access_token_hash` ON `people` (`access_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `people_feed_token` ON `people` (`feed_token`);--> statement-breakpoint
CREATE TABLE `rota_teams` (
	`rota_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	PRIMARY KEY(`rota_id`, `team_id`),
	FOREIGN KEY (`rota_id`) REFERENCES `rotas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rotas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`location` text,
	`description` text,
	`waitlist` integer DEFAULT true NOT NULL,
	`count_unmarked` integer DEFAULT true NOT NULL,
	`cancel_closes_hours_before` integer DEFAULT 12 NOT NULL,
	`require_approval` integer DEFAULT false NOT NULL,
	`feed_token` text NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotas_feed_token` ON `rotas` (`feed_token`);--> statement-breakpoint
CREATE TABLE `series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rota_id` integer NOT NULL,
	`label` text,
	`end_date` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`rota_id`) REFERENCES `rotas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `series_rota` ON `series` (`rota_id`);--> statement-breakpoint
CREATE TABLE `series_calendars` (
	`series_id` integer NOT NULL,
	`calendar_id` text NOT NULL,
	PRIMARY KEY(`series_id`, `calendar_id`),
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `series_versions` (
	`series_id` integer NOT NULL,
	`valid_from` text NOT NULL,
	`rrule` text NOT NULL,
	`start_time` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`min_volunteers` integer NOT NULL,
	`max_volunteers` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`series_id`, `valid_from`),
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `shift_overrides` (
	`series_id` integer NOT NULL,
	`key` text NOT NULL,
	`cancelled` integer DEFAULT false NOT NULL,
	`start` text,
	`duration_minutes` integer,
	`min_volunteers` integer,
	`max_volunteers` integer,
	`note` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`series_id`, `key`),
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shift_id` text NOT NULL,
	`series_id` integer NOT NULL,
	`rota_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`status` text NOT NULL,
	`attendance` text,
	`walk_in` integer DEFAULT false NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	`local_date` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`cancelled_at` integer,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rota_id`) REFERENCES `rotas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `signups_shift` ON `signups` (`shift_id`,`status`);--> statement-breakpoint
CREATE INDEX `signups_person_start` ON `signups` (`person_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `signups_rota_date` ON `signups` (`rota_id`,`local_date`);--> statement-breakpoint
CREATE INDEX `signups_date` ON `signups` (`local_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `signups_one_live_per_person` ON `signups` (`shift_id`,`person_id`) WHERE status <> 'cancelled';--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `person_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `team_members_person` ON `team_members` (`person_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`feed_token` text NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_feed_token` ON `teams` (`feed_token`);--> statement-breakpoint
CREATE TABLE `trades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`signup_id` integer NOT NULL,
	`with_signup_id` integer NOT NULL,
	`proposer_id` integer NOT NULL,
	`responder_id` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	FOREIGN KEY (`signup_id`) REFERENCES `signups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`with_signup_id`) REFERENCES `signups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responder_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trades_responder` ON `trades` (`responder_id`,`status`);--> statement-breakpoint
CREATE INDEX `trades_proposer` ON `trades` (`proposer_id`,`status`);--> statement-breakpoint
CREATE TABLE `unavailability` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unavailability_person` ON `unavailability` (`person_id`,`from_date`);