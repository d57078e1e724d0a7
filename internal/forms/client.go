package forms

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies trusted to say, in X-Forwarded-For, whom
// they forward for. The zero value trusts none: the client is the peer.
type Proxies struct{ nets []netip.Prefix }

// ParseProxies reads a comma-separated list of CIDRs or single addresses
// ("10.0.0.0/8, 127.0.0.1"); "" trusts none.
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		pre, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return Proxies{}, fmt.Errorf("%q is not a CIDR (10.0.0.0/8) or an IP address", f)
			}
			pre = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		p.nets = append(p.nets, pre.Masked())
	}
	return p, nil
}

func (p Proxies) trusted(a netip.Addr) bool {
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// ClientOf is the address r comes from. When the peer is a trusted proxy,
// X-Forwarded-For is read from the right — each proxy appends the address
// it got the request from — skipping trusted hops; the first untrusted one
// is the client. Hops to the left of it are whatever the client chose to
// send and are never believed. A malformed hop ends the walk at the last
// trusted one, which is then the best known.
func (p Proxies) ClientOf(r *http.Request) string {
	peer := peerAddr(r)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	client := peer
	if !p.trusted(peer) {
		return client.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		a, err := netip.ParseAddr(h)
		if err != nil {
			break
		}
		client = a.Unmap()
		if !p.trusted(client) {
			break
		}
	}
	return client.String()
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

type clientKey struct{}

// Middleware records the client address of each request (see ClientOf)
// for Client.
func (p Proxies) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, p.ClientOf(r))))
	})
}

// Client is the address r comes from, as Middleware found it; without the
// middleware, the peer address. Every rate limit, token and consent record
// uses it, so behind a proxy they see readers, not the proxy.
func Client(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(string); ok {
		return c
	}
	return Proxies{}.ClientOf(r)
}
