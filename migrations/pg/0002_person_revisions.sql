CREATE TABLE "person_revisions" (
	"person_id" integer PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "signups_person_start";--> statement-breakpoint
CREATE INDEX "signups_person_start" ON "signups" USING btree ("person_id","start_at","rota_id");--> statement-breakpoint
-- Hand-written, as SQLite's migrations/0009_person_rotas_unit_revision.sql: data_revision row 4
-- takes a new random value on every change to units, the unit tree and unit roles (what each
-- person's reach is computed from); person_revisions one per person on every change to their
-- sign-ups (both people's when a sign-up changes hands).
INSERT INTO "data_revision" ("id", "value") VALUES (4, 0);
--> statement-breakpoint
CREATE TRIGGER "units_units_revision" AFTER INSERT OR UPDATE OR DELETE ON "units" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('4');
--> statement-breakpoint
CREATE TRIGGER "unit_closure_units_revision" AFTER INSERT OR UPDATE OR DELETE ON "unit_closure" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('4');
--> statement-breakpoint
CREATE TRIGGER "unit_roles_units_revision" AFTER INSERT OR UPDATE OR DELETE ON "unit_roles" FOR EACH ROW EXECUTE FUNCTION "rota_renew_shared_revision"('4');
--> statement-breakpoint
CREATE FUNCTION "rota_renew_person_revision"(person integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "person_revisions" ("person_id", "value") VALUES (person, "rota_random_revision"())
  ON CONFLICT ("person_id") DO UPDATE SET "value" = "rota_random_revision"()
$$;
--> statement-breakpoint
CREATE FUNCTION "rota_person_revision_of_signup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM "rota_renew_person_revision"(OLD."person_id");
  ELSE
    PERFORM "rota_renew_person_revision"(NEW."person_id");
    IF TG_OP = 'UPDATE' AND OLD."person_id" <> NEW."person_id" THEN
      PERFORM "rota_renew_person_revision"(OLD."person_id");
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "signups_person_revision" AFTER INSERT OR UPDATE OR DELETE ON "signups" FOR EACH ROW EXECUTE FUNCTION "rota_person_revision_of_signup"();
