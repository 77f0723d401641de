#!/usr/bin/env bash
# Replicated ClickHouse with ZooKeeper from Debian's packages: the experiment behind
# docs/clickhouse-replicated.md, end to end. Not used by the service or its tests.
#
# Needs: apt-get install -y --no-install-recommends zookeeper clickhouse-server (Debian 12:
# ZooKeeper 3.8.0, ClickHouse 18.16.1), curl, java. Runs everything as user processes under
# a temporary directory (no system services) and stops them on exit.
#
# 1. The dev server (scripts/clickhouse.sh, ClickHouse 26.7 in chDB's local mode) against the
#    ZooKeeper: shows why it cannot hold a replica.
# 2. Two Debian clickhouse-server processes, replicas r1 and r2 of one shard: ON CLUSTER DDL,
#    Replicated*MergeTree log + summary + view, replication lag of a 50,000-row insert, SIGKILL
#    of a replica and its catch-up, deduplication of one block inserted on both replicas.
#
# usage: scripts/clickhouse-replicated-demo.sh   (env: TF_DEMO_PORT_BASE, default 41000)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${TF_DEMO_PORT_BASE:-41000}"
ZK_PORT=$((BASE + 181))
SESSION_MS=4000 # ZooKeeper's minimum (2 x tickTime): a killed replica's session ends sooner
WORK="$(mktemp -d /tmp/ch-replicated-demo.XXXXXX)"
PIDS=()

log() { printf 'demo: %s\n' "$*" >&2; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
cleanup() {
	for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	TF_CLICKHOUSE_STATE_DIR="$WORK/local" TF_CLICKHOUSE_TCP_PORT=$((BASE + 1)) \
		TF_CLICKHOUSE_HTTP_PORT=$((BASE + 2)) "$REPO_ROOT/scripts/clickhouse.sh" stop 2>/dev/null || true
	log "state left in $WORK"
}
trap cleanup EXIT

for c in java curl /usr/sbin/clickhouse-server; do
	command -v "$c" >/dev/null || { log "missing $c (see the header)"; exit 1; }
done
[[ -f /usr/share/java/zookeeper.jar ]] || { log "missing Debian's zookeeper package"; exit 1; }

# --- ZooKeeper, standalone ---
mkdir -p "$WORK/zk/data"
cat >"$WORK/zk/zoo.cfg" <<EOF
tickTime=2000
dataDir=$WORK/zk/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok
EOF
ruok() { (exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT" && echo ruok >&3 && timeout 1 cat <&3) 2>/dev/null || true; }
t0=$(date +%s%N)
setsid java -Xmx256m -cp /usr/share/java/zookeeper.jar org.apache.zookeeper.server.ZooKeeperServerMain \
	"$WORK/zk/zoo.cfg" >"$WORK/zk/zk.log" 2>&1 </dev/null &
PIDS+=($!)
until [[ "$(ruok)" == imok ]]; do sleep 0.1; done
log "ZooKeeper answers on 127.0.0.1:$ZK_PORT after $(ms_since "$t0") ms"

# --- 1. the dev server (chDB local mode) with <zookeeper> ---
mkdir -p "$WORK/local/data"
cat >"$WORK/local/config.xml" <<EOF
<clickhouse><path>$WORK/local/data/</path>
<interserver_http_host>127.0.0.1</interserver_http_host><interserver_http_port>$((BASE + 3))</interserver_http_port>
<zookeeper><node><host>127.0.0.1</host><port>$ZK_PORT</port></node></zookeeper>
<distributed_ddl><path>/clickhouse/task_queue/ddl_local</path></distributed_ddl>
<macros><shard>01</shard><replica>local</replica></macros>
<remote_servers><one><shard><replica><host>127.0.0.1</host><port>$((BASE + 1))</port></replica></shard></one></remote_servers>
</clickhouse>
EOF
TF_CLICKHOUSE_STATE_DIR="$WORK/local" TF_CLICKHOUSE_TCP_PORT=$((BASE + 1)) TF_CLICKHOUSE_HTTP_PORT=$((BASE + 2)) \
	TF_CLICKHOUSE_CONFIG_FILE="$WORK/local/config.xml" TF_CLICKHOUSE_LOG_LEVEL=warning "$REPO_ROOT/scripts/clickhouse.sh" start
ql() { curl -sS --max-time 20 --data-binary "$*" "http://127.0.0.1:$((BASE + 2))/" 2>&1 || true; }
log "dev server: CREATE DATABASE ... ON CLUSTER -> $(ql "CREATE DATABASE d ON CLUSTER one")"
ql "CREATE TABLE t (x UInt64) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/local_t', '{replica}') ORDER BY x"
sleep 1
log "dev server: Replicated table created, is_readonly=$(ql "SELECT is_readonly FROM system.replicas WHERE table = 't'")"
log "dev server: INSERT -> $(ql "INSERT INTO t VALUES (1)")"
log "dev server log: $(grep -o "Parameter 'interserver_http(s)_port'[^(]*" "$WORK/local/clickhouse.log" | head -n 1)"
log "dev server: SYSTEM START LISTEN INTERSERVER HTTP -> $(ql "SYSTEM START LISTEN INTERSERVER HTTP")"

# --- 2. two Debian clickhouse-server replicas of one shard ---
node_conf() { # N
	local d="$WORK/r$1"
	mkdir -p "$d/data" "$d/tmp" "$d/log"
	cat >"$d/config.xml" <<EOF
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$((BASE + 10 + $1))</tcp_port><http_port>$((BASE + 20 + $1))</http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host><interserver_http_port>$((BASE + 30 + $1))</interserver_http_port>
  <path>$d/data/</path><tmp_path>$d/tmp/</tmp_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>536870912</mark_cache_size>
  <zookeeper><node><host>127.0.0.1</host><port>$ZK_PORT</port></node><session_timeout_ms>$SESSION_MS</session_timeout_ms></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  <macros><shard>01</shard><replica>r$1</replica></macros>
  <remote_servers><tf_repl><shard><internal_replication>true</internal_replication>
    <replica><host>127.0.0.1</host><port>$((BASE + 11))</port></replica>
    <replica><host>127.0.0.1</host><port>$((BASE + 12))</port></replica>
  </shard></tf_repl></remote_servers>
</yandex>
EOF
}
declare -A NODE_PID
start_node() { # N
	local t0
	t0=$(date +%s%N)
	setsid nohup /usr/sbin/clickhouse-server --config-file="$WORK/r$1/config.xml" >"$WORK/r$1/log/stdout.log" 2>&1 </dev/null &
	NODE_PID[$1]=$!
	PIDS+=($!)
	until [[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$((BASE + 20 + $1))/?query=SELECT%201" 2>/dev/null)" == 1 ]]; do sleep 0.05; done
	log "replica r$1 answers after $(ms_since "$t0") ms"
}
q() { curl -fsS --max-time 60 --data-binary "${*:2}" "http://127.0.0.1:$((BASE + 20 + $1))/"; }
rows() { q "$1" "SELECT count() FROM tf.audit_logs_local"; }
summed() { q "$1" "SELECT sum(count) FROM tf.audit_logs_stats_local"; }
insert() { # N ROWS ORG
	q "$1" "INSERT INTO tf.audit_logs_local SELECT generateUUIDv4(), toDateTime('2026-11-30 00:00:00') + number % 86400,
		concat('$3', toString(number % 10)), concat('u', toString(number % 100)), toInt8(1 + number % 4), toInt8(1 + number % 3)
		FROM numbers($2)"
}
await_equal() { # N M: until replica N holds what M holds (log and summary)
	until [[ "$(rows "$1")" == "$(rows "$2")" && "$(summed "$1")" == "$(summed "$2")" ]]; do sleep 0.01; done
}

node_conf 1
node_conf 2
start_node 1
start_node 2

t0=$(date +%s%N)
q 1 "CREATE DATABASE tf ON CLUSTER tf_repl" >/dev/null
q 1 "CREATE TABLE tf.audit_logs_local ON CLUSTER tf_repl (id UUID, timestamp DateTime, organization_id String, user_id String,
	event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4), result Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3))
	ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/audit_logs_local', '{replica}')
	PARTITION BY toYYYYMM(timestamp) ORDER BY (organization_id, timestamp, id)" >/dev/null
q 1 "CREATE TABLE tf.audit_logs_stats_local ON CLUSTER tf_repl (date Date, organization_id String,
	event_type Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4), result Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3), count UInt64)
	ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/audit_logs_stats_local', '{replica}', count)
	PARTITION BY toYYYYMM(date) ORDER BY (organization_id, date, event_type, result)" >/dev/null
q 1 "CREATE MATERIALIZED VIEW tf.audit_logs_stats_local_mv ON CLUSTER tf_repl TO tf.audit_logs_stats_local AS
	SELECT toDate(timestamp) AS date, organization_id, event_type, result, count() AS count
	FROM tf.audit_logs_local GROUP BY date, organization_id, event_type, result" >/dev/null
q 1 "CREATE TABLE tf.audit_logs ON CLUSTER tf_repl AS tf.audit_logs_local
	ENGINE = Distributed(tf_repl, tf, audit_logs_local, cityHash64(organization_id))" >/dev/null
log "ON CLUSTER schema (database, 2 replicated tables, view, Distributed) in $(ms_since "$t0") ms"
log "r2 tables: $(q 2 "SELECT groupArray(concat(name, ':', engine)) FROM system.tables WHERE database = 'tf'")"

for from in 1 1 2; do
	to=$((3 - from))
	t0=$(date +%s%N)
	insert "$from" 50000 "org$RANDOM"
	ins=$(ms_since "$t0")
	t1=$(date +%s%N)
	await_equal "$to" "$from"
	log "50,000 rows inserted on r$from in $ins ms; on r$to (log and summary) $(ms_since "$t1") ms after the insert returned"
done

kill -KILL "${NODE_PID[1]}"
log "r1 SIGKILLed; r2 sees active_replicas=$(q 2 "SELECT active_replicas FROM system.replicas WHERE table = 'audit_logs_local'")"
insert 2 50000 orgDown
log "with r1 down: 50,000 rows inserted on r2; read through Distributed on r2: $(q 2 "SELECT count() FROM tf.audit_logs") rows"
# A replica restarted before its old ZooKeeper session expired finds its own is_active node
# and retries only every 10 s ("appears to be already active"): wait out the session.
sleep $((SESSION_MS / 1000 + 2))
t0=$(date +%s%N)
start_node 1
await_equal 1 2
log "r1 restarted and caught up (rows $(rows 1), summary $(summed 1)) $(ms_since "$t0") ms after the start command"

block="INSERT INTO tf.audit_logs_local SELECT toUUID(concat('00000000-0000-0000-0000-', substring(toString(1000000000000 + number), 2))),
	toDateTime('2026-11-29 00:00:00') + number, 'orgDedup', 'u', 1, 1 FROM numbers(1000)"
q 1 "$block"
q 2 "$block"
q 1 "$block"
await_equal 2 1
for n in 1 2; do
	log "one 1,000-row block inserted on r1, r2, r1: r$n holds $(q "$n" "SELECT count() FROM tf.audit_logs_local WHERE organization_id = 'orgDedup'") rows, summary $(q "$n" "SELECT sum(count) FROM tf.audit_logs_stats_local WHERE organization_id = 'orgDedup'")"
done
log "insert_deduplication_token on 18.16: $(curl -sS --data-binary "INSERT INTO tf.audit_logs_local FORMAT Values" "http://127.0.0.1:$((BASE + 21))/?insert_deduplication_token=x")"
log "done"
