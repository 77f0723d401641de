-- Create "api_keys" table
CREATE TABLE `api_keys` (`id` uuid NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `secret_hash` blob NOT NULL, `permissions` json NULL, `created_at` datetime NOT NULL, `expires_at` datetime NULL, `last_used_at` datetime NULL, `revoked_at` datetime NULL, `user_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `api_keys_users_api_keys` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "apikey_secret_hash" to table: "api_keys"
CREATE UNIQUE INDEX `apikey_secret_hash` ON `api_keys` (`secret_hash`);
-- Create index "apikey_user_id_revoked_at" to table: "api_keys"
CREATE INDEX `apikey_user_id_revoked_at` ON `api_keys` (`user_id`, `revoked_at`);
