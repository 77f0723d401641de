package store

import (
	"context"
	"database/sql"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
)

// loginReadSQL is ByEmail and LoginFailures.Current in one statement. It starts from one
// constant row so that it answers whether or not the email has an account: unknown emails are
// counted like real ones, and must cost the same. Every join is a LEFT JOIN for that reason;
// a user always has an organization, a tenant and a region (foreign keys), so the chain finds
// the same user ByEmail's inner joins do. The pair and the phantom account-wide count are each
// at most one row (unique on account, client).
// Arguments: account, client, account, authn.AccountWide, email.
const loginReadSQL = `SELECT pf.failures, pf.locked_until, af.failures, af.locked_until, u.id IS NOT NULL, ` + placedUserSQL + `
  FROM (SELECT 1 AS one) k
  LEFT JOIN login_failures pf ON pf.account = ? AND pf.client = ?
  LEFT JOIN login_failures af ON af.account = ? AND af.client = ?
  LEFT JOIN users u ON u.email = ? AND u.deleted_at IS NULL
  LEFT JOIN organizations o ON o.id = u.organization_id LEFT JOIN tenants t ON t.id = o.tenant_id LEFT JOIN regions r ON r.id = t.region_id`

// loginReadLead is the number of columns before the user's.
const loginReadLead = 5

func (r credentials) ForLogin(ctx context.Context, email string, k authn.LockKey) (*port.PlacedUser, authn.Locks, error) {
	var (
		locks            authn.Locks
		pair, acct       sql.NullInt64
		pairTo, acctTo   sql.NullTime
		found            bool
		u                placedUserScan
		dest             [loginReadLead + placedUserColumns]any
		lead, userFields = dest[:loginReadLead], dest[loginReadLead:]
	)
	rows, err := r.c.QueryContext(ctx, r.rebind(loginReadSQL), k.Account, k.Client, k.Account, authn.AccountWide, email)
	if err != nil {
		return nil, locks, errs.Internal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		err := rows.Err()
		if err == nil {
			err = sql.ErrNoRows // the constant row is always there
		}
		return nil, locks, errs.Internal(err)
	}
	// The user's columns are NULL when there is none, which their destinations cannot hold:
	// the row is scanned once for the counts and, when there is a user, once more for them.
	copy(lead, []any{&pair, &pairTo, &acct, &acctTo, &found})
	for i := range userFields {
		userFields[i] = skipColumn{}
	}
	if err := rows.Scan(dest[:]...); err != nil {
		return nil, locks, errs.Internal(err)
	}
	locks.Pair = authn.LockState{Failures: int(pair.Int64), LockedUntil: nullTime(pairTo)}
	locks.Account = authn.LockState{Failures: int(acct.Int64), LockedUntil: nullTime(acctTo)}
	if !found {
		if err := rows.Err(); err != nil {
			return nil, locks, errs.Internal(err)
		}
		return nil, locks, nil
	}
	for i := range lead {
		lead[i] = skipColumn{}
	}
	copy(userFields, u.dest())
	if err := rows.Scan(dest[:]...); err != nil {
		return nil, locks, errs.Internal(err)
	}
	if err := rows.Err(); err != nil {
		return nil, locks, errs.Internal(err)
	}
	user := u.user()
	return &user, locks, nil
}

// skipColumn is the destination of a column a scan does not want.
type skipColumn struct{}

func (skipColumn) Scan(any) error { return nil }
