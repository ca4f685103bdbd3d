package solver

import (
	"net/netip"
	"slices"

	"go4.org/netipx"
)

// Except returns the internet ranges that do not reach these ports: the
// public IPv4 space that Exposure tries (every address but the private,
// shared, loopback, link-local, reserved and multicast ranges), or for an
// IPv6 exposure the global IPv6 space but the model's VPC blocks, minus From,
// as the fewest prefixes, sorted. It returns nil when the ports are reached
// from anywhere. When it is shorter than From, "anywhere except Except()"
// says the same thing in fewer words.
func (e ExposedPorts) Except() []netip.Prefix {
	if e.Anywhere {
		return nil
	}
	if e.except6 != nil || slices.ContainsFunc(e.From, func(p netip.Prefix) bool { return p.Addr().Is6() }) {
		// An IPv6 exposure: the global IPv6 space Exposure tried
		// (2000::/3 but the model's VPC blocks), minus From.
		return e.except6
	}
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.PrefixFrom(netip.IPv4Unspecified(), 0))
	for _, p := range e.From {
		b.RemovePrefix(p)
	}
	set, _ := b.IPSet()
	return publicOnly(set)
}
