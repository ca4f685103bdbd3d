package solver

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// A topology may mark addresses as assumed (assumed_ips): values a
// Terraform plan leaves unknown until apply, which the importer chose.
// An assumed address stands for any address its resource may get: a
// private one for any address of its subnet, a public one for any public
// address. A decision about a packet that carries one depends on it when
// a prefix the decision consults (a route's destination, a network ACL
// rule's CIDR, a security group rule's CIDR or prefix list) holds part of
// that range but not all of it: another address of the range may be
// decided otherwise. Reach then warns (ASSUMED_ADDRESS), once per address
// and deciding component, naming both. A decision whose prefixes hold the
// whole range or none of it, and a decision by group reference, does not
// depend on the address and says nothing. So does a query that names its
// ends by id: the answer follows the resource, whatever its address.

// assumedAddr is an address the model assumes, and the range it stands
// for.
type assumedAddr struct {
	owner model.ID
	pos   model.Position
	// subnet is the range a private address stands for, and subnetID its
	// subnet; subnet is invalid for a public address, which stands for
	// any public address.
	subnet   netip.Prefix
	subnetID model.ID
}

// HasAssumed reports whether the model assumes any address (an
// interface's, NAT gateway's, endpoint's or load balancer's AssumedIPs):
// answers may then rest on them (ASSUMED_ADDRESS).
func (s *Solver) HasAssumed() bool { return len(s.assumed) > 0 }

// compileAssumed indexes the model's assumed addresses. The importer
// never assumes an address twice; when a hand-written model does, the
// first resource keeps it.
func (s *Solver) compileAssumed() {
	for vi := range s.m.VPCs {
		v := &s.m.VPCs[vi]
		add := func(owner model.ID, src model.Source, as []netip.Addr) {
			for _, a := range as {
				if _, dup := s.assumed[a]; dup {
					continue
				}
				x := &assumedAddr{owner: owner, pos: src.Position}
				for _, sn := range v.Subnets {
					if sn.CIDRBlock.Contains(a) {
						x.subnet, x.subnetID = sn.CIDRBlock, sn.ID
					}
					if sn.IPv6CIDRBlock.Contains(a) {
						// An IPv6 address stands for any of its
						// subnet's IPv6 block (V-02).
						x.subnet, x.subnetID = sn.IPv6CIDRBlock, sn.ID
					}
				}
				if s.assumed == nil {
					s.assumed = map[netip.Addr]*assumedAddr{}
				}
				s.assumed[a] = x
			}
		}
		for _, in := range v.Instances {
			add(in.ID, in.Source, in.AssumedIPs)
		}
		for _, ni := range v.NetworkInterfaces {
			add(ni.ID, ni.Source, ni.AssumedIPs)
		}
		for _, n := range v.NATGateways {
			add(n.ID, n.Source, n.AssumedIPs)
		}
		for _, ep := range v.Endpoints {
			add(ep.ID, ep.Source, ep.AssumedIPs)
		}
		for _, lb := range v.LoadBalancers {
			add(lb.ID, lb.Source, lb.AssumedIPs)
		}
	}
}

// splitBy reports whether prefix p holds part, not all, of the range the
// address stands for.
func (a *assumedAddr) splitBy(p netip.Prefix) bool {
	if !p.IsValid() {
		return false
	}
	p = p.Masked()
	if a.subnet.IsValid() {
		return p.Addr().Is4() == a.subnet.Addr().Is4() && p.Overlaps(a.subnet) && p.Bits() > a.subnet.Bits()
	}
	if !p.Addr().Is4() {
		return false
	}
	// Any public address: 0.0.0.0/0 holds them all, a prefix inside a
	// range the internet does not route none.
	if p.Bits() == 0 {
		return false
	}
	for _, np := range nonPublic {
		if np.Bits() <= p.Bits() && np.Contains(p.Addr()) {
			return false
		}
	}
	return true
}

// rangeText names the range the address stands for, in the plural
// ("addresses of its subnet ...") or the singular ("address of ...").
func (a *assumedAddr) rangeText(plural bool) string {
	noun := "address"
	if plural {
		noun = "addresses"
	}
	if a.subnet.IsValid() {
		return fmt.Sprintf("%s of its subnet %s (%s)", noun, a.subnetID, a.subnet)
	}
	return "public " + noun
}

// decider is what a decision about an address consults: a route table,
// a transit gateway route table, a network ACL's rules of one direction,
// or an interface's security groups' rules of one direction, for the
// traffic at hand. It is a
// value, so that a walk that keeps no words pays nothing for it.
type decider struct {
	table  *routing.Table
	tgw    *routing.TGWTable
	acl    *sgeval.ACL
	groups []*sgeval.SecurityGroup
	dir    sgeval.Direction
	// proto and ports are the traffic a filter decides: rules for other
	// traffic do not take part.
	proto model.Protocol
	ports model.PortRange
}

// applies reports whether a filter rule of protocol proto and ports may
// match the decider's traffic (ICMP types aside).
func (d decider) applies(proto model.Protocol, ports *model.PortRange) bool {
	if proto != model.ProtocolAll && d.proto != model.ProtocolAll && proto != d.proto {
		return false
	}
	return ports == nil || !d.proto.HasPorts() || ports.Overlaps(d.ports)
}

// prefixes returns the prefixes a decider matches addresses by: route
// destinations, ACL rules' CIDRs, security group rules' CIDRs and prefix
// lists' entries. Implicit defaults (the allow-all ACL, a VPC's default
// group) have none that tell addresses apart.
func (s *Solver) prefixes(d decider) []netip.Prefix {
	var out []netip.Prefix
	switch {
	case d.table != nil:
		for _, r := range d.table.Routes() {
			out = append(out, r.Destination)
		}
	case d.tgw != nil:
		for _, r := range d.tgw.Routes() {
			out = append(out, r.Destination)
		}
	case d.acl != nil:
		if a := s.x.NetworkACL(d.acl.ID); a != nil {
			rules := a.Ingress
			if d.dir == sgeval.Egress {
				rules = a.Egress
			}
			for _, r := range rules {
				if d.applies(r.Protocol, r.Ports) {
					out = append(out, r.CIDR)
				}
			}
		}
	default:
		add := func(peers []model.Peer) {
			for _, p := range peers {
				if p.CIDR.IsValid() {
					out = append(out, p.CIDR)
				} else if pl := s.x.PrefixList(p.Ref); pl != nil {
					out = append(out, pl.CIDRs...)
				}
			}
		}
		for _, g := range d.groups {
			sg := s.x.SecurityGroup(g.ID)
			if sg == nil {
				continue
			}
			if d.dir == sgeval.Ingress {
				for _, r := range sg.Ingress {
					if d.applies(r.Protocol, r.Ports) {
						add(r.Sources)
					}
				}
			} else {
				for _, r := range sg.Egress {
					if d.applies(r.Protocol, r.Ports) {
						add(r.Destinations)
					}
				}
			}
		}
	}
	return out
}

// dependsOn records, for Reach, that a decision of component (what names
// it, as "the routes of route table"), made by d, is about address addr:
// when addr is assumed and a prefix of d splits its range (splitBy), the
// answer depends on it, and a warning says so.
func (w *walker) dependsOn(addr netip.Addr, what string, component model.ID, d decider) {
	if len(w.s.assumed) == 0 || !w.words() {
		return
	}
	a := w.s.assumed[addr]
	if a == nil {
		return
	}
	// The request on its port; a response on the ports it may go to.
	d.proto, d.ports = w.pkt.Protocol, model.PortRange{First: w.pkt.DstPort, Last: w.pkt.DstPort}
	if w.leg == LegReturn {
		d.ports = w.ephemeral
	}
	if !slices.ContainsFunc(w.s.prefixes(d), a.splitBy) {
		return
	}
	msg := fmt.Sprintf("the answer depends on %s, the address assumed for %s, whose real address is not known: %s %s treat other %s differently", addr, a.owner, what, component, a.rangeText(true))
	for _, x := range w.warnings {
		if x.Code == AssumedAddress && x.Message == msg {
			return
		}
	}
	w.warn(AssumedAddress, a.owner, "", a.pos, func() string { return msg })
}

// namesAssumed warns when a query end is written as an assumed address:
// the resource holding it after apply may hold another.
func (s *Solver) namesAssumed(spec string) (Warning, bool) {
	ep, err := parseEndpoint(spec)
	if err != nil || ep.kind != endpointAddress {
		return Warning{}, false
	}
	a := s.assumed[ep.addr]
	if a == nil {
		return Warning{}, false
	}
	return Warning{Code: AssumedAddress, Component: a.owner, Leg: LegForward, Pos: a.pos,
		Message: fmt.Sprintf("the query names %s, the address assumed for %s, whose real address is not known: it may have another %s", ep.addr, a.owner, a.rangeText(false))}, true
}
