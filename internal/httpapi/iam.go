package httpapi

import (
	"github.com/telemetryflow/core/internal/app"
)

// IAMAPI serves regions, tenants, organizations, workspaces, users, roles, permissions, groups
// and their assignments. Every method maps the ogen request to one command or query of the
// application and maps the answer back; conversions live in iam_convert*.go.
type IAMAPI struct {
	app *app.Application
}

// NewIAMAPI serves the IAM operations through a.
func NewIAMAPI(a *app.Application) *IAMAPI { return &IAMAPI{app: a} }
