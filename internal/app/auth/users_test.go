package auth_test

import (
	"testing"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// insertActiveUser creates an active user in the default organization directly in the store,
// so authentication tests do not depend on the user-management API.
func insertActiveUser(t *testing.T, srv *apitest.Server, email, pw string) {
	t.Helper()
	srv.CreateUser(t, apitest.UserSpec{Email: email, Password: pw})
}
