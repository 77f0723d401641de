CREATE MATERIALIZED VIEW audit_logs_stats_by_target_mv TO audit_logs_stats_by_target
(
    `date` Date,
    `target_organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `result` Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    `count` UInt64
)
AS SELECT
    toDate(timestamp, 'UTC') AS date,
    target_organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs
WHERE (target_organization_id != '') AND (target_organization_id != organization_id)
GROUP BY
    date,
    target_organization_id,
    event_type,
    result
