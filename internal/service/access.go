package service

import (
	"log/slog"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auditquery"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

// accessParts are the decision API, the audit query area and the gate in front of every
// operation.
type accessParts struct {
	authz *httpapi.AuthzAPI
	audit *httpapi.AuditAPI
	gate  *httpapi.Gate
}

// buildAccess wires the authorization use cases (gate and decision API) and the audit trail's
// reads onto the decider and the audit log.
func buildAccess(decider *authz.Decider, auditLog *audit.Log, reader audit.Reader, cursors *pagecursor.Codec,
	operations []contract.Operation, log *slog.Logger) (*accessParts, error) {
	svc, err := authz.NewService(authz.ServiceConfig{Decider: decider, Audit: auditLog})
	if err != nil {
		return nil, err
	}
	queries, err := auditquery.New(auditquery.Config{Reader: reader, Admins: superAdmins{decider}, Audit: auditLog, Cursors: cursors})
	if err != nil {
		return nil, err
	}
	var p accessParts
	if p.authz, err = httpapi.NewAuthzAPI(httpapi.AuthzAPIConfig{Checker: svc}); err != nil {
		return nil, err
	}
	if p.audit, err = httpapi.NewAuditAPI(httpapi.AuditAPIConfig{Queries: queries, Log: log}); err != nil {
		return nil, err
	}
	if p.gate, err = httpapi.NewGate(httpapi.GateConfig{Operations: operations, Admitter: svc}); err != nil {
		return nil, err
	}
	return &p, nil
}
