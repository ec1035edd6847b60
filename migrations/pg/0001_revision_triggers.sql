-- Hand-written (drizzle-kit generate --custom): what the SQLite migrations add beyond the tables,
-- so a fresh PostgreSQL database starts as a fresh SQLite file does.
-- 1. The change counters (SQLite's migrations/0001_revision_triggers.sql and 0006_rota_revisions.sql):
--    data_revision row 1 counts every change to scheduling data (+1 a row changed); row 2 takes a
--    new random value on every change to day calendars, row 3 on every change to people and teams;
--    rota_revisions holds a random value per rota, renewed on every change to that rota's own data.
--    Row-level AFTER triggers, as SQLite's are. The random values stay within a JS number.
INSERT INTO "data_revision" ("id", "value") VALUES (1, 0), (2, 0), (3, 0);
--> statement-breakpoint
CREATE FUNCTION "rota_random_revision"() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT floor((random() * 2 - 1) * 9007199254740991)::bigint
$$;
--> statement-breakpoint
CREATE FUNCTION "rota_bump_data_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_revision" SET "value" = "value" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- TG_ARGV[0]: the data_revision row to renew (2 day calendars, 3 people and teams).
CREATE FUNCTION "rota_renew_shared_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_revision" SET "value" = "rota_random_revision"() WHERE "id" = TG_ARGV[0]::integer;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "rota_renew_rota_revision"(rota integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "rota_revisions" ("rota_id", "value") VALUES (rota, "rota_random_revision"())
  ON CONFLICT ("rota_id") DO UPDATE SET "value" = "rota_random_revision"()
$$;
--> statement-breakpoint
-- On rotas: the row's own id.
CREATE FUNCTION "rota_revision_of_rota"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "rota_renew_rota_revision"(NEW."id");
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- On rota_teams, series and signups: the row's rota_id (the old row's on delete).
CREATE FUNCTION "rota_revision_of_rota_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM "rota_renew_rota_revision"(OLD."rota_id");
  ELSE
    PERFORM "rota_renew_rota_revision"(NEW."rota_id");
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- On series_versions, series_calendars and shift_overrides: the rota of the row's series.
CREATE FUNCTION "rota_revision_of_series_id"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  series_rota integer;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT "rota_id" INTO series_rota FROM "series" WHERE "id" = OLD."series_id";
  ELSE
    SELECT "rota_id" INTO series_rota FROM "series" WHERE "id" = NEW."series_id";
  END IF;
  IF series_rota IS NOT NULL THEN
    PERFORM "rota_renew_rota_revision"(series_rota);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "people_revision" AFTER INSERT OR UPDATE OR DELETE ON "people" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "teams_revision" AFTER INSERT OR UPDATE OR DELETE ON "teams" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "team_members_revision" AFTER INSERT OR UPDATE OR DELETE ON "team_members" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "rotas_revision" AFTER INSERT OR UPDATE OR DELETE ON "rotas" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "rota_teams_revision" AFTER INSERT OR UPDATE OR DELETE ON "rota_teams" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "series_revision" AFTER INSERT OR UPDATE OR DELETE ON "series" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "series_versions_revision" AFTER INSERT OR UPDATE OR DELETE ON "series_versions" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "day_calendars_revision" AFTER INSERT OR UPDATE OR DELETE ON "day_calendars" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "day_calendar_days_revision" AFTER INSERT OR UPDATE OR DELETE ON "day_calendar_days" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "series_calendars_revision" AFTER INSERT OR UPDATE OR DELETE ON "series_calendars" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "shift_overrides_revision" AFTER INSERT OR UPDATE OR DELETE ON "shift_overrides" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "signups_revision" AFTER INSERT OR UPDATE OR DELETE ON "signups" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "offers_revision" AFTER INSERT OR UPDATE OR DELETE ON "offers" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "trades_revision" AFTER INSERT OR UPDATE OR DELETE ON "trades" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "unavailability_revision" AFTER INSERT OR UPDATE OR DELETE ON "unavailability" FOR EACH ROW EXECUTE FUNCTION "rota_bump_data_revision"();
--> statement-breakpoint
CREATE TRIGGER "rotas_rota_revision" AFTER INSERT OR UPDATE ON "rotas" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_rota"();
--> statement-breakpoint
CREATE TRIGGER "rota_teams_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "rota_teams" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_rota_id"();
--> statement-breakpoint
CREATE TRIGGER "series_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "series" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_rota_id"();
--> statement-breakpoint
CREATE TRIGGER "signups_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "signups" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_rota_id"();
--> statement-breakpoint
CREATE TRIGGER "series_versions_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "series_versions" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_series_id"();
--> statement-breakpoint
CREATE TRIGGER "series_calendars_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "series_calendars" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_series_id"();
--> statement-breakpoint
CREATE TRIGGER "shift_overrides_rota_revision" AFTER INSERT OR UPDATE OR DELETE ON "shift_overrides" FOR EACH ROW EXECUTE FUNCTION "rota_revision_of_series_id"();
--> statement-breakpoint
CREATE TRIGGER "day_calendars_calendar_revision" AFTER INSERT OR UPDATE OR DELETE ON "day_calendars" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('2');
--> statement-breakpoint
CREATE TRIGGER "day_calendar_days_calendar_revision" AFTER INSERT OR UPDATE OR DELETE ON "day_calendar_days" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('2');
--> statement-breakpoint
CREATE TRIGGER "people_people_revision" AFTER INSERT OR UPDATE OR DELETE ON "people" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('3');
--> statement-breakpoint
CREATE TRIGGER "teams_people_revision" AFTER INSERT OR UPDATE OR DELETE ON "teams" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('3');
--> statement-breakpoint
CREATE TRIGGER "team_members_people_revision" AFTER INSERT OR UPDATE OR DELETE ON "team_members" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('3');
--> statement-breakpoint
-- 2. The starting unit (SQLite's migrations/0008_units.sql): every fresh database has one root
--    community, which the first coordinator is homed in. Its id was given, so the identity moves past it.
INSERT INTO "units" ("id", "name", "kind", "parent_id", "created_at", "updated_at")
  VALUES (1, '本社区', 'community', NULL, floor(extract(epoch FROM now()))::bigint * 1000, floor(extract(epoch FROM now()))::bigint * 1000);
--> statement-breakpoint
INSERT INTO "unit_closure" ("ancestor_id", "descendant_id", "depth") VALUES (1, 1, 0);
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"units"', 'id'), 1);
