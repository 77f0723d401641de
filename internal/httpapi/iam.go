package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/oas"
)

// IAMAPI serves regions, tenants, organizations, workspaces, users, roles, permissions, groups
// and their assignments. Every method maps the ogen request to one command or query of the
// application, runs it through useCase (call, exec, page) and maps the answer back:
// iam_hierarchy.go serves regions, tenants, organizations and workspaces, the other iam_*.go
// one tag of the contract each (users with their grants); conversions live in iam_convert*.go.
type IAMAPI struct {
	// The application's two buses: every entry is one use case, a one-method handler.
	commands app.Commands
	queries  app.Queries
}

// NewIAMAPI serves the IAM operations through a's commands and queries.
func NewIAMAPI(a *app.Application) *IAMAPI {
	return &IAMAPI{commands: a.Commands, queries: a.Queries}
}

// useCase is one command or query as the IAM area calls it (every app handler is one).
type useCase[In, Out any] interface {
	Handle(ctx context.Context, in In) (Out, error)
}

// call runs a use case that answers one entity and maps the entity to its response.
func call[In, D, O any](ctx context.Context, uc useCase[In, *D], in In, conv func(*D) O) (*O, error) {
	v, err := uc.Handle(ctx, in)
	return respond(v, err, conv)
}

// exec runs a use case that answers nothing but success (204 No Content).
func exec[In, Out any](ctx context.Context, uc useCase[In, Out], in In) error {
	_, err := uc.Handle(ctx, in)
	return err
}

// listBody is a generated list response L: a page of items O, the next cursor and the total.
type listBody[L, O any] interface {
	*L
	SetItems(items []O)
	SetNextCursor(next oas.OptString)
	SetTotal(total int)
}

// page runs a list use case and maps the page to its list response L.
func page[L any, PL listBody[L, O], In, D, O any](ctx context.Context, uc useCase[In, port.Page[D]], in In, conv func(*D) O) (*L, error) {
	p, err := uc.Handle(ctx, in)
	if err != nil {
		return nil, err
	}
	out := PL(new(L))
	out.SetItems(listOf(p.Items, conv))
	out.SetNextCursor(nextCursor(p.NextCursor))
	out.SetTotal(p.Total)
	return out, nil
}
