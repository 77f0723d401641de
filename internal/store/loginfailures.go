package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/loginfailure"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
)

// loginFailures is port.LoginFailures. Every failure is one atomic statement per count
// (UPDATE … RETURNING, INSERT … ON CONFLICT DO UPDATE … RETURNING) implementing
// authn.LockoutPolicy.Counted: concurrent failures on any number of replicas sharing the
// database are each counted, and exactly one of them sees the count reach the threshold (the
// count is clamped there when the lock starts), so each lock is announced once.
type loginFailures struct{ repos }

var _ port.LoginFailures = loginFailures{}

// failureSet is the SET list that counts one failure at now (authn.LockoutPolicy.Counted).
// Thresholds are integers from the configuration, written into the statement.
// Arguments, in order: now, cutoff, now, cutoff, [until when threshold ≤ 1], until, now.
func failureSet(count, locked, last, ref string, threshold int) string {
	c, l, t := ref+count, ref+locked, ref+last
	fresh := fmt.Sprintf("%s IS NOT NULL OR %s IS NULL OR %s <= ?", l, t, t)
	lockWhenFresh := "NULL"
	if threshold <= 1 {
		lockWhenFresh = "?"
	}
	return fmt.Sprintf(`%[1]s = CASE WHEN %[5]s > ? THEN %[4]s + 1 WHEN %[7]s THEN 1 WHEN %[4]s + 1 > %[8]d THEN %[8]d ELSE %[4]s + 1 END, `+
		`%[2]s = CASE WHEN %[5]s > ? THEN %[5]s WHEN %[7]s THEN %[9]s WHEN %[4]s + 1 >= %[8]d THEN ? ELSE NULL END, `+
		`%[3]s = ?`, count, locked, last, c, l, t, fresh, threshold, lockWhenFresh)
}

func failureArgs(threshold int, now, cutoff, until time.Time) []any {
	args := []any{now, cutoff, now, cutoff}
	if threshold <= 1 {
		args = append(args, until)
	}
	return append(args, until, now)
}

// upsertFailureSQL counts one failure in login_failures, creating the row at 1.
// Arguments: id, account, client, [until when threshold ≤ 1], now, then failureArgs.
func upsertFailureSQL(threshold int) string {
	first := "NULL"
	if threshold <= 1 {
		first = "?"
	}
	return `INSERT INTO login_failures (id, account, client, failures, locked_until, last_failed_at) VALUES (?, ?, ?, 1, ` + first + `, ?) ` +
		`ON CONFLICT (account, client) DO UPDATE SET ` +
		failureSet("failures", "locked_until", "last_failed_at", "login_failures.", threshold) +
		` RETURNING failures, locked_until`
}

// accountFailureSQL counts one failure on a real account's user row.
func accountFailureSQL(threshold int) string {
	return `UPDATE users SET ` + failureSet("failed_login_count", "locked_until", "last_failed_login_at", "", threshold) +
		` WHERE id = ? RETURNING failed_login_count, locked_until`
}

// Current reads the counts an attempt is subject to. One query serves real and unknown
// accounts alike.
func (r loginFailures) Current(ctx context.Context, k authn.LockKey) (authn.Locks, error) {
	var st authn.Locks
	rows, err := r.c.QueryContext(ctx, r.rebind(`SELECT client, failures, locked_until FROM login_failures WHERE account = ? AND client IN (?, ?)`),
		k.Account, k.Client, authn.AccountWide)
	if err != nil {
		return st, errs.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			client string
			s      authn.LockState
			until  sql.NullTime
		)
		if err := rows.Scan(&client, &s.Failures, &until); err != nil {
			return st, errs.Internal(err)
		}
		s.LockedUntil = nullTime(until)
		if client == authn.AccountWide {
			st.Account = s
		} else if client == k.Client {
			st.Pair = s
		}
	}
	if err := rows.Err(); err != nil {
		return st, errs.Internal(err)
	}
	return st, nil
}

// Fail counts one failure of k at now: always for the pair; for the account only while
// p.CountsTowardsAccount.
func (r loginFailures) Fail(ctx context.Context, k authn.LockKey, before authn.Locks, p authn.LockoutPolicy, now time.Time) (authn.Failure, error) {
	cutoff, until := p.Window(now)
	out := authn.Failure{After: before}
	var err error
	if out.After.Pair, err = r.upsert(ctx, p.Threshold, k.Account, k.Client, now, cutoff, until); err != nil {
		return out, errs.Internal(err)
	}
	out.PairLocked = authn.LockStarted(out.After.Pair, p.Threshold)
	if !p.CountsTowardsAccount(out.After.Pair) {
		return out, nil
	}
	out.AccountCounted = true
	if k.UserID == uuid.Nil {
		out.After.Account, err = r.upsert(ctx, p.AccountThreshold, k.Account, authn.AccountWide, now, cutoff, until)
	} else {
		out.After.Account, err = r.scan(r.c.QueryContext(ctx, r.rebind(accountFailureSQL(p.AccountThreshold)),
			append(failureArgs(p.AccountThreshold, now, cutoff, until), k.UserID)...))
	}
	if errors.Is(err, sql.ErrNoRows) { // the account was deleted meanwhile: nothing to lock
		out.After.Account, err = before.Account, nil
	}
	out.AccountLocked = err == nil && authn.LockStarted(out.After.Account, p.AccountThreshold)
	if err != nil {
		return out, errs.Internal(err)
	}
	return out, nil
}

func (r loginFailures) upsert(ctx context.Context, threshold int, account, client string, now, cutoff, until time.Time) (authn.LockState, error) {
	args := []any{uuid.Must(uuid.NewV7()), account, client}
	if threshold <= 1 {
		args = append(args, until)
	}
	args = append(append(args, now), failureArgs(threshold, now, cutoff, until)...)
	return r.scan(r.c.QueryContext(ctx, r.rebind(upsertFailureSQL(threshold)), args...))
}

func (r loginFailures) scan(rows *sql.Rows, err error) (authn.LockState, error) {
	if err != nil {
		return authn.LockState{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return authn.LockState{}, err
		}
		return authn.LockState{}, sql.ErrNoRows
	}
	var (
		s     authn.LockState
		until sql.NullTime
	)
	if err := rows.Scan(&s.Failures, &until); err != nil {
		return authn.LockState{}, err
	}
	s.LockedUntil = nullTime(until)
	return s, rows.Err()
}

func (r loginFailures) ClearPair(ctx context.Context, k authn.LockKey) error {
	_, err := r.c.LoginFailure.Delete().Where(loginfailure.Account(k.Account), loginfailure.Client(k.Client)).Exec(ctx)
	return mapErr(err, "", nil)
}

// Prune deletes the counts whose last failure is at or before idleSince (they would start
// afresh anyway).
func (r loginFailures) Prune(ctx context.Context, idleSince time.Time) error {
	_, err := r.c.LoginFailure.Delete().Where(loginfailure.LastFailedAtLTE(idleSince)).Exec(ctx)
	return mapErr(err, "", nil)
}
