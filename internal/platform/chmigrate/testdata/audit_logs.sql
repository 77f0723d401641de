CREATE TABLE audit_logs
(
    `id` UUID,
    `timestamp` DateTime64(3),
    `user_id` String,
    `user_email` String,
    `user_first_name` String,
    `user_last_name` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `action` String,
    `resource` String,
    `result` Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    `error_message` String,
    `ip_address` String,
    `user_agent` String,
    `metadata` String,
    `tenant_id` String,
    `workspace_id` String,
    `organization_id` String,
    `target_organization_id` String,
    `session_id` String,
    `duration_ms` UInt32,
    `created_at` DateTime64(3),
    INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_action action TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_tenant_id tenant_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_organization_id organization_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_target_organization_id target_organization_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (organization_id, timestamp, id)
TTL toDateTime(timestamp) + toIntervalDay(90)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192
