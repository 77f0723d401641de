package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"http addr", c.HTTP.Addr, ":3000"},
		{"data dir", c.Database.DataDir, "./data"},
		{"embedded", c.Database.Embedded(), true},
		{"clickhouse off", c.ClickHouse.Addr, ""},
		{"access ttl", c.Auth.AccessTokenTTL, 15 * time.Minute},
		{"refresh ttl", c.Auth.RefreshTokenTTL, 7 * 24 * time.Hour},
		{"session max", c.Auth.SessionMaxAge, 30 * 24 * time.Hour},
		{"argon memory", c.Auth.Argon2MemoryKiB, 19456},
		{"argon iterations", c.Auth.Argon2Iterations, 2},
		{"lockout threshold", c.Auth.LockoutThreshold, 5},
		{"account lockout threshold", c.Auth.AccountLockoutThreshold, 50},
		{"failed auth audit window", c.Auth.FailureAuditWindow, time.Second},
		{"lockout duration", c.Auth.LockoutDuration, 15 * time.Minute},
		{"password min", c.Auth.PasswordMinLength, 12},
		{"retention", c.Audit.RetentionDays, 90},
		// The writer's defaults (auditwriter.Default*) are these settings' defaults, as documented.
		{"audit queue size", c.Audit.QueueSize, 65536},
		{"audit batch size (the store's own)", c.Audit.BatchSize, 0},
		{"audit flush interval", c.Audit.FlushInterval, time.Second},
		{"audit reads", c.Audit.Reads, "all"},
		{"log format", c.Log.Format, "json"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Parallel()
	c, err := config.Load([]string{"--http-addr", "127.0.0.1:8080"}, env(map[string]string{"TF_HTTP_ADDR": ":9999", "TF_LOG_LEVEL": "debug"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:8080" || c.Log.Level != "debug" {
		t.Fatalf("got addr %q level %q", c.HTTP.Addr, c.Log.Level)
	}
}

func TestEachBadValueIsNamed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env, value, want string
	}{
		{"TF_HTTP_ADDR", "3000", "host:port"},
		{"TF_DATABASE_URL", "mysql://x", "postgres://"},
		{"TF_CLICKHOUSE_ADDR", "nohost", "host:port"},
		{"TF_ACCESS_TOKEN_TTL", "soon", "duration"},
		{"TF_ACCESS_TOKEN_TTL", "1s", "between"},
		{"TF_LOCKOUT_THRESHOLD", "0", "between"},
		{"TF_ARGON2_MEMORY_KIB", "1024", "between"},
		{"TF_LOG_LEVEL", "loud", "one of"},
		{"TF_BOOTSTRAP_ADMIN_EMAIL", "not-an-email", "email"},
		{"TF_AUDIT_RETENTION_DAYS", "-1", "between"},
		{"TF_AUDIT_READS", "some", "one of all, sensitive, none"},
		{"TF_CLICKHOUSE_DATABASE", "a;drop", "letters"},
		{"TF_HTTP_MAX_BODY_BYTES", "100", "between"},
		{"TF_HTTP_MAX_BODY_BYTES", "lots", "whole number"},
		{"TF_METRICS_ADDR", "9464", "host:port"},
		{"TF_METRICS_ADDR", ":3000", "differ from TF_HTTP_ADDR"},
		{"TF_TRUSTED_PROXIES", "10.0.0.0/8, 10.0.0.0/33", "CIDR"},
		{"TF_TRUSTED_PROXIES", "proxy.internal", "CIDR"},
		{"TF_TRUSTED_PROXIES", "0.0.0.0/0", "every address"},
		{"TF_TRUSTED_PROXIES", "::/0", "every address"},
	}
	for _, tc := range cases {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(nil, env(map[string]string{tc.env: tc.value}))
			var p config.Problems
			if !errors.As(err, &p) || len(p) != 1 {
				t.Fatalf("want exactly one problem, got %v", err)
			}
			if !strings.HasPrefix(p[0], tc.env+"=") || !strings.Contains(p[0], tc.want) {
				t.Fatalf("problem %q should name %s and say %q", p[0], tc.env, tc.want)
			}
		})
	}
}

func TestAuditReadsSetting(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"all", "sensitive", "none", "NONE"} {
		c, err := config.Load(nil, env(map[string]string{"TF_AUDIT_READS": v}))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if want := strings.ToLower(v); c.Audit.Reads != want {
			t.Errorf("TF_AUDIT_READS=%s: got %q", v, c.Audit.Reads)
		}
	}
	c, err := config.Load([]string{"--audit-reads", "sensitive"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Audit.Reads != "sensitive" {
		t.Fatalf("flag: %q", c.Audit.Reads)
	}
}

func TestAllProblemsReportedTogetherAndSecretsHidden(t *testing.T) {
	t.Parallel()
	_, err := config.Load(nil, env(map[string]string{
		"TF_HTTP_ADDR":     "bad",
		"TF_LOG_FORMAT":    "xml",
		"TF_DATABASE_URL":  "mysql://root:hunter2@db",
		"TF_TLS_CERT_FILE": "cert.pem",
	}))
	var p config.Problems
	if !errors.As(err, &p) || len(p) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatal("a secret setting's value appeared in the error")
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	c, err := config.Load(nil, env(map[string]string{"TF_TRUSTED_PROXIES": " 10.1.2.3/8, 192.0.2.7 ,2001:db8::/32,"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.HTTP.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 2001:db8::/32" {
		t.Fatalf("trusted proxies %v", got)
	}
	if c, _ := config.Load(nil, env(nil)); len(c.HTTP.TrustedProxies) != 0 {
		t.Fatal("no proxy may be trusted by default")
	}
}

func TestAccountLockoutNotBelowAddressLockout(t *testing.T) {
	t.Parallel()
	_, err := config.Load(nil, env(map[string]string{"TF_LOCKOUT_THRESHOLD": "10", "TF_ACCOUNT_LOCKOUT_THRESHOLD": "5"}))
	var p config.Problems
	if !errors.As(err, &p) || len(p) != 1 || !strings.Contains(p[0], "TF_ACCOUNT_LOCKOUT_THRESHOLD") || !strings.Contains(p[0], "TF_LOCKOUT_THRESHOLD") {
		t.Fatalf("want one problem naming both thresholds, got %v", err)
	}
}
