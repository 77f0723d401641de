-- Daily summaries maintained by materialized views at insert time. organization_id is part of
-- each key (beyond the seed's columns) so that the query API can scope them to the caller's
-- organization. Days are UTC days whatever the server's time zone.
--
-- The target tables deduplicate inserts too: when the sink repeats a batch with the same
-- token, ClickHouse drops the repeated block in audit_logs and the view's block derived from
-- it here, so a replay never counts twice.
CREATE TABLE IF NOT EXISTS audit_logs_stats
(
    date Date,
    organization_id String,
    event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    result Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    count UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (organization_id, date, event_type, result)
TTL date + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_stats_mv TO audit_logs_stats AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs
GROUP BY date, organization_id, event_type, result;

CREATE TABLE IF NOT EXISTS audit_logs_user_activity
(
    date Date,
    user_id String,
    organization_id String,
    event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    count UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (user_id, date, event_type, organization_id)
TTL date + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_user_activity_mv TO audit_logs_user_activity AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    organization_id,
    event_type,
    count() AS count
FROM audit_logs
WHERE user_id != ''
GROUP BY date, user_id, organization_id, event_type;
