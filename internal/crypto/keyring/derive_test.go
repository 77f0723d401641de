package keyring_test

import (
	"bytes"
	"testing"

	"github.com/telemetryflow/core/internal/crypto/keyring"
)

func TestDerive(t *testing.T) {
	t.Parallel()
	kek := bytes.Repeat([]byte{7}, 32)
	a1, err := keyring.Derive(kek, "purpose a")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := keyring.Derive(kek, "purpose a")
	b, _ := keyring.Derive(kek, "purpose b")
	other, _ := keyring.Derive(bytes.Repeat([]byte{8}, 32), "purpose a")
	cases := []struct {
		name       string
		x, y       []byte
		wantEquals bool
	}{
		{"same KEK and label: every replica derives the same key", a1, a2, true},
		{"another label: another key", a1, b, false},
		{"another KEK: another key", a1, other, false},
		{"never the KEK itself", a1, kek, false},
	}
	for _, c := range cases {
		if got := bytes.Equal(c.x, c.y); got != c.wantEquals {
			t.Errorf("%s: equal = %v", c.name, got)
		}
	}
	if len(a1) != 32 {
		t.Errorf("key length %d", len(a1))
	}
	if _, err := keyring.Derive(kek[:16], "purpose a"); err == nil {
		t.Error("a 16-byte KEK was accepted")
	}
}
