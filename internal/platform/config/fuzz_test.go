package config_test

import (
	"errors"
	"testing"

	"github.com/telemetryflow/core/internal/platform/config"
)

// Any environment either loads or yields a list of problems; nothing panics.
func FuzzLoad(f *testing.F) {
	f.Add(":3000", "15m", "5", "postgres://u@h/db", "info")
	f.Add("", "", "", "", "")
	f.Add("host:99999", "-1s", "x", "sqlite:", "LOUD")
	f.Fuzz(func(t *testing.T, addr, ttl, threshold, dbURL, level string) {
		env := map[string]string{"TF_HTTP_ADDR": addr, "TF_ACCESS_TOKEN_TTL": ttl, "TF_LOCKOUT_THRESHOLD": threshold,
			"TF_DATABASE_URL": dbURL, "TF_LOG_LEVEL": level}
		c, err := config.Load(nil, func(k string) string { return env[k] })
		var p config.Problems
		switch {
		case err == nil && c == nil:
			t.Fatal("no config and no error")
		case err != nil && !errors.As(err, &p):
			t.Fatalf("error is not a problem list: %v", err)
		case err == nil && c.Auth.LockoutThreshold < 1:
			t.Fatalf("accepted threshold %q", threshold)
		}
	})
}
