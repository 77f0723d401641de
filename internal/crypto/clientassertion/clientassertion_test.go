package clientassertion_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/telemetryflow/core/internal/crypto/clientassertion"
)

func jwkOf(t *testing.T, key any, kid string) []byte {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, KeyID: kid})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJWK(t *testing.T) {
	t.Parallel()
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaSmall, _ := rsa.GenerateKey(rand.Reader, 1024)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, c := range []struct {
		name string
		jwk  []byte
		alg  string
	}{
		{"ed25519", jwkOf(t, edPub, "a"), clientassertion.AlgEdDSA},
		{"p-256", jwkOf(t, &ec.PublicKey, ""), clientassertion.AlgES256},
		{"rsa 2048", jwkOf(t, &rsaKey.PublicKey, ""), clientassertion.AlgRS256},
		{"ed25519 private", jwkOf(t, edPriv, ""), ""},
		{"p-384", jwkOf(t, &ec384.PublicKey, ""), ""},
		{"rsa 1024", jwkOf(t, &rsaSmall.PublicKey, ""), ""},
		{"garbage", []byte(`{"kty":"nope"}`), ""},
		{"alg mismatch", []byte(`{"kty":"OKP","crv":"Ed25519","alg":"RS256","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`), ""},
	} {
		pk, err := clientassertion.ParseJWK(c.jwk)
		if c.alg == "" {
			if err == nil {
				t.Errorf("%s: accepted", c.name)
			}
			continue
		}
		if err != nil || pk.Alg != c.alg {
			t.Errorf("%s: %v %v", c.name, pk.Alg, err)
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	pk, err := clientassertion.ParseJWK(jwkOf(t, pub, "k"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	const aud, client = "https://iam.example/oauth2/token", "client-1"
	sign := func(m jwt.SigningMethod, key any, c jwt.RegisteredClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := jwt.RegisteredClaims{Issuer: client, Subject: client, Audience: jwt.ClaimStrings{aud},
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), ID: "j1"}
	if a, err := clientassertion.Verify(sign(jwt.SigningMethodEdDSA, priv, good), client, aud, []clientassertion.PublicKey{pk}, now, time.Second); err != nil || a.JTI != "j1" {
		t.Fatalf("good: %v %v", a, err)
	}
	hmacKey := []byte("0123456789abcdef0123456789abcdef")
	bad := map[string]string{
		"hs256 (not allowed)": sign(jwt.SigningMethodHS256, hmacKey, good),
	}
	for name, mutate := range map[string]func(c *jwt.RegisteredClaims){
		"wrong iss":   func(c *jwt.RegisteredClaims) { c.Issuer = "other" },
		"wrong sub":   func(c *jwt.RegisteredClaims) { c.Subject = "other" },
		"wrong aud":   func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"https://else"} },
		"no exp":      func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil },
		"expired":     func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) },
		"exp too far": func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(time.Hour)) },
		"no jti":      func(c *jwt.RegisteredClaims) { c.ID = "" },
	} {
		c := good
		mutate(&c)
		bad[name] = sign(jwt.SigningMethodEdDSA, priv, c)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	bad["other key"] = sign(jwt.SigningMethodEdDSA, other, good)
	for name, raw := range bad {
		if _, err := clientassertion.Verify(raw, client, aud, []clientassertion.PublicKey{pk}, now, time.Second); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	f.Add([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if pk, err := clientassertion.ParseJWK(b); err == nil {
			if _, err := clientassertion.ParseJWK(pk.JWK); err != nil {
				t.Fatalf("re-encoded key does not parse: %v", err)
			}
		}
	})
}
