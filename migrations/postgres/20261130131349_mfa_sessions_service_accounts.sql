-- Modify "organizations" table
ALTER TABLE "organizations" ADD COLUMN "require_mfa" boolean NOT NULL DEFAULT false;
-- Modify "sessions" table
ALTER TABLE "sessions" ADD COLUMN "amr" character varying NOT NULL DEFAULT 'pwd', ADD COLUMN "client_id" character varying NOT NULL DEFAULT '', ADD COLUMN "scope" character varying NOT NULL DEFAULT '';
-- Modify "users" table
ALTER TABLE "users" ALTER COLUMN "password_hash" SET DEFAULT '', ADD COLUMN "kind" character varying NOT NULL DEFAULT 'human', ADD COLUMN "description" character varying NOT NULL DEFAULT '';
-- Create index "user_live_kind_created_at_id" to table: "users"
CREATE INDEX "user_live_kind_created_at_id" ON "users" ("kind", "created_at", "id") WHERE (deleted_at IS NULL);
-- Create "mfa_challenges" table
CREATE TABLE "mfa_challenges" ("id" uuid NOT NULL, "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NOT NULL, "failures" bigint NOT NULL DEFAULT 0, "used_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "mfachallenge_expires_at" to table: "mfa_challenges"
CREATE INDEX "mfachallenge_expires_at" ON "mfa_challenges" ("expires_at");
-- Create index "mfachallenge_token_hash" to table: "mfa_challenges"
CREATE UNIQUE INDEX "mfachallenge_token_hash" ON "mfa_challenges" ("token_hash");
-- Create "recovery_codes" table
CREATE TABLE "recovery_codes" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "code_hash" bytea NOT NULL, "created_at" timestamptz NOT NULL, "used_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "recoverycode_user_id_code_hash" to table: "recovery_codes"
CREATE UNIQUE INDEX "recoverycode_user_id_code_hash" ON "recovery_codes" ("user_id", "code_hash");
-- Create "used_assertions" table
CREATE TABLE "used_assertions" ("id" character varying NOT NULL, "expires_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "usedassertion_expires_at" to table: "used_assertions"
CREATE INDEX "usedassertion_expires_at" ON "used_assertions" ("expires_at");
-- Create "user_totp_factors" table
CREATE TABLE "user_totp_factors" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "secret_sealed" bytea NOT NULL, "created_at" timestamptz NOT NULL, "confirmed_at" timestamptz NULL, "last_step" bigint NOT NULL DEFAULT 0, PRIMARY KEY ("id"));
-- Create index "usertotp_user_id" to table: "user_totp_factors"
CREATE UNIQUE INDEX "usertotp_user_id" ON "user_totp_factors" ("user_id");
-- Create "client_keys" table
CREATE TABLE "client_keys" ("id" uuid NOT NULL, "kid" character varying NOT NULL DEFAULT '', "algorithm" character varying NOT NULL, "jwk" bytea NOT NULL, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_id" uuid NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "client_keys_users_client_keys" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "clientkey_user_id_revoked_at" to table: "client_keys"
CREATE INDEX "clientkey_user_id_revoked_at" ON "client_keys" ("user_id", "revoked_at");
-- Create "client_secrets" table
CREATE TABLE "client_secrets" ("id" uuid NOT NULL, "secret_hash" bytea NOT NULL, "description" character varying NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL, "expires_at" timestamptz NULL, "last_used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "user_id" uuid NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "client_secrets_users_client_secrets" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "clientsecret_user_id_revoked_at" to table: "client_secrets"
CREATE INDEX "clientsecret_user_id_revoked_at" ON "client_secrets" ("user_id", "revoked_at");
