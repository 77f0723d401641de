CREATE MATERIALIZED VIEW audit_logs_user_activity_by_target_mv TO audit_logs_user_activity_by_target
(
    `date` Date,
    `user_id` String,
    `target_organization_id` String,
    `event_type` Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    `count` UInt64
)
AS SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    target_organization_id,
    event_type,
    count() AS count
FROM audit_logs
WHERE (user_id != '') AND (target_organization_id != '') AND (target_organization_id != organization_id)
GROUP BY
    date,
    user_id,
    target_organization_id,
    event_type
