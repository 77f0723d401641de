CREATE MATERIALIZED VIEW audit_logs_user_activity_mv TO audit_logs_user_activity
(
    `date` Date,
    `user_id` String,
    `organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `count` UInt64
)
AS SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    organization_id,
    event_type,
    count() AS count
FROM audit_logs
WHERE user_id != ''
GROUP BY
    date,
    user_id,
    organization_id,
    event_type
