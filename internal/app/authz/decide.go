package authz

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Store loads what decisions need. Implementations read the relational store.
type Store interface {
	// Subject returns the user's grants and roles; Exists is false for unknown or deleted users.
	Subject(ctx context.Context, userID uuid.UUID) (*Subject, error)
	// WorkspaceOrganization returns the organization of a live workspace.
	WorkspaceOrganization(ctx context.Context, workspaceID uuid.UUID) (uuid.UUID, bool, error)
	// PermissionNames returns every live permission name.
	PermissionNames(ctx context.Context) ([]string, error)
}

// Check is one question: may UserID do Permission, in OrganizationID/WorkspaceID (zero: the
// user's own organization)?
type Check struct {
	UserID         uuid.UUID
	Permission     string
	OrganizationID uuid.UUID
	WorkspaceID    uuid.UUID
}

// Decision is the answer and its reason: for allowed, the grant (or "super_administrator");
// for denied, the rule.
type Decision struct {
	Allowed bool
	Reason  string
	// Grant is the grant that allowed it (nil for super administrators and denials).
	Grant *iam.Grant
}

// Deny reasons.
const (
	DenyNoGrant           = "no_grant"
	DenyOutOfScope        = "out_of_scope"
	DenyDemoConfined      = "demo_confined"
	DenyUserInactive      = "user_inactive"
	DenyUserNotFound      = "user_not_found"
	DenyUnknownPermission = "unknown_permission"
	// DenyNotPermitted: the decision API was asked about a user the caller may see but has no
	// user:read over (AboutOtherUser).
	DenyNotPermitted = "not_permitted"
	// DenyOutsideCredential: the owner may hold the permission, but the credential used (an
	// OAuth2 scope, an API key) was narrowed without it.
	DenyOutsideCredential = "outside_credential_scope"
	AllowSuperAdmin       = "super_administrator"
)

// Config tunes the decider.
type Config struct {
	// Store loads subjects, workspaces and the permission catalog; required.
	Store Store
	// TTL is the safety net behind event-driven invalidation; required (positive).
	TTL time.Duration
	// DemoOrganization is where demo-tier grants apply.
	DemoOrganization uuid.UUID
	// DemoRole is the system demo role, whose grants apply only there.
	DemoRole uuid.UUID
	Now      func() time.Time
}

// Decider answers checks from cached, compiled subjects.
type Decider struct {
	store Store
	cfg   Config
	users *subjectCache
	perms atomic.Pointer[permissionSet]
	wsOrg *workspaceCache

	hits, misses    atomic.Uint64
	allowed, denied atomic.Uint64
	invalidations   atomic.Uint64
}

// Validate reports a missing store or a TTL that is not positive.
func (c Config) Validate() error {
	var problems []error
	if c.Store == nil {
		problems = append(problems, errors.New("authz: a store is required"))
	}
	if c.TTL <= 0 {
		problems = append(problems, errors.New("authz: the cache TTL must be positive"))
	}
	return errors.Join(problems...)
}

// New builds a decider.
func New(cfg Config) (*Decider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Decider{store: cfg.Store, cfg: cfg, users: newSubjectCache(cfg.TTL), wsOrg: newWorkspaceCache()}, nil
}

// Decide answers one check. Errors are store failures, never denials.
func (d *Decider) Decide(ctx context.Context, c Check) (Decision, error) {
	dec, err := d.decide(ctx, c)
	if err == nil {
		if dec.Allowed {
			d.allowed.Add(1)
		} else {
			d.denied.Add(1)
		}
	}
	return dec, err
}

func (d *Decider) decide(ctx context.Context, c Check) (Decision, error) {
	sub, err := d.compiled(ctx, c.UserID)
	if err != nil {
		return Decision{}, err
	}
	if !sub.subject.Exists {
		return Decision{Reason: DenyUserNotFound}, nil
	}
	if !sub.subject.Active {
		return Decision{Reason: DenyUserInactive}, nil
	}
	known, err := d.knownPermission(ctx, c.Permission)
	if err != nil {
		return Decision{}, err
	}
	if !known {
		return Decision{Reason: DenyUnknownPermission}, nil
	}
	target := c.OrganizationID
	if c.WorkspaceID != uuid.Nil {
		org, ok, err := d.workspaceOrg(ctx, c.WorkspaceID)
		if err != nil {
			return Decision{}, err
		}
		if !ok || (target != uuid.Nil && org != target) {
			return Decision{Reason: DenyOutOfScope}, nil
		}
		target = org
	}
	if sub.subject.SuperAdmin {
		return Decision{Allowed: true, Reason: AllowSuperAdmin}, nil
	}
	if target == uuid.Nil {
		target = sub.subject.OrganizationID
	}
	if target != sub.subject.OrganizationID {
		return Decision{Reason: DenyOutOfScope}, nil
	}
	p, ok := sub.perms[c.Permission]
	switch {
	case ok && p.normal != nil:
		return Decision{Allowed: true, Reason: p.normalReason, Grant: p.normal}, nil
	case ok && p.demo != nil && target == d.cfg.DemoOrganization:
		return Decision{Allowed: true, Reason: p.demoReason, Grant: p.demo}, nil
	case ok && p.demo != nil:
		return Decision{Reason: DenyDemoConfined}, nil
	}
	return Decision{Reason: DenyNoGrant}, nil
}

// Profile is the caller's standing, for rules that go beyond one permission (tier rule,
// scoping, "grant only what you hold").
type Profile struct {
	Subject    *Subject
	SuperAdmin bool
	BestTier   rbac.Tier
}

// Profile returns the user's standing from the same cache decisions use.
func (d *Decider) Profile(ctx context.Context, userID uuid.UUID) (Profile, error) {
	sub, err := d.compiled(ctx, userID)
	if err != nil {
		return Profile{}, err
	}
	return Profile{Subject: sub.subject, SuperAdmin: sub.subject.SuperAdmin, BestTier: sub.subject.BestTier}, nil
}

// Stats are the cache counters, for metrics.
func (d *Decider) Stats() (hits, misses uint64) { return d.hits.Load(), d.misses.Load() }

func (d *Decider) compiled(ctx context.Context, id uuid.UUID) (*compiledSubject, error) {
	now := d.cfg.Now()
	c, gen, ok := d.users.get(id, now)
	if ok {
		d.hits.Add(1)
		return c, nil
	}
	d.misses.Add(1)
	s, err := d.store.Subject(ctx, id)
	if err != nil {
		return nil, err
	}
	c = compile(s, d.cfg.DemoRole, now)
	d.users.put(id, c, gen)
	return c, nil
}

func (d *Decider) knownPermission(ctx context.Context, name string) (bool, error) {
	set := d.perms.Load()
	if set == nil || d.cfg.Now().Sub(set.loadedAt) > d.cfg.TTL {
		names, err := d.store.PermissionNames(ctx)
		if err != nil {
			return false, err
		}
		set = &permissionSet{names: make(map[string]struct{}, len(names)), loadedAt: d.cfg.Now()}
		for _, n := range names {
			set.names[n] = struct{}{}
		}
		d.perms.Store(set)
	}
	_, ok := set.names[name]
	return ok, nil
}

func (d *Decider) workspaceOrg(ctx context.Context, ws uuid.UUID) (uuid.UUID, bool, error) {
	if org, ok := d.wsOrg.get(ws); ok {
		return org, true, nil
	}
	org, ok, err := d.store.WorkspaceOrganization(ctx, ws)
	if err != nil || !ok {
		return uuid.Nil, false, err
	}
	d.wsOrg.put(ws, org)
	return org, true, nil
}

// InvalidateUser drops one user's compiled subject (their roles, groups, grants or status changed).
func (d *Decider) InvalidateUser(id uuid.UUID) {
	d.invalidations.Add(1)
	d.users.invalidate(id)
}

// InvalidateAll drops every compiled subject (a role's or group's grants changed: all holders).
func (d *Decider) InvalidateAll() {
	d.invalidations.Add(1)
	d.users.invalidateAll()
}

// InvalidatePermissions drops the permission catalog (a permission was created or deleted).
func (d *Decider) InvalidatePermissions() {
	d.perms.Store(nil)
	d.InvalidateAll()
}

// InvalidateWorkspace forgets a workspace (it was deleted).
func (d *Decider) InvalidateWorkspace(id uuid.UUID) { d.wsOrg.drop(id) }

type permissionSet struct {
	names    map[string]struct{}
	loadedAt time.Time
}
