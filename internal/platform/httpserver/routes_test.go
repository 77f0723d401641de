package httpserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// API paths skip the mux, and must land exactly where the mux would have sent them: the API
// for clean paths, the mux's redirect for paths it cleans, the plain routes for theirs.
func TestRoutesSendEachPathWhereTheMuxWould(t *testing.T) {
	t.Parallel()
	var route string
	rt := Routes{
		API:    http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }),
		Health: NewHealth(time.Second),
		Problem: func(w http.ResponseWriter, _ *http.Request, status int, _, _ string) {
			w.WriteHeader(status)
		},
		FindAPIRoute: func(method string, u *url.URL) (APIRoute, bool) {
			if u.Path == "/api/v2/users/42" {
				return APIRoute{Name: "GetUser", Operation: "getUser", Template: "/api/v2/users/{id}"}, true
			}
			return APIRoute{}, false
		},
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				route = reqinfo.From(r.Context()).Route
				next.ServeHTTP(w, r)
			})
		},
	}
	h := rt.Handler()
	for _, c := range []struct {
		method, target string
		status         int
		route          string
	}{
		{http.MethodGet, "/api/v2/users/42", http.StatusTeapot, "/api/v2/users/{id}"},
		{http.MethodPost, "/api/v2/users/42", http.StatusTeapot, "/api/v2/users/{id}"},
		{http.MethodGet, "/api/v2/nothing", http.StatusTeapot, Unmatched},
		{http.MethodGet, "/api/v2/users/", http.StatusTeapot, Unmatched},
		{http.MethodGet, "/api/v2/../version", http.StatusTemporaryRedirect, Unmatched},
		{http.MethodGet, "/api/v2//users/42", http.StatusTemporaryRedirect, Unmatched},
		{http.MethodGet, "/api/v2/./users/42", http.StatusTemporaryRedirect, Unmatched},
		{http.MethodGet, "/version", http.StatusOK, "/version"},
		{http.MethodPost, "/health/live", http.StatusMethodNotAllowed, "/health/live"},
		{http.MethodGet, "/elsewhere", http.StatusTeapot, Unmatched},
	} {
		route = ""
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(c.method, c.target, nil))
		if w.Code != c.status || route != c.route {
			t.Errorf("%s %s: %d on route %q, want %d on %q", c.method, c.target, w.Code, route, c.status, c.route)
		}
	}
}

// The match the API's paths skip allocated three times a request, twice.
func TestAPIPathsCostTheMuxNothing(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/api/v2/users/42", nil)
	if n := testing.AllocsPerRun(100, func() { _ = apiPath(r) }); n != 0 {
		t.Fatalf("apiPath allocates %.0f times", n)
	}
}

// API paths go to the API without asking the mux, so a plain route under apiPrefix would
// never be served: none may be, with every optional route present.
func TestNoPlainRouteUnderTheAPIPrefix(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	_, names, _ := Routes{Console: h, Metrics: h, Health: NewHealth(time.Second)}.plainRoutes()
	if len(names) == 0 {
		t.Fatal("no plain routes")
	}
	for pattern := range names {
		if strings.HasPrefix(pattern, apiPrefix) {
			t.Errorf("plain route %s is under %s", pattern, apiPrefix)
		}
	}
}
