package solver

import (
	"fmt"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// Gateway Load Balancers, their endpoints and gateway route tables
// (V-20..V-26).
//
// A route to a Gateway Load Balancer endpoint hands the packet to the
// endpoint's interface in its one subnet; the endpoint sends it over
// PrivateLink to the node of its service's Gateway Load Balancer in the
// same zone, which encapsulates it in GENEVE (udp 6081) to one appliance
// of its target group; the appliance drops it or sends it back the same
// way, and the endpoint releases it, unchanged, to the route table of its
// own subnet. The response must pass the same appliance (V-23).
//
// A gateway route table (a route table associated with an internet or
// virtual private gateway) routes the traffic that enters the VPC through
// that gateway (V-25), in place of the direct delivery a VPC's router
// otherwise makes.

// gwlbPass is one pass of a request through a Gateway Load Balancer
// endpoint: the endpoint, the appliance that inspected it (-1: an ip
// target the model holds no interface for) and its address; on the
// return walk, whether the response passed it too.
type gwlbPass struct {
	endpoint  model.ID
	appliance int32
	addr      string
	returned  bool
}

// compileEdges maps each gateway to its gateway route table (V-25).
func (s *Solver) compileEdges() {
	for vi := range s.vpcs {
		v := &s.vpcs[vi]
		for i := range v.m.RouteTables {
			rt := &v.m.RouteTables[i]
			for _, g := range rt.EdgeAssociations {
				if s.edge == nil {
					s.edge = map[model.ID]*routing.Table{}
				}
				s.edge[g] = v.tables[rt.ID]
			}
		}
	}
}

// GatewayRouteTable returns the compiled gateway route table of an
// internet or virtual private gateway: the route table associated with it
// (edge association), which routes the traffic entering the VPC through
// it (V-25); nil when it has none.
func (s *Solver) GatewayRouteTable(gateway model.ID) *routing.Table { return s.edge[gateway] }

// throughEdge routes a packet that entered VPC vpc through gateway gw by
// the gateway's route table t (V-25): local delivers it as if there were
// none; a route to a Gateway Load Balancer endpoint or a network interface
// sends it there first.
func (w *walker) throughEdge(t *routing.Table, vpc int32, gw model.ID) terminal {
	if !w.step() {
		return w.drop("", HopRouteTable, "too many steps", model.Position{})
	}
	if w.loops(t.ID) {
		return w.drop(t.ID, HopRouteTable, "loop", model.Position{})
	}
	w.taint()
	w.dependsOn(w.pkt.Dst, "the routes of gateway route table", t.ID, decider{table: t})
	r := t.Lookup(w.pkt.Dst)
	var text string
	var pos model.Position
	if r != nil && w.words() {
		text, pos = w.s.routeWords(t, r)
	}
	switch {
	case r == nil:
		w.block(NoRouteToDestination, t.ID, "", w.tablePos(t), func() string {
			return fmt.Sprintf("gateway route table %s of %s has no route for %s (V-25)", t.ID, gw, w.pkt.Dst)
		})
		return w.drop(t.ID, HopRouteTable, "no route", w.tablePos(t))
	case r.Blackhole || r.Kind == routing.TargetUnknown:
		w.block(BadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("the route for %s in gateway route table %s is a blackhole: %s", w.pkt.Dst, t.ID, text)
		})
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	if why := w.s.applianceDown(r); why != "" {
		w.block(BadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("the route for %s in gateway route table %s (%s) is a blackhole: %s (S-15)", w.pkt.Dst, t.ID, text, why)
		})
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	w.hop(Hop{Component: t.ID, Kind: HopRouteTable, Decision: DecisionRoute, Rule: w.say(func() string { return text + " (gateway route table of " + string(gw) + ")" }), Pos: pos})
	switch r.Kind {
	case routing.TargetLocal:
		return w.deliverInVPC(vpc, -1)
	case routing.TargetGWLBEndpoint:
		return w.toGWLBEndpoint(r.Target, -1)
	case routing.TargetNetworkInterface, routing.TargetInstance:
		return w.toMiddlebox(w.s.eni[r.Target], -1)
	}
	w.block(UnmodelledDestination, r.Target, text, pos, func() string {
		return fmt.Sprintf("a gateway route table routes to local, a Gateway Load Balancer endpoint or a network interface, not %s (V-24)", r.Target)
	})
	return w.drop(r.Target, HopUnknown, text, pos)
}

// toGWLBEndpoint sends the packet, routed from subnet from (-1: from a
// gateway), through Gateway Load Balancer endpoint id: to the appliance
// its service's load balancer picks in the endpoint's zone, and, if the
// appliance forwards it, on by the route table of the endpoint's subnet
// (V-20..V-23).
func (w *walker) toGWLBEndpoint(id model.ID, from int32) terminal {
	// The appliance's verdict depends on exact addresses and ports.
	w.taint()
	nodes := w.s.nodes[id]
	ep := w.s.x.Endpoint(id)
	if len(nodes) == 0 || ep == nil {
		w.block(DestinationNotFound, id, "", model.Position{}, func() string {
			return fmt.Sprintf("Gateway Load Balancer endpoint %s has no network interface", id)
		})
		return w.drop(id, HopGWLBEndpoint, "no interface", model.Position{})
	}
	ei := nodes[0]
	e := &w.s.enis[ei]
	w.crossACLs(from, e.subnet)
	svc := w.s.services[ep.Service]
	w.hop(Hop{Component: id, Kind: HopGWLBEndpoint, Decision: DecisionForward, Pos: ep.Source.Position, Subnet: w.subnetID(e.subnet),
		Rule: w.say(func() string { return "to the Gateway Load Balancer of " + ep.Service + " in " + e.az })})
	if svc == nil {
		w.block(DestinationNotFound, id, "", ep.Source.Position, func() string {
			return fmt.Sprintf("Gateway Load Balancer endpoint %s names service %s, which the model does not hold (V-20)", id, ep.Service)
		})
		return w.drop(id, HopGWLBEndpoint, "no service", ep.Source.Position)
	}
	if state, _ := w.s.connectionState(svc, ep); state != model.EndpointAvailable {
		w.block(VPCEConnectionNotAccepted, id, "", ep.Source.Position, func() string {
			return fmt.Sprintf("the connection of Gateway Load Balancer endpoint %s to service %s is %s, not available (S-73)", id, svc.ID, state)
		})
		return w.drop(id, HopGWLBEndpoint, "connection not available", ep.Source.Position)
	}
	// The endpoint reaches the load balancer's node in its own zone
	// (V-20).
	node := int32(-1)
	for _, lb := range svc.LoadBalancers {
		for _, n := range w.s.nodes[lb] {
			if w.s.enis[n].lb.Type != model.LBGateway {
				continue
			}
			if same, _ := w.s.eniZones(n, ei); same {
				node = n
				break
			}
		}
		if node >= 0 {
			break
		}
	}
	if node < 0 {
		w.block(VPCEServiceNotInstalledInAZ, id, "", ep.Source.Field("subnets").Position, func() string {
			return fmt.Sprintf("Gateway Load Balancer endpoint %s is in %s, where service %s's Gateway Load Balancer has no node (V-20)", id, e.az, svc.ID)
		})
		return w.drop(id, HopGWLBEndpoint, "no load balancer node in "+e.az, ep.Source.Position)
	}
	n := &w.s.enis[node]
	lb := n.lb
	app, addr, tg, ok := w.gwlbAppliance(node, id)
	if !ok {
		return w.drop(lb.ID, HopLoadBalancer, "no appliance", lb.Source.Position)
	}
	seen := false
	if w.leg == LegReturn {
		seen = w.gwlbResponse(id, &app, &addr, ep.Source.Position)
	}
	w.hop(Hop{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionForward, Pos: lb.Source.Position, Subnet: w.subnetID(n.subnet),
		Rule: w.say(func() string {
			return fmt.Sprintf("node %s in %s; target group %s; GENEVE (udp 6081) to appliance %s", n.primary, n.az, tg.ID, addr)
		})})
	if w.rec.filters() && !seen && app >= 0 {
		w.geneve(node, app)
	}
	appID := model.ID(addr)
	var appPos model.Position
	if app >= 0 {
		a := &w.s.enis[app]
		appID, appPos = a.id, a.src.Position
		if !a.running && w.rec.filters() {
			w.block(InstanceNotRunning, a.id, "", a.src.Position, func() string {
				return fmt.Sprintf("appliance %s is not running", a.id)
			})
		}
	}
	if w.leg == LegForward {
		if dropped := w.inspect(tg, appID, appPos); dropped {
			return w.drop(appID, HopAppliance, w.say(func() string { return "inspection drops " + w.flow() }), appPos)
		}
		w.gwlb = append(w.gwlb, gwlbPass{endpoint: id, appliance: app, addr: addr})
	}
	w.hop(Hop{Component: appID, Kind: HopAppliance, Decision: DecisionForward, Pos: appPos,
		Rule: w.say(func() string {
			if seen {
				return "the response of a flow the appliance forwarded"
			}
			if w.leg == LegReturn {
				// Its drop rules match requests (V-22): none was checked.
				return "a response whose request it did not see (V-23)"
			}
			return "inspects " + w.flow() + ": no drop rule of " + string(tg.ID) + " matches; back over GENEVE"
		})})
	w.hop(Hop{Component: id, Kind: HopGWLBEndpoint, Decision: DecisionForward, Pos: ep.Source.Position, Subnet: w.subnetID(e.subnet),
		Rule: w.say(func() string {
			return "back from the appliance, routed by the route table of " + string(e.subnetName(w.s))
		})})
	// Beyond the appliance the destination sees traffic a middlebox
	// forwarded (S-18).
	w.loseRefs(refsAppliance)
	return w.route(e.subnet)
}

// gwlbResponse handles the response at Gateway Load Balancer endpoint id,
// where the load balancer would pick appliance *app at *addr for a new
// flow (V-23). Through the endpoint the request passed, flow stickiness
// keeps the response on the request's appliance; through another endpoint
// it reaches the request's appliance only if the load balancer picks it
// again. It reports whether the appliance saw the request, and warns when
// it did not.
func (w *walker) gwlbResponse(id model.ID, app *int32, addr *string, pos model.Position) bool {
	for i := range w.gwlb {
		if w.gwlb[i].endpoint == id {
			*app, *addr = w.gwlb[i].appliance, w.gwlb[i].addr
			w.gwlb[i].returned = true
			return true
		}
	}
	for i := range w.gwlb {
		if w.gwlb[i].appliance == *app && w.gwlb[i].addr == *addr {
			w.gwlb[i].returned = true
			return true
		}
	}
	what := "no appliance behind a Gateway Load Balancer"
	if len(w.gwlb) > 0 {
		what = "appliance " + w.gwlb[0].addr + " through endpoint " + string(w.gwlb[0].endpoint)
		// This warning names it: no second one that the response skips
		// it.
		w.gwlb[0].returned = true
	}
	got := *addr
	w.warn(ApplianceAsymmetricRouting, id, "", pos, func() string {
		return fmt.Sprintf("the response passes Gateway Load Balancer endpoint %s to appliance %s, but the request passed %s: AWS does not support asymmetric routing through appliances, and a stateful appliance drops a response whose request it did not see (V-23)", id, got, what)
	})
	return false
}

// subnetName returns the id of the interface's subnet.
func (e *eniInfo) subnetName(s *Solver) model.ID { return s.subnets[e.subnet].m.ID }

// gwlbAppliance picks the appliance that Gateway Load Balancer node ei
// sends a flow to (V-21): the first healthy target of its listener's
// target group in its zone, or in any zone with cross-zone load balancing
// on; failing open to the unhealthy ones when none is healthy (S-82). It
// returns the appliance's interface (-1 for an address the model holds no
// interface for), its name (the interface's id, else the target's id or
// address) and the target group; ok is false, with a
// blocker recorded, when there is none.
func (w *walker) gwlbAppliance(ei int32, endpoint model.ID) (app int32, addr string, tg *model.TargetGroup, ok bool) {
	n := &w.s.enis[ei]
	lb := n.lb
	if len(lb.Listeners) == 0 {
		w.block(ELBV2ListenersMismatch, lb.ID, "", lb.Source.Position, func() string {
			return fmt.Sprintf("Gateway Load Balancer %s has no listener, so it forwards nothing (V-21)", lb.ID)
		})
		return -1, "", nil, false
	}
	tg = w.s.x.TargetGroup(lb.Listeners[0].TargetGroup)
	pick := func(health model.TargetHealth) (int, bool) {
		any := false
		for i, t := range tg.Targets {
			if t.Health != health {
				continue
			}
			any = true
			if lb.CrossZone || t.AZ == "all" || w.s.targetZone(tg, t) == n.az {
				return i, true
			}
		}
		return -1, any
	}
	i, any := pick(model.HealthHealthy)
	if i < 0 && !any {
		if j, anyUnhealthy := pick(model.HealthUnhealthy); anyUnhealthy {
			w.warn(ELBV2NoHealthyTargets, tg.ID, "", tg.Source.Position, func() string {
				return fmt.Sprintf("target group %s has no healthy appliance: the Gateway Load Balancer fails open and sends to its unhealthy ones (S-82)", tg.ID)
			})
			i, any = j, true
		}
	}
	switch {
	case !any:
		w.block(ELBV2NoHealthyTargets, tg.ID, "", tg.Source.Position, func() string {
			return fmt.Sprintf("target group %s of Gateway Load Balancer %s has no healthy appliance: traffic through endpoint %s is dropped (V-21)", tg.ID, lb.ID, endpoint)
		})
		return -1, "", tg, false
	case i < 0:
		w.block(ELBV2NoTargetsInAZ, tg.ID, "", tg.Source.Position, func() string {
			return fmt.Sprintf("node %s of Gateway Load Balancer %s is in %s, where target group %s has no healthy appliance, and cross-zone load balancing is off (V-21)", n.primary, lb.ID, n.az, tg.ID)
		})
		return -1, "", tg, false
	}
	t := tg.Targets[i]
	if t.ID != "" {
		if e, ok := w.s.eni[t.ID]; ok {
			return e, string(w.s.enis[e].id), tg, true
		}
		return -1, string(t.ID), tg, true
	}
	if e, ok := w.s.vpcs[n.vpc].addrs[t.IP]; ok {
		return e, string(w.s.enis[e].id), tg, true
	}
	return -1, t.IP.String(), tg, true
}

// inspect applies the inspection of target group tg to the request at
// appliance app (V-22); it reports whether a rule drops it. A rule that
// drops part of an all-protocols flow is a warning.
func (w *walker) inspect(tg *model.TargetGroup, app model.ID, pos model.Position) bool {
	if tg.Inspection == nil {
		return false
	}
	for i := range tg.Inspection.Drops {
		r := &tg.Inspection.Drops[i]
		if r.Matches(w.pkt.Protocol, w.pkt.Src, w.pkt.Dst, w.pkt.DstPort) {
			w.block(GWLBInspectionDrop, app, "", r.Source.Position, func() string {
				return fmt.Sprintf("appliance %s of target group %s drops %s: %s (V-22)", app, tg.ID, w.flow(), inspectionText(r))
			})
			return true
		}
		if w.pkt.Protocol == model.ProtocolAll && r.Overlaps(w.pkt.Src, w.pkt.Dst) {
			w.warn(GWLBInspectionDrop, app, "", r.Source.Position, func() string {
				return fmt.Sprintf("appliance %s of target group %s drops part of this traffic: %s (V-22)", app, tg.ID, inspectionText(r))
			})
		}
	}
	return false
}

// inspectionText describes a drop rule.
func inspectionText(r *model.InspectionRule) string {
	s := "drop"
	if r.Protocol != 0 {
		s += " " + r.Protocol.String()
	}
	if r.Ports != nil {
		s += " port " + r.Ports.String()
	}
	if r.SourceCIDR.IsValid() {
		s += " from " + r.SourceCIDR.String()
	}
	if r.DestinationCIDR.IsValid() {
		s += " to " + r.DestinationCIDR.String()
	}
	if r.Description != "" {
		s += " (" + r.Description + ")"
	}
	if s == "drop" {
		s = "drop everything"
	}
	return s
}

// geneve checks the filters of the GENEVE tunnel between Gateway Load
// Balancer node and appliance app, udp to port 6081 both ways (V-21): the
// network ACLs of their subnets, the appliance's inbound security group
// rules for the node and its outbound rules for the way back. The load
// balancer has no security groups.
func (w *walker) geneve(node, app int32) {
	n, a := &w.s.enis[node], &w.s.enis[app]
	saved := w.pkt
	defer func() { w.pkt = saved }()
	there := sgeval.Packet{Src: n.primary, Dst: a.primary, Protocol: model.ProtocolUDP, SrcPort: 6081, DstPort: 6081}
	back := sgeval.Packet{Src: a.primary, Dst: n.primary, Protocol: model.ProtocolUDP, SrcPort: 6081, DstPort: 6081}
	for _, c := range []struct {
		pkt      sgeval.Packet
		from, to int32
	}{{there, n.subnet, a.subnet}, {back, a.subnet, n.subnet}} {
		if c.from == c.to {
			continue
		}
		w.pkt = c.pkt
		w.geneveACL(c.from, sgeval.Egress)
		w.geneveACL(c.to, sgeval.Ingress)
	}
	for _, c := range []struct {
		pkt  sgeval.Packet
		dir  sgeval.Direction
		peer *eniInfo
	}{{there, sgeval.Ingress, n}, {back, sgeval.Egress, n}} {
		w.pkt = c.pkt
		if len(a.groups) == 0 {
			continue
		}
		d := sgeval.Check(a.groups, c.dir, c.pkt, sgeval.Peer{Addr: c.peer.primary, Groups: c.peer.refs})
		h := Hop{Component: d.Group, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: c.dir.String()}
		if w.words() && d.Allowed {
			h.Rule, h.Pos = w.s.sgWords(c.dir, d)
			h.Rule = "GENEVE: " + h.Rule
		}
		if !d.Allowed {
			h.Component, h.Decision = a.groups[0].ID, DecisionDeny
			h.Rule = w.say(func() string { return "GENEVE: no rule allows udp 6081 " + c.dir.String() })
			dir := c.dir
			w.block(ENISGRulesMismatch, a.id, h.Rule, a.src.Position, func() string {
				return fmt.Sprintf("the security groups of appliance %s allow no GENEVE (udp 6081) %s %s Gateway Load Balancer node %s: the load balancer and its appliances exchange traffic over GENEVE (V-21)", a.id, dir, map[sgeval.Direction]string{sgeval.Ingress: "from", sgeval.Egress: "to"}[dir], n.primary)
			})
		}
		w.hop(h)
	}
}

// geneveACL checks the network ACL of subnet sn on a GENEVE packet in
// direction dir (V-21).
func (w *walker) geneveACL(sn int32, dir sgeval.Direction) {
	si := &w.s.subnets[sn]
	acl := si.acl
	d := acl.Check(dir, w.pkt)
	var text string
	var pos model.Position
	if w.words() {
		text, pos = w.s.aclWords(acl, dir, d)
	}
	h := Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(), Rule: w.say(func() string { return "GENEVE: " + text }), Pos: pos}
	if !d.Allowed {
		h.Decision = DecisionDeny
		pkt := w.pkt
		w.block(SubnetACLRestriction, acl.ID, text, pos, func() string {
			return fmt.Sprintf("network ACL %s of subnet %s denies GENEVE (udp 6081) from %s to %s %s: %s (V-21)", acl.ID, si.m.ID, pkt.Src, pkt.Dst, dir, text)
		})
	}
	w.hop(h)
}

// gwlbReturned warns about every Gateway Load Balancer appliance the
// request passed and its response did not (V-23), once the return walk
// ended at term.
func (w *walker) gwlbReturned(term terminal) {
	if term.kind == termDropped {
		return
	}
	for _, p := range w.gwlb {
		if p.returned {
			continue
		}
		w.warn(GWLBReturnSkipsAppliance, p.endpoint, "", model.Position{}, func() string {
			return fmt.Sprintf("the request passed Gateway Load Balancer endpoint %s and appliance %s, but the response does not come back through them: AWS does not support asymmetric routing through appliances, and a stateful appliance never sees the response; route the return traffic to %s too (V-23)", p.endpoint, p.addr, p.endpoint)
		})
	}
}
