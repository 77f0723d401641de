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
	machine := get(iam.NewServiceAccount(o.ID, iam.ServiceAccountFields{Name: ptr("ci"), Description: ptr("deploys")}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, machine) })
	listed := get(e.Store.Users().List(ctx, port.Everything, port.UserFilter{OrganizationID: &o.ID}, port.PageRequest{}))(t)
	if len(listed.Items) != 2 {
		t.Fatalf("listed %d users, want 2", len(listed.Items))
	}
	for _, want := range listed.Items {
		got := get(e.Store.Users().Get(ctx, port.Everything, want.ID))(t)
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("Get differs from List for %s:\n get  %+v\n list %+v", want.ID, *got, want)
		}
	}
}
