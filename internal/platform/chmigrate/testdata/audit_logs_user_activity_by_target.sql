CREATE TABLE audit_logs_user_activity_by_target
(
    `date` Date,
    `user_id` String,
    `target_organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `count` UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (user_id, date, event_type, target_organization_id)
TTL date + toIntervalDay(90)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192
