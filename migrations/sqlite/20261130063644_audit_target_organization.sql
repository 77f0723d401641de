-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_audit_logs" table
CREATE TABLE `new_audit_logs` (`id` uuid NOT NULL, `timestamp` datetime NOT NULL, `user_id` text NOT NULL DEFAULT (''), `user_email` text NOT NULL DEFAULT (''), `user_first_name` text NOT NULL DEFAULT (''), `user_last_name` text NOT NULL DEFAULT (''), `event_type` text NOT NULL, `action` text NOT NULL DEFAULT (''), `resource` text NOT NULL DEFAULT (''), `result` text NOT NULL, `error_message` text NOT NULL DEFAULT (''), `ip_address` text NOT NULL DEFAULT (''), `user_agent` text NOT NULL DEFAULT (''), `metadata` text NOT NULL DEFAULT ('{}'), `tenant_id` text NOT NULL DEFAULT (''), `workspace_id` text NOT NULL DEFAULT (''), `organization_id` text NOT NULL DEFAULT (''), `session_id` text NOT NULL DEFAULT (''), `duration_ms` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, `target_organization_id` text NOT NULL DEFAULT (''), PRIMARY KEY (`id`));
-- Copy rows from old table "audit_logs" to new temporary table "new_audit_logs"
INSERT INTO `new_audit_logs` (`id`, `timestamp`, `user_id`, `user_email`, `user_first_name`, `user_last_name`, `event_type`, `action`, `resource`, `result`, `error_message`, `ip_address`, `user_agent`, `metadata`, `tenant_id`, `workspace_id`, `organization_id`, `session_id`, `duration_ms`, `created_at`) SELECT `id`, `timestamp`, `user_id`, `user_email`, `user_first_name`, `user_last_name`, `event_type`, `action`, `resource`, `result`, `error_message`, `ip_address`, `user_agent`, `metadata`, `tenant_id`, `workspace_id`, `organization_id`, `session_id`, `duration_ms`, `created_at` FROM `audit_logs`;
-- Drop "audit_logs" table after copying rows
DROP TABLE `audit_logs`;
-- Rename temporary table "new_audit_logs" to "audit_logs"
ALTER TABLE `new_audit_logs` RENAME TO `audit_logs`;
-- Create index "auditlog_timestamp_id" to table: "audit_logs"
CREATE INDEX `auditlog_timestamp_id` ON `audit_logs` (`timestamp`, `id`);
-- Create index "auditlog_user_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_user_id_timestamp` ON `audit_logs` (`user_id`, `timestamp`);
-- Create index "auditlog_organization_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_organization_id_timestamp` ON `audit_logs` (`organization_id`, `timestamp`);
-- Create index "auditlog_target_organization_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_target_organization_id_timestamp` ON `audit_logs` (`target_organization_id`, `timestamp`);
-- Create index "auditlog_tenant_id_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_tenant_id_timestamp` ON `audit_logs` (`tenant_id`, `timestamp`);
-- Create index "auditlog_action_timestamp" to table: "audit_logs"
CREATE INDEX `auditlog_action_timestamp` ON `audit_logs` (`action`, `timestamp`);
-- Create index "auditlog_session_id" to table: "audit_logs"
CREATE INDEX `auditlog_session_id` ON `audit_logs` (`session_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
