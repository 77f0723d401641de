package authz

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// compiledSubject is a subject indexed for O(1), allocation-free decisions.
type compiledSubject struct {
	subject  *Subject
	perms    map[string]permGrants
	loadedAt time.Time
}

// permGrants keeps, per permission, the first grant that applies everywhere in the user's
// organization and the first that comes from the demo tier (which applies only in the demo
// organization). Reasons are rendered once here, not per decision.
type permGrants struct {
	normal       *iam.Grant
	normalReason string
	demo         *iam.Grant
	demoReason   string
}

// compile indexes s; demoRole is the system demo role, whose grants are confined.
func compile(s *Subject, demoRole uuid.UUID, now time.Time) *compiledSubject {
	c := &compiledSubject{subject: s, perms: make(map[string]permGrants, len(s.Grants)), loadedAt: now}
	for i := range s.Grants {
		g := &s.Grants[i]
		pg := c.perms[g.Permission]
		isDemo := demoRole != uuid.Nil && ((g.Kind == iam.GrantRole && g.SourceID == demoRole) ||
			(g.Kind == iam.GrantGroup && g.RoleID == demoRole))
		switch {
		case isDemo && pg.demo == nil:
			pg.demo, pg.demoReason = g, reasonOf(*g)
		case !isDemo && pg.normal == nil:
			pg.normal, pg.normalReason = g, reasonOf(*g)
		}
		c.perms[g.Permission] = pg
	}
	return c
}
