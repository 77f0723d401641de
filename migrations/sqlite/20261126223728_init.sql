-- Create "audit_logs" table
CREATE TABLE `audit_logs` (`id` uuid NOT NULL, `timestamp` datetime NOT NULL, `user_id` text NOT NULL DEFAULT (''), `user_email` text NOT NULL DEFAULT (''), `user_first_name` text NOT NULL DEFAULT (''), `user_last_name` text NOT NULL DEFAULT (''), `event_type` text NOT NULL, `action` text NOT NULL DEFAULT (''), `resource` text NOT NULL DEFAULT (''), `result` text NOT NULL, `error_message` text NOT NULL DEFAULT (''), `ip_address` text NOT NULL DEFAULT (''), `user_agent` text NOT NULL DEFAULT (''), `metadata` text NOT NULL DEFAULT ('{}'), `tenant_id` text NOT NULL DEFAULT (''), `workspace_id` text NOT NULL DEFAULT (''), `organization_id` text NOT NULL DEFAULT (''), `session_id` text NOT NULL DEFAULT (''), `duration_ms` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "auditlog_timestamp_id" to table: "audit_logs"
CREATE INDEX `auditlog_timestamp_id` ON `audit_logs` (`timestamp`, `id`);
-- Create index "auditlog_user_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_user_id_timestamp` ON `audit_logs` (`user_id`, `timestamp`);
-- Create index "auditlog_organization_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_organization_id_timestamp` ON `audit_logs` (`organization_id`, `timestamp`);
-- Create index "auditlog_tenant_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_tenant_id_timestamp` ON `audit_logs` (`tenant_id`, `timestamp`);
-- Create index "auditlog_action_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_action_timestamp` ON `audit_logs` (`action`, `timestamp`);
-- Create index "auditlog_session_id" to table: "audit_logs"
CREATE INDEX `auditlog_session_id` ON `audit_logs` (`session_id`);
-- Create "groups" table
CREATE TABLE `groups` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `description` text NOT NULL DEFAULT (''), `organization_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `groups_organizations_groups` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION);
-- Create index "group_organization_id_name" to table: "groups"
CREATE UNIQUE INDEX `group_organization_id_name` ON `groups` (`organization_id`, `name`) WHERE deleted_at IS NULL;
-- Create "group_members" table
CREATE TABLE `group_members` (`assigned_at` datetime NOT NULL, `assigned_by` uuid NULL, `group_id` uuid NOT NULL, `user_id` uuid NOT NULL, PRIMARY KEY (`group_id`, `user_id`), CONSTRAINT `group_members_groups_group` FOREIGN KEY (`group_id`) REFERENCES `groups` (`id`) ON DELETE NO ACTION, CONSTRAINT `group_members_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "groupmember_user_id" to table: "group_members"
CREATE INDEX `groupmember_user_id` ON `group_members` (`user_id`);
-- Create "group_roles" table
CREATE TABLE `group_roles` (`assigned_at` datetime NOT NULL, `assigned_by` uuid NULL, `group_id` uuid NOT NULL, `role_id` uuid NOT NULL, PRIMARY KEY (`group_id`, `role_id`), CONSTRAINT `group_roles_groups_group` FOREIGN KEY (`group_id`) REFERENCES `groups` (`id`) ON DELETE NO ACTION, CONSTRAINT `group_roles_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE NO ACTION);
-- Create index "grouprole_role_id" to table: "group_roles"
CREATE INDEX `grouprole_role_id` ON `group_roles` (`role_id`);
-- Create "organizations" table
CREATE TABLE `organizations` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `slug` text NOT NULL, `description` text NOT NULL DEFAULT (''), `domain` text NULL, `active` bool NOT NULL DEFAULT (true), `tenant_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `organizations_tenants_organizations` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE NO ACTION);
-- Create index "organization_tenant_id_slug" to table: "organizations"
CREATE UNIQUE INDEX `organization_tenant_id_slug` ON `organizations` (`tenant_id`, `slug`) WHERE deleted_at IS NULL;
-- Create index "organization_name" to table: "organizations"
CREATE INDEX `organization_name` ON `organizations` (`name`);
-- Create "outbox_events" table
CREATE TABLE `outbox_events` (`id` uuid NOT NULL, `event_type` text NOT NULL, `event_version` integer NOT NULL, `aggregate_type` text NOT NULL, `aggregate_id` text NOT NULL, `payload` blob NOT NULL, `occurred_at` datetime NOT NULL, `dispatched_at` datetime NULL, `attempts` integer NOT NULL DEFAULT (0), `last_error` text NOT NULL DEFAULT (''), PRIMARY KEY (`id`));
-- Create index "outboxevent_pending" to table: "outbox_events"
CREATE INDEX `outboxevent_pending` ON `outbox_events` (`occurred_at`) WHERE dispatched_at IS NULL;
-- Create "permissions" table
CREATE TABLE `permissions` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `resource` text NOT NULL, `action` text NOT NULL, `description` text NOT NULL DEFAULT (''), `system` bool NOT NULL DEFAULT (false), PRIMARY KEY (`id`));
-- Create index "permission_name" to table: "permissions"
CREATE UNIQUE INDEX `permission_name` ON `permissions` (`name`) WHERE deleted_at IS NULL;
-- Create index "permission_resource_action" to table: "permissions"
CREATE INDEX `permission_resource_action` ON `permissions` (`resource`, `action`);
-- Create "refresh_tokens" table
CREATE TABLE `refresh_tokens` (`id` uuid NOT NULL, `token_hash` blob NOT NULL, `family` uuid NOT NULL, `created_at` datetime NOT NULL, `used_at` datetime NULL, `expires_at` datetime NOT NULL, `session_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `refresh_tokens_sessions_refresh_tokens` FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE NO ACTION);
-- Create index "refreshtoken_token_hash" to table: "refresh_tokens"
CREATE UNIQUE INDEX `refreshtoken_token_hash` ON `refresh_tokens` (`token_hash`);
-- Create index "refreshtoken_session_id" to table: "refresh_tokens"
CREATE INDEX `refreshtoken_session_id` ON `refresh_tokens` (`session_id`);
-- Create "regions" table
CREATE TABLE `regions` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `code` text NOT NULL, `description` text NOT NULL DEFAULT (''), `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create index "region_code" to table: "regions"
CREATE UNIQUE INDEX `region_code` ON `regions` (`code`) WHERE deleted_at IS NULL;
-- Create index "region_name" to table: "regions"
CREATE INDEX `region_name` ON `regions` (`name`);
-- Create "roles" table
CREATE TABLE `roles` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `description` text NOT NULL DEFAULT (''), `tier` integer NOT NULL, `system_role` bool NOT NULL DEFAULT (false), `scope_key` text NOT NULL, `organization_id` uuid NULL, `tenant_id` uuid NULL, PRIMARY KEY (`id`), CONSTRAINT `roles_organizations_roles` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE SET NULL, CONSTRAINT `roles_tenants_roles` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE SET NULL);
-- Create index "role_scope_key_name" to table: "roles"
CREATE UNIQUE INDEX `role_scope_key_name` ON `roles` (`scope_key`, `name`) WHERE deleted_at IS NULL;
-- Create index "role_tier" to table: "roles"
CREATE INDEX `role_tier` ON `roles` (`tier`);
-- Create "role_permissions" table
CREATE TABLE `role_permissions` (`assigned_at` datetime NOT NULL, `assigned_by` uuid NULL, `role_id` uuid NOT NULL, `permission_id` uuid NOT NULL, PRIMARY KEY (`role_id`, `permission_id`), CONSTRAINT `role_permissions_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE NO ACTION, CONSTRAINT `role_permissions_permissions_permission` FOREIGN KEY (`permission_id`) REFERENCES `permissions` (`id`) ON DELETE NO ACTION);
-- Create index "rolepermission_permission_id" to table: "role_permissions"
CREATE INDEX `rolepermission_permission_id` ON `role_permissions` (`permission_id`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `revoked_at` datetime NULL, `revoke_reason` text NOT NULL DEFAULT (''), `ip_address` text NOT NULL DEFAULT (''), `user_agent` text NOT NULL DEFAULT (''), `user_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "session_user_id_revoked_at" to table: "sessions"
CREATE INDEX `session_user_id_revoked_at` ON `sessions` (`user_id`, `revoked_at`);
-- Create "signing_keys" table
CREATE TABLE `signing_keys` (`id` uuid NOT NULL, `kid` text NOT NULL, `algorithm` text NOT NULL, `public_key` blob NOT NULL, `private_key_sealed` blob NOT NULL, `created_at` datetime NOT NULL, `not_before` datetime NOT NULL, `retired_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "signingkey_kid" to table: "signing_keys"
CREATE UNIQUE INDEX `signingkey_kid` ON `signing_keys` (`kid`);
-- Create "tenants" table
CREATE TABLE `tenants` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `slug` text NOT NULL, `description` text NOT NULL DEFAULT (''), `active` bool NOT NULL DEFAULT (true), `region_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `tenants_regions_tenants` FOREIGN KEY (`region_id`) REFERENCES `regions` (`id`) ON DELETE NO ACTION);
-- Create index "tenant_slug" to table: "tenants"
CREATE UNIQUE INDEX `tenant_slug` ON `tenants` (`slug`) WHERE deleted_at IS NULL;
-- Create index "tenant_region_id" to table: "tenants"
CREATE INDEX `tenant_region_id` ON `tenants` (`region_id`);
-- Create index "tenant_name" to table: "tenants"
CREATE INDEX `tenant_name` ON `tenants` (`name`);
-- Create "users" table
CREATE TABLE `users` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `email` text NOT NULL, `password_hash` text NOT NULL, `first_name` text NOT NULL DEFAULT (''), `last_name` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('created'), `last_login_at` datetime NULL, `failed_login_count` integer NOT NULL DEFAULT (0), `locked_until` datetime NULL, `password_changed_at` datetime NULL, `organization_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `users_organizations_users` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION);
-- Create index "user_email" to table: "users"
CREATE UNIQUE INDEX `user_email` ON `users` (`email`) WHERE deleted_at IS NULL;
-- Create index "user_organization_id_status" to table: "users"
CREATE INDEX `user_organization_id_status` ON `users` (`organization_id`, `status`);
-- Create index "user_status" to table: "users"
CREATE INDEX `user_status` ON `users` (`status`);
-- Create "user_permissions" table
CREATE TABLE `user_permissions` (`assigned_at` datetime NOT NULL, `assigned_by` uuid NULL, `user_id` uuid NOT NULL, `permission_id` uuid NOT NULL, PRIMARY KEY (`user_id`, `permission_id`), CONSTRAINT `user_permissions_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `user_permissions_permissions_permission` FOREIGN KEY (`permission_id`) REFERENCES `permissions` (`id`) ON DELETE NO ACTION);
-- Create index "userpermission_permission_id" to table: "user_permissions"
CREATE INDEX `userpermission_permission_id` ON `user_permissions` (`permission_id`);
-- Create "user_roles" table
CREATE TABLE `user_roles` (`assigned_at` datetime NOT NULL, `assigned_by` uuid NULL, `user_id` uuid NOT NULL, `role_id` uuid NOT NULL, PRIMARY KEY (`user_id`, `role_id`), CONSTRAINT `user_roles_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION, CONSTRAINT `user_roles_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE NO ACTION);
-- Create index "userrole_role_id" to table: "user_roles"
CREATE INDEX `userrole_role_id` ON `user_roles` (`role_id`);
-- Create "workspaces" table
CREATE TABLE `workspaces` (`id` uuid NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `deleted_at` datetime NULL, `name` text NOT NULL, `slug` text NOT NULL, `description` text NOT NULL DEFAULT (''), `active` bool NOT NULL DEFAULT (true), `organization_id` uuid NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `workspaces_organizations_workspaces` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION);
-- Create index "workspace_organization_id_slug" to table: "workspaces"
CREATE UNIQUE INDEX `workspace_organization_id_slug` ON `workspaces` (`organization_id`, `slug`) WHERE deleted_at IS NULL;
-- Create index "workspace_name" to table: "workspaces"
CREATE INDEX `workspace_name` ON `workspaces` (`name`);
