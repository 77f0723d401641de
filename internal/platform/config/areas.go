package config

import (
	"errors"
	"net/mail"
	"net/netip"
	"strings"
	"time"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// HTTP is the listener.
type HTTP struct {
	Addr        string
	TLSCertFile string
	TLSKeyFile  string
	// ShutdownTimeout bounds the graceful drain on SIGTERM.
	ShutdownTimeout time.Duration
	// MaxBodyBytes caps every request body (public operations get a much lower cap).
	MaxBodyBytes int
	// MetricsAddr, when set, serves /metrics on a listener of its own instead of the API port.
	MetricsAddr string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For / Forwarded name the client.
	TrustedProxies []netip.Prefix
	// PublicURL is where clients reach this service: the OAuth2 endpoints of the discovery
	// documents, and the audience of private_key_jwt assertions.
	PublicURL string
}

func (h *HTTP) settings() []setting {
	return []setting{
		{env: "TF_HTTP_ADDR", def: ":3000", usage: "listen address", parse: hostPort(&h.Addr, false)},
		{env: "TF_TLS_CERT_FILE", usage: "PEM certificate; enables HTTPS with TF_TLS_KEY_FILE", parse: str(&h.TLSCertFile)},
		{env: "TF_TLS_KEY_FILE", usage: "PEM private key for TF_TLS_CERT_FILE", parse: str(&h.TLSKeyFile)},
		{env: "TF_SHUTDOWN_TIMEOUT", def: "20s", usage: "graceful shutdown limit", parse: duration(&h.ShutdownTimeout, time.Second, 10*time.Minute)},
		{env: "TF_HTTP_MAX_BODY_BYTES", def: "1048576", usage: "cap on a request body in bytes (larger bodies get 413; public auth operations are capped at 16 KiB or this, if lower)",
			parse: integer(&h.MaxBodyBytes, 1024, 64<<20)},
		{env: "TF_METRICS_ADDR", usage: "serve /metrics on this address (e.g. 127.0.0.1:9464) and not on the API port; empty = on the API port",
			parse: hostPort(&h.MetricsAddr, true)},
		{env: "TF_PUBLIC_URL", def: "http://localhost:3000", usage: "absolute URL clients reach this service at (OAuth2 discovery endpoints, audience of private_key_jwt assertions)", parse: absoluteURL(&h.PublicURL)},
		{env: "TF_TRUSTED_PROXIES", usage: "comma-separated CIDRs (or addresses) of reverse proxies whose X-Forwarded-For/Forwarded name the client; empty = the TCP peer is the client", parse: prefixes(&h.TrustedProxies)},
	}
}

// Database selects the IAM store.
type Database struct {
	// URL empty means embedded SQLite in DataDir.
	URL     string
	DataDir string
	// ReadURLs are PostgreSQL streaming replicas of URL that serve queries (docs/scaling.md).
	ReadURLs []string
	// MaxReplicaLag takes a replica further behind out of rotation.
	MaxReplicaLag time.Duration
}

func (d *Database) settings() []setting {
	return []setting{
		{env: "TF_DATABASE_URL", usage: "empty = embedded SQLite in TF_DATA_DIR; postgres://... = PostgreSQL", secret: true, parse: func(v string) error {
			v = strings.TrimSpace(v)
			if v != "" && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") && !strings.HasPrefix(v, "sqlite:") {
				return errors.New("must be empty, postgres://... or sqlite:<file>")
			}
			d.URL = v
			return nil
		}},
		{env: "TF_DATA_DIR", def: "./data", usage: "directory for the embedded database, keys and the audit spool", parse: required(&d.DataDir)},
		{env: "TF_DATABASE_READ_URLS", usage: "comma-separated postgres://... URLs of streaming replicas of TF_DATABASE_URL that serve queries; empty = every read on the primary",
			secret: true, parse: postgresURLs(&d.ReadURLs)},
		{env: "TF_DATABASE_MAX_REPLICA_LAG", def: "5s", usage: "a read replica further behind the primary leaves rotation (its reads go to the primary)",
			parse: duration(&d.MaxReplicaLag, 100*time.Millisecond, time.Hour)},
	}
}

func postgresURLs(dst *[]string) func(string) error {
	return func(v string) error {
		*dst = nil
		for _, u := range strings.Split(v, ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
				return errors.New("must be comma-separated postgres://... URLs")
			}
			*dst = append(*dst, u)
		}
		return nil
	}
}

// Embedded reports whether IAM data lives in the embedded SQLite file.
func (d Database) Embedded() bool { return d.URL == "" || strings.HasPrefix(d.URL, "sqlite:") }

// ClickHouse selects the audit store; an empty Addr keeps audit in the SQL database.
type ClickHouse struct {
	Addr     string
	Database string
	User     string
	Password string
	// Cluster names a cluster of Addr's <remote_servers>: the audit store is then sharded over
	// it (Distributed tables over per-shard tables); empty = the single-node schema.
	Cluster string
}

func (c *ClickHouse) settings() []setting {
	return []setting{
		{env: "TF_CLICKHOUSE_ADDR", usage: "host:9000 native protocol; empty = audit in the SQL database", parse: hostPort(&c.Addr, true)},
		{env: "TF_CLICKHOUSE_DATABASE", def: "telemetryflow", usage: "ClickHouse database", parse: identifier(&c.Database)},
		{env: "TF_CLICKHOUSE_USER", def: "default", usage: "ClickHouse user", parse: str(&c.User)},
		{env: "TF_CLICKHOUSE_PASSWORD", usage: "ClickHouse password", secret: true, parse: str(&c.Password)},
		{env: "TF_CLICKHOUSE_CLUSTER", usage: "cluster name (<remote_servers>): shard the audit store over it; empty = single node", parse: func(v string) error {
			if v == "" {
				return nil
			}
			return identifier(&c.Cluster)(v)
		}},
	}
}

// Bootstrap creates the first super administrator on an empty database.
type Bootstrap struct {
	AdminEmail    string
	AdminPassword string // empty: generate one and print it once
}

func (b *Bootstrap) settings() []setting {
	return []setting{
		{env: "TF_BOOTSTRAP_ADMIN_EMAIL", def: "admin@telemetryflow.local", usage: "first super administrator's email", parse: func(v string) error {
			a, err := mail.ParseAddress(v)
			if err != nil || a.Address != v {
				return errors.New("must be a plain email address")
			}
			b.AdminEmail = iam.CanonicalEmail(v)
			return nil
		}},
		{env: "TF_BOOTSTRAP_ADMIN_PASSWORD", usage: "first super administrator's password; empty = generate and print once", secret: true, parse: str(&b.AdminPassword)},
	}
}

// Log controls structured logging.
type Log struct {
	Level  string
	Format string
}

func (l *Log) settings() []setting {
	return []setting{
		{env: "TF_LOG_LEVEL", def: "info", usage: "debug, info, warn or error", parse: oneOf(&l.Level, "debug", "info", "warn", "error")},
		{env: "TF_LOG_FORMAT", def: "json", usage: "json or text", parse: oneOf(&l.Format, "json", "text")},
	}
}

func identifier(dst *string) func(string) error {
	return func(v string) error {
		if v == "" || strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
			return errors.New("must be letters, digits and underscores")
		}
		*dst = v
		return nil
	}
}

// Redis optionally connects replicas so cache invalidations reach all of them at once.
type Redis struct {
	URL     string
	Channel string
}

func (r *Redis) settings() []setting {
	return []setting{
		{env: "TF_REDIS_URL", usage: "redis://host:6379/0 to broadcast cache invalidations and share the login rate limit between replicas; empty = single instance", secret: true, parse: func(v string) error {
			if v != "" && !strings.HasPrefix(v, "redis://") && !strings.HasPrefix(v, "rediss://") {
				return errors.New("must be redis://... or rediss://...")
			}
			r.URL = v
			return nil
		}},
		{env: "TF_REDIS_CHANNEL", def: "telemetryflow:invalidate", usage: "pub/sub channel for cache invalidations", parse: required(&r.Channel)},
	}
}
