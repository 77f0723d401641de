package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

func ptr[T any](v T) *T { return &v }

// get unwraps a (value, error) result, failing the test on error: get(f())(t).
func get[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func unique(prefix string) string { return fmt.Sprintf("%s-%s", prefix, uuid.NewString()[:8]) }

// wantCode checks err is an *errs.Error with the kind and code (and, when given, exactly the
// one field).
func wantCode(t *testing.T, err error, kind errs.Kind, code string, field ...string) *errs.Error {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != kind || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	if len(field) > 0 && (len(e.Fields) != 1 || e.Fields[0].Field != field[0]) {
		t.Fatalf("fields %+v, want %s", e.Fields, field[0])
	}
	return e
}

// fixture builds what the rules need on top of the seeded store.
type fixture struct{ *iamtest.Env }

// eachStore runs body on a fresh seeded store per dialect (iamtest.Each).
func eachStore(t *testing.T, body func(t *testing.T, f fixture)) {
	t.Helper()
	iamtest.Each(t, func(t *testing.T, e *iamtest.Env) { body(t, fixture{e}) })
}

// org creates a region → tenant → organization as the super administrator.
func (f fixture) org(t *testing.T) *iam.Organization {
	t.Helper()
	c := f.App.Commands
	ctx := f.Admin()
	r := get(c.CreateRegion.Handle(ctx, command.CreateRegion{Name: "R", Code: unique("r")}))(t)
	tn := get(c.CreateTenant.Handle(ctx, command.CreateTenant{RegionID: r.ID, TenantFields: iam.TenantFields{Name: ptr("T"), Slug: ptr(unique("t"))}}))(t)
	return get(c.CreateOrganization.Handle(ctx, command.CreateOrganization{TenantID: tn.ID, OrganizationFields: iam.OrganizationFields{Name: ptr("O"), Slug: ptr(unique("o"))}}))(t)
}

// user creates an active user in org holding roles, and returns it with a context that acts
// as that user.
func (f fixture) user(t *testing.T, org uuid.UUID, roles ...uuid.UUID) (*iam.User, context.Context) {
	t.Helper()
	c := f.App.Commands
	ctx := f.Admin()
	u := get(c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: org,
		UserFields: iam.UserFields{Email: ptr(unique("u") + "@example.com"), LastName: ptr("Test")}, Password: "a long enough password"}))(t)
	get(c.ActivateUser.Handle(ctx, command.ActivateUser{ID: u.ID}))(t)
	for _, r := range roles {
		get(c.AssignUserRole.Handle(ctx, command.AssignUserRole{UserID: u.ID, RoleID: r}))(t)
	}
	return u, iamtest.As(u.ID)
}
