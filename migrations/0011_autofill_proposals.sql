CREATE TABLE `autofill_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`rota_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`rota_id`) REFERENCES `rotas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `autofill_proposals_created` ON `autofill_proposals` (`created_at`);