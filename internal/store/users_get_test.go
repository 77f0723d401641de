package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// testHandWrittenGetReadsEveryColumn: Users().Get is a hand-written query (the hot read) while
// List goes through ent; both must read a user identically, so a column added to the schema
// and forgotten in the query fails here — for a person and for a service account.
func testHandWrittenGetReadsEveryColumn(t *testing.T, e *iamtest.Env) {
	_, _, o, _ := hierarchy(t, e)
	newUser(t, e, o.ID, iam.StatusActive)
	// Every optional time set, with nanoseconds, given in a zone other than UTC: SQLite's Get
	// parses the stored text itself. A name JSON must escape: SQLite's Get unpacks json_array.
	locked := get(iam.NewUser(o.ID, iam.UserFields{Email: ptr(unique("l") + "@example.com"), LastName: ptr(`O"Brien \ Ünal`)},
		"long enough password", iam.PasswordPolicy{Min: 12, Max: 128}, time.Now()))(t)
	at := time.Date(2026, 11, 30, 15, 4, 5, 123456789, time.FixedZone("X", 2*3600))
	locked.LastLoginAt, locked.LockedUntil = &at, ptr(at.Add(time.Hour))
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, locked) })
	machine := get(iam.NewServiceAccount(o.ID, iam.ServiceAccountFields{Name: ptr("ci"), Description: ptr("deploys")}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, machine) })
	listed := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{OrganizationID: &o.ID}, port.PageRequest{}))(t)
	if len(listed.Items) != 3 {
		t.Fatalf("listed %d users, want 3", len(listed.Items))
	}
	for _, want := range listed.Items {
		got := get(e.Store.Users().Get(ctx, port.Everything, want.ID))(t)
		if !reflect.DeepEqual(*got, want) || got.LastLoginAt != nil && got.LastLoginAt.Location() != time.UTC {
			t.Errorf("Get differs from List for %s:\n get  %+v\n list %+v", want.ID, *got, want)
		}
	}
}
