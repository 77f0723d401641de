package httpserver

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
)

// apiPrefix is where the contract's resources live; every answer there is private to the caller
// (tokens above all, RFC 6749 §5.1) and must not be stored by any cache.
const apiPrefix = "/api/v2/"

// strictPolicy is the Content-Security-Policy of everything but the docs: nothing may load or
// run, and no page may frame it.
const strictPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// securityHeaders sets the headers every response carries, before any handler writes: no MIME
// sniffing, no referrer, no framing (also by browsers that predate frame-ancestors), and
// no-store on the API. docsPolicy is the CSP of the Swagger UI pages under /docs.
func securityHeaders(docsPolicy string, next http.Handler) http.Handler {
	nosniff, noReferrer, deny := []string{"nosniff"}, []string{"no-referrer"}, []string{"DENY"}
	docs, strict, noStore := []string{docsPolicy}, []string{strictPolicy}, []string{"no-store"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Assigning the prebuilt values under their canonical keys is what Header.Set does,
		// without allocating a slice per header per response. Nothing writes into a header's
		// value slice in place (Set replaces it, Add appends to a full slice, which copies).
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = noReferrer
		h["X-Frame-Options"] = deny
		if r.URL.Path == "/docs" || strings.HasPrefix(r.URL.Path, "/docs/") {
			h["Content-Security-Policy"] = docs
		} else {
			h["Content-Security-Policy"] = strict
		}
		if strings.HasPrefix(r.URL.Path, apiPrefix) {
			h["Cache-Control"] = noStore
		}
		next.ServeHTTP(w, r)
	})
}

// inlineBlock matches an inline <script> or <style> element (one without a src attribute).
var inlineBlock = regexp.MustCompile(`(?s)<(script|style)(?:\s+type="[^"]*")?\s*>(.*?)</(?:script|style)>`)

// docsPolicyFor renders the Swagger UI page once and allows exactly its inline script and style
// blocks by hash, so the page works without 'unsafe-inline' and a changed page (a new swgui
// version) is covered the moment it is served. Swagger UI fetches the contract and, for "Try it
// out", the API from this origin, and uses data: URIs for its icons.
func docsPolicyFor(docs http.Handler) string {
	rec := httptest.NewRecorder()
	docs.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/", nil))
	hashes := map[string][]string{}
	for _, m := range inlineBlock.FindAllStringSubmatch(rec.Body.String(), -1) {
		sum := sha256.Sum256([]byte(m[2]))
		hashes[m[1]] = append(hashes[m[1]], "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return strings.Join([]string{
		"default-src 'none'",
		strings.Join(append([]string{"script-src 'self'"}, hashes["script"]...), " "),
		strings.Join(append([]string{"style-src 'self'"}, hashes["style"]...), " "),
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
