// Package chdb opens connections to the ClickHouse audit store (native protocol, ch-go).
package chdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
	"go.opentelemetry.io/otel"
)

// Config locates the server and the database.
type Config struct {
	Addr     string
	Database string
	User     string
	Password string
	// MaxConns bounds the pool (default 8: one inserter plus concurrent queries).
	MaxConns int32
}

// Doer runs one query; *chpool.Pool and *ch.Client both are.
type Doer interface {
	Do(ctx context.Context, q ch.Query) error
}

// readTimeout is the longest gap between two packets from the server. ClickHouse sends
// progress packets during long queries, so this bounds a dead connection, not a slow query.
const readTimeout = 60 * time.Second

func (c Config) options(database string) ch.Options {
	return ch.Options{
		Address: c.Addr, Database: database, User: c.User, Password: c.Password,
		ClientName: "telemetryflow-core",
		// LZ4 costs little CPU and cuts the bytes of every audit batch on the wire several
		// times over (ids, repeated emails, user agents).
		Compression: ch.CompressionLZ4,
		ReadTimeout: readTimeout, DialTimeout: 5 * time.Second,
		TracerProvider: otel.GetTracerProvider(), MeterProvider: otel.GetMeterProvider(),
	}
}

// Open creates the database if needed and returns a pool on it. It fails when the server
// cannot be reached: the schema must be applied before the service starts.
func Open(ctx context.Context, cfg Config) (*chpool.Pool, error) {
	if cfg.Addr == "" || cfg.Database == "" {
		return nil, errors.New("clickhouse: address and database are required")
	}
	if strings.Trim(cfg.Database, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return nil, fmt.Errorf("clickhouse: database name %q must be letters, digits and underscores", cfg.Database)
	}
	admin, err := ch.Dial(ctx, cfg.options("default"))
	if err != nil {
		return nil, fmt.Errorf("clickhouse at %s: %w", cfg.Addr, err)
	}
	// The name was checked above: an identifier cannot be a query parameter.
	err = admin.Do(ctx, ch.Query{Body: "CREATE DATABASE IF NOT EXISTS `" + cfg.Database + "`"})
	_ = admin.Close()
	if err != nil {
		return nil, fmt.Errorf("clickhouse: create database %s: %w", cfg.Database, err)
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 8
	}
	pool, err := chpool.Dial(ctx, chpool.Options{
		ClientOptions: cfg.options(cfg.Database), MaxConns: cfg.MaxConns,
		MaxConnIdleTime: 5 * time.Minute, HealthCheckPeriod: 30 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("clickhouse at %s: %w", cfg.Addr, err)
	}
	return pool, nil
}
