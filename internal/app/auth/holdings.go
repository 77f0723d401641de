package auth

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Holdings answers what a user holds (authz.CachedAccess: from the decision cache).
type Holdings interface {
	Standing(ctx context.Context, id uuid.UUID) (port.Standing, error)
	EffectivePermissions(ctx context.Context, id uuid.UUID) ([]iam.Grant, error)
}

// holds answers a predicate for "the user holds permission": everything for a super
// administrator, the effective permissions otherwise.
func (s *Service) holds(ctx context.Context, id uuid.UUID) (func(string) bool, error) {
	if s.cfg.Holdings == nil {
		return func(string) bool { return false }, nil
	}
	st, err := s.cfg.Holdings.Standing(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.SuperAdministrator {
		return func(string) bool { return true }, nil
	}
	grants, err := s.cfg.Holdings.EffectivePermissions(ctx, id)
	if err != nil {
		return nil, err
	}
	held := make(map[string]struct{}, len(grants))
	for _, g := range grants {
		held[g.Permission] = struct{}{}
	}
	return func(p string) bool { _, ok := held[p]; return ok }, nil
}

// UseHoldings sets where the service learns what a user holds, once at start-up (the decision
// cache is built after this service).
func (s *Service) UseHoldings(h Holdings) { s.cfg.Holdings = h }
