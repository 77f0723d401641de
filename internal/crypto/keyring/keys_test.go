package keyring_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/testclock"
)

func TestSealRoundTripAndTamper(t *testing.T) {
	t.Parallel()
	s, err := keyring.NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("seed material"), []byte("kid-1"))
	if got, err := s.Open(sealed, []byte("kid-1")); err != nil || string(got) != "seed material" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.Open(sealed, []byte("kid-2")); err == nil {
		t.Fatal("a sealed key opened under another kid")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open(sealed, []byte("kid-1")); err == nil {
		t.Fatal("tampered ciphertext opened")
	}
	other, _ := keyring.NewSealer(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(s.Seal([]byte("x"), nil), nil); err == nil {
		t.Fatal("opened with the wrong KEK")
	}
	if _, err := keyring.NewSealer([]byte("short")); err == nil {
		t.Fatal("accepted a short KEK")
	}
}

func TestLoadKEK(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "kek")
	first, err := keyring.LoadKEK("", path)
	if err != nil || len(first) != 32 {
		t.Fatalf("create: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("KEK file mode %v", st.Mode().Perm())
	}
	again, err := keyring.LoadKEK("", path)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatal("the KEK file is not reused")
	}
	explicit := bytes.Repeat([]byte{1}, 32)
	got, err := keyring.LoadKEK(base64.StdEncoding.EncodeToString(explicit), path)
	if err != nil || !bytes.Equal(got, explicit) {
		t.Fatal("explicit KEK not preferred")
	}
	if _, err := keyring.LoadKEK("bm90IDMyIGJ5dGVz", path); err == nil {
		t.Fatal("accepted a KEK that is not 32 bytes")
	}
}

func newManager(t *testing.T, st *store.Store, c *testclock.Clock) *keyring.Manager {
	t.Helper()
	s, _ := keyring.NewSealer(bytes.Repeat([]byte{3}, 32))
	m, err := keyring.New(keyring.Config{Keys: st.SigningKeys(), UoW: st, Sealer: s,
		TokenTTL: 15 * time.Minute, Leeway: 30 * time.Second, RotateEvery: 24 * time.Hour, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRotationKeepsOldKeyPublishedUntilItsTokensExpire(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		c := testclock.New()
		st := storetest.Wrap(db).Store(t)
		m := newManager(t, st, c)
		first := m.Ring().Signing()
		if first == nil || len(m.Ring().JWKS()) != 1 {
			t.Fatal("no first key")
		}
		// A second instance on the same database sees the same key and does not create another.
		peer := newManager(t, st, c)
		if peer.Ring().Signing().KID != first.KID {
			t.Fatal("second instance created its own key")
		}
		c.Advance(time.Second)
		second, err := m.Rotate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if second.KID == first.KID || m.Ring().Signing().KID != second.KID {
			t.Fatal("rotation did not switch the signing key")
		}
		if _, ok := m.Ring().Verifier(first.KID); !ok {
			t.Fatal("the retired key must stay trusted while its tokens live")
		}
		// The peer learns the new key when a token names it.
		if _, ok := peer.RefreshFor(ctx, second.KID); !ok {
			t.Fatal("peer did not pick up the rotated key")
		}
		// The private half is stored sealed, never in clear.
		row := storedKey(t, st, second.KID)
		if bytes.Contains(row.PrivateSealed, second.Private.Seed()) {
			t.Fatal("private key stored in clear")
		}
		signed := ed25519.Sign(second.Private, []byte("m"))
		if !ed25519.Verify(row.PublicKey, []byte("m"), signed) {
			t.Fatal("stored public key does not match")
		}
		// Once every token the old key signed has expired, it is no longer published.
		c.Advance(15*time.Minute + 31*time.Second)
		if _, err := m.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok := m.Ring().Verifier(first.KID); ok {
			t.Fatal("a key retired longer than the token lifetime is still trusted")
		}
		if _, ok := m.Ring().Verifier(second.KID); !ok {
			t.Fatal("the just-retired key must still be trusted")
		}
	})
}

func storedKey(t *testing.T, st *store.Store, kid string) port.SealedKey {
	t.Helper()
	keys, err := st.SigningKeys().Trusted(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.KID == kid {
			return k
		}
	}
	t.Fatalf("key %s is not stored", kid)
	return port.SealedKey{}
}
