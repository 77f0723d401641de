package console_test

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/console"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// TestConsoleServedWithItsPolicy: the console is served from the binary with no configuration,
// under its strict policy, and nothing else about it is reachable.
func TestConsoleServedWithItsPolicy(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, path string) *http.Response {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	for _, path := range []string{"/console/", "/console/app.js", "/console/style.css", "/console/pages/users.js"} {
		resp := get(http.MethodGet, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		h := resp.Header
		if got := h.Get("Content-Security-Policy"); got != console.Policy {
			t.Errorf("GET %s: CSP %q, want %q", path, got, console.Policy)
		}
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != want {
				t.Errorf("GET %s: %s %q, want %q", path, k, h.Get(k), want)
			}
		}
	}
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/console", http.StatusMovedPermanently},
		{http.MethodGet, "/console/pages/", http.StatusNotFound},
		{http.MethodGet, "/console/nope.js", http.StatusNotFound},
		{http.MethodPost, "/console/", http.StatusMethodNotAllowed},
	} {
		if got := get(c.method, c.path).StatusCode; got != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, got, c.status)
		}
	}
	js := get(http.MethodGet, "/console/app.js")
	if ct := js.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("app.js Content-Type %q: module scripts need a JavaScript MIME type", ct)
	}
	// Go's client asks for gzip and unpacks it; Uncompressed says the server sent gzip.
	if !js.Uncompressed || js.Header.Get("Cache-Control") != "no-cache" || js.Header.Get("ETag") == "" {
		t.Errorf("app.js: gzip %v, Cache-Control %q, ETag %q; want gzip, no-cache and an ETag",
			js.Uncompressed, js.Header.Get("Cache-Control"), js.Header.Get("ETag"))
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/console/app.js", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("If-None-Match", js.Header.Get("ETag"))
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = again.Body.Close()
	if again.StatusCode != http.StatusNotModified || again.Header.Get("Content-Security-Policy") != console.Policy {
		t.Errorf("revalidation: %d with CSP %q, want 304 with the policy", again.StatusCode, again.Header.Get("Content-Security-Policy"))
	}
}

// TestConsolePolicyForbidsWhatTheFilesWouldNeed: the policy has no 'unsafe-inline' and no
// 'unsafe-eval', and the files need neither — no inline script or style, no inline event
// handler, no string evaluation, no innerHTML, nothing loaded from another origin.
func TestConsolePolicyForbidsWhatTheFilesWouldNeed(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*", "http:", "https:"} {
		if strings.Contains(console.Policy, bad) {
			t.Errorf("policy allows %q", bad)
		}
	}
	if !strings.Contains(console.Policy, "frame-ancestors 'none'") {
		t.Error("policy lets other sites frame the console")
	}
	forbidden := map[string]*regexp.Regexp{
		"inline script":        regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`),
		"inline style element": regexp.MustCompile(`<style`),
		"style attribute":      regexp.MustCompile(`\sstyle\s*=`),
		"inline event handler": regexp.MustCompile(`\son[a-z]+\s*=\s*["']`),
		"external URL":         regexp.MustCompile(`(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import|https?://`),
		"string evaluation":    regexp.MustCompile(`\beval\(|new Function\(|setTimeout\(\s*["']`),
		"markup from strings":  regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write`),
		"browser storage":      regexp.MustCompile(`localStorage|sessionStorage|document\.cookie|indexedDB`),
	}
	n := 0
	err := fs.WalkDir(console.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := fs.ReadFile(console.Files(), path)
		if err != nil {
			return err
		}
		// The SVG namespace is a name, not a location.
		text := strings.ReplaceAll(stripComments(string(b)), "http://www.w3.org/2000/svg", "")
		for what, re := range forbidden {
			if loc := re.FindStringIndex(text); loc != nil {
				t.Errorf("%s: %s at %q", path, what, text[loc[0]:min(len(text), loc[1]+30)])
			}
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walked %d embedded files: %v", n, err)
	}
}

var comments = regexp.MustCompile(`(?m)^\s*//.*$|/\*[\s\S]*?\*/`)

// stripComments drops whole-line // comments and /* */ blocks, which may name what the code
// avoids.
func stripComments(s string) string { return comments.ReplaceAllString(s, "") }
