/*
 * Runs ClickHouse (the engine inside chDB's libchdb.so) as a local server:
 * clickhouse-local can open TCP/HTTP listeners via SYSTEM START LISTEN, and a
 * never-ending query keeps the process alive to serve them. Use
 * scripts/clickhouse.sh rather than calling this directly.
 *
 * usage: chserver-launcher [DATA_DIR [TCP_PORT [HTTP_PORT]]]
 * env fallbacks: TF_CLICKHOUSE_DATA_DIR, TF_CLICKHOUSE_TCP_PORT (19000),
 * TF_CLICKHOUSE_HTTP_PORT (18123); TF_CLICKHOUSE_LOG_FILE enables the server
 * log at TF_CLICKHOUSE_LOG_LEVEL. The default is error because at warning this
 * build logs "BackgroundSchedulePool: Temporarily pause scheduling" every few
 * seconds, even when idle.
 */
#include <stdio.h>
#include <stdlib.h>

struct chdb_result;
struct chdb_result *chdb_query_cmdline(int argc, char **argv);
const char *chdb_result_error(struct chdb_result *r);

static const char *opt(int argc, char **argv, int i, const char *env, const char *def) {
	const char *v = i < argc ? argv[i] : getenv(env);
	return v && *v ? v : def;
}

int main(int argc, char **argv) {
	const char *dir = opt(argc, argv, 1, "TF_CLICKHOUSE_DATA_DIR", NULL);
	const char *tcp = opt(argc, argv, 2, "TF_CLICKHOUSE_TCP_PORT", "19000");
	const char *http = opt(argc, argv, 3, "TF_CLICKHOUSE_HTTP_PORT", "18123");
	const char *log = opt(0, NULL, 0, "TF_CLICKHOUSE_LOG_FILE", NULL);
	const char *level = opt(0, NULL, 0, "TF_CLICKHOUSE_LOG_LEVEL", "error");
	if (!dir || atoi(tcp) <= 0 || atoi(http) <= 0) {
		fprintf(stderr, "usage: %s DATA_DIR [TCP_PORT [HTTP_PORT]]\n", argv[0]);
		return 2;
	}
	char a[5][4096];
	snprintf(a[0], sizeof a[0], "--path=%s", dir);
	snprintf(a[1], sizeof a[1], "--tcp_port=%s", tcp);
	snprintf(a[2], sizeof a[2], "--http_port=%s", http);
	snprintf(a[3], sizeof a[3], "--logger.log=%s", log ? log : "");
	snprintf(a[4], sizeof a[4], "--log-level=%s", level);
	/* chdb treats argv[0] as the program name and ignores it, like main(). */
	char *args[] = {"clickhouse", "--multiquery", a[0], "--listen_host=127.0.0.1", a[1], a[2],
			"--function_sleep_max_microseconds_per_block=0",
			"--query=SYSTEM START LISTEN TCP; SYSTEM START LISTEN HTTP; "
			"SELECT sleepEachRow(1) FROM system.numbers SETTINGS max_block_size=1 FORMAT Null",
			a[3], a[4], NULL};
	int n = log ? 10 : 8; /* without a log file, skip the logger options */
	struct chdb_result *r = chdb_query_cmdline(n, args);
	const char *err = r ? chdb_result_error(r) : "chdb_query_cmdline returned NULL";
	/* Query errors such as "Address already in use" are printed by chdb to
	 * stderr but not returned, so any return at all means the server is gone. */
	fprintf(stderr, "chserver: ClickHouse server exited: %s\n",
		err ? err : "(no error from chdb; see messages above)");
	return 1;
}
