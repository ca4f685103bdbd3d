package oracle

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// aclDecide decides one direction of a network ACL for a packet (S-31):
// the rules in ascending number order, the first that matches decides
// (rule is its number), and no match is denied by the final "*" rule
// (rule 0). An "all traffic" packet is decided by the first rule for all
// protocols; partial reports that an earlier deny rule for one protocol
// took part of that traffic away before an allow-all rule let the rest
// through (a warning, not a block).
func aclDecide(acl *model.NetworkACL, ingress bool, p Packet) (allowed, partial bool, rule int) {
	rules := slices.Clone(acl.Egress)
	addr := p.Dst
	if ingress {
		rules = slices.Clone(acl.Ingress)
		addr = p.Src
	}
	slices.SortStableFunc(rules, func(a, b model.ACLRule) int { return a.Rule - b.Rule })
	deniedSome := false
	for _, r := range rules {
		if !r.CIDR.Contains(addr) {
			continue
		}
		if p.Protocol == model.ProtocolAll && r.Protocol != model.ProtocolAll {
			deniedSome = deniedSome || r.Action == model.ACLDeny
			continue
		}
		if serviceMatches(r.Protocol, r.Ports, r.ICMP, p) {
			allowed = r.Action == model.ACLAllow
			return allowed, allowed && deniedSome, r.Rule
		}
	}
	return false, false, 0
}

// portSamples splits a range of ports at every boundary the rules draw
// (a rule's first port, and the port after its last), and returns the
// first port of each piece: every port of a piece is decided alike, so
// checking the samples checks the whole range.
func portSamples(within model.PortRange, ranges []*model.PortRange) []uint16 {
	out := []uint16{within.First}
	add := func(p int) {
		if p > int(within.First) && p <= int(within.Last) && !slices.Contains(out, uint16(p)) {
			out = append(out, uint16(p))
		}
	}
	for _, r := range ranges {
		if r != nil {
			add(int(r.First))
			add(int(r.Last) + 1)
		}
	}
	slices.Sort(out)
	return out
}

// aclPortRanges returns the port ranges of an ACL's rules in one
// direction.
func aclPortRanges(acl *model.NetworkACL, ingress bool) []*model.PortRange {
	rules := acl.Egress
	if ingress {
		rules = acl.Ingress
	}
	var out []*model.PortRange
	for _, r := range rules {
		out = append(out, r.Ports)
	}
	return out
}

// groupPortRanges returns the port ranges of the rules of some groups.
func groupPortRanges(groups []*model.SecurityGroup) []*model.PortRange {
	var out []*model.PortRange
	for _, g := range groups {
		for _, r := range g.Ingress {
			out = append(out, r.Ports)
		}
		for _, r := range g.Egress {
			out = append(out, r.Ports)
		}
	}
	return out
}

// securityGroups returns an interface's groups.
func (n *Network) securityGroups(x *iface) []*model.SecurityGroup {
	var out []*model.SecurityGroup
	for _, id := range x.groups {
		if g := n.group(id); g != nil {
			out = append(out, g)
		}
	}
	return out
}

// groupsAllow decides the union of an interface's security groups for a
// packet (S-20, S-21, S-23): ingress looks at the source, egress at the
// destination; peerGroups are the groups a reference may match on the
// other side (none when references do not match there, S-22).
func (n *Network) groupsAllow(x *iface, ingress bool, p Packet, peerGroups []model.ID) bool {
	peer := p.Dst
	if ingress {
		peer = p.Src
	}
	return SG(n.securityGroups(x), ingress, p, peer, peerGroups, n.prefixList, n.isGroup)
}

// isPublic reports whether an address can be an internet host's: not
// private (RFC 1918), shared (RFC 6598), loopback, link-local, multicast
// or unspecified; for IPv6, a global unicast address outside the unique
// local range fc00::/7 (V-06) and outside NAT64's 64:ff9b::/96, which the
// internet does not route (V-16).
//
// Network.public adds the VPC IPv6 blocks marked private.
func isPublic(a netip.Addr) bool {
	if a.Is6() {
		return a.IsGlobalUnicast() && !a.IsPrivate() && !wellKnownPrefix.Contains(a)
	}
	return a.Is4() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() && !a.IsMulticast() &&
		!a.IsUnspecified() && !netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

// public reports whether an address can be an internet host's: isPublic,
// and outside every VPC IPv6 block the model marks private
// (private_ipv6_cidr_blocks): AWS does not advertise a private GUA range,
// and drops its traffic at the internet gateway edge, as for a unique
// local one (V-01).
func (n *Network) public(a netip.Addr) bool {
	if !isPublic(a) {
		return false
	}
	for i := range n.m.VPCs {
		for _, b := range n.m.VPCs[i].PrivateIPv6CIDRBlocks {
			if b.Contains(a) {
				return false
			}
		}
	}
	return true
}
