package oracle

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Gateway Load Balancers and their appliances (V-20..V-25), as the walker
// models them: an endpoint service fronted by one Gateway Load Balancer,
// with no acceptance, allow list or region list (New refuses more), whose
// listener's geneve target group holds instances; Gateway Load Balancer
// endpoints as route targets, in subnet route tables and in the gateway
// route table of an internet gateway (ingress routing).

// genevePort is the port GENEVE uses, both ways (V-21).
const genevePort = 6081

// gwlbPass is one Gateway Load Balancer endpoint a packet passed, with
// the appliance that inspected it (V-23).
type gwlbPass struct {
	endpoint  model.ID
	appliance *iface
}

// gwlbEndpoint returns the Gateway Load Balancer endpoint of VPC v with
// an id, or nil.
func gwlbEndpoint(v *model.VPC, id model.ID) *model.Endpoint {
	for i := range v.Endpoints {
		if e := &v.Endpoints[i]; e.ID == id && e.Type == model.EndpointGatewayLoadBalancer {
			return e
		}
	}
	return nil
}

// gwlbOf returns the Gateway Load Balancer behind an endpoint's service,
// with its VPC.
func (n *Network) gwlbOf(e *model.Endpoint) (*model.LoadBalancer, *model.VPC) {
	for _, s := range n.m.EndpointServices {
		if string(s.ID) != e.Service && s.Name != e.Service {
			continue
		}
		for vi := range n.m.VPCs {
			v := &n.m.VPCs[vi]
			for li := range v.LoadBalancers {
				if slices.Contains(s.LoadBalancers, v.LoadBalancers[li].ID) {
					return &v.LoadBalancers[li], v
				}
			}
		}
	}
	return nil, nil
}

// targetGroupOf returns the target group of a Gateway Load Balancer's
// listener.
func targetGroupOf(lb *model.LoadBalancer, v *model.VPC) *model.TargetGroup {
	for i := range v.TargetGroups {
		if len(lb.Listeners) > 0 && v.TargetGroups[i].ID == lb.Listeners[0].TargetGroup {
			return &v.TargetGroups[i]
		}
	}
	return nil
}

// toGWLBEndpoint sends the packet to Gateway Load Balancer endpoint e of
// VPC v, from subnet from (nil: from an internet gateway's route table):
// it enters the endpoint's subnet, goes over PrivateLink to the load
// balancer's node in the endpoint's zone (V-20), which sends it over
// GENEVE to an appliance of its zone (V-21); the appliance forwards it or
// drops it (V-22), and it comes back out of the endpoint unchanged, routed
// by the endpoint subnet's table. A response through the endpoint the
// request passed passes the request's appliance (V-23).
func (w *walk) toGWLBEndpoint(e *model.Endpoint, v *model.VPC, from *model.Subnet) arrival {
	es := findSubnet(v, e.Subnets[0])
	w.crossACLs(from, es)
	lb, lbVPC := w.n.gwlbOf(e)
	var node *model.Subnet
	var nodeIP netip.Addr
	for i, id := range lb.Subnets {
		if sn := findSubnet(lbVPC, id); sn != nil && zone(sn) == zone(es) && node == nil {
			node, nodeIP = sn, lb.PrivateIPs[i]
		}
	}
	if node == nil {
		w.block(codeServiceNotInAZ)
		return drop
	}
	tg := targetGroupOf(lb, lbVPC)
	if !healthyTargets(tg) {
		w.warn(codeNoHealthyTargets)
	}
	x := w.pickAppliance(tg, lbVPC, node)
	if x == nil {
		w.block(codeNoTargetsInAZ)
		return drop
	}
	// The load balancer keeps a flow on one appliance: a response that
	// reaches the appliance of its request, through this endpoint or
	// another, is part of that flow (V-23).
	newFlow := w.leg == request || !slices.ContainsFunc(w.gwlbRequest, func(p gwlbPass) bool { return p.appliance == x })
	if w.leg == response && newFlow {
		// The response meets an appliance that did not see the request:
		// a stateful appliance drops it (V-23).
		w.warn(codeApplianceAsymmetry)
	}
	if !x.running {
		w.block(codeNotRunning)
	}
	w.geneve(x, node, nodeIP, newFlow)
	if w.leg == request && w.inspect(tg) {
		// The engine's convention: a drop ends the walk, as routing
		// does.
		return drop
	}
	w.gwlbPassed = append(w.gwlbPassed, gwlbPass{e.ID, x})
	return w.routeFrom(es)
}

// healthyTargets reports whether a target group has a healthy target.
func healthyTargets(tg *model.TargetGroup) bool {
	return slices.ContainsFunc(tg.Targets, func(t model.Target) bool { return t.Health == model.HealthHealthy })
}

// pickAppliance returns the appliance a load balancer node in subnet node
// sends a new flow to: the first healthy target of its zone (cross-zone
// load balancing off), or, when no target of the group is healthy, the
// first of its zone (it fails open, V-21); nil when its zone has none.
func (w *walk) pickAppliance(tg *model.TargetGroup, v *model.VPC, node *model.Subnet) *iface {
	anyHealthy := healthyTargets(tg)
	for _, t := range tg.Targets {
		x := w.n.ifaceByID(t.ID)
		if x == nil || x.vpc != v || zone(x.subnet) != zone(node) {
			continue
		}
		if t.Health == model.HealthHealthy || !anyHealthy {
			return x
		}
	}
	return nil
}

// geneve checks the GENEVE exchange between the node at nodeIP in subnet
// node and appliance x, both ways on udp 6081 (V-21): the appliance's
// groups must admit it from the node and let it back (on the request;
// the response's packets belong to the same GENEVE flow, unless the
// appliance did not see the request: newFlow), and the network ACLs
// between their subnets must pass it each way.
func (w *walk) geneve(x *iface, node *model.Subnet, nodeIP netip.Addr, newFlow bool) {
	to := Packet{Src: nodeIP, Dst: x.primary(), Protocol: model.ProtocolUDP, DstPort: genevePort}
	back := Packet{Src: x.primary(), Dst: nodeIP, Protocol: model.ProtocolUDP, DstPort: genevePort}
	if node != x.subnet {
		for _, c := range []struct {
			sn      *model.Subnet
			ingress bool
			p       Packet
		}{{node, false, to}, {x.subnet, true, to}, {x.subnet, false, back}, {node, true, back}} {
			acl := w.n.networkACL(w.n.vpcOfSubnet(c.sn), c.sn)
			if ok, _, _ := aclDecide(acl, c.ingress, c.p); !ok {
				w.block(codeACL)
			}
		}
	}
	if newFlow {
		if !w.n.groupsAllow(x, true, to, nil) || !w.n.groupsAllow(x, false, back, nil) {
			w.block(codeSGMismatch)
		}
	}
}

// inspect applies the appliances' stated verdict to the request as it
// reaches them (V-22): a drop rule that matches drops it (reported
// true); for all protocols, a rule that matches part of the traffic is a
// warning.
func (w *walk) inspect(tg *model.TargetGroup) bool {
	if tg.Inspection == nil {
		return false
	}
	// In order: the first rule that matches drops; one before it that
	// matches part of all traffic is a warning.
	for _, r := range tg.Inspection.Drops {
		switch {
		case r.Matches(w.pkt.Protocol, w.pkt.Src, w.pkt.Dst, w.pkt.DstPort):
			w.block(codeInspectionDrop)
			return true
		case w.pkt.Protocol == model.ProtocolAll && r.Overlaps(w.pkt.Src, w.pkt.Dst):
			w.warn(codeInspectionDrop)
		}
	}
	return false
}

// edgeTable returns the gateway route table of gateway gw in VPC v (V-24),
// or nil.
func edgeTable(v *model.VPC, gw model.ID) *model.RouteTable {
	for i := range v.RouteTables {
		if slices.Contains(v.RouteTables[i].EdgeAssociations, gw) {
			return &v.RouteTables[i]
		}
	}
	return nil
}

// throughEdge routes a packet that entered VPC v through its internet
// gateway by the gateway's route table (V-25): a route to a Gateway Load
// Balancer endpoint sends it there first; the local route delivers it to
// interface x.
func (w *walk) throughEdge(v *model.VPC, x *iface) (arrival, bool) {
	rt := edgeTable(v, v.InternetGateway)
	if rt == nil {
		return arrival{}, false
	}
	r, _ := lookup(w.n.vpcRoutes(v, rt), w.pkt.Dst)
	if r == nil || r.target == "local" {
		return arrival{}, false
	}
	if e := gwlbEndpoint(v, r.target); e != nil {
		return w.toGWLBEndpoint(e, v, nil), true
	}
	return arrival{}, false
}

// skipsAppliances reports whether the response, which made the passes
// response through appliances, skipped one of the request's passes
// (request) that no other appliance stands for (V-23): passes pair one to
// one by appliance (a request that passed one appliance twice needs two
// passes back); each pass of the request left without a pair needs a
// response pass through an appliance the request did not pass in its
// place, which is asymmetric routing (a warning of its own), not a skip.
func skipsAppliances(request, response []gwlbPass) bool {
	left := map[*iface]int{}
	for _, p := range response {
		left[p.appliance]++
	}
	missing := 0
	for _, p := range request {
		if left[p.appliance] > 0 {
			left[p.appliance]--
		} else {
			missing++
		}
	}
	extra := 0
	for _, p := range response {
		if !slices.ContainsFunc(request, func(q gwlbPass) bool { return q.appliance == p.appliance }) {
			extra++
		}
	}
	return missing > extra
}
