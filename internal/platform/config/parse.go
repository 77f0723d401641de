package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Small typed parsers shared by the settings tables.

func str(dst *string) func(string) error {
	return func(v string) error { *dst = v; return nil }
}

func required(dst *string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errRequired
		}
		*dst = v
		return nil
	}
}

func duration(dst *time.Duration, lo, hi time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return errors.New("must be a duration such as 15m or 720h")
		}
		if d < lo || d > hi {
			return fmt.Errorf("must be between %s and %s", lo, hi)
		}
		*dst = d
		return nil
	}
}

func integer(dst *int, lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("must be a whole number")
		}
		if n < lo || n > hi {
			return fmt.Errorf("must be between %d and %d", lo, hi)
		}
		*dst = n
		return nil
	}
}

// optionalInteger is integer where an empty value leaves 0, for settings whose default is
// chosen later (by the store in use, say).
func optionalInteger(dst *int, lo, hi int) func(string) error {
	parse := integer(dst, lo, hi)
	return func(v string) error {
		if v == "" {
			*dst = 0
			return nil
		}
		return parse(v)
	}
}

func boolean(dst *bool) func(string) error {
	return func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		*dst = b
		return nil
	}
}

func oneOf(dst *string, allowed ...string) func(string) error {
	return func(v string) error {
		for _, a := range allowed {
			if strings.EqualFold(v, a) {
				*dst = a
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
	}
}

// hostPort accepts host:port or :port (listen on all interfaces).
func hostPort(dst *string, allowEmpty bool) func(string) error {
	return func(v string) error {
		if v == "" && allowEmpty {
			*dst = ""
			return nil
		}
		_, port, err := net.SplitHostPort(v)
		if err != nil {
			return errors.New("must be host:port or :port")
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return errors.New("port must be 0-65535")
		}
		*dst = v
		return nil
	}
}

// prefixes reads comma-separated CIDRs; a bare address means just that address. Trusting every
// address (a /0) is refused: any client could then name its own address.
// tiers parses a comma-separated list of role tiers (1–5), duplicates ignored.
func tiers(dst *[]int) func(string) error {
	return func(v string) error {
		var out []int
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			n, err := strconv.Atoi(item)
			if err != nil || n < 1 || n > 5 {
				return fmt.Errorf("%q is not a role tier (1 to 5)", item)
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		*dst = out
		return nil
	}
}

func prefixes(dst *[]netip.Prefix) func(string) error {
	return func(v string) error {
		var out []netip.Prefix
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			p, err := netip.ParsePrefix(item)
			if err != nil {
				a, aerr := netip.ParseAddr(item)
				if aerr != nil || a.Zone() != "" {
					return fmt.Errorf("%q is neither a CIDR such as 10.0.0.0/8 nor an address", item)
				}
				p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
			}
			if p.Bits() == 0 {
				return fmt.Errorf("%q trusts every address, so any client could choose its own; name the proxies' networks", item)
			}
			out = append(out, p.Masked())
		}
		*dst = out
		return nil
	}
}

// absoluteURL accepts an http or https URL with a host and no query or fragment; a trailing
// slash is dropped.
func absoluteURL(dst *string) func(string) error {
	return func(v string) error {
		u, err := url.Parse(strings.TrimSpace(v))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return errors.New("must be an absolute http(s) URL without query or fragment")
		}
		*dst = strings.TrimSuffix(u.String(), "/")
		return nil
	}
}
