package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// testKEK is fixed so the test can unseal the server's signing key and forge tokens with it.
var testKEK = base64.StdEncoding.EncodeToString(make([]byte, 32))

// forger signs arbitrary claims with the server's real signing key.
type forger struct {
	kid  string
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	iss  string
	aud  string
}

func newForger(t *testing.T, srv *apitest.Server) forger {
	t.Helper()
	db := srv.DB(t)
	sealer, err := keyring.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	st := db.Store(t)
	m, err := keyring.New(keyring.Config{Keys: st.SigningKeys(), UoW: st, Sealer: sealer, TokenTTL: time.Minute, RotateEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	k := m.Ring().Signing()
	return forger{kid: k.KID, priv: k.Private, pub: k.Public, iss: srv.Config.Auth.Issuer, aud: srv.Config.Auth.Audience}
}

// claims are valid for the subject unless a case changes them.
func (f forger) claims(sub, sid, oid uuid.UUID, mutate func(*accesstoken.Claims)) accesstoken.Claims {
	now := time.Now()
	c := accesstoken.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: f.iss, Subject: sub.String(), Audience: jwt.ClaimStrings{f.aud},
			ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)), NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)), ID: uuid.NewString(),
		},
		SessionID: sid.String(), OrganizationID: oid.String(),
	}
	if mutate != nil {
		mutate(&c)
	}
	return c
}

func (f forger) sign(t *testing.T, method jwt.SigningMethod, key any, kid string, c accesstoken.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenAttackMatrix(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			// No session cache: this server re-reads session and user state on every request, so
			// the state changes below made directly in the database are seen.
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_KEY_ENCRYPTION_KEY", testKEK), apitest.WithEnv("TF_SESSION_CACHE_TTL", "0s"))
			db := srv.DB(t)
			f := newForger(t, srv)
			_, admin := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			valid := admin.AccessToken
			sub, oid := admin.User.ID, admin.User.OrganizationID
			sid := sessionOf(t, valid)

			// A second session that the test logs out, a user it deactivates, one it deletes.
			_, loggedOut := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			if err := srv.WithToken(t, loggedOut.AccessToken).Logout(context.Background()); err != nil {
				t.Fatal(err)
			}
			deactivated := makeUser(t, srv, "deactivated@example.com")
			deleted := makeUser(t, srv, "deleted@example.com")
			ctx := context.Background()
			db.Ent.User.Update().Where(user.EmailEQ("deactivated@example.com")).SetStatus(user.StatusInactive).ExecX(ctx)
			db.Ent.User.Update().Where(user.EmailEQ("deleted@example.com")).SetStatus(user.StatusDeleted).SetDeletedAt(time.Now()).ExecX(ctx)

			rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
			_, foreignEd, _ := ed25519.GenerateKey(rand.Reader)
			parts := strings.Split(valid, ".")
			altered := func() string {
				payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
				changed := strings.Replace(string(payload), sub.String(), uuid.NewString(), 1)
				return parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]
			}()
			noneToken := func() string {
				c := f.claims(sub, sid, oid, nil)
				s, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}()

			critToken := func() string {
				tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, f.claims(sub, sid, oid, nil))
				tok.Header["kid"], tok.Header["crit"], tok.Header["x-must-understand"] = f.kid, []string{"x-must-understand"}, true
				s, err := tok.SignedString(f.priv)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}()

			cases := []struct {
				name   string
				header string
				reason accesstoken.Reason
			}{
				{"no token", "", accesstoken.ReasonMissing},
				{"garbage", "Bearer not.a.jwt", accesstoken.ReasonMalformed},
				{"alg none", "Bearer " + noneToken, accesstoken.ReasonAlgorithm},
				{"HS256 keyed with the public key", "Bearer " + f.sign(t, jwt.SigningMethodHS256, []byte(f.pub), f.kid, f.claims(sub, sid, oid, nil)), accesstoken.ReasonAlgorithm},
				{"RS256 from a foreign key", "Bearer " + f.sign(t, jwt.SigningMethodRS256, rsaKey, f.kid, f.claims(sub, sid, oid, nil)), accesstoken.ReasonAlgorithm},
				{"unknown kid", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, foreignEd, "unknown-kid", f.claims(sub, sid, oid, nil)), accesstoken.ReasonUnknownKey},
				{"foreign key claiming our kid", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, foreignEd, f.kid, f.claims(sub, sid, oid, nil)), accesstoken.ReasonSignature},
				{"expired", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, f.priv, f.kid, f.claims(sub, sid, oid, func(c *accesstoken.Claims) {
					c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Minute))
				})), accesstoken.ReasonExpired},
				{"nbf in the future", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, f.priv, f.kid, f.claims(sub, sid, oid, func(c *accesstoken.Claims) {
					c.NotBefore = jwt.NewNumericDate(time.Now().Add(5 * time.Minute))
				})), accesstoken.ReasonNotYetValid},
				{"wrong issuer", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, f.priv, f.kid, f.claims(sub, sid, oid, func(c *accesstoken.Claims) {
					c.Issuer = "https://evil.example"
				})), accesstoken.ReasonIssuer},
				{"wrong audience", "Bearer " + f.sign(t, jwt.SigningMethodEdDSA, f.priv, f.kid, f.claims(sub, sid, oid, func(c *accesstoken.Claims) {
					c.Audience = jwt.ClaimStrings{"another-service"}
				})), accesstoken.ReasonAudience},
				{"payload altered after signing", "Bearer " + altered, accesstoken.ReasonSignature},
				{"crit header", "Bearer " + critToken, accesstoken.ReasonCritical},
				{"logged-out session", "Bearer " + loggedOut.AccessToken, accesstoken.ReasonSessionEnded},
				{"deactivated user", "Bearer " + deactivated, accesstoken.ReasonSessionEnded},
				{"deleted user", "Bearer " + deleted, accesstoken.ReasonSessionEnded},
			}
			// The valid token works, so every rejection below is down to the attack itself.
			if resp := rawGet(t, srv.URL+"/api/v2/users", "Bearer "+valid); resp.StatusCode == http.StatusUnauthorized {
				t.Fatal("sanity: the untampered token is rejected")
			}
			for _, tc := range cases {
				before := auditRows(t, db, "token_rejected", string(tc.reason))
				resp := rawGet(t, srv.URL+"/api/v2/users", tc.header)
				if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: status %d %s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"))
					continue
				}
				if after := auditRows(t, db, "token_rejected", string(tc.reason)); after != before+1 {
					t.Errorf("%s: audit rows with reason %q went %d → %d", tc.name, tc.reason, before, after)
				}
			}
		})
	}
}

// makeUser inserts an active user with a known password and returns a fresh access token.
func makeUser(t *testing.T, srv *apitest.Server, email string) string {
	t.Helper()
	insertActiveUser(t, srv, email, "a-long-enough-password")
	_, tok := srv.Login(t, email, "a-long-enough-password")
	return tok.AccessToken
}

func sessionOf(t *testing.T, raw string) uuid.UUID {
	t.Helper()
	var c accesstoken.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil {
		t.Fatal(err)
	}
	return uuid.MustParse(c.SessionID)
}
