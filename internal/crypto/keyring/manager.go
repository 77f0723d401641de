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

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/signingkey"
)

// Config tunes the manager.
type Config struct {
	// TokenTTL is the longest an access token lives; a retired key stays published this long
	// (plus Leeway) so tokens it signed keep verifying until they expire anyway.
	TokenTTL time.Duration
	Leeway   time.Duration
	// RotateEvery is the age at which the signing key is replaced.
	RotateEvery time.Duration
	// ReloadEvery is how often other instances' rotations are picked up.
	ReloadEvery time.Duration
	Now         func() time.Time
	Log         *slog.Logger
	// OnRotate is told about each rotation (for the SYSTEM audit event).
	OnRotate func(ctx context.Context, oldKID, newKID string)
}

// Manager owns the key ring and keeps it current.
type Manager struct {
	client *ent.Client
	sealer *Sealer
	cfg    Config
	ring   atomic.Pointer[Ring]

	// reloadMu rate-limits reloads triggered by unknown key ids.
	reloadMu   sync.Mutex
	lastReload time.Time
}

// NewManager validates cfg; call Load before use.
func NewManager(client *ent.Client, sealer *Sealer, cfg Config) (*Manager, error) {
	if cfg.TokenTTL <= 0 || cfg.RotateEvery <= cfg.TokenTTL {
		return nil, errors.New("keys: rotation period must exceed the token lifetime")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReloadEvery <= 0 {
		cfg.ReloadEvery = time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Manager{client: client, sealer: sealer, cfg: cfg}, nil
}

// Ring returns the current snapshot.
func (m *Manager) Ring() *Ring { return m.ring.Load() }

// Load reads trusted keys and creates the first signing key when there is none.
func (m *Manager) Load(ctx context.Context) error {
	if err := m.reload(ctx); err != nil {
		return err
	}
	if m.Ring().Signing() == nil {
		if _, err := m.create(ctx); err != nil {
			return err
		}
		return m.reload(ctx)
	}
	return nil
}

// Rotate retires the current signing key and starts signing with a new one.
func (m *Manager) Rotate(ctx context.Context) (*Key, error) {
	if err := m.reload(ctx); err != nil {
		return nil, err
	}
	old := m.Ring().Signing()
	tx, err := m.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	now := m.cfg.Now().UTC()
	if old != nil {
		// Conditional update: if another instance rotated meanwhile, this one does nothing.
		n, err := tx.SigningKey.Update().Where(signingkey.Kid(old.KID), signingkey.RetiredAtIsNil()).SetRetiredAt(now).Save(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, m.reload(ctx)
		}
	}
	k, err := m.insert(ctx, tx.Client(), now)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
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
	rows, err := m.client.SigningKey.Query().
		Where(signingkey.Or(signingkey.RetiredAtIsNil(), signingkey.RetiredAtGT(cutoff))).
		All(ctx)
	if err != nil {
		return fmt.Errorf("keys: load: %w", err)
	}
	keys := make([]*Key, 0, len(rows))
	for _, r := range rows {
		if r.Algorithm != Algorithm || len(r.PublicKey) != ed25519.PublicKeySize {
			continue
		}
		k := &Key{KID: r.Kid, Public: ed25519.PublicKey(r.PublicKey), CreatedAt: r.CreatedAt, NotBefore: r.NotBefore, RetiredAt: r.RetiredAt}
		if r.RetiredAt == nil {
			seed, err := m.sealer.Open(r.PrivateKeySealed, []byte(r.Kid))
			if err != nil {
				return fmt.Errorf("%w (signing key %s)", err, r.Kid)
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

func (m *Manager) create(ctx context.Context) (*Key, error) {
	return m.insert(ctx, m.client, m.cfg.Now().UTC())
}

func (m *Manager) insert(ctx context.Context, c *ent.Client, now time.Time) (*Key, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	kid := Thumbprint(pub)
	_, err = c.SigningKey.Create().SetKid(kid).SetAlgorithm(Algorithm).SetPublicKey(pub).
		SetPrivateKeySealed(m.sealer.Seal(priv.Seed(), []byte(kid))).SetNotBefore(now).SetCreatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("keys: store new key: %w", err)
	}
	return &Key{KID: kid, Public: pub, Private: priv, CreatedAt: now, NotBefore: now}, nil
}
