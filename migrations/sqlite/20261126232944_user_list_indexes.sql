-- Create index "user_live_created_at_id" to table: "users"
CREATE INDEX `user_live_created_at_id` ON `users` (`created_at`, `id`) WHERE deleted_at IS NULL;
-- Create index "user_live_organization_created_at_id" to table: "users"
CREATE INDEX `user_live_organization_created_at_id` ON `users` (`organization_id`, `created_at`, `id`) WHERE deleted_at IS NULL;
