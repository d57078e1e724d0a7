package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress: the URL's host is, or resolves to, an address that
// is not on the public internet (loopback, private, link-local …) and not
// in Config.Allow. A feed that links to such an address could otherwise
// make the desk fetch, archive and index pages of its own network.
var ErrForbiddenAddress = errors.New("address not allowed")

// AddressError names the refused address and why it is refused. It
// matches ErrForbiddenAddress with errors.Is.
type AddressError struct {
	Addr   netip.Addr
	Reason string // "loopback", "private", "link-local" …
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("refused to connect to %s: %s address, not public (allow it with PRESSREVIEW_FETCH_ALLOW)", e.Addr, e.Reason)
}

func (e *AddressError) Is(target error) bool { return target == ErrForbiddenAddress }

// nonPublic lists the special-purpose ranges (IANA IPv4 and IPv6
// Special-Purpose Address Registries) that netip's predicates do not
// cover and that no news site is served from.
var nonPublic = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\""},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // and the broadcast address
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// Prefixes that carry an IPv4 address in their low bits: the embedded
// address is judged instead (a NAT64 gateway or 6to4 relay would forward
// to it).
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// forbidden returns why a is not a public address, or "" when it is.
func forbidden(a netip.Addr) string {
	a = a.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	switch {
	case a.Is6() && nat64.Contains(a):
		b := a.As16()
		return forbidden(netip.AddrFrom4([4]byte(b[12:16])))
	case a.Is6() && sixToFour.Contains(a):
		b := a.As16()
		return forbidden(netip.AddrFrom4([4]byte(b[2:6])))
	case !a.IsValid():
		return "invalid"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		if a.Is6() {
			return "unique-local"
		}
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast():
		return "multicast"
	}
	for _, p := range nonPublic {
		if p.prefix.Contains(a) {
			return p.reason
		}
	}
	return ""
}

// guard decides which addresses the fetcher may connect to.
type guard struct{ allow []netip.Prefix }

// check refuses a non-public address unless a prefix of Allow holds it.
func (g guard) check(a netip.Addr) error {
	a = a.Unmap().WithZone("") // a zoned address is contained in no prefix
	reason := forbidden(a)
	if reason == "" {
		return nil
	}
	for _, p := range g.allow {
		if p.Contains(a) {
			return nil
		}
	}
	return &AddressError{Addr: a, Reason: reason}
}

// checkHost refuses a URL host that is itself a forbidden IP address,
// before robots.txt or politeness are spent on it. Host names are checked
// when their addresses are dialled.
func (g guard) checkHost(host string) error {
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return nil
	}
	return g.check(a)
}

// control is the net.Dialer hook. It runs after name resolution, for each
// address about to be connected to, so a name that resolves (or is
// rebound) to an internal address is refused before any packet is sent.
func (g guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unreadable address %q", ErrForbiddenAddress, address)
	}
	return g.check(ap.Addr())
}

// dialContext is the DialContext of the fetcher's transport.
func (g guard) dialContext(timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.control}).DialContext
}

// ParseAllow reads a comma-separated list of CIDR prefixes, such as
// "127.0.0.0/8,::1/128", for Config.Allow. A bare address is one host.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		p, err := netip.ParsePrefix(field)
		if err != nil {
			a, aerr := netip.ParseAddr(field)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR prefix such as 127.0.0.0/8 or ::1/128", field)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p != p.Masked() {
			return nil, fmt.Errorf("%q has host bits set; did you mean %s?", field, p.Masked())
		}
		out = append(out, p)
	}
	return out, nil
}
