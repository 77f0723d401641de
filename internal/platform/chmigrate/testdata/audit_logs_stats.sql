CREATE TABLE audit_logs_stats
(
    `date` Date,
    `organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `result` Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    `count` UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (organization_id, date, event_type, result)
TTL date + toIntervalDay(90)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192
