package keyring

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
)

// Config wires and tunes the manager.
type Config struct {
	// Keys are the stored keys (internal/store), read outside a transaction.
	Keys port.SigningKeys
	// UoW runs a rotation (retire the old key, insert the new one) in one transaction.
	UoW port.UnitOfWork
	// Sealer seals private keys for storage and opens them on load.
	Sealer *Sealer
	// TokenTTL is the longest an access token lives; a retired key stays published this long
	// (plus Leeway) so tokens it signed keep verifying until they expire anyway.
	TokenTTL time.Duration
	Leeway   time.Duration
	// RotateEvery is the age at which the signing key is replaced.
	RotateEvery time.Duration
	// ReloadEvery is how often other instances' rotations are picked up (default 1 min).
	ReloadEvery time.Duration
	Now         func() time.Time
	Log         *slog.Logger
	// OnRotate is told about each rotation (for the SYSTEM audit event).
	OnRotate func(ctx context.Context, oldKID, newKID string)
}

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	if c.Keys == nil || c.UoW == nil || c.Sealer == nil {
		return errors.New("keys: a key store, a unit of work and a sealer are required")
	}
	if c.TokenTTL <= 0 || c.RotateEvery <= c.TokenTTL {
		return errors.New("keys: rotation period must exceed the token lifetime")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ReloadEvery <= 0 {
		c.ReloadEvery = time.Minute
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Manager owns the key ring and keeps it current.
type Manager struct {
	cfg  Config
	ring atomic.Pointer[Ring]
	// reloadMu rate-limits reloads triggered by unknown key ids.
	reloadMu   sync.Mutex
	lastReload time.Time
}

// New validates cfg; call Load before use.
func New(cfg Config) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Manager{cfg: cfg}, nil
}

// Ring returns the current snapshot.
func (m *Manager) Ring() *Ring { return m.ring.Load() }

// Load reads trusted keys and creates the first signing key when there is none.
func (m *Manager) Load(ctx context.Context) error {
	if err := m.reload(ctx); err != nil {
		return err
	}
	if m.Ring().Signing() == nil {
		k, sealed, err := m.generate(m.cfg.Now().UTC())
		if err != nil {
			return err
		}
		if err := m.cfg.Keys.Insert(ctx, sealed); err != nil {
			return fmt.Errorf("keys: store new key %s: %w", k.KID, err)
		}
		return m.reload(ctx)
	}
	return nil
}

// errRotatedElsewhere: another instance retired the key first; this rotation does nothing.
var errRotatedElsewhere = errors.New("keys: rotated by another instance")

// Rotate retires the current signing key and starts signing with a new one.
func (m *Manager) Rotate(ctx context.Context) (*Key, error) {
	if err := m.reload(ctx); err != nil {
		return nil, err
	}
	old := m.Ring().Signing()
	now := m.cfg.Now().UTC()
	k, sealed, err := m.generate(now)
	if err != nil {
		return nil, err
	}
	err = m.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if old != nil {
			// Conditional: if another instance rotated meanwhile, this one does nothing.
			retired, err := tx.SigningKeys().Retire(ctx, old.KID, now)
			if err != nil {
				return err
			}
			if !retired {
				return errRotatedElsewhere
			}
		}
		return tx.SigningKeys().Insert(ctx, sealed)
	})
	if errors.Is(err, errRotatedElsewhere) {
		return nil, m.reload(ctx)
	}
	if err != nil {
		return nil, err
	}
	oldKID := ""
	if old != nil {
		oldKID = old.KID
	}
	m.cfg.Log.InfoContext(ctx, "signing key rotated", "old_kid", oldKID, "new_kid", k.KID)
	if m.cfg.OnRotate != nil {
		m.cfg.OnRotate(ctx, oldKID, k.KID)
	}
	return k, m.reload(ctx)
}

// Run keeps the ring fresh and rotates on schedule until ctx ends.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(m.cfg.ReloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := m.reload(ctx); err != nil {
			m.cfg.Log.WarnContext(ctx, "reload signing keys", "error", err)
			continue
		}
		if s := m.Ring().Signing(); s == nil || m.cfg.Now().Sub(s.CreatedAt) >= m.cfg.RotateEvery {
			if _, err := m.Rotate(ctx); err != nil {
				m.cfg.Log.ErrorContext(ctx, "scheduled key rotation failed", "error", err)
			}
		}
	}
}

// RefreshFor reloads when a token names a key id this instance has not seen (another instance
// may have rotated), at most once per second so unknown ids cannot hammer the database.
func (m *Manager) RefreshFor(ctx context.Context, kid string) (ed25519.PublicKey, bool) {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	if pub, ok := m.Ring().Verifier(kid); ok {
		return pub, true
	}
	if m.cfg.Now().Sub(m.lastReload) < time.Second {
		return nil, false
	}
	m.lastReload = m.cfg.Now()
	if err := m.reload(ctx); err != nil {
		return nil, false
	}
	return m.Ring().Verifier(kid)
}

func (m *Manager) reload(ctx context.Context) error {
	cutoff := m.cfg.Now().UTC().Add(-(m.cfg.TokenTTL + m.cfg.Leeway))
	rows, err := m.cfg.Keys.Trusted(ctx, cutoff)
	if err != nil {
		return fmt.Errorf("keys: load: %w", err)
	}
	keys := make([]*Key, 0, len(rows))
	for _, r := range rows {
		if r.Algorithm != Algorithm || len(r.PublicKey) != ed25519.PublicKeySize {
			continue
		}
		k := &Key{KID: r.KID, Public: ed25519.PublicKey(r.PublicKey), CreatedAt: r.CreatedAt, NotBefore: r.NotBefore, RetiredAt: r.RetiredAt}
		if r.RetiredAt == nil {
			seed, err := m.cfg.Sealer.Open(r.PrivateSealed, []byte(r.KID))
			if err != nil {
				return fmt.Errorf("%w (signing key %s)", err, r.KID)
			}
			if len(seed) != ed25519.SeedSize {
				return errors.New("keys: unsealed key has the wrong size")
			}
			k.Private = ed25519.NewKeyFromSeed(seed)
		}
		keys = append(keys, k)
	}
	m.ring.Store(NewRing(keys))
	return nil
}

// generate makes a key pair and its sealed record.
func (m *Manager) generate(now time.Time) (*Key, port.SealedKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, port.SealedKey{}, err
	}
	kid := Thumbprint(pub)
	sealed := port.SealedKey{KID: kid, Algorithm: Algorithm, PublicKey: pub, PrivateSealed: m.cfg.Sealer.Seal(priv.Seed(), []byte(kid)),
		CreatedAt: now, NotBefore: now}
	return &Key{KID: kid, Public: pub, Private: priv, CreatedAt: now, NotBefore: now}, sealed, nil
}
