CREATE TABLE `rota_checkin_settings` (
	`rota_id` integer PRIMARY KEY NOT NULL,
	`window_minutes_before` integer DEFAULT 30 NOT NULL,
	`walk_ins` integer DEFAULT false NOT NULL,
	`require_leader_code` integer DEFAULT false NOT NULL,
	`leader_ids` text DEFAULT '[]' NOT NULL,
	`latitude` real,
	`longitude` real,
	`radius_metres` integer DEFAULT 200 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`rota_id`) REFERENCES `rotas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `series_checkin` (
	`series_id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`leader_secret` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`series_id`) REFERENCES `series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `series_checkin_code` ON `series_checkin` (`code`);--> statement-breakpoint
ALTER TABLE `signups` ADD `checked_in_at` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `checked_out_at` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `checkin_distance_m` integer;--> statement-breakpoint
ALTER TABLE `signups` ADD `checkin_flags` text DEFAULT '[]' NOT NULL;