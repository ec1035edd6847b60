DROP INDEX `signups_date`;--> statement-breakpoint
CREATE INDEX `signups_stats` ON `signups` (`local_date`,`status`,`attendance`,`end_at`,`rota_id`,`person_id`);