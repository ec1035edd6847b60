ALTER TABLE `audit_log` ADD `unit_id` integer;--> statement-breakpoint
CREATE INDEX `audit_log_unit` ON `audit_log` (`unit_id`,`id`);--> statement-breakpoint
-- Data step (hand-written): each existing entry gets the unit that owns the thing it is about, as
-- src/db/units.ts (unitOf) says for new entries; unavailability by its person (detail.personId).
UPDATE `audit_log` SET `unit_id` = CASE `entity`
  WHEN 'unit' THEN (SELECT `id` FROM `units` WHERE `id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'person' THEN (SELECT `unit_id` FROM `people` WHERE `id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'team' THEN (SELECT `unit_id` FROM `teams` WHERE `id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'rota' THEN (SELECT `unit_id` FROM `rotas` WHERE `id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'calendar' THEN (SELECT `unit_id` FROM `day_calendars` WHERE `id` = `audit_log`.`entity_id`)
  WHEN 'series' THEN (SELECT r.`unit_id` FROM `series` s JOIN `rotas` r ON r.`id` = s.`rota_id` WHERE s.`id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'shift' THEN (SELECT r.`unit_id` FROM `series` s JOIN `rotas` r ON r.`id` = s.`rota_id` WHERE s.`id` = CAST(substr(`audit_log`.`entity_id`, 1, instr(`audit_log`.`entity_id`, '.') - 1) AS INTEGER))
  WHEN 'signup' THEN (SELECT r.`unit_id` FROM `signups` s JOIN `rotas` r ON r.`id` = s.`rota_id` WHERE s.`id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'offer' THEN (SELECT r.`unit_id` FROM `offers` o JOIN `signups` s ON s.`id` = o.`signup_id` JOIN `rotas` r ON r.`id` = s.`rota_id` WHERE o.`id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'trade' THEN (SELECT r.`unit_id` FROM `trades` t JOIN `signups` s ON s.`id` = t.`signup_id` JOIN `rotas` r ON r.`id` = s.`rota_id` WHERE t.`id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'notice' THEN (SELECT r.`unit_id` FROM `notices` n JOIN `rotas` r ON r.`id` = n.`rota_id` WHERE n.`id` = CAST(`audit_log`.`entity_id` AS INTEGER))
  WHEN 'unavailability' THEN (SELECT `unit_id` FROM `people` WHERE `id` = json_extract(`audit_log`.`detail`, '$.personId'))
END;
