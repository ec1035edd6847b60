-- Every change to scheduling data bumps one counter, so readers can detect change cheaply.
INSERT INTO `data_revision` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `people_insert_revision` AFTER INSERT ON `people` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `people_update_revision` AFTER UPDATE ON `people` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `people_delete_revision` AFTER DELETE ON `people` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `teams_insert_revision` AFTER INSERT ON `teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `teams_update_revision` AFTER UPDATE ON `teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `teams_delete_revision` AFTER DELETE ON `teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_insert_revision` AFTER INSERT ON `team_members` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_update_revision` AFTER UPDATE ON `team_members` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `team_members_delete_revision` AFTER DELETE ON `team_members` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rotas_insert_revision` AFTER INSERT ON `rotas` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rotas_update_revision` AFTER UPDATE ON `rotas` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rotas_delete_revision` AFTER DELETE ON `rotas` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_insert_revision` AFTER INSERT ON `rota_teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_update_revision` AFTER UPDATE ON `rota_teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `rota_teams_delete_revision` AFTER DELETE ON `rota_teams` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_insert_revision` AFTER INSERT ON `series` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_update_revision` AFTER UPDATE ON `series` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_delete_revision` AFTER DELETE ON `series` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_insert_revision` AFTER INSERT ON `series_versions` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_update_revision` AFTER UPDATE ON `series_versions` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_versions_delete_revision` AFTER DELETE ON `series_versions` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_insert_revision` AFTER INSERT ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_update_revision` AFTER UPDATE ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendars_delete_revision` AFTER DELETE ON `day_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_insert_revision` AFTER INSERT ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_update_revision` AFTER UPDATE ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `day_calendar_days_delete_revision` AFTER DELETE ON `day_calendar_days` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_insert_revision` AFTER INSERT ON `series_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_update_revision` AFTER UPDATE ON `series_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `series_calendars_delete_revision` AFTER DELETE ON `series_calendars` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_insert_revision` AFTER INSERT ON `shift_overrides` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_update_revision` AFTER UPDATE ON `shift_overrides` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `shift_overrides_delete_revision` AFTER DELETE ON `shift_overrides` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `signups_insert_revision` AFTER INSERT ON `signups` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `signups_update_revision` AFTER UPDATE ON `signups` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `signups_delete_revision` AFTER DELETE ON `signups` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `offers_insert_revision` AFTER INSERT ON `offers` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `offers_update_revision` AFTER UPDATE ON `offers` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `offers_delete_revision` AFTER DELETE ON `offers` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `trades_insert_revision` AFTER INSERT ON `trades` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `trades_update_revision` AFTER UPDATE ON `trades` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `trades_delete_revision` AFTER DELETE ON `trades` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `unavailability_insert_revision` AFTER INSERT ON `unavailability` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `unavailability_update_revision` AFTER UPDATE ON `unavailability` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `unavailability_delete_revision` AFTER DELETE ON `unavailability` BEGIN UPDATE `data_revision` SET `value` = `value` + 1 WHERE `id` = 1; END;
