-- The audit store on a ClickHouse cluster without replicas (TF_CLICKHOUSE_CLUSTER): the
-- single-node schema (migrations/clickhouse, all three files) as *_local tables on every shard,
-- with the daily summaries' materialized views per shard, and Distributed tables under the
-- single-node names over them, which the sink inserts into and the query API reads from.
--
-- Sharding key cityHash64(organization_id): an organization's rows, and so its summaries
-- (filled on the shard that holds the rows), stay on one shard. The *_by_target summaries are
-- filled on the actor's shard; reads sum over all shards, so where a row sits does not change a
-- result. The runner applies this file on every node of the cluster ($CLUSTER is the cluster's
-- name, $RETENTION_DAYS the retention), recording it in each node's schema_migrations: ON CLUSTER
-- needs a coordination service (Keeper or ZooKeeper) that a cluster without replicas lacks.

CREATE TABLE IF NOT EXISTS audit_logs_local
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
    target_organization_id String,
    session_id String,
    duration_ms UInt32,
    created_at DateTime64(3),
    INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_action action TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_tenant_id tenant_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_organization_id organization_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_target_organization_id target_organization_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (organization_id, timestamp, id)
TTL toDateTime(timestamp) + toIntervalDay($RETENTION_DAYS)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS audit_logs_stats_local
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

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_stats_local_mv TO audit_logs_stats_local AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs_local
GROUP BY date, organization_id, event_type, result;

CREATE TABLE IF NOT EXISTS audit_logs_user_activity_local
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

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_user_activity_local_mv TO audit_logs_user_activity_local AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    organization_id,
    event_type,
    count() AS count
FROM audit_logs_local
WHERE user_id != ''
GROUP BY date, user_id, organization_id, event_type;

CREATE TABLE IF NOT EXISTS audit_logs_stats_by_target_local
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

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_stats_by_target_local_mv TO audit_logs_stats_by_target_local AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    target_organization_id,
    event_type,
    result,
    count() AS count
FROM audit_logs_local
WHERE target_organization_id != '' AND target_organization_id != organization_id
GROUP BY date, target_organization_id, event_type, result;

CREATE TABLE IF NOT EXISTS audit_logs_user_activity_by_target_local
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

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_logs_user_activity_by_target_local_mv TO audit_logs_user_activity_by_target_local AS
SELECT
    toDate(timestamp, 'UTC') AS date,
    user_id,
    target_organization_id,
    event_type,
    count() AS count
FROM audit_logs_local
WHERE user_id != '' AND target_organization_id != '' AND target_organization_id != organization_id
GROUP BY date, user_id, target_organization_id, event_type;

CREATE TABLE IF NOT EXISTS audit_logs AS audit_logs_local
ENGINE = Distributed($CLUSTER, currentDatabase(), audit_logs_local, cityHash64(organization_id));

CREATE TABLE IF NOT EXISTS audit_logs_stats AS audit_logs_stats_local
ENGINE = Distributed($CLUSTER, currentDatabase(), audit_logs_stats_local, cityHash64(organization_id));

CREATE TABLE IF NOT EXISTS audit_logs_user_activity AS audit_logs_user_activity_local
ENGINE = Distributed($CLUSTER, currentDatabase(), audit_logs_user_activity_local, cityHash64(organization_id));

CREATE TABLE IF NOT EXISTS audit_logs_stats_by_target AS audit_logs_stats_by_target_local
ENGINE = Distributed($CLUSTER, currentDatabase(), audit_logs_stats_by_target_local, cityHash64(target_organization_id));

CREATE TABLE IF NOT EXISTS audit_logs_user_activity_by_target AS audit_logs_user_activity_by_target_local
ENGINE = Distributed($CLUSTER, currentDatabase(), audit_logs_user_activity_by_target_local, cityHash64(target_organization_id));
