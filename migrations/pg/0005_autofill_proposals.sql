CREATE TABLE "autofill_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"rota_id" integer NOT NULL,
	"body" json NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "autofill_proposals" ADD CONSTRAINT "autofill_proposals_rota_id_rotas_id_fk" FOREIGN KEY ("rota_id") REFERENCES "public"."rotas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "autofill_proposals_created" ON "autofill_proposals" USING btree ("created_at");