package sgeval

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// GroupRef is the index a compiler gave a security group, so that rules
// referencing groups compare integers.
type GroupRef int32

// SecurityGroup is a compiled security group (S-20, S-21). It is immutable
// and safe for concurrent use.
type SecurityGroup struct {
	ID      model.ID
	Ref     GroupRef
	ingress []sgRule
	egress  []sgRule
}

type sgRule struct {
	proto model.Protocol
	ports model.PortRange
	icmp  model.ICMPMatch
	// cidrs are the rule's CIDR peers and the CIDRs of its prefix-list
	// peers, sorted by address.
	cidrs []netip.Prefix
	// groups are the rule's security-group peers, sorted.
	groups []GroupRef
	index  int
}

// Resolver tells the compiler what a rule's peers stand for.
type Resolver interface {
	// PrefixList returns the CIDRs of a prefix list.
	PrefixList(id model.ID) []netip.Prefix
	// Group returns the index of a security group, or -1 if unknown.
	Group(id model.ID) GroupRef
}

// CompileSG compiles a model security group; ref is its own index.
func CompileSG(sg *model.SecurityGroup, ref GroupRef, r Resolver) *SecurityGroup {
	out := &SecurityGroup{ID: sg.ID, Ref: ref}
	for i, rule := range sg.Ingress {
		out.ingress = append(out.ingress, compileSGRule(rule.SGRule, rule.Sources, i, r))
	}
	for i, rule := range sg.Egress {
		out.egress = append(out.egress, compileSGRule(rule.SGRule, rule.Destinations, i, r))
	}
	if sg.Egress == nil {
		// Egress not written: AWS's default outbound rules of a new group.
		out.egress = []sgRule{allowAllOut, allowAllOut6}
	}
	return out
}

// allowAllOut is the outbound rule AWS gives every new group: all traffic
// to 0.0.0.0/0 (S-20). Index -1: it is not written in the model.
var allowAllOut = sgRule{proto: model.ProtocolAll, ports: model.AllPorts(), icmp: model.AnyICMP(),
	cidrs: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}, index: -1}

// allowAllOut6 is the outbound rule AWS adds for IPv6 in a VPC with an
// IPv6 block: all traffic to ::/0 (V-08). Index DefaultIPv6Egress: it is
// not written in the model. In a VPC without IPv6 no packet matches it.
var allowAllOut6 = sgRule{proto: model.ProtocolAll, ports: model.AllPorts(), icmp: model.AnyICMP(),
	cidrs: []netip.Prefix{netip.MustParsePrefix("::/0")}, index: DefaultIPv6Egress}

// DefaultIPv6Egress is the Index of an SGDecision made by the implicit
// outbound rule for ::/0 (V-08); the one for 0.0.0.0/0 is -1.
const DefaultIPv6Egress = -2

// DefaultSG returns the implicit default group of a VPC that defines none:
// inbound from itself, all outbound (S-20).
func DefaultSG(id model.ID, ref GroupRef) *SecurityGroup {
	return &SecurityGroup{ID: id, Ref: ref,
		ingress: []sgRule{{proto: model.ProtocolAll, ports: model.AllPorts(), icmp: model.AnyICMP(), groups: []GroupRef{ref}, index: -1}},
		egress:  []sgRule{allowAllOut, allowAllOut6},
	}
}

func compileSGRule(rule model.SGRule, peers []model.Peer, index int, r Resolver) sgRule {
	c := sgRule{proto: rule.Protocol, ports: model.AllPorts(), icmp: model.AnyICMP(), index: index}
	if rule.Ports != nil {
		c.ports = *rule.Ports
	}
	if rule.ICMP != nil {
		c.icmp = *rule.ICMP
	}
	for _, p := range peers {
		switch {
		case p.CIDR.IsValid():
			c.cidrs = append(c.cidrs, p.CIDR)
		case p.Ref != "":
			if g := r.Group(p.Ref); g >= 0 {
				c.groups = append(c.groups, g)
			} else {
				c.cidrs = append(c.cidrs, r.PrefixList(p.Ref)...)
			}
		}
	}
	slices.SortFunc(c.cidrs, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	slices.Sort(c.groups)
	return c
}

// Peer is what a security group check knows of the other side of a
// packet: its address, and the groups of its interface when group
// references can match it (S-22: one of its private addresses, primary or
// secondary, not NATed, and a path that preserves references). Groups must
// be sorted.
type Peer struct {
	Addr   netip.Addr
	Groups []GroupRef
}

// SGDecision is the outcome of a security group check: the group and rule
// (index in the model's list of that direction; -1 for an implicit rule)
// that allowed the packet. A packet no rule allows is denied, and Group is
// empty.
type SGDecision struct {
	Allowed bool
	Group   model.ID
	Index   int
	// ByReference is set when the rule matched through a group reference.
	ByReference bool
}

// Check evaluates a packet against the union of an interface's groups
// (S-20, S-23). For ingress, peer describes the packet's source; for egress,
// its destination. It does not allocate.
func Check(groups []*SecurityGroup, dir Direction, p Packet, peer Peer) SGDecision {
	var cidrHit SGDecision
	for _, g := range groups {
		rules := g.ingress
		if dir == Egress {
			rules = g.egress
		}
		for i := range rules {
			r := &rules[i]
			if p.Protocol == model.ProtocolAll {
				if r.proto != model.ProtocolAll {
					continue
				}
			} else if !matchesService(r.proto, r.ports, r.icmp, &p) {
				continue
			}
			if r.matchesGroup(peer.Groups) {
				return SGDecision{Allowed: true, Group: g.ID, Index: r.index, ByReference: true}
			}
			if !cidrHit.Allowed && r.matchesCIDR(peer.Addr) {
				cidrHit = SGDecision{Allowed: true, Group: g.ID, Index: r.index}
			}
		}
	}
	return cidrHit
}

func (r *sgRule) matchesCIDR(a netip.Addr) bool {
	for _, c := range r.cidrs {
		if c.Addr().Compare(a) > 0 {
			// Sorted by address: later prefixes start after a. A shorter
			// prefix starting earlier may still hold a, so no early exit
			// before this point.
			return false
		}
		if c.Contains(a) {
			return true
		}
	}
	return false
}

func (r *sgRule) matchesGroup(peer []GroupRef) bool {
	if len(r.groups) == 0 || len(peer) == 0 {
		return false
	}
	i, j := 0, 0
	for i < len(r.groups) && j < len(peer) {
		switch {
		case r.groups[i] == peer[j]:
			return true
		case r.groups[i] < peer[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// CheckRange evaluates the packet at every destination port of ports, as
// Check does one port. It returns the decision for the first port no rule
// allows, with that port, or else the decision for ports.First. It takes
// one Check per allowing rule range crossed, not one per port.
func CheckRange(groups []*SecurityGroup, dir Direction, p Packet, peer Peer, ports model.PortRange) (SGDecision, uint16) {
	if !p.Protocol.HasPorts() {
		return Check(groups, dir, p, peer), p.DstPort
	}
	var first SGDecision
	for port := uint32(ports.First); port <= uint32(ports.Last); {
		p.DstPort = uint16(port)
		d := Check(groups, dir, p, peer)
		if !d.Allowed {
			return d, uint16(port)
		}
		if port == uint32(ports.First) {
			first = d
		}
		next := uint32(ruleRange(groups, dir, d).Last) + 1
		if next <= port {
			next = port + 1
		}
		port = next
	}
	return first, ports.First
}

// ruleRange returns the port range of the rule decision d names.
func ruleRange(groups []*SecurityGroup, dir Direction, d SGDecision) model.PortRange {
	for _, g := range groups {
		if g.ID != d.Group {
			continue
		}
		rules := g.ingress
		if dir == Egress {
			rules = g.egress
		}
		for i := range rules {
			if rules[i].index == d.Index {
				if rules[i].proto != model.ProtocolAll && rules[i].proto.HasPorts() {
					return rules[i].ports
				}
				return model.AllPorts()
			}
		}
	}
	return model.AllPorts()
}
