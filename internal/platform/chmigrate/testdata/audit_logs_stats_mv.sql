CREATE MATERIALIZED VIEW audit_logs_stats_mv TO audit_logs_stats
(
    `date` Date,
    `organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `result` Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    `count` UInt64
)
AS SELECT
    toDate(timestamp, 'UTC') AS date,
    organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs
GROUP BY
    date,
    organization_id,
    event_type,
    result
