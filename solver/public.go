package solver

import (
	"net/netip"

	"go4.org/netipx"
)

// nonPublic are the IPv4 ranges the internet does not route, so that no
// internet host holds an address in them: "this network" (0.0.0.0/8),
// private (RFC 1918), shared (100.64.0.0/10), loopback, link-local, and
// multicast and reserved (224.0.0.0/3, which holds 240.0.0.0/4).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

// publicAddress reports whether a is a public address, one an internet
// host can hold: publicRange's, and outside the private GUA blocks of
// the model's VPCs (private6), which AWS does not advertise and drops at
// the internet gateway edge, as it does unique local ones (V-01). It is
// the one definition of "public": query ends (resolveAddress), the
// internet's atoms (publicAtoms, internetHost, internetAtoms6), the
// interfaces the internet reaches, the internet and egress-only internet
// gateways (outIPv6) and the internet part of an answer (publicOnly) use
// it.
func (s *Solver) publicAddress(a netip.Addr) bool {
	if !publicRange(a) {
		return false
	}
	return s.private6Set == nil || !s.private6Set.Contains(a)
}

// publicRange reports whether a is in a range an internet host can hold
// an address in: an IPv4 address outside nonPublic, or a global unicast
// IPv6 address outside fc00::/7 (unique local, private, V-01) and
// outside 64:ff9b::/96, NAT64's prefix, which the internet does not
// route (V-16). Solver.publicAddress adds the model's private GUA
// blocks.
func publicRange(a netip.Addr) bool {
	a = a.Unmap()
	if !a.Is4() {
		_, nat64 := nat64Embedded(a)
		return a.IsGlobalUnicast() && !a.IsPrivate() && !nat64
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// publicOnly returns the prefixes of a set, without the addresses that
// are not public (publicRange; an IPv6 set holds no VPC block, private
// or not).
func publicOnly(set *netipx.IPSet) []netip.Prefix {
	if set == nil {
		return nil
	}
	var b netipx.IPSetBuilder
	b.AddSet(set)
	for _, p := range nonPublic {
		b.RemovePrefix(p)
	}
	out, _ := b.IPSet()
	return out.Prefixes()
}

// privateNote says why a is not public when a VPC block marked private
// holds it (private6): "; 2001:db8::/56 is a private IPv6 block (V-01)".
// Empty otherwise.
func (s *Solver) privateNote(a netip.Addr) string {
	for _, p := range s.private6 {
		if p.Contains(a) {
			return "; " + p.String() + " is a private IPv6 block, which AWS does not advertise (V-01)"
		}
	}
	return ""
}
