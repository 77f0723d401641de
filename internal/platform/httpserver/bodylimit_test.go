package httpserver_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// unknownLength makes the generated client's requests chunked: the body's length is not
// declared, so only the cap while reading can stop it.
type unknownLength struct{ next http.RoundTripper }

func (u unknownLength) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(struct{ io.Reader }{r.Body})
		r.ContentLength = -1
		r.GetBody = nil
	}
	return u.next.RoundTrip(r)
}

func wantTooLarge(t *testing.T, name string, err error) {
	t.Helper()
	var p *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &p) || p.StatusCode != http.StatusRequestEntityTooLarge || p.Response.Code != "body_too_large" {
		t.Errorf("%s: got %v, want 413 body_too_large", name, err)
	}
}

// Every request body is capped before decoding: public auth operations at 16 KiB, the rest at
// TF_HTTP_MAX_BODY_BYTES; a declared or a streamed body over the cap is 413 problem+json.
func TestOversizeBodiesAre413(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite, apitest.WithEnv("TF_HTTP_MAX_BODY_BYTES", "65536"))
	ctx := context.Background()
	chunked, err := oas.NewClient(srv.URL, apitest.Bearer(""), oas.WithClient(&http.Client{Transport: unknownLength{http.DefaultTransport}}))
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("p", 20<<10) // over the public cap, under the general one
	_, err = srv.Client.Login(ctx, &oas.LoginRequest{Email: "a@example.com", Password: big})
	wantTooLarge(t, "login, declared length", err)
	_, err = chunked.Login(ctx, &oas.LoginRequest{Email: "a@example.com", Password: big})
	wantTooLarge(t, "login, chunked", err)
	_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: big})
	wantTooLarge(t, "refresh", err)

	admin := srv.LoginAdmin(t)
	// Under the general cap, the same size is an ordinary request (here refused by validation).
	_, err = admin.CreateRegion(ctx, &oas.RegionCreate{Name: big, Code: "xx"})
	var p *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &p) || p.StatusCode != http.StatusBadRequest {
		t.Fatalf("20 KiB region: %v, want 400 from validation", err)
	}
	huge := strings.Repeat("n", 70<<10)
	_, err = admin.CreateRegion(ctx, &oas.RegionCreate{Name: huge, Code: "xx"})
	wantTooLarge(t, "create region, declared length", err)
	_, err = chunkedAdmin(t, srv).CreateUser(ctx, &oas.UserCreate{Email: "x@example.com", Password: huge, OrganizationID: uuid.New()})
	wantTooLarge(t, "create user, chunked", err)
}

// chunkedAdmin is a super administrator's client sending chunked bodies.
func chunkedAdmin(t *testing.T, srv *apitest.Server) *oas.Client {
	t.Helper()
	res, err := srv.Client.Login(context.Background(), &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	c, err := oas.NewClient(srv.URL, apitest.Bearer(res.AccessToken), oas.WithClient(&http.Client{Transport: unknownLength{http.DefaultTransport}}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A declared length over the cap is refused before the body is read: the client sends the
// headers of a 50 MB login and no body at all, and still gets its 413.
func TestDeclaredOversizeIsRefusedWithoutReading(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A safety net against a hang, not a timing assertion: a server that waited for the body
	// would never answer.
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	_, err = io.WriteString(conn, "POST /api/v2/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(body), `"code":"body_too_large"`) {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
