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

// classSelection says which class pairs of each side (0 old, 1 new) a
// comparison computes: those with an end in a touched class; or, when from
// and to are set, only the pairs of a from class and a to class, either
// way round. A member's classes are marked alike on both sides (see
// closeOverMembers), so a joint class is computed on both sides or on
// neither.
type classSelection struct {
	touched  [2][]bool
	from, to [2][]bool
}

// selectClasses chooses the class pairs a change can alter:
//
//   - by default, those with an end in a touched VPC (see touchedVPCs);
//   - when the change only edits security groups that act at the ends of a
//     flow alone, those holding a changed group: a group's rules decide
//     its members' flows only (the source's egress, the destination's
//     ingress). Not when a changed group is held by an appliance that
//     forwards others' traffic (a route target, S-15, or a load
//     balancer's target, V-21), nor when one is a VPC's default group
//     (interfaces without groups hold it implicitly);
//   - when it only edits routes, those of a class in the edited tables'
//     subnets and a class under the rerouted range (see reroutedTables,
//     tableUsers), or with groups edited too, the classes under the range
//     or in those subnets, or holding a changed group.
func (c *comparison) selectClasses(touchedVPCs map[model.ID]bool) classSelection {
	sides := [2]*side{c.old, c.new}
	mark := func(f func(sd *side, ci int) bool) [2][]bool {
		var out [2][]bool
		for i, sd := range sides {
			out[i] = make([]bool, len(sd.classes))
			for ci := range sd.classes {
				out[i][ci] = f(sd, ci)
			}
		}
		return out
	}
	count := func(m [2][]bool) int {
		n := 0
		for _, side := range m {
			for _, x := range side {
				if x {
					n++
				}
			}
		}
		return n
	}
	var sel classSelection
	sel.touched = mark(func(sd *side, ci int) bool { return touchedVPCs[sd.classes[ci].VPC] })
	changed := map[model.ID]bool{}
	for _, ch := range c.changes {
		changed[ch.ID] = true
	}
	groupsLocal := c.groupsActAtEnds(changed)
	c.groupsAtEnds = groupsLocal
	hasChangedGroup := func(sd *side, ci int) bool {
		return slices.ContainsFunc(sd.classes[ci].Groups, func(g model.ID) bool { return changed[sd.id(g)] })
	}
	if c.onlyGroupsChanged() {
		if groupsLocal {
			sel.touched = c.closeOverMembers(mark(hasChangedGroup))
		}
		return sel
	}
	set, tables, ok := c.reroutedTables()
	if !ok || c.old.otherAddresses(set) || c.new.otherAddresses(set) {
		return sel
	}
	// A class's members may lie on both sides of the range (the side
	// without the route has no boundary there): each is asked, and
	// closeOverMembers marks their classes on the other side.
	under := c.closeOverMembers(mark(func(sd *side, ci int) bool {
		cl := &sd.classes[ci]
		// A class's private addresses lie in its subnet: only classes with
		// public addresses, or whose subnet the range meets, are asked
		// member by member.
		if sn := sd.s.Index().Subnet(sd.localID(cl.Subnet)); sn != nil && !cl.Public &&
			!set.OverlapsPrefix(sn.CIDRBlock) && !(sn.IPv6CIDRBlock.IsValid() && set.OverlapsPrefix(sn.IPv6CIDRBlock)) {
			return false
		}
		return slices.ContainsFunc(cl.Members, func(id model.ID) bool { return sd.hasAddressIn(id, set) })
	}))
	oldUsers, okOld := c.old.tableUsers(tables)
	newUsers, okNew := c.new.tableUsers(tables)
	uses := func(sd *side, ci int) bool { return oldUsers[sd.classes[ci].Subnet] || newUsers[sd.classes[ci].Subnet] }
	if okOld && okNew && len(changed) == len(tables) {
		// Routes only: a pair's request is looked up in an edited table
		// when its source is in one of the tables' subnets, for its
		// destination's address; its response, the other way round.
		sel.from, sel.to = c.closeOverMembers(mark(uses)), under
		return sel
	}
	if !groupsLocal {
		return sel
	}
	byAddress := c.closeOverMembers(mark(func(sd *side, ci int) bool { return hasChangedGroup(sd, ci) || under[sideIndex(sides, sd)][ci] }))
	if count(byAddress) < count(sel.touched) {
		sel.touched = byAddress
	}
	if okOld && okNew {
		bySubnet := c.closeOverMembers(mark(func(sd *side, ci int) bool { return hasChangedGroup(sd, ci) || uses(sd, ci) }))
		if count(bySubnet) < count(sel.touched) {
			sel.touched = bySubnet
		}
	}
	return sel
}

// sideIndex returns sd's index in sides.
func sideIndex(sides [2]*side, sd *side) int {
	if sd == sides[1] {
		return 1
	}
	return 0
}

// closeOverMembers marks, until nothing more is marked, every class of
// either side that shares a member with a marked class of the other, and
// returns marks. A class may be one on one side and split on the other (a
// route added on one side draws a boundary through it).
func (c *comparison) closeOverMembers(marks [2][]bool) [2][]bool {
	sides := [2]*side{c.old, c.new}
	for grew := true; grew; {
		grew = false
		for i, sd := range sides {
			other := sides[1-i]
			for ci, marked := range marks[i] {
				if !marked {
					continue
				}
				for _, id := range sd.classes[ci].Members {
					if oc, ok := other.classOf[id]; ok && !marks[1-i][oc] {
						marks[1-i][oc], grew = true, true
					}
				}
			}
		}
	}
	return marks
}

// groupsActAtEnds reports whether the changed security groups among
// changed judge flows at their ends only, on both sides: none is a VPC's
// default group (which interfaces without groups hold implicitly, under
// another id), and none is held by an appliance that forwards others'
// traffic: an instance or network interface a route targets (S-15,
// S-18), or a target of a load balancer's target group (the appliances of
// a Gateway Load Balancer, V-21). A target group with address targets
// counts as holding every group.
func (c *comparison) groupsActAtEnds(changed map[model.ID]bool) bool {
	for _, sd := range []*side{c.old, c.new} {
		m, x := sd.s.Model(), sd.s.Index()
		holds := func(groups []model.ID) bool {
			return slices.ContainsFunc(groups, func(g model.ID) bool { return changed[sd.id(g)] })
		}
		// forwards reports whether a forwarder holds a changed group.
		forwards := func(id model.ID) bool {
			if in := x.Instance(id); in != nil && holds(in.SecurityGroups) {
				return true
			}
			if ni := x.NetworkInterface(id); ni != nil && holds(ni.SecurityGroups) {
				return true
			}
			return false
		}
		for _, v := range m.VPCs {
			for _, g := range v.SecurityGroups {
				if g.Default && changed[sd.id(g.ID)] {
					return false
				}
			}
			for _, rt := range v.RouteTables {
				for _, r := range rt.Routes {
					if forwards(r.Target) {
						return false
					}
				}
			}
			for _, tg := range v.TargetGroups {
				for _, t := range tg.Targets {
					if t.ID == "" {
						return false // an address: whose groups is not looked up here
					}
					if forwards(t.ID) {
						return false
					}
				}
			}
		}
	}
	return true
}

// dualStack reports whether an instance or network interface, by global
// id, has IPv6 addresses on either side: Reach answers a query between two
// such ends for each family.
func (c *comparison) dualStack(id model.ID) bool {
	for _, sd := range []*side{c.old, c.new} {
		x, lid := sd.s.Index(), sd.localID(id)
		if in := x.Instance(lid); in != nil && len(in.IPv6Addresses) > 0 {
			return true
		}
		if ni := x.NetworkInterface(lid); ni != nil && len(ni.IPv6Addresses) > 0 {
			return true
		}
	}
	return false
}
