package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/loginfailure"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// lockKey is what a login attempt counts against.
type lockKey struct {
	account string    // accountKey(email): the same whether or not the account exists
	client  string    // reqinfo.ClientKey: an IPv4 address or an IPv6 /64
	userID  uuid.UUID // uuid.Nil when no account has the email (phantom lockout)
}

// accountWide is the client of a phantom account's account-wide row.
const accountWide = "*"

func accountKey(email string) string {
	sum := sha256.Sum256([]byte(email))
	return hex.EncodeToString(sum[:])
}

// lockStore keeps the failure counts. Every failure is one atomic statement per count
// (UPDATE … RETURNING, INSERT … ON CONFLICT DO UPDATE … RETURNING): concurrent failures on
// any number of replicas sharing the database are each counted, and exactly one of them sees
// the count reach the threshold (the count is clamped there when the lock starts), so each
// lock is announced once.
type lockStore struct {
	client  *ent.Client
	dialect string
	policy  LockoutPolicy
	log     *slog.Logger

	pairSQL, accountSQL, phantomAccountSQL string

	pruneMu   sync.Mutex
	lastPrune time.Time
}

func newLockStore(c *ent.Client, dialect string, p LockoutPolicy, log *slog.Logger) *lockStore {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &lockStore{
		client: c, dialect: dialect, policy: p, log: log,
		pairSQL:           upsertFailureSQL(p.Threshold),
		phantomAccountSQL: upsertFailureSQL(p.AccountThreshold),
		accountSQL: `UPDATE users SET ` + failureSet("failed_login_count", "locked_until", "last_failed_login_at", "", p.AccountThreshold) +
			` WHERE id = ? RETURNING failed_login_count, locked_until`,
	}
}

// failureSet is the SET list that counts one failure at now. A locked count goes on counting;
// a count whose lock ran out, or whose last failure is at or before the cutoff (now minus the
// lock duration), starts at 1; reaching the threshold starts a lock until now plus the
// duration. A count above the threshold without a lock (the threshold was lowered) is clamped
// to it, so "the count equals the threshold" marks the one failure that started the lock.
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

// current reads the counts an attempt is subject to. One query serves real and unknown
// accounts alike; a real account's account-wide count is on its user row (u).
func (l *lockStore) current(ctx context.Context, k lockKey, u *ent.User) (lockStates, error) {
	var st lockStates
	rows, err := l.client.QueryContext(ctx, sqldb.Rebind(l.dialect,
		`SELECT client, failures, locked_until FROM login_failures WHERE account = ? AND client IN (?, ?)`), k.account, k.client, accountWide)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			client string
			s      LockState
			until  sql.NullTime
		)
		if err := rows.Scan(&client, &s.Failures, &until); err != nil {
			return st, err
		}
		s.LockedUntil = timePtr(until)
		if client == accountWide {
			st.account = s
		} else if client == k.client {
			st.pair = s
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	if u != nil {
		st.account = LockState{Failures: u.FailedLoginCount, LockedUntil: u.LockedUntil}
	}
	return st, nil
}

// failure is the outcome of counting one failure.
type failure struct {
	after                     lockStates
	pairLocked, accountLocked bool // this failure started the lock
	accountCounted            bool // false: the client was already locked out, the account count is unchanged
}

// fail counts one failure of k at now: always for the pair; for the account only while the
// pair had not been locked before it, so one client contributes at most Threshold failures
// per lock period to the account-wide count.
func (l *lockStore) fail(ctx context.Context, k lockKey, before lockStates, now time.Time) (failure, error) {
	if err := l.prune(ctx, now); err != nil {
		l.log.WarnContext(ctx, "pruning idle login failure counts", "error", err)
	}
	p := l.policy
	cutoff, until := now.Add(-p.Duration), now.Add(p.Duration)
	out := failure{after: before}
	var err error
	if out.after.pair, err = l.upsert(ctx, l.pairSQL, p.Threshold, k.account, k.client, now, cutoff, until); err != nil {
		return out, err
	}
	out.pairLocked = out.after.pair.Failures == p.Threshold
	if out.after.pair.Failures > p.Threshold {
		return out, nil
	}
	out.accountCounted = true
	if k.userID == uuid.Nil {
		out.after.account, err = l.upsert(ctx, l.phantomAccountSQL, p.AccountThreshold, k.account, accountWide, now, cutoff, until)
	} else {
		out.after.account, err = l.scan(l.client.QueryContext(ctx, sqldb.Rebind(l.dialect, l.accountSQL),
			append(failureArgs(p.AccountThreshold, now, cutoff, until), k.userID)...))
	}
	if errors.Is(err, sql.ErrNoRows) { // the account was deleted meanwhile: nothing to lock
		out.after.account, err = before.account, nil
	}
	out.accountLocked = err == nil && out.after.account.Failures == p.AccountThreshold
	return out, err
}

func (l *lockStore) upsert(ctx context.Context, q string, threshold int, account, client string, now, cutoff, until time.Time) (LockState, error) {
	args := []any{uuid.Must(uuid.NewV7()), account, client}
	if threshold <= 1 {
		args = append(args, until)
	}
	args = append(append(args, now), failureArgs(threshold, now, cutoff, until)...)
	return l.scan(l.client.QueryContext(ctx, sqldb.Rebind(l.dialect, q), args...))
}

func (l *lockStore) scan(rows *sql.Rows, err error) (LockState, error) {
	if err != nil {
		return LockState{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return LockState{}, err
		}
		return LockState{}, sql.ErrNoRows
	}
	var (
		s     LockState
		until sql.NullTime
	)
	if err := rows.Scan(&s.Failures, &until); err != nil {
		return LockState{}, err
	}
	s.LockedUntil = timePtr(until)
	return s, rows.Err()
}

// clearPair forgets the client's failures against the account after a successful login.
func clearPair(ctx context.Context, tx *ent.Tx, k lockKey) error {
	_, err := tx.LoginFailure.Delete().Where(loginfailure.Account(k.account), loginfailure.Client(k.client)).Exec(ctx)
	return err
}

// prune deletes counts idle for the lock duration (they would start afresh anyway, and no lock
// outlives its last failure by more than the duration), at most once a minute per instance,
// so that addresses and emails sprayed by an attacker do not accumulate.
func (l *lockStore) prune(ctx context.Context, now time.Time) error {
	l.pruneMu.Lock()
	if now.Sub(l.lastPrune) < time.Minute {
		l.pruneMu.Unlock()
		return nil
	}
	l.lastPrune = now
	l.pruneMu.Unlock()
	_, err := l.client.LoginFailure.Delete().Where(loginfailure.LastFailedAtLTE(now.Add(-l.policy.Duration))).Exec(ctx)
	return err
}
