-- target_organization_id: the organization an action was done to (a user, a group, ...), where
-- it is known (docs/audit.md). Auditors of an organization see the events of its members and
-- the events whose target is in it, so a change made inside an organization by a super
-- administrator from another one is visible to that organization's auditors.
--
-- Queries scoped to an organization read two ranges: organization_id = X through the primary
-- key, and target_organization_id = X AND organization_id != X through this bloom filter
-- (cross-organization changes are rare, so few granules hold them).
ALTER TABLE audit_logs ADD COLUMN IF NOT EXISTS target_organization_id String AFTER organization_id;

ALTER TABLE audit_logs ADD INDEX IF NOT EXISTS idx_target_organization_id target_organization_id TYPE bloom_filter(0.01) GRANULARITY 1;

-- Build the index for parts written before this migration too (a background mutation).
ALTER TABLE audit_logs MATERIALIZE INDEX idx_target_organization_id;

-- Daily counts of the events whose target organization differs from the actor's, keyed by the
-- target. A scoped query adds them to the actor's counts of audit_logs_stats (an event is
-- counted once for each organization that sees it, never twice for one); the unscoped query of
-- a super administrator reads audit_logs_stats alone, where every event is counted once.
CREATE TABLE IF NOT EXISTS audit_logs_stats_by_target
(
    date Date,
    target_organization_id String,
    event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    result Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    count UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (target_organization_id, date, event_type, result)
TTL date + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_stats_by_target_mv TO audit_logs_stats_by_target AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    target_organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs
WHERE target_organization_id != '' AND target_organization_id != organization_id
GROUP BY date, target_organization_id, event_type, result;

CREATE TABLE IF NOT EXISTS audit_logs_user_activity_by_target
(
    date Date,
    user_id String,
    target_organization_id String,
    event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    count UInt64
)
ENGINE = SummingMergeTree(count)
PARTITION BY toYYYYMM(date)
ORDER BY (user_id, date, event_type, target_organization_id)
TTL date + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_user_activity_by_target_mv TO audit_logs_user_activity_by_target AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    target_organization_id,
    event_type,
    count() AS count
FROM audit_logs
WHERE user_id != '' AND target_organization_id != '' AND target_organization_id != organization_id
GROUP BY date, user_id, target_organization_id, event_type;
