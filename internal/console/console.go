// Package console serves the admin console: hand-written ES modules, a style sheet and one HTML
// page, all embedded in the binary, under /console/. It has one job — serve those files with
// their security headers. The console itself is a plain client of /api/v2 running in the
// browser with the caller's own token; this package holds no API, no session and no privilege.
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// Prefix is where the console lives.
const Prefix = "/console/"

//go:embed web
var files embed.FS

// Policy is the console's Content-Security-Policy: scripts and styles only from this origin
// (no inline script, no inline style, no eval), API calls only to this origin, images only
// from this origin or data: URIs, nothing may frame it and forms post nowhere (the scripts
// send every request themselves).
const Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Files is the embedded tree as served (index.html at its root), for tests and measurements.
func Files() fs.FS {
	sub, err := fs.Sub(files, "web")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// Handler serves the console under Prefix (the caller allows GET and HEAD only). Every answer
// carries the console's policy. Files carry an ETag and no-cache, so the browser revalidates
// and a new binary's console is picked up at once, and are sent gzipped to browsers that
// accept it.
func Handler() (http.Handler, error) {
	set, err := loadAssets(Files())
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", Policy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.URL.Path == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		if name == "" {
			name = "index.html"
		}
		a := set[name]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r)
	}), nil
}
