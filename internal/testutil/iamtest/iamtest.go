// Package iamtest builds the IAM store and application on a real, migrated and seeded
// database for tests below the HTTP layer, and puts callers into contexts the way the
// security handler does.
package iamtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/store/storetest"
)

// AdminEmail is the seeded super administrator.
const AdminEmail = "root@example.com"

// FakeHasher "hashes" without argon2id's cost; the store never looks inside a hash.
type FakeHasher struct{}

// Hash returns a recognisable non-secret stand-in.
func (FakeHasher) Hash(_ context.Context, pw string) (string, error) {
	return "$fake$" + uuid.NewSHA1(uuid.NameSpaceOID, []byte(pw)).String(), nil
}

// Env is a seeded store with the application on top.
type Env struct {
	DB    *storetest.DB
	Store *store.Store
	App   *app.Application
	// Events collects every event published after commit, in order.
	Events *Recorder
	// Audit collects every audit event the decorators recorded.
	Audit *AuditLog

	AdminID        uuid.UUID
	DefaultOrg     uuid.UUID
	DefaultTenant  uuid.UUID
	DefaultRegion  uuid.UUID
	DemoOrg        uuid.UUID
	SystemRoles    map[string]uuid.UUID
	SuperAdminRole uuid.UUID
}

// Cursors is a page-cursor codec with a fixed test key.
func Cursors(t testing.TB) *pagecursor.Codec { return storetest.Cursors(t) }

// New seeds db and builds the store and application.
func New(t testing.TB, raw *sqldb.DB) *Env {
	t.Helper()
	ctx := context.Background()
	db := storetest.Wrap(raw)
	res, err := seed.Run(ctx, db.Ent, seed.Config{AdminEmail: AdminEmail, AdminPassword: "seeded-password", Hasher: FakeHasher{}})
	if err != nil {
		t.Fatalf("iamtest: seed: %v", err)
	}
	seeded, err := db.Seeded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{DB: db, AdminID: res.AdminID, Audit: &AuditLog{}, SystemRoles: seeded.SystemRoles,
		DefaultOrg: seeded.DefaultOrg, DefaultTenant: seeded.DefaultTenant, DefaultRegion: seeded.DefaultRegion, DemoOrg: seeded.DemoOrg}
	// As in production, committed commands' DATA rows reach the audit log through the outbox.
	e.Events = &Recorder{audit: audit.OutboxSubscriber{Recorder: e.Audit}}
	e.Store, err = store.New(store.Config{Client: db.Ent, Dialect: db.Dialect, Cursors: Cursors(t), AfterCommit: e.Events.Publish})
	if err != nil {
		t.Fatal(err)
	}
	e.App, err = app.New(app.Config{UoW: e.Store, Read: e.Store, Hasher: FakeHasher{}, Sessions: e.Store.SessionList(),
		Policy: iam.PasswordPolicy{Min: 12, Max: 128}, Observe: decorator.Observer{Audit: e.Audit}})
	if err != nil {
		t.Fatal(err)
	}
	e.SuperAdminRole = e.SystemRoles[rbac.RoleSuperAdministrator]
	return e
}

// As returns a context whose caller is the user id (as the security handler would set it).
func As(id uuid.UUID) context.Context {
	return principal.With(context.Background(), &principal.Principal{UserID: id, SessionID: uuid.New()})
}

// Admin is a context of the seeded super administrator.
func (e *Env) Admin() context.Context { return As(e.AdminID) }

// Recorder is a publisher that remembers domain events and hands commands' audit rows
// (event.CommandAudited) to the audit subscriber.
type Recorder struct {
	mu     sync.Mutex
	events []event.Envelope
	audit  audit.OutboxSubscriber
}

// Publish records events (store.Publisher).
func (r *Recorder) Publish(ctx context.Context, events []event.Envelope) {
	r.lock()
	defer r.unlock()
	for _, e := range events {
		if _, ok := e.Event.(event.CommandAudited); ok {
			_ = r.audit.Handle(ctx, e)
			continue
		}
		r.events = append(r.events, e)
	}
}

// Names lists the names of the recorded events since mark.
func (r *Recorder) Names(mark int) []string {
	r.lock()
	defer r.unlock()
	var out []string
	for _, e := range r.events[min(mark, len(r.events)):] {
		out = append(out, e.Event.Meta().Name)
	}
	return out
}

// Mark is the current position, for Names.
func (r *Recorder) Mark() int {
	r.lock()
	defer r.unlock()
	return len(r.events)
}

// Last returns the last recorded event.
func (r *Recorder) Last() event.Event {
	r.lock()
	defer r.unlock()
	if len(r.events) == 0 {
		return nil
	}
	return r.events[len(r.events)-1].Event
}

func (r *Recorder) lock()   { r.mu.Lock() }
func (r *Recorder) unlock() { r.mu.Unlock() }

// AuditLog is an audit.Recorder that keeps events in memory.
type AuditLog struct {
	mu   sync.Mutex
	rows []audit.Event
}

// Record implements audit.Recorder.
func (a *AuditLog) Record(_ context.Context, e audit.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rows = append(a.rows, e)
	return nil
}

// Rows returns a copy of what was recorded.
func (a *AuditLog) Rows() []audit.Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]audit.Event(nil), a.rows...)
}

// Now is a fixed clock base for tests that need one.
var Now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
