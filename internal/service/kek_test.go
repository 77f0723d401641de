package service_test

import (
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// A second instance on the same database with another key-encryption key cannot unseal the
// signing key: start-up fails with one message naming TF_KEY_ENCRYPTION_KEY (it used to panic
// in Close on the way out).
func TestSecondInstanceWithAnotherKEKFailsClearly(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			url := dbtest.URL(t, dia)
			first := base64.StdEncoding.EncodeToString(make([]byte, 32))
			apitest.Start(t, dia, apitest.WithEnv("TF_DATABASE_URL", url), apitest.WithEnv("TF_KEY_ENCRYPTION_KEY", first))
			other := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))
			for name, kek := range map[string]string{"explicit other key": other, "generated key file": ""} {
				env := map[string]string{"TF_DATABASE_URL": url, "TF_DATA_DIR": t.TempDir(), "TF_KEY_ENCRYPTION_KEY": kek,
					"TF_BOOTSTRAP_ADMIN_EMAIL": apitest.AdminEmail, "TF_BOOTSTRAP_ADMIN_PASSWORD": apitest.AdminPassword}
				cfg, err := config.Load(nil, func(k string) string { return env[k] })
				if err != nil {
					t.Fatal(err)
				}
				svc, err := service.New(context.Background(), cfg, service.Options{Log: slog.New(slog.DiscardHandler)})
				if err == nil {
					_ = svc.Close()
					t.Fatalf("%s: the second instance started", name)
				}
				if !strings.Contains(err.Error(), "TF_KEY_ENCRYPTION_KEY") || strings.Count(err.Error(), "\n") > 0 {
					t.Fatalf("%s: start-up error %q does not name TF_KEY_ENCRYPTION_KEY on one line", name, err)
				}
				t.Logf("%s: %v", name, err)
			}
		})
	}
}
