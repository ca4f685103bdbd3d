package diff

import (
	"cmp"
	"net/netip"
	"slices"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
)

// rerouted returns the addresses whose paths a change may reroute, when
// the change is narrow enough to say: every changed resource is a security
// group (their rules never route: no address) or a route table whose only
// difference is its routes, each route a CIDR. The set is then the
// destinations of the routes one side has and the other lacks (a lookup
// changes only for the addresses they cover). ok is false for any other
// change, or when a route names a prefix list: then any path may change.
func (c *comparison) rerouted() (set *netipx.IPSet, ok bool) {
	set, _, ok = c.reroutedTables()
	return set, ok
}

// reroutedTables is rerouted, with the route tables the change edits.
func (c *comparison) reroutedTables() (set *netipx.IPSet, tables []model.ID, ok bool) {
	var b netipx.IPSetBuilder
	for _, ch := range c.changes {
		switch ch.Kind {
		case model.KindSecurityGroup.String():
			continue
		case model.KindRouteTable.String():
		default:
			return nil, nil, false
		}
		if ch.Change != Modified {
			return nil, nil, false // a table added or removed moves associations too
		}
		old, nw := c.old.routeTable(ch.ID), c.new.routeTable(ch.ID)
		if old == nil || nw == nil || old.Main != nw.Main || len(old.Propagations)+len(nw.Propagations) > 0 ||
			len(old.EdgeAssociations)+len(nw.EdgeAssociations) > 0 {
			return nil, nil, false // a gateway route table routes what enters the VPC
		}
		tables = append(tables, ch.ID)
		routes := func(t *model.RouteTable, sd *side) map[string]netip.Prefix {
			out := map[string]netip.Prefix{}
			for _, r := range t.Routes {
				k := r.Destination.String() + "\x00" + string(sd.id(r.Target)) + "\x00" + r.State.String()
				out[k] = r.Destination.CIDR
			}
			return out
		}
		ro, rn := routes(old, c.old), routes(nw, c.new)
		for _, pair := range [][2]map[string]netip.Prefix{{ro, rn}, {rn, ro}} {
			for k, p := range pair[0] {
				if _, same := pair[1][k]; same {
					continue
				}
				if !p.IsValid() {
					return nil, nil, false // a prefix list
				}
				b.AddPrefix(p)
			}
		}
	}
	s, err := b.IPSet()
	return s, tables, err == nil
}

// tableUsers returns the subnets (by global id) whose traffic the side's
// route tables of ids route: those associated with one, or with none when
// one is the main table. ok is false when one of them may route, on a
// path between two interfaces, traffic that is not its own interfaces':
// it holds a transit gateway attachment, a NAT gateway, a Gateway Load
// Balancer or its endpoint, or an interface that a route targets (an
// appliance). Interface endpoints and other load balancers carry only
// the flows addressed to them.
func (sd *side) tableUsers(ids []model.ID) (users map[model.ID]bool, ok bool) {
	m := sd.s.Model()
	users = map[model.ID]bool{}
	for _, v := range m.VPCs {
		main := model.ID("")
		for _, rt := range v.RouteTables {
			if rt.Main {
				main = rt.ID
			}
		}
		for _, sn := range v.Subnets {
			t := cmp.Or(sn.RouteTable, main)
			if slices.Contains(ids, sd.id(t)) {
				users[sd.id(sn.ID)] = true
			}
		}
	}
	if len(users) == 0 {
		return users, true
	}
	in := func(sn model.ID) bool { return users[sd.id(sn)] }
	targets := map[model.ID]bool{}
	for _, v := range m.VPCs {
		for _, rt := range v.RouteTables {
			for _, r := range rt.Routes {
				targets[r.Target] = true
			}
		}
	}
	for _, v := range m.VPCs {
		for _, n := range v.NATGateways {
			if in(n.Subnet) {
				return nil, false
			}
		}
		for _, e := range v.Endpoints {
			if e.Type == model.EndpointGatewayLoadBalancer && slices.ContainsFunc(e.Subnets, in) {
				return nil, false
			}
		}
		for _, lb := range v.LoadBalancers {
			if lb.Type == model.LBGateway && slices.ContainsFunc(lb.Subnets, in) {
				return nil, false
			}
		}
		for _, i := range v.Instances {
			if in(i.Subnet) && (targets[i.ID] || (i.ENI != "" && targets[i.ENI])) {
				return nil, false
			}
		}
		for _, ni := range v.NetworkInterfaces {
			if in(ni.Subnet) && (targets[ni.ID] || targets[ni.Instance]) {
				return nil, false
			}
		}
	}
	for _, t := range m.TransitGateways {
		for _, a := range t.Attachments {
			if slices.ContainsFunc(a.Subnets, in) {
				return nil, false
			}
		}
	}
	return users, true
}

// routeTable returns the side's route table with a global id, or nil.
func (sd *side) routeTable(id model.ID) *model.RouteTable {
	m := sd.s.Model()
	for vi := range m.VPCs {
		for i := range m.VPCs[vi].RouteTables {
			if t := &m.VPCs[vi].RouteTables[i]; sd.id(t.ID) == id {
				return t
			}
		}
	}
	return nil
}

// hasAddressIn reports whether one of the side's instances or network
// interfaces, by global id, has an address in set: private, secondary,
// IPv6, public or elastic.
func (sd *side) hasAddressIn(id model.ID, set *netipx.IPSet) bool {
	x := sd.s.Index()
	var in *model.Interface
	lid := sd.localID(id)
	if i := x.Instance(lid); i != nil {
		in = &i.Interface
	} else if ni := x.NetworkInterface(lid); ni != nil {
		in = &ni.Interface
	} else {
		return false
	}
	return set.Contains(in.PrivateIP) || slices.ContainsFunc(in.SecondaryIPs, set.Contains) ||
		slices.ContainsFunc(in.IPv6Addresses, set.Contains) ||
		(in.PublicIP.IsValid() && set.Contains(in.PublicIP)) || (in.ElasticIP.IsValid() && set.Contains(in.ElasticIP))
}

// otherAddresses reports whether the set holds an address, other than an
// end's, that a path between two interfaces may be routed to: a NAT
// gateway's (the source is translated to it, and the response comes back
// to it), or one in a subnet of a VPC with a Gateway Load Balancer or its
// endpoints (the appliance's side of the path). Then the narrowing by end
// addresses does not hold. Interface endpoints and other load balancers
// are no such address: a flow between two interfaces never passes them,
// only a flow addressed to one.
func (sd *side) otherAddresses(set *netipx.IPSet) bool {
	for _, v := range sd.s.Model().VPCs {
		for _, n := range v.NATGateways {
			for _, a := range []netip.Addr{n.PrivateIP, n.PublicIP} {
				if a.IsValid() && set.Contains(a) {
					return true
				}
			}
		}
		gwlb := slices.ContainsFunc(v.Endpoints, func(e model.Endpoint) bool { return e.Type == model.EndpointGatewayLoadBalancer }) ||
			slices.ContainsFunc(v.LoadBalancers, func(lb model.LoadBalancer) bool { return lb.Type == model.LBGateway })
		if gwlb {
			for _, sn := range v.Subnets {
				if set.OverlapsPrefix(sn.CIDRBlock) || (sn.IPv6CIDRBlock.IsValid() && set.OverlapsPrefix(sn.IPv6CIDRBlock)) {
					return true
				}
			}
		}
	}
	return false
}
