ALTER TABLE "audit_log" ADD COLUMN "unit_id" integer;--> statement-breakpoint
CREATE INDEX "audit_log_unit" ON "audit_log" USING btree ("unit_id","id");--> statement-breakpoint
-- Hand-written, as SQLite's migrations/0010_audit_unit.sql: each existing entry gets the unit that
-- owns the thing it is about; unavailability by its person (detail.personId).
UPDATE "audit_log" SET "unit_id" = CASE "entity"
  WHEN 'unit' THEN (SELECT "id" FROM "units" WHERE "id" = "audit_log"."entity_id"::integer)
  WHEN 'person' THEN (SELECT "unit_id" FROM "people" WHERE "id" = "audit_log"."entity_id"::integer)
  WHEN 'team' THEN (SELECT "unit_id" FROM "teams" WHERE "id" = "audit_log"."entity_id"::integer)
  WHEN 'rota' THEN (SELECT "unit_id" FROM "rotas" WHERE "id" = "audit_log"."entity_id"::integer)
  WHEN 'calendar' THEN (SELECT "unit_id" FROM "day_calendars" WHERE "id" = "audit_log"."entity_id")
  WHEN 'series' THEN (SELECT r."unit_id" FROM "series" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = "audit_log"."entity_id"::integer)
  WHEN 'shift' THEN (SELECT r."unit_id" FROM "series" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = split_part("audit_log"."entity_id", '.', 1)::integer)
  WHEN 'signup' THEN (SELECT r."unit_id" FROM "signups" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = "audit_log"."entity_id"::integer)
  WHEN 'offer' THEN (SELECT r."unit_id" FROM "offers" o JOIN "signups" s ON s."id" = o."signup_id" JOIN "rotas" r ON r."id" = s."rota_id" WHERE o."id" = "audit_log"."entity_id"::integer)
  WHEN 'trade' THEN (SELECT r."unit_id" FROM "trades" t JOIN "signups" s ON s."id" = t."signup_id" JOIN "rotas" r ON r."id" = s."rota_id" WHERE t."id" = "audit_log"."entity_id"::integer)
  WHEN 'notice' THEN (SELECT r."unit_id" FROM "notices" n JOIN "rotas" r ON r."id" = n."rota_id" WHERE n."id" = "audit_log"."entity_id"::integer)
  WHEN 'unavailability' THEN (SELECT "unit_id" FROM "people" WHERE "id" = ("audit_log"."detail"->>'personId')::integer)
END;
