-- Modify "organizations" table
ALTER TABLE "organizations" ADD COLUMN "require_mfa" boolean NOT NULL DEFAULT false;
-- Modify "sessions" table
ALTER TABLE "sessions" ADD COLUMN "amr" character varying NOT NULL DEFAULT 'pwd';
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
-- Create "user_totp_factors" table
CREATE TABLE "user_totp_factors" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "secret_sealed" bytea NOT NULL, "created_at" timestamptz NOT NULL, "confirmed_at" timestamptz NULL, "last_step" bigint NOT NULL DEFAULT 0, PRIMARY KEY ("id"));
-- Create index "usertotp_user_id" to table: "user_totp_factors"
CREATE UNIQUE INDEX "usertotp_user_id" ON "user_totp_factors" ("user_id");
