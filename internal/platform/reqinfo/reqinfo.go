// Package reqinfo carries per-request facts (id, client address, user agent, operation) that
// logs, errors and audit events need, without threading them through every signature.
package reqinfo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Info describes one request. Layers may fill Operation and UserID as they learn them.
type Info struct {
	ID string
	// IP is the client's address: the TCP peer, or what trusted proxies say (see ClientAddr).
	IP        string
	UserAgent string
	Method    string
	Path      string
	Start     time.Time
	// Operation is the contract's operationId (getUser), or a plain route's name (health).
	Operation string
	// OperationName is the contract operation's name as ogen spells it (GetUser), which names
	// its server span; empty for plain routes and unmatched paths.
	OperationName string
	// Route is the matched route template (for example /api/v2/users/{id}); never a raw path,
	// so it is safe as a metric label.
	Route string
	// UserID is the authenticated caller, once the security handler has run.
	UserID string
	// TraceID is the trace id chosen for a request that arrived without one (telemetry), so
	// the access log and the root span name the same trace.
	TraceID [16]byte
}

type ctxKey struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

// From returns the request's info; outside a request it returns an empty Info.
func From(ctx context.Context) *Info {
	if i, ok := Lookup(ctx); ok {
		return i
	}
	return &Info{}
}

// Lookup returns the request's info, and false outside a request.
func Lookup(ctx context.Context) (*Info, bool) {
	i, ok := ctx.Value(ctxKey{}).(*Info)
	return i, ok
}

// HeaderRequestID is accepted from clients (when well-formed) and always returned. Spelt in
// net/http's canonical form (as it goes on the wire anyway), so Get and Set need not allocate
// a canonical copy on every request.
const HeaderRequestID = "X-Request-Id"

// Middleware attaches Info to every request and echoes the request id; the client address is
// the TCP peer (no proxies trusted).
func Middleware(next http.Handler) http.Handler { return Proxies(nil).Middleware(next) }

// Middleware attaches Info to every request, with the client address resolved through the
// trusted proxies, and echoes the request id.
func (p Proxies) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(HeaderRequestID)
		if !validID(id) {
			id = newID()
		}
		w.Header().Set(HeaderRequestID, id)
		info := &Info{
			ID:        id,
			IP:        p.ClientAddr(r),
			UserAgent: truncate(r.UserAgent(), 512),
			Method:    r.Method,
			Path:      r.URL.Path,
			Start:     time.Now(),
		}
		next.ServeHTTP(w, r.WithContext(With(r.Context(), info)))
	})
}

// validID accepts client ids that are safe to log and echo: 1-128 visible ASCII characters
// without spaces or quotes.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// truncate keeps at most n bytes of s as valid UTF-8: a header may carry any byte, and the
// value ends up in session and audit rows (PostgreSQL refuses invalid UTF-8).
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > n {
		for !utf8.RuneStart(s[n]) { // never cut a character in two
			n--
		}
		s = s[:n]
	}
	return s
}
