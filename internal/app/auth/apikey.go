package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// API keys (tfk_…) presented as bearer tokens. Verify hands any credential with the prefix to
// verifyAPIKey, so a key is never tried as a JWT nor a JWT as a key.
//
// A key is looked up by its keyed hash, cached per hash with its owner's standing (dropped by
// the same invalidations that drop the owner's sessions: deactivation, deletion, a hierarchy
// change, and the key's own revocation, which invalidates its owner), and yields its owner's
// principal narrowed by principal.Restriction to the key's permission list. The gate and the
// actor intersect that list with the owner's current permissions at each request, so revoking
// the owner's role narrows the key at once without touching this cache.

// keyUseEvery is how often at most a key's last_used_at is written, per replica.
const keyUseEvery = time.Minute

// keyState is what verification needs to know about a key, cached per key hash.
type keyState struct {
	principal   *principal.Principal
	key         authn.APIKey
	ownerUsable bool
	ownerPlaced bool
	loadedAt    time.Time
	// lastUse is the last recorded use (Unix seconds): uses within keyUseEvery write nothing.
	lastUse atomic.Int64
}

func (s *Service) verifyAPIKey(ctx context.Context, raw string) (*principal.Principal, error) {
	if s.cfg.APIKeys == nil || !apikey.Looks(raw) {
		return nil, keyRejected(accesstoken.ReasonMalformed, uuid.Nil, "")
	}
	d := s.cfg.APIKeys.Hash(raw)
	now := s.now()
	st, gen, ok := s.keys.get(d, now)
	if !ok {
		var err error
		if st, err = s.loadKey(ctx, d, raw, now); err != nil {
			return nil, err
		}
		s.keys.put(d, st, gen)
	}
	if r := st.key.Refusal(now, st.ownerUsable, st.ownerPlaced); r != "" {
		return nil, keyRejected(accesstoken.Reason(r), st.key.ID, st.key.Prefix)
	}
	s.noteKeyUse(st, now)
	return st.principal, nil
}

// loadKey reads the key and its owner. An unknown key counts against the client's address
// like a failed login: 256-bit secrets cannot be guessed, but a flood of lookups is refused
// early (429) once the address has spent its attempts.
func (s *Service) loadKey(ctx context.Context, d apikey.Digest, raw string, now time.Time) (*keyState, error) {
	v, err := s.cfg.Store.APIKeys().ByHash(ctx, d[:])
	if errs.IsKind(err, errs.KindNotFound) {
		if ok, wait := s.limiter.Allow(ctx, "api_key|"+reqinfo.From(ctx).ClientKey(), now); !ok {
			e := audit.NewAuth(ctx, "token_rejected", "api_key", audit.ResultFailure)
			e.ErrorMessage = "api_key_rate_limited"
			s.recordFailure(ctx, e)
			return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
				Message: "Too many failed authentications from this address; retry later.", RetryAfter: wait}
		}
		return nil, keyRejected(authn.KeyUnknown, uuid.Nil, apikey.Display(raw))
	}
	if err != nil {
		return nil, err
	}
	st := &keyState{key: v.Key, loadedAt: now}
	if v.Key.LastUsedAt != nil {
		st.lastUse.Store(v.Key.LastUsedAt.Unix())
	}
	if o := v.Owner; o != nil {
		st.ownerUsable, st.ownerPlaced = authn.OwnerUsable(&o.User), o.HierarchyActive
		// The key's id stands in the session's place: every audit row of a request made with
		// the key carries it as session_id, so what a key did is one audit query away.
		st.principal = &principal.Principal{UserID: o.ID, SessionID: v.Key.ID, TenantID: o.TenantID,
			OrganizationID: o.OrganizationID, Email: o.Email, FirstName: o.FirstName, LastName: o.LastName}
		if v.Key.Permissions != nil {
			st.principal.Restriction = principal.Restrict(v.Key.Permissions)
		}
		// The MFA policy holds a person's key to enrolment like their sessions: a key minted
		// before the policy applied reaches no more than a password session would. A service
		// account could never enrol (as for its client_credentials sessions): spared.
		if o.Kind != iam.KindService {
			mustEnrol, err := s.mustEnrol(ctx, &port.SessionView{User: *o, Standing: v.Standing})
			if err != nil {
				return nil, err
			}
			st.principal.MFAEnrollmentRequired = mustEnrol
		}
	}
	return st, nil
}

// noteKeyUse writes last_used_at at most once per keyUseEvery per key, off the request path.
func (s *Service) noteKeyUse(st *keyState, now time.Time) {
	last, at := st.lastUse.Load(), now.Unix()
	if at-last < int64(keyUseEvery/time.Second) || !st.lastUse.CompareAndSwap(last, at) {
		return
	}
	s.touches.do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.cfg.Store.APIKeys().Touch(ctx, st.key.ID, now); err != nil {
			s.cfg.Log.Warn("api key: recording its use failed", "key_id", st.key.ID, "error", err)
		}
	})
}

// keyRejection is the cause of a refused key: the reason, and which key when it is known
// (never the token; the prefix is the displayable part).
type keyRejection struct {
	reason accesstoken.RejectedError
	keyID  uuid.UUID
	prefix string
}

func (e *keyRejection) Error() string { return "api key rejected: " + string(e.reason.Reason) }
func (e *keyRejection) Unwrap() error { return &e.reason }

func keyRejected(r accesstoken.Reason, id uuid.UUID, prefix string) error {
	return errs.Wrap(errs.KindUnauthenticated, codeTokenRejected,
		"The access token is missing, invalid, expired or revoked.",
		&keyRejection{reason: accesstoken.RejectedError{Reason: r}, keyID: id, prefix: prefix})
}

// rejectedKeyEvent is the token_rejected row of a refused API key, naming the key when known.
func rejectedKeyEvent(ctx context.Context, err error) (audit.Event, bool) {
	var kr *keyRejection
	if !errors.As(err, &kr) {
		return audit.Event{}, false
	}
	e := audit.NewAuth(ctx, "token_rejected", "api_key", audit.ResultFailure)
	e.ErrorMessage = string(kr.reason.Reason)
	md := map[string]any{}
	if kr.keyID != uuid.Nil {
		md["key_id"] = kr.keyID.String()
	}
	if kr.prefix != "" {
		md["prefix"] = kr.prefix
	}
	if len(md) > 0 {
		e.WithMetadata(md)
	}
	return e, true
}

// background runs the last_used_at writes off the request path; once closed it starts no more
// (a request racing shutdown records nothing rather than write to a closing store).
type background struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

func (b *background) do(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.wg.Go(f)
}

// close waits for the writes in flight.
func (b *background) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
}
