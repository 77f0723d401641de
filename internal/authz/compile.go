package authz

import (
	"time"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

// compiledSubject is a subject indexed for O(1), allocation-free decisions.
type compiledSubject struct {
	subject    *Subject
	superAdmin bool
	bestTier   rbac.Tier
	perms      map[string]permGrants
	loadedAt   time.Time
}

// permGrants keeps, per permission, the first grant that applies everywhere in the user's
// organization and the first that comes from the demo tier (which applies only in the demo
// organization). Reasons are rendered once here, not per decision.
type permGrants struct {
	normal       *Grant
	normalReason string
	demo         *Grant
	demoReason   string
}

func compile(s *Subject, now time.Time) *compiledSubject {
	c := &compiledSubject{subject: s, bestTier: rbac.TierNone, perms: make(map[string]permGrants, len(s.Grants)), loadedAt: now}
	for _, r := range s.Roles {
		if r.System && r.Name == rbac.RoleSuperAdministrator && r.Tier == rbac.TierSuperAdministrator {
			c.superAdmin = true
		}
		c.bestTier = rbac.BestTier(c.bestTier, r.Tier)
	}
	for i := range s.Grants {
		g := &s.Grants[i]
		pg := c.perms[g.Permission]
		isDemo := g.Kind != GrantDirect && g.RoleName == rbac.RoleDemo && g.RoleTier == rbac.TierDemo
		switch {
		case isDemo && pg.demo == nil:
			pg.demo, pg.demoReason = g, g.Reason()
		case !isDemo && pg.normal == nil:
			pg.normal, pg.normalReason = g, g.Reason()
		}
		c.perms[g.Permission] = pg
	}
	return c
}
