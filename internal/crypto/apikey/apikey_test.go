package apikey

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
	"testing"
)

func testHasher(t testing.TB) *Hasher {
	t.Helper()
	h, err := NewHasher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestNewTokensAreWellFormedAndDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		tok, err := New()
		if err != nil {
			t.Fatal(err)
		}
		if !Looks(tok) || len(tok) != TokenLen || !strings.HasPrefix(tok, Prefix) {
			t.Fatalf("malformed token %q", tok)
		}
		if seen[tok] {
			t.Fatal("duplicate token")
		}
		seen[tok] = true
	}
}

func TestHashIsHMACSHA256UnderTheKey(t *testing.T) {
	t.Parallel()
	h := testHasher(t)
	tok, _ := New()
	m := hmac.New(sha256.New, bytes.Repeat([]byte{7}, 32))
	m.Write([]byte(tok))
	if got := h.Hash(tok); !bytes.Equal(got[:], m.Sum(nil)) {
		t.Fatal("Hash is not HMAC-SHA-256 of the token under the key")
	}
	other, _ := NewHasher(bytes.Repeat([]byte{8}, 32))
	if h.Hash(tok) == other.Hash(tok) {
		t.Fatal("different keys give the same hash")
	}
}

func TestHashIsSafeConcurrently(t *testing.T) {
	t.Parallel()
	h := testHasher(t)
	tok, _ := New()
	want := h.Hash(tok)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if h.Hash(tok) != want {
					t.Error("concurrent hash differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestHashAllocatesNothing(t *testing.T) {
	h := testHasher(t)
	tok, _ := New()
	h.Hash(tok)
	if n := testing.AllocsPerRun(100, func() { h.Hash(tok) }); n != 0 {
		t.Fatalf("Hash allocates %v times", n)
	}
}

func TestLooks(t *testing.T) {
	t.Parallel()
	good, _ := New()
	for _, c := range []struct {
		s    string
		want bool
	}{
		{good, true},
		{good[:len(good)-1], false},
		{good + "A", false},
		{"tfx_" + good[4:], false},
		{good[:10] + "!" + good[11:], false},
		{"", false},
		{"eyJhbGciOiJFZERTQSJ9.e30.sig", false},
	} {
		if got := Looks(c.s); got != c.want {
			t.Errorf("Looks(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	if Display(good) != good[:DisplayLen] || len(Display(good)) != 12 {
		t.Errorf("Display = %q", Display(good))
	}
}

func FuzzLooks(f *testing.F) {
	good, _ := New()
	f.Add(good)
	f.Add("tfk_")
	f.Fuzz(func(t *testing.T, s string) {
		if Looks(s) && (len(s) != TokenLen || !HasPrefix(s)) {
			t.Fatalf("Looks accepted %q", s)
		}
	})
}

func BenchmarkHash(b *testing.B) {
	h := testHasher(b)
	tok, _ := New()
	b.ReportAllocs()
	for b.Loop() {
		h.Hash(tok)
	}
}
