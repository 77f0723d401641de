package service

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/telemetryflow/core/internal/app"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/domain/breached"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/invalidation"
	"github.com/telemetryflow/core/internal/platform/outbox"
	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/store"
)

// appPackage names the IAM application's spans and metrics.
const appPackage = "github.com/telemetryflow/core/internal/app"

// iamParts is the IAM management area: the HTTP operations and the event dispatcher whose
// poller Run starts.
type iamParts struct {
	api        *httpapi.IAMAPI
	dispatcher *outbox.Dispatcher
}

// buildIAM wires store → outbox dispatcher → application → HTTP area. Committed events reach
// the caches synchronously, inside the request that made the change, so the very next request
// sees it.
func buildIAM(cfg *config.Config, st *store.Store, sec *kekSecrets, hasher *argon2.Hasher, rec audit.Recorder, reads audit.Reads, log *slog.Logger,
	caches invalidation.Target, callers port.Access, now func() time.Time, afterCommit func([]event.Envelope)) (*iamParts, error) {
	d, err := outbox.New(outbox.Config{Store: st.Outbox(), Log: log, Now: now})
	if err != nil {
		return nil, err
	}
	// The table of what each event makes stale is authz's (authz.Invalidation).
	d.Subscribe("cache_invalidation", outbox.Once(authz.Invalidation{Target: caches}, 0))
	// Commands' DATA audit rows travel in the outbox with their change (docs/audit.md).
	d.Subscribe("audit", outbox.Once(audit.OutboxSubscriber{Recorder: rec}, 0))
	publish := d.Publish
	if afterCommit != nil {
		publish = func(ctx context.Context, events []event.Envelope) {
			afterCommit(events)
			d.Publish(ctx, events)
		}
	}
	st.SetAfterCommit(publish)
	a, err := app.New(app.Config{UoW: st, Read: st, Hasher: hasher, Now: now, Callers: callers, Sessions: st.SessionList(), Factors: st.MFA(), ClientSecretKey: sec.clientSecret, Keys: sec.apiKeys,
		Policy:  passwordPolicy(cfg),
		Observe: decorator.Observer{Log: log, Audit: rec, Reads: reads, Tracer: telemetry.Tracer(appPackage), Meter: otel.GetMeterProvider().Meter(appPackage)}})
	if err != nil {
		return nil, err
	}
	return &iamParts{api: httpapi.NewIAMAPI(a), dispatcher: d}, nil
}

// passwordPolicy is the one password policy of every place a password is set: the configured
// lengths and the bundled list of common breached passwords.
func passwordPolicy(cfg *config.Config) iam.PasswordPolicy {
	return iam.PasswordPolicy{Min: cfg.Auth.PasswordMinLength, Max: cfg.Auth.PasswordMaxLength, Common: breached.Common()}
}
