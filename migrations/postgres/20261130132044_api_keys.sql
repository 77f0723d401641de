-- Create "api_keys" table
CREATE TABLE "api_keys" ("id" uuid NOT NULL, "name" character varying NOT NULL, "prefix" character varying NOT NULL, "secret_hash" bytea NOT NULL, "permissions" jsonb NULL, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "last_used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_id" uuid NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "api_keys_users_api_keys" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "apikey_secret_hash" to table: "api_keys"
CREATE UNIQUE INDEX "apikey_secret_hash" ON "api_keys" ("secret_hash");
-- Create index "apikey_user_id_revoked_at" to table: "api_keys"
CREATE INDEX "apikey_user_id_revoked_at" ON "api_keys" ("user_id", "revoked_at");
