-- Modify "sessions" table
ALTER TABLE "sessions" ADD COLUMN "client_id" character varying NOT NULL DEFAULT '', ADD COLUMN "scope" character varying NOT NULL DEFAULT '';
-- Modify "users" table
ALTER TABLE "users" ALTER COLUMN "password_hash" SET DEFAULT '', ADD COLUMN "kind" character varying NOT NULL DEFAULT 'human', ADD COLUMN "description" character varying NOT NULL DEFAULT '';
-- Create index "user_live_kind_created_at_id" to table: "users"
CREATE INDEX "user_live_kind_created_at_id" ON "users" ("kind", "created_at", "id") WHERE (deleted_at IS NULL);
-- Create "used_assertions" table
CREATE TABLE "used_assertions" ("id" character varying NOT NULL, "expires_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "usedassertion_expires_at" to table: "used_assertions"
CREATE INDEX "usedassertion_expires_at" ON "used_assertions" ("expires_at");
-- Create "client_keys" table
CREATE TABLE "client_keys" ("id" uuid NOT NULL, "kid" character varying NOT NULL DEFAULT '', "algorithm" character varying NOT NULL, "jwk" bytea NOT NULL, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_id" uuid NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "client_keys_users_client_keys" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "clientkey_user_id_revoked_at" to table: "client_keys"
CREATE INDEX "clientkey_user_id_revoked_at" ON "client_keys" ("user_id", "revoked_at");
-- Create "client_secrets" table
CREATE TABLE "client_secrets" ("id" uuid NOT NULL, "secret_hash" bytea NOT NULL, "description" character varying NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "last_used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_id" uuid NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "client_secrets_users_client_secrets" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "clientsecret_user_id_revoked_at" to table: "client_secrets"
CREATE INDEX "clientsecret_user_id_revoked_at" ON "client_secrets" ("user_id", "revoked_at");
