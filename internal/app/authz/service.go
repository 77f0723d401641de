package authz

import (
	"errors"

	"github.com/telemetryflow/core/internal/app/audit"
)

// ServiceConfig wires the authorization use cases; every field is required.
type ServiceConfig struct {
	Decider *Decider
	// Audit records the gate's AUTHZ DENIED rows and the decision API's DATA rows.
	Audit *audit.Log
}

// Validate reports a missing collaborator.
func (c ServiceConfig) Validate() error {
	if c.Decider == nil || c.Audit == nil {
		return errors.New("authz: the service needs a decider and an audit log")
	}
	return nil
}

// Service holds the authorization use cases the HTTP adapter calls: the operation gate
// (Admit) and the decision API (CheckBatch). Each decides through the Decider and records its
// own audit row, so the adapter only maps.
type Service struct {
	decider *Decider
	audit   *audit.Log
}

// NewService builds the service.
func NewService(cfg ServiceConfig) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Service{decider: cfg.Decider, audit: cfg.Audit}, nil
}
