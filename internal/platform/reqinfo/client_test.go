package reqinfo_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

var testProxies = reqinfo.Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}

func request(peer string, fwd, xff []string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = peer
	for _, v := range fwd {
		r.Header.Add("Forwarded", v)
	}
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	return r
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	const proxy = "10.0.0.1:55000"
	long := strings.Repeat("10.9.9.9, ", 40) + "10.0.0.2"
	cases := []struct {
		name     string
		peer     string
		fwd, xff []string
		want     string
	}{
		{"untrusted peer: headers ignored", "203.0.113.9:1234", []string{"for=198.51.100.7"}, []string{"198.51.100.7"}, "203.0.113.9"},
		{"trusted peer without headers", proxy, nil, nil, "10.0.0.1"},
		{"xff one hop", proxy, nil, []string{"198.51.100.7"}, "198.51.100.7"},
		{"xff client-written left part ignored", proxy, nil, []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"xff through two trusted proxies", proxy, nil, []string{"6.6.6.6, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"},
		{"xff on several lines", proxy, nil, []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"xff with port", proxy, nil, []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"xff bare IPv6", proxy, nil, []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"xff bracketed IPv6 with port", proxy, nil, []string{"[2001:db8:1::7]:443"}, "2001:db8:1::7"},
		{"xff IPv4-mapped IPv6", proxy, nil, []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"xff unknown: the reporting proxy", proxy, nil, []string{"unknown"}, "10.0.0.1"},
		{"xff garbage behind a second proxy: that proxy", proxy, nil, []string{"198.51.100.7, not-an-ip, 10.0.0.2"}, "10.0.0.2"},
		{"xff empty value", proxy, nil, []string{""}, "10.0.0.1"},
		{"xff entirely trusted: its origin", proxy, nil, []string{"10.0.0.3, 10.0.0.2"}, "10.0.0.3"},
		{"xff longer than the hop bound stays trusted", proxy, nil, []string{long}, "10.9.9.9"},
		{"forwarded one hop", proxy, []string{"for=198.51.100.7;proto=https;by=10.0.0.1"}, nil, "198.51.100.7"},
		{"forwarded two elements", proxy, []string{`for=6.6.6.6, For="198.51.100.7", for=10.0.0.2`}, nil, "198.51.100.7"},
		{"forwarded quoted IPv6 with port", proxy, []string{`for="[2001:db8:cafe::17]:4711"`}, nil, "2001:db8:cafe::17"},
		{"forwarded IPv6 zone dropped", proxy, []string{`for="[2001:db8:cafe::17%eth0]"`}, nil, "2001:db8:cafe::17"},
		{"forwarded obfuscated", proxy, []string{`for=_gazonk`}, nil, "10.0.0.1"},
		{"forwarded unknown", proxy, []string{`for=unknown`}, nil, "10.0.0.1"},
		{"forwarded obfuscated port", proxy, []string{`for="198.51.100.7:_p1"`}, nil, "198.51.100.7"},
		{"forwarded comma inside quotes is one value", proxy, []string{`for="6.6.6.6, for=1.1.1.1"`}, nil, "10.0.0.1"},
		{"forwarded unterminated quote", proxy, []string{`for=6.6.6.6, for="[2001:db8::1]`}, nil, "10.0.0.1"},
		{"forwarded element without for", proxy, []string{`for=6.6.6.6, proto=https;by=10.0.0.1`}, nil, "10.0.0.1"},
		{"forwarded for twice", proxy, []string{`for=6.6.6.6;for=198.51.100.7`}, nil, "10.0.0.1"},
		{"forwarded unbracketed IPv6 is not a token", proxy, []string{`for=2001:db8::1`}, nil, "10.0.0.1"},
		{"forwarded escaped quote", proxy, []string{`for="198.51.100.\7"`}, nil, "198.51.100.7"},
		{"forwarded empty pairs", proxy, []string{`;for=198.51.100.7;;`}, nil, "198.51.100.7"},
		{"both headers agree", proxy, []string{"for=198.51.100.7"}, []string{"198.51.100.7"}, "198.51.100.7"},
		{"both headers disagree: neither believed", proxy, []string{"for=6.6.6.6"}, []string{"198.51.100.7"}, "10.0.0.1"},
		{"trusted IPv4-mapped peer", "[::ffff:10.0.0.1]:1234", nil, []string{"198.51.100.7"}, "198.51.100.7"},
		{"trusted IPv6 peer", "[2001:db8:ffff::1]:1234", nil, []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"unparseable peer kept as is", "pipe", nil, []string{"198.51.100.7"}, "pipe"},
	}
	for _, tc := range cases {
		if got := testProxies.ClientAddr(request(tc.peer, tc.fwd, tc.xff)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := reqinfo.Proxies(nil).ClientAddr(request(proxy, nil, []string{"198.51.100.7"})); got != "10.0.0.1" {
		t.Errorf("no trusted proxies: got %s", got)
	}
}

func TestClientKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"198.51.100.7":         "198.51.100.7",
		"::ffff:198.51.100.7":  "198.51.100.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"":                     "",
		"not an address":       "not an address",
	} {
		if got := reqinfo.ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// A header name not in canonical form costs net/http a canonical copy on every Get and Set.
func TestRequestIDHeaderIsCanonical(t *testing.T) {
	t.Parallel()
	if c := http.CanonicalHeaderKey(reqinfo.HeaderRequestID); c != reqinfo.HeaderRequestID {
		t.Fatalf("HeaderRequestID %q, canonical %q", reqinfo.HeaderRequestID, c)
	}
}
