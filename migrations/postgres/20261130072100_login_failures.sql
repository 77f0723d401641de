-- Modify "users" table
ALTER TABLE "users" ADD COLUMN "last_failed_login_at" timestamptz NULL;
-- Create "login_failures" table
CREATE TABLE "login_failures" ("id" uuid NOT NULL, "account" character varying NOT NULL, "client" character varying NOT NULL, "failures" bigint NOT NULL DEFAULT 0, "locked_until" timestamptz NULL, "last_failed_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "loginfailure_account_client" to table: "login_failures"
CREATE UNIQUE INDEX "loginfailure_account_client" ON "login_failures" ("account", "client");
-- Create index "loginfailure_last_failed_at" to table: "login_failures"
CREATE INDEX "loginfailure_last_failed_at" ON "login_failures" ("last_failed_at");
