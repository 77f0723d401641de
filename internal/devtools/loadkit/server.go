// Package loadkit is what the load and benchmark devtools share: building and starting the real
// service (and the bare comparison server) as child processes, a lean keep-alive HTTP/1.1 client,
// latency histograms and process samples from /proc. Nothing here is part of the service.
package loadkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the scratch PostgreSQL database
)

// AdminEmail and AdminPassword bootstrap the super administrator the tools log in as.
const (
	AdminEmail    = "admin@telemetryflow.local"
	AdminPassword = "load-tool-admin-9f2c4e71"
)

// Build compiles pkg (an import path under this module, e.g. ./cmd/telemetryflow) into dir.
func Build(ctx context.Context, pkg, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w", pkg, err)
	}
	return out, nil
}

// FreeAddr is a loopback address with a port nobody listens on right now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Process is a started child server.
type Process struct {
	Addr string
	cmd  *exec.Cmd
	done chan error
	log  *os.File
}

// Pid is the child's process id (its /proc entry is what Sample reads).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Start runs bin with args and env, its output appended to logPath, and waits until GET ready
// answers 200 (or the child exits, or ctx ends).
func Start(ctx context.Context, bin string, args, env []string, addr, logPath, ready string) (*Process, error) {
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	p := &Process{Addr: addr, cmd: cmd, done: make(chan error, 1), log: lf}
	go func() { p.done <- cmd.Wait() }()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		select {
		case err := <-p.done:
			lf.Close()
			return nil, fmt.Errorf("%s exited before it was ready (%v); see %s", filepath.Base(bin), err, logPath)
		case <-ctx.Done():
			p.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get("http://" + addr + ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("%s not ready after 3 minutes; see %s", filepath.Base(bin), logPath)
		}
	}
}

// Stop asks the child to shut down gracefully (SIGINT), and kills it after 30 s.
func (p *Process) Stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.log.Close()
}

// ServiceEnv is the environment of the real service for a tool run: production defaults (info
// access log, audit of every read, default argon2id cost) except the listen address, the data
// directory and the bootstrap administrator; pgURL selects PostgreSQL instead of the embedded
// SQLite. extra is appended (later entries win).
func ServiceEnv(addr, dataDir, pgURL string, extra ...string) []string {
	env := []string{
		"TF_HTTP_ADDR=" + addr,
		"TF_DATA_DIR=" + dataDir,
		"TF_BOOTSTRAP_ADMIN_EMAIL=" + AdminEmail,
		"TF_BOOTSTRAP_ADMIN_PASSWORD=" + AdminPassword,
		"TF_DATABASE_URL=" + pgURL,
	}
	return append(env, extra...)
}

// ScratchPostgres creates an empty database on the PostgreSQL server at baseURL (a URL of an
// existing database, e.g. postgres://postgres@127.0.0.1:5432/postgres) and returns its URL and
// a function that drops it.
func ScratchPostgres(ctx context.Context, baseURL string) (string, func(), error) {
	db, err := sql.Open("pgx", baseURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("tf_load_%d", time.Now().UnixNano())
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	i := strings.LastIndex(baseURL, "/")
	q := ""
	if j := strings.Index(baseURL[i:], "?"); j >= 0 {
		q = baseURL[i+j:]
	}
	if i < len("postgres://") {
		db.Close()
		return "", nil, errors.New("the PostgreSQL URL must name a database")
	}
	drop := func() {
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	}
	return baseURL[:i+1] + name + q, drop, nil
}

// Session is a started service with a connection signed in as the bootstrap administrator.
type Session struct {
	Service *Process
	Conn    *Conn
	Admin   Tokens
}

// Close ends the connection and stops the service.
func (s *Session) Close() {
	s.Conn.Close()
	s.Service.Stop()
}

// StartSignedIn starts the service binary on addr (data under work, PostgreSQL when dbURL is
// set, extra TF_* settings), waits until it is ready and signs in as the administrator: what
// every load tool does before it measures.
func StartSignedIn(ctx context.Context, bin, addr, work, dbURL string, extra ...string) (*Session, error) {
	svc, err := Start(ctx, bin, []string{"serve"}, ServiceEnv(addr, filepath.Join(work, "data"), dbURL, extra...),
		addr, filepath.Join(work, "service.log"), "/health/ready")
	if err != nil {
		return nil, err
	}
	c, err := Dial(addr)
	if err != nil {
		svc.Stop()
		return nil, err
	}
	admin, err := Login(c, "", AdminEmail, AdminPassword)
	if err != nil {
		c.Close()
		svc.Stop()
		return nil, err
	}
	return &Session{Service: svc, Conn: c, Admin: admin}, nil
}
