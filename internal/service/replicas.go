package service

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/invalidation"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/sqlreplica"
)

// startReplicas opens the read replicas (TF_DATABASE_READ_URLS) and the router that sends
// queries to them, watching them in the background until Close; nil without replicas. A
// replica that cannot be reached at start-up is not an error: it joins the rotation when it
// answers.
func (s *Service) startReplicas(cfg *config.Config, primary *sqldb.DB, reg prometheus.Registerer, log *slog.Logger) (*sqlreplica.Router, error) {
	if len(cfg.Database.ReadURLs) == 0 {
		return nil, nil
	}
	var replicas []sqlreplica.Replica
	for _, raw := range cfg.Database.ReadURLs {
		db, err := sqldb.OpenLazy(sqldb.Config{URL: raw})
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, db.Close)
		name := db.Location
		if u, err := url.Parse(raw); err == nil {
			name = u.Host + u.Path
		}
		replicas = append(replicas, sqlreplica.Replica{Name: name, DB: db.SQL})
	}
	router, err := sqlreplica.New(sqlreplica.Config{Primary: primary.SQL, Replicas: replicas, MaxLag: cfg.Database.MaxReplicaLag,
		Caller: callerOf, Log: log})
	if err != nil {
		return nil, err
	}
	if err := reg.Register(router); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	router.PollOnce(ctx) // replicas that answer serve from the first request on
	done := make(chan struct{})
	go func() {
		defer close(done)
		router.Run(ctx)
	}()
	s.closers = append(s.closers, func() error { cancel(); <-done; return nil })
	if cfg.Redis.URL != "" {
		if err := s.shareWrites(cfg, router); err != nil {
			return nil, err
		}
	}
	log.Info("read replicas configured", "replicas", len(replicas), "max_lag", cfg.Database.MaxReplicaLag.String())
	return router, nil
}

// shareWrites carries callers' write positions to the other backends over Redis, so a caller
// reads its own writes whichever backend the load balancer picks next; it waits until the
// subscription is in place.
func (s *Service) shareWrites(cfg *config.Config, router *sqlreplica.Router) error {
	ctx, cancel := context.WithCancel(context.Background())
	sharer, err := router.Share(ctx, cfg.Redis.URL, cfg.Redis.Channel+":writes")
	if err != nil {
		cancel()
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sharer.Run(ctx)
	}()
	s.closers = append(s.closers, func() error { cancel(); <-done; return sharer.Close() })
	select {
	case <-sharer.Subscribed():
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("read replicas: no subscription to Redis within 10s")
	}
}

// callerOf keys read-your-writes by user: after a user's change, that user's reads (from any of
// their sessions) see it.
func callerOf(ctx context.Context) string {
	if p := principal.From(ctx); p != nil {
		return p.UserID.String()
	}
	return ""
}

// latestSubjects loads authorization subjects from a replica only when it has replayed every
// change this instance knows of (sqlreplica.Latest): a subject cached after a revocation must
// not come back from a replica that has not seen it yet.
type latestSubjects struct{ authz.Store }

func (l latestSubjects) Subject(ctx context.Context, id uuid.UUID) (*authz.Subject, error) {
	return l.Store.Subject(sqlreplica.Latest(ctx), id)
}

func (l latestSubjects) WorkspaceOrganization(ctx context.Context, id uuid.UUID) (uuid.UUID, bool, error) {
	return l.Store.WorkspaceOrganization(sqlreplica.Latest(ctx), id)
}

func (l latestSubjects) PermissionNames(ctx context.Context) ([]string, error) {
	return l.Store.PermissionNames(sqlreplica.Latest(ctx))
}

// fencedCaches raises the router's fence before each invalidation (also those from other
// instances, over Redis), so that what the dropped entries are reloaded from includes the
// change that dropped them.
type fencedCaches struct {
	router *sqlreplica.Router
	local  invalidation.Target
}

func (f fencedCaches) fence() { f.router.Fence(context.Background()) }

func (f fencedCaches) InvalidateUser(id uuid.UUID)      { f.fence(); f.local.InvalidateUser(id) }
func (f fencedCaches) InvalidateSession(id uuid.UUID)   { f.local.InvalidateSession(id) } // sessions are read on the primary
func (f fencedCaches) InvalidateAll()                   { f.fence(); f.local.InvalidateAll() }
func (f fencedCaches) InvalidatePermissions()           { f.fence(); f.local.InvalidatePermissions() }
func (f fencedCaches) InvalidateWorkspace(id uuid.UUID) { f.fence(); f.local.InvalidateWorkspace(id) }
func (f fencedCaches) InvalidateAllSessions()           { f.fence(); f.local.InvalidateAllSessions() }
func (f fencedCaches) InvalidateEverything()            { f.fence(); f.local.InvalidateEverything() }

// withReplicaFence wraps the local caches when reads go to replicas.
func withReplicaFence(router *sqlreplica.Router, local invalidation.Target) invalidation.Target {
	if router == nil {
		return local
	}
	return fencedCaches{router: router, local: local}
}
