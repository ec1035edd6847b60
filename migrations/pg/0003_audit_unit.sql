ALTER TABLE "audit_log" ADD COLUMN "unit_id" integer;--> statement-breakpoint
CREATE INDEX "audit_log_unit" ON "audit_log" USING btree ("unit_id","id");--> statement-breakpoint
-- Data step (hand-written), as SQLite's migrations/0010_audit_unit.sql: each existing entry gets the
-- unit that owns the thing it is about. Ids are read from text only when they are digits (SQLite's
-- CAST makes anything else 0, which matches no row; PostgreSQL's would fail).
UPDATE "audit_log" SET "unit_id" = CASE "entity"
  WHEN 'unit' THEN (SELECT "id" FROM "units" WHERE "id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'person' THEN (SELECT "unit_id" FROM "people" WHERE "id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'team' THEN (SELECT "unit_id" FROM "teams" WHERE "id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'rota' THEN (SELECT "unit_id" FROM "rotas" WHERE "id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'calendar' THEN (SELECT "unit_id" FROM "day_calendars" WHERE "id" = "audit_log"."entity_id")
  WHEN 'series' THEN (SELECT r."unit_id" FROM "series" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'shift' THEN (SELECT r."unit_id" FROM "series" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = CASE WHEN split_part("audit_log"."entity_id", '.', 1) ~ '^[0-9]{1,9}$' THEN split_part("audit_log"."entity_id", '.', 1)::integer END)
  WHEN 'signup' THEN (SELECT r."unit_id" FROM "signups" s JOIN "rotas" r ON r."id" = s."rota_id" WHERE s."id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'offer' THEN (SELECT r."unit_id" FROM "offers" o JOIN "signups" s ON s."id" = o."signup_id" JOIN "rotas" r ON r."id" = s."rota_id" WHERE o."id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'trade' THEN (SELECT r."unit_id" FROM "trades" t JOIN "signups" s ON s."id" = t."signup_id" JOIN "rotas" r ON r."id" = s."rota_id" WHERE t."id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'notice' THEN (SELECT r."unit_id" FROM "notices" n JOIN "rotas" r ON r."id" = n."rota_id" WHERE n."id" = CASE WHEN "audit_log"."entity_id" ~ '^[0-9]{1,9}$' THEN "audit_log"."entity_id"::integer END)
  WHEN 'unavailability' THEN (SELECT "unit_id" FROM "people" WHERE "id" = CASE WHEN ("audit_log"."detail"->>'personId') ~ '^[0-9]{1,9}$' THEN ("audit_log"."detail"->>'personId')::integer END)
END;
