/*
 * Runs ClickHouse (the engine inside chDB's libchdb.so) as a local server:
 * clickhouse-local can open TCP/HTTP listeners via SYSTEM START LISTEN. Use
 * scripts/clickhouse.sh rather than calling this directly; see
 * docs/clickhouse-dev-server.md.
 *
 * usage: chserver-launcher [DATA_DIR [TCP_PORT [HTTP_PORT]]]
 * env fallbacks: TF_CLICKHOUSE_DATA_DIR, TF_CLICKHOUSE_TCP_PORT (19000),
 * TF_CLICKHOUSE_HTTP_PORT (18123); TF_CLICKHOUSE_LOG_FILE enables the server
 * log at TF_CLICKHOUSE_LOG_LEVEL. The default is error because at warning this
 * build logs "BackgroundSchedulePool: Temporarily pause scheduling" every few
 * seconds, even when idle. TF_CLICKHOUSE_CONFIG_FILE, if set, is passed as
 * --config-file (a local cluster: <remote_servers>, and <path> set to DATA_DIR).
 *
 * Why a pseudo-terminal on stdin and --interactive: clickhouse-local run
 * non-interactively installs Poco's KillingErrorHandler, which calls
 * std::terminate for any exception that leaves a connection thread. The native
 * protocol handler lets a read error escape when a client resets a connection
 * between queries or during the handshake (e.g. a client SIGKILLed before it
 * read the end of an answer), so one such client aborted the whole server.
 * clickhouse-server instead logs those exceptions and drops the connection.
 * clickhouse-local skips KillingErrorHandler only when it is interactive, and
 * it is interactive only when stdin is a terminal. With --interactive, it runs
 * the --query statements and then waits at its prompt, reading the terminal,
 * which nobody writes to: that wait keeps the process serving.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct chdb_result;
struct chdb_result *chdb_query_cmdline(int argc, char **argv);
const char *chdb_result_error(struct chdb_result *r);

static const char *opt(int argc, char **argv, int i, const char *env, const char *def) {
	const char *v = i < argc ? argv[i] : getenv(env);
	return v && *v ? v : def;
}

/* Makes a new pseudo-terminal's slave our stdin. The master stays open (and is
 * never written) for the life of the process: closing it would hang up the
 * slave, and clickhouse-local would see end of input and exit. O_NOCTTY keeps
 * it from becoming a controlling terminal, so no SIGHUP or job control. */
static int terminal_stdin(void) {
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
		perror("chserver: pseudo-terminal");
		return -1;
	}
	const char *name = ptsname(m);
	int s = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (s < 0 || dup2(s, STDIN_FILENO) < 0) {
		perror("chserver: pseudo-terminal slave");
		return -1;
	}
	if (s != STDIN_FILENO)
		close(s);
	return 0;
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
	if (terminal_stdin() != 0)
		return 1;
	/* A dumb terminal keeps the prompt's escape sequences out of the log. */
	setenv("TERM", "dumb", 1);
	const char *config = opt(0, NULL, 0, "TF_CLICKHOUSE_CONFIG_FILE", NULL);
	char a[6][4096];
	snprintf(a[0], sizeof a[0], "--path=%s", dir);
	snprintf(a[1], sizeof a[1], "--tcp_port=%s", tcp);
	snprintf(a[2], sizeof a[2], "--http_port=%s", http);
	snprintf(a[3], sizeof a[3], "--logger.log=%s", log ? log : "");
	snprintf(a[4], sizeof a[4], "--log-level=%s", level);
	snprintf(a[5], sizeof a[5], "--config-file=%s", config ? config : "");
	/* chdb treats argv[0] as the program name and ignores it, like main().
	 * The prompt must not read suggestions, render progress on the terminal
	 * or write a history file into $HOME. */
	char *args[16] = {"clickhouse", "--interactive", "--multiquery", a[0], "--listen_host=127.0.0.1", a[1], a[2],
			  "--disable_suggestion", "--progress=off", "--progress-table=off", "--history_file=/dev/null",
			  "--query=SYSTEM START LISTEN TCP; SYSTEM START LISTEN HTTP"};
	int n = 12;
	if (config)
		args[n++] = a[5];
	if (log) { /* without a log file, skip the logger options */
		args[n++] = a[3];
		args[n++] = a[4];
	}
	args[n] = NULL;
	struct chdb_result *r = chdb_query_cmdline(n, args);
	const char *err = r ? chdb_result_error(r) : "chdb_query_cmdline returned NULL";
	/* Interactive mode prints query errors such as "Address already in use"
	 * and then waits at the prompt instead of returning, so
	 * scripts/clickhouse.sh checks that the listeners are this process's.
	 * Any return at all means the server is gone. */
	fprintf(stderr, "chserver: ClickHouse server exited: %s\n",
		err ? err : "(no error from chdb; see messages above)");
	return 1;
}
