package reqinfo

import (
	"net/netip"
	"strings"
)

// Node is one hop of a forwarding chain: an address, or nothing usable (RFC 7239's "unknown",
// an obfuscated identifier, a malformed entry, an element without for=).
type Node struct{ Addr netip.Addr }

// Valid reports whether the hop names an address.
func (n Node) Valid() bool { return n.Addr.IsValid() }

// ParseXForwardedFor reads X-Forwarded-For lines (comma-separated addresses, client first) into
// the chain, left to right. Entries may carry a port ("192.0.2.1:4711", "[2001:db8::1]:80");
// anything that is not an address is an invalid hop.
func ParseXForwardedFor(lines []string) []Node {
	var chain []Node
	for _, line := range lines {
		for entry := range strings.SplitSeq(line, ",") {
			chain = append(chain, parseNode(strings.TrimSpace(entry)))
		}
	}
	return chain
}

// ParseForwarded reads Forwarded lines (RFC 7239: elements separated by commas, pairs by
// semicolons, values tokens or quoted strings) into the chain of for= nodes, left to right. An
// element without for=, with for= twice, or that does not parse is an invalid hop; an
// unterminated quoted string swallows the rest of its line into one invalid hop.
func ParseForwarded(lines []string) []Node {
	var chain []Node
	for _, line := range lines {
		elements, closed := splitUnquoted(line, ',')
		for _, element := range elements {
			chain = append(chain, forNode(element))
		}
		if !closed {
			chain[len(chain)-1] = Node{} // an unterminated quoted string: one invalid hop
		}
	}
	return chain
}

// splitUnquoted splits s at sep outside quoted strings. closed is false when the quoting of
// the last part does not close (it then runs to the end of s).
func splitUnquoted(s string, sep byte) (parts []string, closed bool) {
	var (
		start   int
		inQuote bool
	)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++ // the escaped character, whatever it is
		case c == '"':
			inQuote = !inQuote
		case c == sep && !inQuote:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:]), !inQuote
}

// forNode returns the for= node of one element.
func forNode(element string) Node {
	var (
		node  Node
		found bool
	)
	pairs, _ := splitUnquoted(element, ';') // an element's quoting is balanced
	for _, pair := range pairs {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue // RFC 7239 allows empty pairs ("for=a;;proto=http")
		}
		name, value, ok := strings.Cut(pair, "=")
		if !ok || !isToken(name) {
			return Node{}
		}
		v, ok := unquote(value)
		if !ok {
			return Node{}
		}
		if strings.EqualFold(name, "for") {
			if found {
				return Node{} // a parameter occurs at most once per element
			}
			found, node = true, parseNode(v)
		}
	}
	return node
}

// unquote returns a token as is, or a quoted string's content with its escapes resolved.
func unquote(v string) (string, bool) {
	if !strings.HasPrefix(v, `"`) {
		return v, isToken(v)
	}
	if len(v) < 2 || !strings.HasSuffix(v, `"`) {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(v)-1; i++ {
		c := v[i]
		switch {
		case c == '\\':
			i++
			if i >= len(v)-1 {
				return "", false
			}
			b.WriteByte(v[i])
		case c == '"':
			return "", false // a quote inside: the value is not one quoted string
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// parseNode reads an RFC 7239 node (also the looser X-Forwarded-For spellings): an IPv4
// address, a bracketed IPv6 address, or a bare IPv6 address, each optionally with a port.
// "unknown" and obfuscated identifiers ("_hidden") are not addresses.
func parseNode(s string) Node {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return Node{}
		}
		if rest := s[end+1:]; rest != "" && (rest[0] != ':' || !isPort(rest[1:])) {
			return Node{}
		}
		a, err := netip.ParseAddr(s[1:end])
		if err != nil || !a.Is6() {
			return Node{}
		}
		return Node{canonical(a)}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return Node{canonical(a)}
	}
	if host, port, ok := strings.Cut(s, ":"); ok && isPort(port) {
		if a, err := netip.ParseAddr(host); err == nil && a.Is4() {
			return Node{a}
		}
	}
	return Node{}
}

// isPort accepts a decimal port or an obfuscated one ("_abc", RFC 7239 §6.3).
func isPort(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	if s[0] == '_' {
		return isObfuscated(s[1:])
	}
	if len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isObfuscated(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}
