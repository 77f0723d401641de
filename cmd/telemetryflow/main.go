// Command telemetryflow runs TelemetryFlow Core: `serve` (the default), `migrate up|status`,
// `version`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/platform/version"
	"github.com/telemetryflow/core/internal/service"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usage = `Usage: telemetryflow <command> [flags]

Commands:
  serve            run the service (default)
  migrate up       apply pending database migrations
  migrate status   show applied and pending migrations
  keys rotate      retire the signing key and start signing with a new one
  version          print the version
  healthcheck      exit 0 when the local server answers /health/ready (for container probes)
  help             show this help and every setting

Settings come from TF_* environment variables or flags of the same name. Telemetry export
follows the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT enables OTLP export, over
HTTP/protobuf by default or gRPC with OTEL_EXPORTER_OTLP_PROTOCOL=grpc).
`

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "version":
		_ = json.NewEncoder(stdout).Encode(version.Get())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage+"\nSettings:\n")
		config.Usage(stdout)
		return 0
	case "serve":
		return withConfig(args, getenv, stderr, func(cfg *config.Config, log *slog.Logger) error {
			return serve(ctx, cfg, log, stderr)
		})
	case "healthcheck":
		return withConfig(args, getenv, stderr, func(cfg *config.Config, _ *slog.Logger) error {
			return healthcheck(ctx, cfg)
		})
	case "migrate":
		sub := "up"
		if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
			sub, args = args[0], args[1:]
		}
		return withConfig(args, getenv, stderr, func(cfg *config.Config, log *slog.Logger) error {
			return migrateCmd(ctx, sub, cfg, log, stdout)
		})
	case "keys":
		if len(args) == 0 || args[0] != "rotate" {
			fmt.Fprintln(stderr, "usage: telemetryflow keys rotate")
			return 2
		}
		return withConfig(args[1:], getenv, stderr, func(cfg *config.Config, log *slog.Logger) error {
			kid, err := service.RotateSigningKey(ctx, cfg, log)
			if err == nil {
				fmt.Fprintf(stdout, "new signing key: %s\n", kid)
			}
			return err
		})
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

func withConfig(args []string, getenv func(string) string, stderr io.Writer, f func(*config.Config, *slog.Logger) error) int {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := logging.New(stderr, cfg.Log.Level, cfg.Log.Format)
	if err := f(cfg, log); err != nil {
		log.Error("fatal", "error", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, announce io.Writer) error {
	tel, err := telemetry.New(ctx, telemetry.Config{ServiceVersion: version.Version})
	if err != nil {
		return err
	}
	tel.Install(log)
	defer func() {
		// Flush what is buffered; a collector that is gone must not hold up the exit for long.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(sctx); err != nil {
			log.Warn("telemetry flush incomplete", "error", err)
		}
	}()
	log.Info("telemetry", "traces_exporter", tel.TracesExporter, "traces_protocol", tel.TracesProtocol,
		"metrics_exporter", tel.MetricsExporter, "metrics_protocol", tel.MetricsProtocol)
	svc, err := service.New(ctx, cfg, service.Options{Log: log, Announce: announce, MetricsListening: func(addr net.Addr) {
		log.Info("metrics listening", "addr", addr.String())
	}})
	if err != nil {
		return err
	}
	defer func() { _ = svc.Close() }()
	err = svc.Run(ctx, func(addr net.Addr) {
		log.Info("listening", "addr", addr.String(), "version", version.Version, "tls", cfg.HTTP.TLSCertFile != "")
	})
	log.Info("stopped")
	return err
}

func migrateCmd(ctx context.Context, sub string, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	db, err := sqldb.Open(ctx, sqldb.Config{URL: cfg.Database.URL, DataDir: cfg.Database.DataDir})
	if err != nil {
		return err
	}
	defer db.Close()
	runner, err := sqlmigrate.New(db.SQL, db.Dialect, log)
	if err != nil {
		return err
	}
	switch sub {
	case "up":
		applied, err := runner.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: applied %d migration(s)\n", db.Location, len(applied))
	case "status":
		st, err := runner.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s (%s)\ncurrent: %s\napplied: %d\npending: %d %v\n",
			db.Location, db.Dialect, orNone(st.Current), st.Applied, len(st.Pending), st.Pending)
	default:
		return errors.New("migrate takes up or status")
	}
	if cfg.ClickHouse.Addr == "" {
		return nil
	}
	return migrateClickHouse(ctx, sub, cfg, log, stdout)
}

// migrateClickHouse applies (or reports) the audit store's ClickHouse migrations.
func migrateClickHouse(ctx context.Context, sub string, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	if sub == "up" && cfg.ClickHouse.Cluster != "" {
		applied, err := service.MigrateClickHouseCluster(ctx, cfg, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "clickhouse cluster %s: applied %d migration(s) over its nodes %v\n", cfg.ClickHouse.Cluster, len(applied), applied)
		return nil
	}
	runner, closeCH, err := service.ClickHouseMigrations(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeCH()
	where := cfg.ClickHouse.Addr + "/" + cfg.ClickHouse.Database
	if sub == "up" {
		applied, err := runner.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "clickhouse %s: applied %d migration(s), retention %d days\n", where, len(applied), cfg.Audit.RetentionDays)
		return nil
	}
	st, err := runner.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "clickhouse %s\ncurrent: %s\napplied: %d\npending: %d %v\n",
		where, orNone(st.Current), st.Applied, len(st.Pending), st.Pending)
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
