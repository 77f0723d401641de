// Package pgreplica starts a real PostgreSQL primary and a streaming replica of it for a test,
// in a temporary directory (docs: ../shared/notes/postgres-replica.md). There is no fallback:
// if the pair cannot start, the test fails and says why.
package pgreplica

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/telemetryflow/core/internal/testutil/testport"
)

// Pair is a primary and its streaming replica, stopped when the test ends.
type Pair struct {
	Primary, Replica *Node
	dir, bin         string
}

// Node is one server.
type Node struct {
	Port int
	data string
	log  string
}

// Start initialises a primary, takes a base backup of it as a hot standby and starts both
// (about five seconds).
func Start(t testing.TB) *Pair {
	t.Helper()
	bin := binDir(t)
	// A short directory: the server's Unix socket lives there, and socket paths are limited to
	// about a hundred bytes (t.TempDir's are longer).
	dir, err := os.MkdirTemp("", "pgrep")
	if err != nil {
		t.Fatal(err)
	}
	p := &Pair{dir: dir, bin: bin,
		Primary: &Node{Port: testport.Reserve(t), data: filepath.Join(dir, "p"), log: filepath.Join(dir, "p.log")},
		Replica: &Node{Port: testport.Reserve(t), data: filepath.Join(dir, "r"), log: filepath.Join(dir, "r.log")}}
	t.Cleanup(func() {
		for _, n := range []*Node{p.Replica, p.Primary} {
			_ = p.ctl(n, "stop", "-m", "immediate")
		}
		_ = os.RemoveAll(dir)
	})
	p.chownToPostgres(t, dir)
	p.run(t, "initdb", "-D", p.Primary.data, "-A", "trust", "-U", "postgres", "--no-sync", "--no-instructions")
	hba, err := os.OpenFile(filepath.Join(p.Primary.data, "pg_hba.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = hba.WriteString("host replication all 127.0.0.1/32 trust\n")
	if cerr := hba.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	p.StartNode(t, p.Primary)
	p.run(t, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Primary.Port), "-U", "postgres", "-D", p.Replica.data, "-R", "--no-sync")
	p.StartNode(t, p.Replica)
	return p
}

// URL is the connection URL of database db on n.
func (n *Node) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", n.Port, db)
}

// Open opens database db on n; it is closed when the test ends.
func (n *Node) Open(t testing.TB, db string) *sql.DB {
	t.Helper()
	d, err := sql.Open("pgx", n.URL(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// StartNode (re)starts a server and waits until it accepts connections.
func (p *Pair) StartNode(t testing.TB, n *Node) {
	t.Helper()
	// fsync off: a test's data need not survive a power cut, and the machine's disk is shared.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB",
		n.Port, p.dir)
	if err := p.ctl(n, "start", "-w", "-t", "60", "-o", opts, "-l", n.log); err != nil {
		t.Fatalf("pgreplica: starting the server on port %d: %v\n%s", n.Port, err, tail(n.log))
	}
}

// StopNode stops a server at once (as a crash would: no shutdown checkpoint).
func (p *Pair) StopNode(t testing.TB, n *Node) {
	t.Helper()
	if err := p.ctl(n, "stop", "-m", "immediate", "-w"); err != nil {
		t.Fatalf("pgreplica: stopping the server on port %d: %v", n.Port, err)
	}
}

// CreateDatabase creates a database on the primary and waits until the replica has it.
func (p *Pair) CreateDatabase(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", p.Primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		t.Fatalf("pgreplica: create database: %v", err)
	}
	p.AwaitReplay(t)
}

// AwaitReplay waits until the replica has replayed everything the primary has written so far.
func (p *Pair) AwaitReplay(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	primary, err := sql.Open("pgx", p.Primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	replica, err := sql.Open("pgx", p.Replica.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	var target string
	if err := primary.QueryRowContext(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&target); err != nil {
		t.Fatalf("pgreplica: primary LSN: %v", err)
	}
	for {
		var done bool
		err := replica.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&done)
		if err == nil && done {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("pgreplica: the replica did not replay %s within 30s (last error %v)\n%s", target, err, tail(p.Replica.log))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *Pair) ctl(n *Node, args ...string) error {
	return p.asPostgres(append([]string{filepath.Join(p.bin, "pg_ctl"), "-D", n.data}, args...)...).Run()
}

func (p *Pair) run(t testing.TB, tool string, args ...string) {
	t.Helper()
	if out, err := p.asPostgres(append([]string{filepath.Join(p.bin, tool)}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("pgreplica: %s: %v\n%s", tool, err, out)
	}
}

// asPostgres runs a server tool as the postgres user when the test runs as root (initdb and
// the server refuse to run as root).
func (p *Pair) asPostgres(args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
	}
	return exec.Command(args[0], args[1:]...)
}

func (p *Pair) chownToPostgres(t testing.TB, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("pgreplica: running as root needs a postgres user to run the servers as: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// binDir finds the newest installed PostgreSQL's server tools.
func binDir(t testing.TB) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_basebackup")); err == nil {
			return dirs[i]
		}
	}
	if path, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(path)
	}
	t.Fatal("pgreplica: no PostgreSQL server tools (initdb, pg_ctl, pg_basebackup): install postgresql")
	return ""
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
