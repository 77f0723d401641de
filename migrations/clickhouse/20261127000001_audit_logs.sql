-- The audit log: the seed's AUDIT_LOGS columns, names and types exactly.
--
-- Replays are idempotent by id at three levels (docs/audit.md): insert deduplication
-- (non_replicated_deduplication_window, with the token the sink sends per batch) drops a
-- repeated batch before it is written, so the materialized views never count it twice;
-- ReplacingMergeTree with id in the sorting key collapses a row stored twice at merge time;
-- and until then the query side drops adjacent copies in (timestamp, id) order.
--
-- ORDER BY serves the query API: every non-super-administrator query is scoped to one
-- organization and a time range, newest first, with (timestamp, id) as the page cursor.
-- $RETENTION_DAYS is replaced by the migrator with TF_AUDIT_RETENTION_DAYS (a validated integer).
CREATE TABLE IF NOT EXISTS audit_logs
(
    id UUID,
    timestamp DateTime64(3),
    user_id String,
    user_email String,
    user_first_name String,
    user_last_name String,
    event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4),
    action String,
    resource String,
    result Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3),
    error_message String,
    ip_address String,
    user_agent String,
    metadata String,
    tenant_id String,
    workspace_id String,
    organization_id String,
    session_id String,
    duration_ms UInt32,
    created_at DateTime64(3),
    INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_action action TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_tenant_id tenant_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_organization_id organization_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (organization_id, timestamp, id)
TTL toDateTime(timestamp) + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;
