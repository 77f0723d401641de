package auth

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
)

// locksOf reads the counts an attempt is subject to: the client's against the account and the
// account-wide one (on the user row for a real account, a phantom row otherwise).
func (s *Service) locksOf(ctx context.Context, k authn.LockKey, u *port.PlacedUser) (authn.Locks, error) {
	l, err := s.cfg.Store.LoginFailures().Current(ctx, k)
	if err != nil {
		return l, err
	}
	return withAccountLock(l, u), nil
}

// withAccountLock puts a real account's own account-wide count (on its user row) in place of
// the phantom one read with the pair's.
func withAccountLock(l authn.Locks, u *port.PlacedUser) authn.Locks {
	if u != nil {
		l.Account = authn.AccountLock(&u.User)
	}
	return l
}

// countFailure counts a failed attempt (after pruning idle counts, at most once a minute per
// instance, so that emails and addresses sprayed by an attacker do not pile up).
func (s *Service) countFailure(ctx context.Context, k authn.LockKey, before authn.Locks, now time.Time) (authn.Failure, error) {
	if s.pruner.due(now) {
		if err := s.cfg.Store.LoginFailures().Prune(ctx, now.Add(-s.cfg.Lockout.Duration)); err != nil {
			s.cfg.Log.WarnContext(ctx, "pruning idle login failure counts", "error", err)
		}
	}
	return s.cfg.Store.LoginFailures().Fail(ctx, k, before, s.cfg.Lockout, now)
}

// Lock scopes, as the account_locked audit event's metadata names them.
const (
	scopeAddress = "address" // one client (IPv4 address or IPv6 /64) locked out of one account
	scopeAccount = "account" // the account locked for every client
)

// lockEvents are the account_locked events of the locks a failure started, derived from the
// failure's own event. Phantom locks have none: there is no account to report on, and the
// failed-login events already name the email (the metric counts them).
func lockEvents(k authn.LockKey, failed audit.Event, f authn.Failure) []audit.Event {
	if k.UserID == uuid.Nil {
		return nil
	}
	var out []audit.Event
	for _, l := range []struct {
		started bool
		scope   string
		st      authn.LockState
	}{{f.PairLocked, scopeAddress, f.After.Pair}, {f.AccountLocked, scopeAccount, f.After.Account}} {
		if !l.started || l.st.LockedUntil == nil {
			continue
		}
		e := failed
		e.ID, e.Action, e.ErrorMessage = uuid.Must(uuid.NewV7()), "account_locked", "too_many_failures"
		meta := map[string]any{"scope": l.scope, "failures": l.st.Failures, "locked_until": l.st.LockedUntil.UTC().Format(time.RFC3339)}
		if l.scope == scopeAddress {
			meta["client"] = k.Client
		}
		e.WithMetadata(meta)
		out = append(out, e)
	}
	return out
}

// pruner lets one prune through per minute.
type pruner struct {
	mu   sync.Mutex
	last time.Time
}

func (p *pruner) due(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.last) < time.Minute {
		return false
	}
	p.last = now
	return true
}
