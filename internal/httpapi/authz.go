package httpapi

import (
	"context"
	"errors"

	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/oas"
)

// Checker answers the decision API's batches (authz.Service.CheckBatch: the rule for
// questions about other users and the batch's audit row live there).
type Checker interface {
	CheckBatch(ctx context.Context, qs []authz.Question) ([]authz.Decision, error)
}

// AuthzAPIConfig wires the decision API.
type AuthzAPIConfig struct {
	Checker Checker
}

// Validate reports a missing checker.
func (c AuthzAPIConfig) Validate() error {
	if c.Checker == nil {
		return errors.New("httpapi: the decision API needs a checker")
	}
	return nil
}

// AuthzAPI serves authorization decisions for other services.
type AuthzAPI struct {
	checker Checker
}

// NewAuthzAPI builds the decision API.
func NewAuthzAPI(cfg AuthzAPIConfig) (*AuthzAPI, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &AuthzAPI{checker: cfg.Checker}, nil
}

// CheckAuthorization answers a batch of checks in order.
func (h *AuthzAPI) CheckAuthorization(ctx context.Context, req *oas.AuthzCheckRequest) (*oas.AuthzCheckResponse, error) {
	qs := make([]authz.Question, len(req.Checks))
	for i, c := range req.Checks {
		qs[i] = authz.Question{UserID: optUUIDPtr(c.UserID), Permission: c.Permission,
			OrganizationID: optUUIDPtr(c.OrganizationID), WorkspaceID: optUUIDPtr(c.WorkspaceID)}
	}
	decisions, err := h.checker.CheckBatch(ctx, qs)
	if err != nil {
		return nil, err
	}
	out := &oas.AuthzCheckResponse{Results: make([]oas.AuthzResult, len(decisions))}
	for i, d := range decisions {
		out.Results[i] = oas.AuthzResult{Allowed: d.Allowed, Reason: d.Reason}
		if d.Grant != nil {
			out.Results[i].Source = oas.NewOptGrantSource(grantSourceOut(*d.Grant))
		}
	}
	return out, nil
}
