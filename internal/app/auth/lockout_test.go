package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/loginfailure"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

const victimPassword = "the-victims-password"

// attempt is what a login answered, as a caller sees it: status and Retry-After.
type attempt struct {
	status int
	retry  int
}

func tryLogin(t *testing.T, c *oas.Client, email, pw string) attempt {
	t.Helper()
	_, err := c.Login(context.Background(), &oas.LoginRequest{Email: email, Password: pw})
	if err == nil {
		return attempt{status: 200}
	}
	var p *oas.ProblemStatusCodeWithHeaders
	if !asProblem(err, &p) {
		t.Fatalf("login %s: %v", email, err)
	}
	if p.StatusCode == 401 && p.Response.Code != "invalid_credentials" {
		t.Fatalf("login %s: code %s", email, p.Response.Code)
	}
	return attempt{status: p.StatusCode, retry: p.RetryAfter.Or(0)}
}

// pairFailures reads the count of failures against email from client.
func pairFailures(t *testing.T, srv *apitest.Server, email, client string) int {
	t.Helper()
	sum := sha256.Sum256([]byte(email))
	row, err := srv.DB(t).Ent.LoginFailure.Query().
		Where(loginfailure.Account(hex.EncodeToString(sum[:])), loginfailure.Client(client)).Only(context.Background())
	if err != nil {
		t.Fatalf("failure count of %s from %s: %v", email, client, err)
	}
	return row.Failures
}

func accountFailures(t *testing.T, srv *apitest.Server, email string) int {
	t.Helper()
	return srv.DB(t).Ent.User.Query().Where(user.EmailEQ(email)).OnlyX(context.Background()).FailedLoginCount
}

// lockEvents lists the scopes (and, for an address lock, the client) of the account_locked
// audit events.
func lockEvents(t *testing.T, srv *apitest.Server) []string {
	t.Helper()
	rows, err := srv.DB(t).Ent.AuditLog.Query().Where(auditlog.ActionEQ("account_locked"), auditlog.EventTypeEQ(auditlog.EventTypeAUTH)).
		All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		var m struct{ Scope, Client string }
		if err := json.Unmarshal([]byte(r.Metadata), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m.Scope+" "+m.Client)
	}
	slices.Sort(out)
	return out
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// 25 concurrent wrong passwords from one address are each counted (the count used to be a
// read-modify-write and ended at 2-3); the address is then locked and the right password is
// refused. With the default thresholds the address contributes exactly its 5 to the account.
func TestConcurrentFailuresAreEachCounted(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		for _, tc := range []struct {
			threshold  string
			wantPair   int
			wantAcct   int
			wantLocked []string
		}{
			{"5", 25, 5, []string{"address 127.0.0.1"}},
			{"25", 25, 25, []string{"address 127.0.0.1"}},
		} {
			t.Run(dia+"/threshold "+tc.threshold, func(t *testing.T) {
				t.Parallel()
				srv := apitest.Start(t, dia, apitest.WithEnv("TF_LOCKOUT_THRESHOLD", tc.threshold), apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "1000"))
				const email, unknown = "victim@example.com", "nobody@example.com"
				insertActiveUser(t, srv, email, victimPassword)
				results := make([]attempt, 25)
				parallel(25, func(i int) { results[i] = tryLogin(t, srv.Client, email, "wrong-password-"+string(rune('a'+i))) })
				for i, r := range results {
					if r.status != 401 {
						t.Fatalf("attempt %d: %+v", i, r)
					}
				}
				if n := pairFailures(t, srv, email, "127.0.0.1"); n != tc.wantPair {
					t.Fatalf("address count %d, want %d", n, tc.wantPair)
				}
				if n := accountFailures(t, srv, email); n != tc.wantAcct {
					t.Fatalf("account count %d, want %d", n, tc.wantAcct)
				}
				if got := tryLogin(t, srv.Client, email, victimPassword); got.status != 401 || got.retry < 890 || got.retry > 900 {
					t.Fatalf("right password while locked: %+v", got)
				}
				if got := lockEvents(t, srv); !slices.Equal(got, tc.wantLocked) {
					t.Fatalf("lock events %v, want %v", got, tc.wantLocked)
				}
				// An unknown email under the same attack is counted and locked the same way.
				parallel(25, func(int) { tryLogin(t, srv.Client, unknown, "wrong-password") })
				if n := pairFailures(t, srv, unknown, "127.0.0.1"); n != tc.wantPair {
					t.Fatalf("phantom address count %d, want %d", n, tc.wantPair)
				}
				if n := pairFailures(t, srv, unknown, "*"); n != tc.wantAcct {
					t.Fatalf("phantom account count %d, want %d", n, tc.wantAcct)
				}
				if got := tryLogin(t, srv.Client, unknown, victimPassword); got.status != 401 || got.retry < 890 {
					t.Fatalf("phantom while locked: %+v", got)
				}
			})
		}
	}
}

// A success forgets its address's failures against the account (the next failure counts
// from one), and nobody else's; a success with nothing to forget leaves the counts alone.
func TestSuccessForgetsTheAddressCount(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := startLockout(t, dia, "5", "10")
			const email = "owner@example.com"
			insertActiveUser(t, srv, email, victimPassword)
			owner, other := via(t, srv, "X-Forwarded-For", "192.0.2.10"), via(t, srv, "X-Forwarded-For", "192.0.2.11")
			tryLogin(t, owner, email, "typo-password")
			tryLogin(t, owner, email, "typo-password")
			tryLogin(t, other, email, "typo-password")
			for range 2 { // the second success has nothing to forget
				if got := tryLogin(t, owner, email, victimPassword); got.status != 200 {
					t.Fatalf("owner: %+v", got)
				}
			}
			tryLogin(t, owner, email, "typo-password")
			if n := pairFailures(t, srv, email, "192.0.2.10"); n != 1 {
				t.Fatalf("the owner's address count is %d after a success and a failure, want 1", n)
			}
			if n := pairFailures(t, srv, email, "192.0.2.11"); n != 1 {
				t.Fatalf("another address's count is %d, want its 1 kept", n)
			}
		})
	}
}

// startLockout starts a server with lockout thresholds per address and per account, whose
// clock stands still (a lock's Retry-After stays exact) and which trusts the test as its proxy,
// so that each client names its address in X-Forwarded-For or Forwarded (see via).
func startLockout(t *testing.T, dia, perAddress, perAccount string, opts ...apitest.Option) *apitest.Server {
	t.Helper()
	clock := apitest.NewClock()
	return apitest.Start(t, dia, append([]apitest.Option{apitest.WithClock(clock.Now),
		apitest.WithEnv("TF_TRUSTED_PROXIES", "127.0.0.1/32"), apitest.WithEnv("TF_LOCKOUT_THRESHOLD", perAddress),
		apitest.WithEnv("TF_ACCOUNT_LOCKOUT_THRESHOLD", perAccount)}, opts...)...)
}

// One address hammering an account locks only itself out: the owner still logs in from
// another address, even after more failures than the account-wide threshold. An unknown email
// answers the same sequence identically.
func TestLockoutIsPerAddress(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := startLockout(t, dia, "5", "10", apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "1000"))
			const email = "owner@example.com"
			insertActiveUser(t, srv, email, victimPassword)
			attacker := via(t, srv, "X-Forwarded-For", "198.51.100.66")
			owner := via(t, srv, "Forwarded", `for="[2001:db8:5::1]:443"`)

			run := func(email string) []attempt {
				var seq []attempt
				for range 20 {
					seq = append(seq, tryLogin(t, attacker, email, "wrong-password"))
				}
				seq = append(seq, tryLogin(t, attacker, email, victimPassword))
				// The owner, from elsewhere, with a wrong then the right password.
				seq = append(seq, tryLogin(t, owner, email, "typo-password"))
				return seq
			}
			real := run(email)
			phantom := run("no-such-user@example.com")
			for i, a := range real {
				want := attempt{status: 401}
				if i >= 4 && i <= 20 {
					want.retry = 900 // locked at the 5th failure; the clock stands still
				}
				if a != want || phantom[i] != a {
					t.Fatalf("attempt %d: real %+v, phantom %+v, want %+v", i+1, a, phantom[i], want)
				}
			}
			if n := accountFailures(t, srv, email); n != 6 {
				t.Fatalf("account count %d, want 5 from the attacker and 1 from the owner", n)
			}
			if got := tryLogin(t, owner, email, victimPassword); got.status != 200 {
				t.Fatalf("owner from another address: %+v", got)
			}
			if got := tryLogin(t, attacker, email, victimPassword); got.status != 401 || got.retry != 900 {
				t.Fatalf("the owner's login must not unlock the attacker: %+v", got)
			}
			if got := lockEvents(t, srv); !slices.Equal(got, []string{"address 198.51.100.66"}) {
				t.Fatalf("lock events %v", got)
			}
		})
	}
}

// Many addresses together reach the account-wide threshold: the account is then locked for
// every address, including one that never failed; an unknown email behaves the same.
func TestAccountWideLockout(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			srv := startLockout(t, dia, "3", "12")
			const email, unknown = "target@example.com", "ghost@example.com"
			insertActiveUser(t, srv, email, victimPassword)
			addrs := []string{"198.51.100.1", "198.51.100.2", "198.51.100.3", "2001:db8:a::1", "2001:db8:b::1", "2001:db8:c::1"}
			clients := make([]*oas.Client, len(addrs))
			for i, a := range addrs {
				clients[i] = via(t, srv, "X-Forwarded-For", a)
			}
			for _, target := range []string{email, unknown} {
				parallel(len(addrs)*3, func(i int) { tryLogin(t, clients[i%len(addrs)], target, "wrong-password") })
			}
			if n := accountFailures(t, srv, email); n != 18 {
				t.Fatalf("account count %d, want 18", n)
			}
			if n := pairFailures(t, srv, unknown, "*"); n != 18 {
				t.Fatalf("phantom account count %d, want 18", n)
			}
			fresh := via(t, srv, "X-Forwarded-For", "203.0.113.200")
			real, phantom := tryLogin(t, fresh, email, victimPassword), tryLogin(t, fresh, unknown, victimPassword)
			if real != (attempt{status: 401, retry: 900}) || phantom != real {
				t.Fatalf("a new address during the account lock: real %+v, phantom %+v", real, phantom)
			}
			want := []string{"account "}
			for _, a := range addrs {
				k := a
				if a[0] == '2' {
					k = a[:len(a)-1] + "/64" // 2001:db8:a::1 → 2001:db8:a::/64
				}
				want = append(want, "address "+k)
			}
			slices.Sort(want)
			if got := lockEvents(t, srv); !slices.Equal(got, want) {
				t.Fatalf("lock events %v, want %v", got, want)
			}
		})
	}
}
