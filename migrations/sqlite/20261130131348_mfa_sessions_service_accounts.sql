-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_organizations" table
CREATE TABLE `new_organizations` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `slug` text NOT NULL, `description` text NOT NULL DEFAULT (''), `domain` text NULL, `active` bool NOT NULL DEFAULT (true), `require_mfa` bool NOT NULL DEFAULT (false), `tenant_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `organizations_tenants_organizations` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "organizations" to new temporary table "new_organizations"
INSERT INTO `new_organizations` (`id`, `created_at`, `updated_at`, `deleted_at`, `name`, `slug`, `description`, `domain`, `active`, `tenant_id`) SELECT `id`, `created_at`, `updated_at`, `deleted_at`, `name`, `slug`, `description`, `domain`, `active`, `tenant_id` FROM `organizations`;
-- Drop "organizations" table after copying rows
DROP TABLE `organizations`;
-- Rename temporary table "new_organizations" to "organizations"
ALTER TABLE `new_organizations` RENAME TO `organizations`;
-- Create index "organization_tenant_id_slug" to table: "organizations"
CREATE UNIQUE INDEX `organization_tenant_id_slug` ON `organizations` (`tenant_id`, `slug`) WHERE deleted_at IS NULL;
-- Create index "organization_name" to table: "organizations"
CREATE INDEX `organization_name` ON `organizations` (`name`);
-- Create "new_sessions" table
CREATE TABLE `new_sessions` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `revoked_at` datetime NULL, `revoke_reason` text NOT NULL DEFAULT (''), `ip_address` text NOT NULL DEFAULT (''), `user_agent` text NOT NULL DEFAULT (''), `amr` text NOT NULL DEFAULT ('pwd'), `client_id` text NOT NULL DEFAULT (''), `scope` text NOT NULL DEFAULT (''), `user_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "sessions" to new temporary table "new_sessions"
INSERT INTO `new_sessions` (`id`, `created_at`, `expires_at`, `last_seen_at`, `revoked_at`, `revoke_reason`, `ip_address`, `user_agent`, `user_id`) SELECT `id`, `created_at`, `expires_at`, `last_seen_at`, `revoked_at`, `revoke_reason`, `ip_address`, `user_agent`, `user_id` FROM `sessions`;
-- Drop "sessions" table after copying rows
DROP TABLE `sessions`;
-- Rename temporary table "new_sessions" to "sessions"
ALTER TABLE `new_sessions` RENAME TO `sessions`;
-- Create index "session_user_id_revoked_at" to table: "sessions"
CREATE INDEX `session_user_id_revoked_at` ON `sessions` (`user_id`, `revoked_at`);
-- Create "new_users" table
CREATE TABLE `new_users` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `email` text NOT NULL, `password_hash` text NOT NULL DEFAULT (''), `first_name` text NOT NULL DEFAULT (''), `last_name` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('created'), `last_login_at` datetime NULL, `failed_login_count` integer NOT NULL DEFAULT (0), `locked_until` datetime NULL, `last_failed_login_at` datetime NULL, `password_changed_at` datetime NULL, `kind` text NOT NULL DEFAULT ('human'), `description` text NOT NULL DEFAULT (''), `organization_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `users_organizations_users` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "users" to new temporary table "new_users"
INSERT INTO `new_users` (`id`, `created_at`, `updated_at`, `deleted_at`, `email`, `password_hash`, `first_name`, `last_name`, `status`, `last_login_at`, `failed_login_count`, `locked_until`, `last_failed_login_at`, `password_changed_at`, `organization_id`) SELECT `id`, `created_at`, `updated_at`, `deleted_at`, `email`, IFNULL(`password_hash`, ('')) AS `password_hash`, `first_name`, `last_name`, `status`, `last_login_at`, `failed_login_count`, `locked_until`, `last_failed_login_at`, `password_changed_at`, `organization_id` FROM `users`;
-- Drop "users" table after copying rows
DROP TABLE `users`;
-- Rename temporary table "new_users" to "users"
ALTER TABLE `new_users` RENAME TO `users`;
-- Create index "user_email" to table: "users"
CREATE UNIQUE INDEX `user_email` ON `users` (`email`) WHERE deleted_at IS NULL;
-- Create index "user_organization_id_status" to table: "users"
CREATE INDEX `user_organization_id_status` ON `users` (`organization_id`, `status`);
-- Create index "user_status" to table: "users"
CREATE INDEX `user_status` ON `users` (`status`);
-- Create index "user_live_kind_created_at_id" to table: "users"
CREATE INDEX `user_live_kind_created_at_id` ON `users` (`kind`, `created_at`, `id`) WHERE deleted_at IS NULL;
-- Create index "user_live_created_at_id" to table: "users"
CREATE INDEX `user_live_created_at_id` ON `users` (`created_at`, `id`) WHERE deleted_at IS NULL;
-- Create index "user_live_organization_created_at_id" to table: "users"
CREATE INDEX `user_live_organization_created_at_id` ON `users` (`organization_id`, `created_at`, `id`) WHERE deleted_at IS NULL;
-- Create "client_keys" table
CREATE TABLE `client_keys` (`id` uuid NOT NULL, `kid` text NOT NULL DEFAULT (''), `algorithm` text NOT NULL, `jwk` blob NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `user_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `client_keys_users_client_keys` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "clientkey_user_id_revoked_at" to table: "client_keys"
CREATE INDEX `clientkey_user_id_revoked_at` ON `client_keys` (`user_id`, `revoked_at`);
-- Create "client_secrets" table
CREATE TABLE `client_secrets` (`id` uuid NOT NULL, `secret_hash` blob NOT NULL, `description` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `expires_at` datetime NULL, `last_used_at` datetime NULL, `revoked_at` datetime NULL, `user_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `client_secrets_users_client_secrets` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "clientsecret_user_id_revoked_at" to table: "client_secrets"
CREATE INDEX `clientsecret_user_id_revoked_at` ON `client_secrets` (`user_id`, `revoked_at`);
-- Create "mfa_challenges" table
CREATE TABLE `mfa_challenges` (`id` uuid NOT NULL, `token_hash` blob NOT NULL, `user_id` uuid NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `failures` integer NOT NULL DEFAULT (0), `used_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "mfachallenge_token_hash" to table: "mfa_challenges"
CREATE UNIQUE INDEX `mfachallenge_token_hash` ON `mfa_challenges` (`token_hash`);
-- Create index "mfachallenge_expires_at" to table: "mfa_challenges"
CREATE INDEX `mfachallenge_expires_at` ON `mfa_challenges` (`expires_at`);
-- Create "recovery_codes" table
CREATE TABLE `recovery_codes` (`id` uuid NOT NULL, `user_id` uuid NOT NULL, `code_hash` blob NOT NULL, `created_at` datetime NOT NULL, `used_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "recoverycode_user_id_code_hash" to table: "recovery_codes"
CREATE UNIQUE INDEX `recoverycode_user_id_code_hash` ON `recovery_codes` (`user_id`, `code_hash`);
-- Create "used_assertions" table
CREATE TABLE `used_assertions` (`id` text NOT NULL, `expires_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "usedassertion_expires_at" to table: "used_assertions"
CREATE INDEX `usedassertion_expires_at` ON `used_assertions` (`expires_at`);
-- Create "user_totp_factors" table
CREATE TABLE `user_totp_factors` (`id` uuid NOT NULL, `user_id` uuid NOT NULL, `secret_sealed` blob NOT NULL, `created_at` datetime NOT NULL, `confirmed_at` datetime NULL, `last_step` integer NOT NULL DEFAULT (0), PRIMARY KEY (`id`));
-- Create index "usertotp_user_id" to table: "user_totp_factors"
CREATE UNIQUE INDEX `usertotp_user_id` ON `user_totp_factors` (`user_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
