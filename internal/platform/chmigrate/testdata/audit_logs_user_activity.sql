CREATE TABLE audit_logs_user_activity
(
    `date` Date,
    `user_id` String,
    `organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `count` UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (user_id, date, event_type, organization_id)
TTL date + toIntervalDay(90)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192
