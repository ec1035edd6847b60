-- Rate-limit windows shared by every API node (issue 16): one row per counted key (a token's hash,
-- or an address's failed sign-ins), its count and when its one-minute window ends. UNLOGGED: no
-- write-ahead log for a counter rewritten on every request; a server crash empties it, which
-- only forgives the current minute.
CREATE UNLOGGED TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"ends_at" bigint NOT NULL
);
