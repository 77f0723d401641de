package reqinfo_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// FuzzClientAddr feeds arbitrary Forwarded and X-Forwarded-For headers to a trusted and an
// untrusted peer: parsing never panics, an untrusted peer is always the client, and a trusted
// peer's client is the peer or an address the headers really name.
func FuzzClientAddr(f *testing.F) {
	for _, s := range [][2]string{
		{"for=198.51.100.7;proto=https, for=10.0.0.2", ""},
		{`for="[2001:db8:cafe::17]:4711"`, "6.6.6.6, 198.51.100.7"},
		{`for=unknown, for=_hidden`, "unknown"},
		{`for="a\"b, c";by=x`, "[::1]:80, 1.2.3.4:5"},
		{`for="`, ","},
		{"", "2001:db8::1%zone, ::ffff:1.2.3.4"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, fwd, xff string) {
		var fl, xl []string
		if fwd != "" {
			fl = []string{fwd}
		}
		if xff != "" {
			xl = []string{xff}
		}
		if got := testProxies.ClientAddr(request("203.0.113.9:1", fl, xl)); got != "203.0.113.9" {
			t.Fatalf("untrusted peer: client %s", got)
		}
		got := testProxies.ClientAddr(request("10.0.0.1:1", fl, xl))
		a, err := netip.ParseAddr(got)
		if err != nil || a.Zone() != "" || a.Is4In6() {
			t.Fatalf("client %q is not a canonical address", got)
		}
		named := []netip.Addr{netip.MustParseAddr("10.0.0.1")}
		for _, n := range append(reqinfo.ParseForwarded(fl), reqinfo.ParseXForwardedFor(xl)...) {
			if n.Valid() {
				named = append(named, n.Addr)
			}
		}
		if !slices.Contains(named, a) {
			t.Fatalf("client %s is neither the peer nor named by the headers %q / %q", a, fwd, xff)
		}
	})
}
