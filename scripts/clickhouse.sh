#!/usr/bin/env bash
# Local ClickHouse server for development and integration tests, without Docker.
#
# The engine comes from chDB's npm package (libchdb.so, ClickHouse 26.7), run by
# tools/chserver/launcher.c. See docs/clickhouse-dev-server.md.
#
# usage: scripts/clickhouse.sh start|stop|status|env
set -euo pipefail

readonly PKG_SPEC='@chdb/lib-linux-x64-gnu@26.7.3-stable.1'
readonly PKG_VERSION="${PKG_SPEC##*@}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${TF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/telemetryflow}/clickhouse"
LIB_DIR="$CACHE_DIR/package"
LAUNCHER_SRC="$REPO_ROOT/tools/chserver/launcher.c"

STATE_DIR="${TF_CLICKHOUSE_STATE_DIR:-$HOME/.cache/telemetryflow/clickhouse-state}"
DATA_DIR="$STATE_DIR/data"
PID_FILE="$STATE_DIR/clickhouse.pid"
LOG_FILE="$STATE_DIR/clickhouse.log"
LOCK_FILE="$STATE_DIR/.lock"

TCP_PORT="${TF_CLICKHOUSE_TCP_PORT:-19000}"
HTTP_PORT="${TF_CLICKHOUSE_HTTP_PORT:-18123}"
START_TIMEOUT="${TF_CLICKHOUSE_START_TIMEOUT:-60}"
STOP_TIMEOUT="${TF_CLICKHOUSE_STOP_TIMEOUT:-30}"

log() { printf 'clickhouse.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

need() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed"
}

# Serialises start/stop so that parallel callers (e.g. several test jobs) do not
# launch two servers on the same data dir.
take_lock() {
	mkdir -p "$STATE_DIR"
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$LOCK_FILE"
		flock -w "$((START_TIMEOUT + STOP_TIMEOUT))" 9 || die "could not lock $LOCK_FILE"
	fi
}

# Version check guards against an old or half-written cache; the extract goes to
# a temp dir and is renamed into place so an interrupted download leaves nothing.
ensure_library() {
	if [[ -s "$LIB_DIR/libchdb.so" ]] && grep -q "\"version\": \"$PKG_VERSION\"" "$LIB_DIR/package.json" 2>/dev/null; then
		return 0
	fi
	[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] ||
		die "$PKG_SPEC is built for Linux x86_64 (glibc) only; use Docker or a remote ClickHouse instead"
	need npm
	need tar
	mkdir -p "$CACHE_DIR"
	DOWNLOAD_TMP="$(mktemp -d "$CACHE_DIR/.download.XXXXXX")"
	trap 'rm -rf "$DOWNLOAD_TMP"' EXIT
	local tmp="$DOWNLOAD_TMP"
	log "downloading $PKG_SPEC (~178 MB, once per machine) into $CACHE_DIR"
	# A throw-away npm cache keeps a second 178 MB copy out of ~/.npm.
	if ! (cd "$tmp" && npm pack --silent --cache "$tmp/npm-cache" "$PKG_SPEC" >pack.log 2>&1); then
		cat "$tmp/pack.log" >&2 || true
		die "npm pack $PKG_SPEC failed"
	fi
	local tgz
	tgz="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)"
	[[ -n "$tgz" ]] || die "npm pack produced no tarball"
	# Only the shared library and its version stamp are needed; the Node.js
	# binding and the tarball would just take disk space.
	tar -xzf "$tgz" -C "$tmp" package/libchdb.so package/package.json || die "could not extract $tgz"
	if [[ ! -s "$tmp/package/libchdb.so" ]] || ! grep -q "\"version\": \"$PKG_VERSION\"" "$tmp/package/package.json"; then
		die "extracted package is incomplete (no libchdb.so or wrong version)"
	fi
	rm -rf "$LIB_DIR"
	mv "$tmp/package" "$LIB_DIR"
	log "installed libchdb.so ($(du -h "$LIB_DIR/libchdb.so" | cut -f1)) in $LIB_DIR"
}

# The binary is named after its source's hash: worktrees and branches share the
# cache, and one with another launcher.c must neither use nor replace the binary
# that servers started from another checkout run.
ensure_launcher() {
	need sha256sum
	LAUNCHER_BIN="$CACHE_DIR/chserver-launcher-$(sha256sum "$LAUNCHER_SRC" | cut -c1-12)"
	if [[ -x "$LAUNCHER_BIN" && "$LAUNCHER_BIN" -nt "$LIB_DIR/libchdb.so" ]]; then
		return 0
	fi
	need gcc
	log "building launcher $LAUNCHER_BIN"
	gcc -O2 -Wall -o "$LAUNCHER_BIN.tmp.$$" "$LAUNCHER_SRC" \
		-L"$LIB_DIR" -lchdb -Wl,-rpath,"$LIB_DIR" || die "launcher build failed"
	mv -f "$LAUNCHER_BIN.tmp.$$" "$LAUNCHER_BIN"
}

read_pid() {
	[[ -f "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE" || true
}

# Checks the executable too, so that a recycled pid of an unrelated process is
# never reused or killed.
pid_alive() {
	local pid="$1"
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
		[[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == *chserver-launcher* ]]
}

tcp_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# owns_port PID PORT: PID holds the socket listening on 127.0.0.1:PORT. The
# socket is found by its inode: /proc/net/tcp lists it, /proc/PID/fd links to it.
owns_port() {
	local inode fd
	inode="$(awk -v want="0100007F:$(printf '%04X' "$2")" '$2 == want && $4 == "0A" {print $10; exit}' /proc/net/tcp)"
	[[ -n "$inode" && "$inode" != 0 ]] || return 1
	for fd in "/proc/$1/fd/"*; do
		[[ "$(readlink "$fd" 2>/dev/null)" == "socket:[$inode]" ]] && return 0
	done
	return 1
}

# The launcher does not exit when a listener fails to start (see
# tools/chserver/launcher.c), so an answer proves nothing until both ports are
# known to be held by our process rather than by another one.
owns_ports() {
	owns_port "$1" "$TCP_PORT" && owns_port "$1" "$HTTP_PORT"
}

answers() {
	[[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$HTTP_PORT/?query=SELECT%201" 2>/dev/null)" == 1 ]] &&
		tcp_open "$TCP_PORT"
}

log_tail() {
	if [[ -s "$LOG_FILE" ]]; then
		log "last lines of $LOG_FILE (this run):"
		# Everything after the last start marker, capped at 40 lines.
		awk '/^=== .* clickhouse.sh start/ {n = 0} {buf[n++] = $0} END {for (i = (n > 40 ? n - 40 : 0); i < n; i++) print buf[i]}' "$LOG_FILE" >&2
	fi
}

wait_until_up() {
	local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
	while ((SECONDS < deadline)); do
		# kill -0, not pid_alive: right after the fork the pid may still be
		# setsid/nohup rather than the launcher.
		if ! kill -0 "$pid" 2>/dev/null; then
			log_tail
			die "ClickHouse (pid $pid) exited during start-up"
		fi
		if answers; then
			owns_ports "$pid" && return 0
			log_tail
			kill -TERM "$pid" 2>/dev/null || true
			local stop_deadline=$((SECONDS + STOP_TIMEOUT))
			while kill -0 "$pid" 2>/dev/null && ((SECONDS < stop_deadline)); do sleep 0.2; done
			rm -f "$PID_FILE"
			die "another process answers on 127.0.0.1:$TCP_PORT or :$HTTP_PORT, not ClickHouse (pid $pid); stop it or set TF_CLICKHOUSE_TCP_PORT/TF_CLICKHOUSE_HTTP_PORT"
		fi
		sleep 0.2
	done
	log_tail
	die "ClickHouse (pid $pid) did not answer on 127.0.0.1:$HTTP_PORT within ${START_TIMEOUT}s; see $LOG_FILE, then run '$0 stop'"
}

cmd_start() {
	need curl
	take_lock
	local pid
	pid="$(read_pid)"
	if pid_alive "$pid"; then
		# Alive but silent means a previous start is still warming up.
		answers || wait_until_up "$pid"
		log "already running (pid $pid, tcp 127.0.0.1:$TCP_PORT, http 127.0.0.1:$HTTP_PORT)"
		return 0
	fi
	rm -f "$PID_FILE"
	local port
	for port in "$TCP_PORT" "$HTTP_PORT"; do
		# A server stopped a moment ago may still be closing its listeners (the launcher exits
		# before the engine it runs has let go of them): give a port a few seconds to free up.
		local free_deadline=$((SECONDS + 10))
		while tcp_open "$port" && ((SECONDS < free_deadline)); do sleep 0.2; done
		tcp_open "$port" && die "port 127.0.0.1:$port is already in use by another process; stop it or set TF_CLICKHOUSE_TCP_PORT/TF_CLICKHOUSE_HTTP_PORT"
	done
	ensure_library
	ensure_launcher
	mkdir -p "$DATA_DIR"
	log "starting ClickHouse (data $DATA_DIR, log $LOG_FILE)"
	# Marks where this run begins, so the tail shown on failure is not an old one.
	echo "=== $(date -u +%FT%TZ) clickhouse.sh start: tcp $TCP_PORT http $HTTP_PORT" >>"$LOG_FILE"
	local t0
	t0="$(date +%s%N)"
	# Started from the state dir because clickhouse-local's default database
	# also exposes files relative to the working directory.
	(
		# The long-lived server must not inherit our lock (fd 9) or a caller's
		# pipe, or `$(clickhouse.sh start)` and CI steps would never see EOF.
		for fd in $(ls "/proc/$BASHPID/fd"); do
			if ((fd > 2)); then exec {fd}>&-; fi
		done
		cd "$STATE_DIR"
		TF_CLICKHOUSE_LOG_FILE="$LOG_FILE" \
			TF_CLICKHOUSE_LOG_LEVEL="${TF_CLICKHOUSE_LOG_LEVEL:-error}" \
			exec setsid nohup "$LAUNCHER_BIN" "$DATA_DIR" "$TCP_PORT" "$HTTP_PORT" \
			>>"$LOG_FILE" 2>&1 </dev/null
	) &
	pid=$!
	echo "$pid" >"$PID_FILE"
	wait_until_up "$pid"
	log "ClickHouse is up after $((($(date +%s%N) - t0) / 1000000)) ms (pid $pid, tcp 127.0.0.1:$TCP_PORT, http 127.0.0.1:$HTTP_PORT)"
}

cmd_stop() {
	take_lock
	local pid
	pid="$(read_pid)"
	if ! pid_alive "$pid"; then
		rm -f "$PID_FILE"
		log "not running"
		return 0
	fi
	log "stopping ClickHouse (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	local deadline=$((SECONDS + STOP_TIMEOUT))
	while pid_alive "$pid" && ((SECONDS < deadline)); do
		sleep 0.2
	done
	if pid_alive "$pid"; then
		log "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		while pid_alive "$pid"; do sleep 0.2; done
	fi
	rm -f "$PID_FILE"
	log "stopped"
}

cmd_status() {
	local pid
	pid="$(read_pid)"
	if ! pid_alive "$pid"; then
		log "not running"
		return 1
	fi
	if ! answers; then
		log "process $pid is alive but does not answer on 127.0.0.1:$HTTP_PORT / :$TCP_PORT"
		return 1
	fi
	if ! owns_ports "$pid"; then
		log "process $pid is alive but another process holds 127.0.0.1:$TCP_PORT or :$HTTP_PORT"
		return 1
	fi
	local version rss
	version="$(curl -fsS --max-time 2 "http://127.0.0.1:$HTTP_PORT/?query=SELECT%20version()" 2>/dev/null || echo '?')"
	rss="$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || echo '?')"
	log "running: ClickHouse $version, pid $pid, tcp 127.0.0.1:$TCP_PORT, http 127.0.0.1:$HTTP_PORT, RSS $rss, data $DATA_DIR"
}

cmd_env() {
	echo "export TF_TEST_CLICKHOUSE_ADDR=127.0.0.1:$TCP_PORT"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
*)
	echo "usage: $0 start|stop|status|env" >&2
	exit 2
	;;
esac
