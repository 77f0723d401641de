package reqinfo

import (
	"net"
	"net/http"
	"net/netip"
)

// Proxies are the networks whose forwarding headers are believed (TF_TRUSTED_PROXIES). Empty:
// the client is always the TCP peer and forwarding headers are ignored.
type Proxies []netip.Prefix

func (p Proxies) trusted(a netip.Addr) bool {
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// maxHops bounds how many trusted proxies a chain may name before its origin; longer chains are
// either misconfiguration or an attempt to make every request walk a long header.
const maxHops = 32

// ClientAddr is the address of the client that sent r. From an untrusted peer it is the peer:
// anyone can write forwarding headers. From a trusted peer it is the right-most address in
// the forwarding chain that is not itself a trusted proxy; the left of it was written by the
// client and is never believed. When that entry is unusable ("unknown", an obfuscated
// identifier, garbage), the request counts as coming from the last trusted hop, so a client
// can never choose its own address. A request carrying both Forwarded and X-Forwarded-For
// whose chains name different clients believes neither (a proxy writes one of them; the
// other came from the client) and also counts as the peer.
func (p Proxies) ClientAddr(r *http.Request) string {
	peer, ok := peerAddr(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !p.trusted(peer) {
		return peer.String()
	}
	fwd, xff := r.Header.Values("Forwarded"), r.Header.Values("X-Forwarded-For")
	switch {
	case len(fwd) == 0 && len(xff) == 0:
		return peer.String()
	case len(xff) == 0:
		return p.origin(peer, ParseForwarded(fwd)).String()
	case len(fwd) == 0:
		return p.origin(peer, ParseXForwardedFor(xff)).String()
	}
	a, b := p.origin(peer, ParseForwarded(fwd)), p.origin(peer, ParseXForwardedFor(xff))
	if a != b {
		return peer.String()
	}
	return a.String()
}

// origin walks the chain from the right (the entry the peer wrote) to the left.
func (p Proxies) origin(peer netip.Addr, chain []Node) netip.Addr {
	reporter := peer
	for i, hops := len(chain)-1, 0; i >= 0 && hops < maxHops; i, hops = i-1, hops+1 {
		n := chain[i]
		if !n.Valid() {
			return reporter
		}
		if !p.trusted(n.Addr) {
			return n.Addr
		}
		reporter = n.Addr
	}
	return reporter
}

func peerAddr(remote string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return canonical(a), true
}

// canonical drops an IPv6 zone and unmaps IPv4-mapped IPv6, so one client has one spelling.
func canonical(a netip.Addr) netip.Addr { return a.WithZone("").Unmap() }

// ClientKey is the unit the login rate limit and lockout count per: an IPv4 address, or the
// /64 of an IPv6 address (one subscriber usually holds a whole /64 and could otherwise step
// through 2^64 addresses). Anything that is not an address is its own key.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = canonical(a)
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// ClientKey is ClientKey of the request's client address.
func (i *Info) ClientKey() string { return ClientKey(i.IP) }
