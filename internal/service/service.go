// Package service is the composition root: it builds every component from the configuration
// and wires them together. Nothing else constructs adapters.
package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/console"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/domain/breached"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/httpobs"
	"github.com/telemetryflow/core/internal/platform/httpserver"
	"github.com/telemetryflow/core/internal/platform/invalidation"
	"github.com/telemetryflow/core/internal/platform/outbox"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/sqlmigrate"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/auditsql"
	"github.com/telemetryflow/core/internal/store/authzstore"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/oas"
)

// Service is a fully wired, not yet serving instance.
type Service struct {
	cfg      *config.Config
	log      *slog.Logger
	db       *sqldb.DB
	handler  http.Handler
	obs      *observability
	closers  []func() error
	auditLog *audit.Log
	audit    *auditPipeline
	keys     *keyring.Manager
	auth     *auth.Service
	decider  *authz.Decider
	redis    *invalidation.Bus
	outbox   *outbox.Dispatcher
	// metrics is /metrics on its own listener (TF_METRICS_ADDR); nil when on the API port.
	metrics      http.Handler
	metricsReady func(net.Addr)
}

// Options are the process-level collaborators that are not configuration.
type Options struct {
	Log *slog.Logger
	// Announce receives one-time secrets meant for the operator (the generated bootstrap password).
	Announce io.Writer
	// Now replaces the clock (tests move time instead of sleeping); nil means time.Now.
	Now func() time.Time
	// Registry receives every metric; nil creates one. Components that export metrics register
	// on it, never on the global default registry.
	Registry *prometheus.Registry
	// MetricsListening, when set, receives the address of the metrics listener once it is open
	// (only with TF_METRICS_ADDR).
	MetricsListening func(net.Addr)
	// AfterCommit, when set, runs after each transaction that emitted events (IAM commands,
	// logins, logouts, ...) commits, with those events, before they (and a command's audit
	// row) are delivered. Fault tests kill the process there.
	AfterCommit func(events []event.Envelope)
}

// New opens the stores, migrates, seeds and builds the HTTP handler.
func New(ctx context.Context, cfg *config.Config, opt Options) (_ *Service, err error) {
	log := opt.Log
	// s is not the named result: a failed start returns nil, and the deferred Close must still
	// release what was opened so far.
	s := &Service{cfg: cfg, log: log, metricsReady: opt.MetricsListening}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	db, err := sqldb.Open(ctx, sqldb.Config{URL: cfg.Database.URL, DataDir: cfg.Database.DataDir})
	if err != nil {
		return nil, err
	}
	s.db = db
	s.closers = append(s.closers, db.Close)
	if db.Embedded() {
		log.Info("embedded mode: IAM data and audit log in SQLite; for production set TF_DATABASE_URL=postgres://... and TF_CLICKHOUSE_ADDR=host:9000",
			"database", db.Location)
	} else {
		log.Info("database connected", "dialect", db.Dialect, "location", db.Location)
		warnIfAutovacuumOff(ctx, db, log)
	}
	migrations, err := Migrate(ctx, db, log)
	if err != nil {
		return nil, err
	}
	obs, err := newObservability(opt.Registry, db, log)
	if err != nil {
		return nil, err
	}
	s.obs = obs
	hasher, err := argon2.New(argon2.Config{
		MemoryKiB: uint32(cfg.Auth.Argon2MemoryKiB), Iterations: uint32(cfg.Auth.Argon2Iterations),
		Parallelism: uint8(cfg.Auth.Argon2Parallelism), Concurrency: cfg.Auth.HashConcurrency,
		QueueTimeout: cfg.Auth.HashQueueTimeout,
	})
	if err != nil {
		return nil, err
	}
	if err := breached.Common().Load(); err != nil {
		return nil, err
	}
	// The generated client over the pool: only the store layer looks inside it.
	ents := store.Open(db)
	res, err := seed.Run(ctx, ents, seed.Config{
		AdminEmail: cfg.Bootstrap.AdminEmail, AdminPassword: cfg.Bootstrap.AdminPassword, Policy: passwordPolicy(cfg),
		Hasher: hasher, Announce: opt.Announce, GeneratePassword: argon2.Generate,
	})
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if res.AdminCreated {
		log.Info("bootstrap super administrator created", "email", cfg.Bootstrap.AdminEmail, "user_id", res.AdminID)
	}
	aud, err := buildAudit(ctx, cfg, db, obs.registry, log, opt.Now)
	if err != nil {
		return nil, err
	}
	s.audit = aud
	s.closers = append(s.closers, func() error { return aud.close(cfg.HTTP.ShutdownTimeout) })
	var recorder audit.Recorder = aud.writer
	reads, ok := audit.ParseReads(cfg.Audit.Reads)
	if !ok {
		return nil, fmt.Errorf("config: TF_AUDIT_READS=%q is not one of all, sensitive, none", cfg.Audit.Reads)
	}
	if s.auditLog, err = audit.NewLog(audit.LogConfig{Recorder: recorder, Logger: log, Reads: reads}); err != nil {
		return nil, err
	}

	// Everything keyed or sealed with the key-encryption key, loaded once.
	sec, err := loadSecrets(cfg)
	if err != nil {
		return nil, err
	}
	// Queries go to read replicas when there are any (TF_DATABASE_READ_URLS), writes to the primary.
	router, err := s.startReplicas(cfg, db, obs.registry, log)
	if err != nil {
		return nil, err
	}
	queries, wrote := ents, func(context.Context) {}
	var readPool *sqldb.DB
	if router != nil {
		queries, wrote = store.OpenReads(router), router.Wrote
	} else if db.Embedded() {
		if readPool, err = s.openSQLiteReads(ctx, cfg, obs); err != nil {
			return nil, err
		}
		queries = store.Open(readPool)
	}
	iamStore, err := store.New(store.Config{Client: ents, Reads: queries, Wrote: wrote, Dialect: db.Dialect, Cursors: sec.cursors})
	if err != nil {
		return nil, err
	}

	authMetrics, err := auth.NewMetrics(obs.registry)
	if err != nil {
		return nil, err
	}
	keyMgr, err := buildKeys(cfg, iamStore, sec.sealer, s.auditLog, log, opt.Now)
	if err != nil {
		return nil, err
	}
	limiter, err := s.buildLoginLimiter(cfg, obs.registry, log)
	if err != nil {
		return nil, err
	}
	authSvc, err := buildAuth(cfg, iamStore, sec, keyMgr, hasher, s.auditLog, log, opt.Now, authMetrics, limiter)
	if err != nil {
		return nil, err
	}
	s.keys, s.auth = keyMgr, authSvc
	// Closed before the audit pipeline (closers run in reverse): its held-back failure events
	// go to the writer first.
	s.closers = append(s.closers, func() error { authSvc.Close(); return nil })

	decider, err := authz.New(authz.Config{Store: latestSubjects{authzstore.New(queries, iamStore.Access())}, TTL: cfg.Authz.CacheTTL,
		DemoOrganization: res.DemoOrganizationID, DemoRole: res.DemoRoleID})
	if err != nil {
		return nil, err
	}
	s.decider = decider
	// Scope narrowing and introspection rights ask what a service account holds, from the
	// decisions' cache.
	authSvc.UseHoldings(authz.CachedAccess{Access: iamStore.Access(), Decider: decider})
	if err := decider.Register(obs.registry); err != nil {
		return nil, err
	}
	// Cache invalidations: local, and with Redis broadcast to every replica.
	caches, err := s.startInvalidation(cfg, withReplicaFence(router, authz.LocalCaches{Sessions: authSvc, Decider: decider}), log)
	if err != nil {
		return nil, err
	}
	// IAM management; its events invalidate the session and decision caches.
	iamArea, err := buildIAM(cfg, iamStore, sec, hasher, recorder, reads, log, caches,
		authz.CachedAccess{Access: iamStore.Access(), Decider: decider}, opt.Now, opt.AfterCommit)
	if err != nil {
		return nil, err
	}
	s.outbox = iamArea.dispatcher
	operations, err := contract.Parse(core.OpenAPI)
	if err != nil {
		return nil, err
	}
	// Audit reads of the SQL store go through the replicas too (ClickHouse has its own).
	var auditReader audit.Reader = aud.store
	if router != nil && aud.kind == "sql" {
		auditReader = auditsql.New(queries, db.SQL)
	}
	if readPool != nil && aud.kind == "sql" {
		auditReader = auditsql.New(queries, readPool.SQL)
	}
	access, err := buildAccess(decider, s.auditLog, auditReader, sec.cursors, operations, log)
	if err != nil {
		return nil, err
	}
	handler := httpapi.NewHandler(log, httpapi.Areas{
		Auth: httpapi.NewAuthAPI(authSvc, keyMgr), IAM: iamArea.api, Authz: access.authz, Audit: access.audit,
		OAuth2:     httpapi.NewOAuth2API(authSvc, discovery(cfg, iamStore)),
		Rejections: authSvc,
	})
	security, err := httpapi.NewSecurity(httpapi.SecurityConfig{Verifier: authSvc, Gate: access.gate, Authenticated: httpobs.NoteCaller})
	if err != nil {
		return nil, err
	}
	api, err := oas.NewServer(handler, security,
		oas.WithMiddleware(httpapi.CleanInput, httpapi.OAuth2Credentials),
		oas.WithErrorHandler(httpapi.ErrorHandler(log)),
		oas.WithNotFound(httpapi.NotFound(log)),
		oas.WithMethodNotAllowed(httpapi.MethodNotAllowed(log)),
	)
	if err != nil {
		return nil, err
	}
	consoleHandler, err := console.Handler()
	if err != nil {
		return nil, err
	}
	routes := httpserver.Routes{
		API:      api,
		Contract: core.OpenAPI,
		Console:  consoleHandler,
		Health: httpserver.NewHealth(2*time.Second, s.withRedisCheck(
			httpserver.Check{Name: "database", Run: db.SQL.PingContext},
			httpserver.Check{Name: "audit_sink", Run: aud.ping, Tolerated: true},
			httpserver.Check{Name: "migrations", Run: migrations.Current},
		)...),
		Problem:   httpapi.PlainProblem(log),
		Log:       log,
		BodyLimit: bodyLimits(operations, cfg.HTTP.MaxBodyBytes),
		Proxies:   reqinfo.Proxies(cfg.HTTP.TrustedProxies),
	}
	if err := obs.wire(&routes, api); err != nil {
		return nil, err
	}
	s.separateMetrics(&routes)
	s.handler = routes.Handler()
	return s, nil
}

// Migrate applies pending migrations of the store's dialect and returns the runner (readiness
// asks it whether the schema is still current).
func Migrate(ctx context.Context, db *sqldb.DB, log *slog.Logger) (*sqlmigrate.Runner, error) {
	runner, err := sqlmigrate.New(db.SQL, db.Dialect, log)
	if err != nil {
		return nil, err
	}
	applied, err := runner.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "count", len(applied), "dialect", db.Dialect)
	}
	return runner, nil
}

// Handler is the complete HTTP handler (tests serve it with httptest).
func (s *Service) Handler() http.Handler { return s.handler }

// Registry is the one metrics registry every component registers on.
func (s *Service) Registry() *prometheus.Registry { return s.obs.registry }

// Run serves until ctx is cancelled, with the background work (key rotation) alongside.
func (s *Service) Run(ctx context.Context, ready func(net.Addr)) error {
	bg, stop := context.WithCancel(ctx)
	defer stop()
	go s.keys.Run(bg)
	go func() { _ = s.outbox.Run(bg) }() // resumes events a crash left undelivered, retries failures
	if s.audit.retention != nil {
		go s.audit.retention.Run(bg) // TF_AUDIT_RETENTION_DAYS for the SQL store (ClickHouse has a TTL)
	}
	s.system(ctx, "service_start")
	defer s.system(context.WithoutCancel(ctx), "service_stop")
	return s.serve(ctx, ready)
}

// Close releases everything New opened, in reverse order.
func (s *Service) Close() error {
	if s == nil {
		return nil
	}
	var all []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		all = append(all, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(all...)
}

// system records a SYSTEM audit event of the service itself.
func (s *Service) system(ctx context.Context, action string) {
	s.auditLog.Record(ctx, audit.NewSystem(ctx, action, "service", nil))
}

func sqlsinkFor(db *sqldb.DB) *auditsql.Sink { return auditsql.New(store.Open(db), db.SQL) }
