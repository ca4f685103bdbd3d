package solver

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// A request that arrives at a load balancer node or an interface endpoint
// goes on: to a target behind the load balancer (S-80, S-81), to the AWS
// service behind an endpoint, or through PrivateLink to the provider's
// load balancer and its targets (S-73..S-75). Each such step starts a new
// segment of the path, walked like the first, with the source the next hop
// sees.

// step is what the service logic decides after a segment: stop (the
// request was delivered, or blocked), or walk a next segment from a load
// balancer node to a target.
type serviceStep struct {
	hops     []Hop
	blockers []Blocker
	warnings []Warning
	// next, when set, is the node that forwards to target (an interface)
	// or targetAddr (an address outside the model's interfaces).
	next       bool
	node       int32
	target     int32
	targetAddr netip.Addr
	port       uint16
	src        netip.Addr
	preserved  bool
	// nodeAddr is the node's address of the target's family, which the
	// target's responses return to (V-34).
	nodeAddr netip.Addr
	// others are further eligible targets, checked for warnings.
	others []lbTarget
	// service is set when the request ends at an AWS service behind an
	// interface endpoint.
	service bool
	// returnHops are shown on the return path between the segments.
	returnHops []Hop
}

func (st *serviceStep) block(code Code, component model.ID, pos model.Position, format string, args ...any) {
	st.blockers = append(st.blockers, Blocker{Code: code, Component: component, Leg: LegForward, Message: fmt.Sprintf(format, args...), Pos: pos})
}

// afterArrival decides what happens to a request that arrived at
// interface ei: nothing more for instances, the service logic for endpoints
// and load balancer nodes. client is the request's source address as the
// interface saw it.
func (s *Solver) afterArrival(ei int32, pkt sgeval.Packet) *serviceStep {
	e := &s.enis[ei]
	switch e.kind {
	case eniEndpoint:
		return s.throughEndpoint(ei, pkt)
	case eniLBNode:
		st := &serviceStep{}
		s.throughLB(st, ei, pkt, false)
		return st
	}
	return nil
}

// throughEndpoint follows a request from an interface endpoint to its
// service (S-71, S-73..S-75).
func (s *Solver) throughEndpoint(ei int32, pkt sgeval.Packet) *serviceStep {
	e := &s.enis[ei]
	ep := e.endpoint
	st := &serviceStep{}
	svc := s.services[ep.Service]
	if svc == nil {
		st.hops = append(st.hops, Hop{Component: model.ID(ep.Service), Kind: HopAWSService, Decision: DecisionDeliver,
			Rule: fmt.Sprintf("through interface endpoint %s", ep.ID), Pos: ep.Source.Position})
		st.service = true
		return st
	}
	vpc := &s.vpcs[e.vpc]
	consumer := ep.Account
	if consumer == "" {
		consumer = vpc.m.Account
	}
	state, recorded := s.connectionState(svc, ep)
	if !principalAllowed(svc, consumer) {
		who := string(consumer)
		if who == "" {
			who = "(no account given)"
		}
		switch {
		case recorded && state == model.EndpointAvailable:
			// The allow list is checked when an endpoint is created: a
			// connection already accepted keeps working after its account
			// is removed (ModifyVpcEndpointServicePermissions).
			st.warnings = append(st.warnings, Warning{Code: VPCEPrincipalNotAllowed, Component: svc.ID, Leg: LegForward, Pos: svc.Source.Field("allowed_principals").Position,
				Message: fmt.Sprintf("account %s of endpoint %s is not on the allowed principals of endpoint service %s; its connection, already available, keeps working, but a new endpoint could not be created (S-73)", who, ep.ID, svc.ID)})
		default:
			st.block(VPCEPrincipalNotAllowed, svc.ID, svc.Source.Field("allowed_principals").Position,
				"account %s of endpoint %s is not on the allowed principals of endpoint service %s (S-73)", who, ep.ID, svc.ID)
			if !recorded {
				// No connection could exist: the one cause is the allow
				// list, not a pending acceptance.
				state = model.EndpointAvailable
			}
		}
	}
	if state != model.EndpointAvailable {
		st.block(VPCEConnectionNotAccepted, ep.ID, ep.Source.Position,
			"the connection of endpoint %s to service %s is %s, not available (S-73)", ep.ID, svc.ID, state)
	}
	sameRegion := vpc.m.Region == svc.Region
	if !sameRegion && !slices.Contains(svc.SupportedRegions, vpc.m.Region) {
		st.block(VPCEServiceRegionNotSupported, svc.ID, svc.Source.Position,
			"endpoint service %s in %s does not list %s in its supported regions (S-75)", svc.ID, svc.Region, vpc.m.Region)
	}
	// The provider's load balancer node in the endpoint's zone (S-74).
	node := int32(-1)
	for _, lb := range svc.LoadBalancers {
		for _, n := range s.nodes[lb] {
			if same, _ := s.eniZones(n, ei); !sameRegion || same {
				node = n
				break
			}
		}
		if node >= 0 {
			break
		}
	}
	if sameRegion && !s.zonesComparable(ei, svc) {
		st.warnings = append(st.warnings, Warning{Code: ZoneMatchedByName, Component: ep.ID, Leg: LegForward, Pos: ep.Source.Field("subnets").Position,
			Message: fmt.Sprintf("endpoint %s and service %s are in different accounts and a subnet gives no az_id: their zones were matched by name, which each account maps differently (S-74)", ep.ID, svc.ID)})
	}
	if node < 0 {
		var zones []string
		for _, lb := range svc.LoadBalancers {
			for _, n := range s.nodes[lb] {
				zones = append(zones, s.enis[n].az)
			}
		}
		st.block(VPCEServiceNotInstalledInAZ, ep.ID, ep.Source.Field("subnets").Position,
			"endpoint %s's interface is in %s, where service %s's load balancer has no node (it has nodes in %s) (S-74)",
			ep.ID, e.az, svc.ID, strings.Join(zones, ", "))
		return st
	}
	n := &s.enis[node]
	st.hops = append(st.hops, Hop{Component: svc.ID, Kind: HopEndpointService, Decision: DecisionForward,
		Rule: fmt.Sprintf("PrivateLink from %s to %s in %s", ep.ID, n.id, n.az), Pos: svc.Source.Position})
	// The load balancer's security groups see the client's private
	// address, when they apply to PrivateLink traffic (S-80).
	if len(n.groups) > 0 && n.lb.EnforcesSGOnPrivateLink() {
		w := &walker{s: s, leg: LegForward, pkt: pkt, srcENI: -1, rec: explainRec{}}
		st.hops = append(st.hops, w.checkSG(node, sgeval.Ingress, sgeval.Peer{Addr: pkt.Src}, -1))
		st.blockers = append(st.blockers, w.blockers...)
	}
	st.returnHops = append(st.returnHops, Hop{Component: svc.ID, Kind: HopEndpointService, Decision: DecisionForward,
		Rule: fmt.Sprintf("PrivateLink back to %s", ep.ID)})
	s.throughLB(st, node, pkt, true)
	return st
}

// principalAllowed reports whether an endpoint service admits a consumer
// account: its owner, "*", the account id, or an ARN of the account (S-73).
func principalAllowed(svc *model.EndpointService, account model.ID) bool {
	if account != "" && account == svc.Account {
		return true
	}
	for _, p := range svc.AllowedPrincipals {
		if p == "*" || (account != "" && (p == string(account) || strings.Contains(p, ":"+string(account)+":"))) {
			return true
		}
	}
	return false
}

// connectionState returns the state of endpoint ep's connection to svc,
// and whether the model records it (the endpoint's state or the service's
// connection list); unrecorded, it is pending acceptance when the service
// requires acceptance, else available.
func (s *Solver) connectionState(svc *model.EndpointService, ep *model.Endpoint) (model.EndpointState, bool) {
	if ep.State != 0 {
		return ep.State, true
	}
	for _, c := range svc.Connections {
		if c.Endpoint == ep.ID {
			return c.State, true
		}
	}
	if svc.AcceptanceRequired {
		return model.EndpointPendingAcceptance, false
	}
	return model.EndpointAvailable, false
}

// zonesComparable reports whether the zone of interface ei can be matched
// exactly with those of service svc's load balancer nodes: zone ids given,
// or one account.
func (s *Solver) zonesComparable(ei int32, svc *model.EndpointService) bool {
	for _, lb := range svc.LoadBalancers {
		for _, n := range s.nodes[lb] {
			if _, ok := s.eniZones(ei, n); !ok {
				return false
			}
		}
	}
	return true
}

// eniZones reports whether interfaces a and b are in one availability
// zone, and whether that can be told (S-74; see Solver.sameZone).
func (s *Solver) eniZones(a, b int32) (same, comparable bool) {
	return s.sameZone(s.enis[a].subnet, s.enis[b].subnet)
}

// throughLB picks the listener, target group and target for a request
// that reached load balancer node ei (S-80, S-81).
func (s *Solver) throughLB(st *serviceStep, ei int32, pkt sgeval.Packet, viaPrivateLink bool) {
	n := &s.enis[ei]
	lb := n.lb
	var listener *model.Listener
	for i := range lb.Listeners {
		l := &lb.Listeners[i]
		if (lb.Type == model.LBGateway || l.Port == pkt.DstPort) && slices.Contains(l.Protocol.IPProtocols(), pkt.Protocol) {
			listener = l
			break
		}
	}
	if listener == nil {
		var ls []string
		for _, l := range lb.Listeners {
			ls = append(ls, fmt.Sprintf("%s/%d", l.Protocol, l.Port))
		}
		if len(ls) == 0 {
			ls = []string{"none"}
		}
		st.block(ELBV2ListenersMismatch, lb.ID, lb.Source.Field("listeners").Position,
			"load balancer %s has no listener for %s/%d (listeners: %s) (S-80)", lb.ID, pkt.Protocol, pkt.DstPort, strings.Join(ls, ", "))
		return
	}
	if lb.Type == model.LBGateway {
		st.block(DestinationNotFound, lb.ID, lb.Source.Position, "%s is a Gateway Load Balancer: traffic is not addressed to it, it is routed to its endpoints, whose routes send it through the appliances (V-20)", lb.ID)
		return
	}
	tg := s.x.TargetGroup(listener.TargetGroup)
	crossZone := lb.CrossZone || lb.Type == model.LBApplication
	var healthy, eligible []int
	for i, t := range tg.Targets {
		if t.Health != model.HealthHealthy {
			continue
		}
		healthy = append(healthy, i)
		if crossZone || s.targetZone(tg, t) == n.az || t.AZ == "all" {
			eligible = append(eligible, i)
		}
	}
	rule := fmt.Sprintf("listener %s/%d -> target group %s", listener.Protocol, listener.Port, tg.ID)
	if len(healthy) == 0 {
		// A load balancer whose targets are all unhealthy fails open: it
		// sends to every registered target that is merely unhealthy (ELB
		// guides, health checks, for network and application load
		// balancers alike).
		for i, t := range tg.Targets {
			if t.Health == model.HealthUnhealthy {
				healthy = append(healthy, i)
				if crossZone || s.targetZone(tg, t) == n.az || t.AZ == "all" {
					eligible = append(eligible, i)
				}
			}
		}
		if len(healthy) > 0 {
			st.warnings = append(st.warnings, Warning{Code: ELBV2NoHealthyTargets, Component: tg.ID, Leg: LegForward, Pos: tg.Source.Position,
				Message: fmt.Sprintf("target group %s has no healthy target: the load balancer fails open and sends to its unhealthy targets (S-81)", tg.ID)})
		}
	}
	switch {
	case len(healthy) == 0:
		st.hops = append(st.hops, Hop{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionDrop, Rule: rule, Pos: listener.Source.Position})
		st.block(ELBV2NoHealthyTargets, tg.ID, tg.Source.Position, "target group %s has no healthy target (S-81)", tg.ID)
		return
	case len(eligible) == 0:
		st.hops = append(st.hops, Hop{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionDrop, Rule: rule, Pos: listener.Source.Position})
		st.block(ELBV2NoTargetsInAZ, tg.ID, tg.Source.Position,
			"node %s of %s is in %s, where target group %s has no healthy target, and cross-zone load balancing is off (S-81)", n.primary, lb.ID, n.az, tg.ID)
		return
	}
	preserved := tg.PreservesClientIP() && !viaPrivateLink
	var targets []lbTarget
	for _, i := range eligible {
		t := tg.Targets[i]
		port := t.Port
		if port == 0 {
			port = tg.Port
		}
		switch {
		case t.ID != "":
			e, ok := s.eni[t.ID]
			switch {
			case !ok:
			case tg.AddressType() == model.IPAddressIPv6:
				// An instance of an IPv6 target group is reached at its
				// primary IPv6 address: vpcreach takes the first IPv6
				// address of its interface (V-34).
				if v6 := s.enis[e].v6; len(v6) > 0 {
					targets = append(targets, lbTarget{e, v6[0], port})
				}
			default:
				targets = append(targets, lbTarget{e, s.enis[e].primary, port})
			}
		case t.IP.IsValid():
			e, ok := s.vpcs[n.vpc].addrs[t.IP]
			if !ok {
				e = -1
			}
			targets = append(targets, lbTarget{e, t.IP, port})
		}
	}
	if len(targets) == 0 {
		st.block(ELBV2NoHealthyTargets, tg.ID, tg.Source.Position, "target group %s has no target vpcreach can place (S-81)", tg.ID)
		return
	}
	if preserved {
		// With client IP preservation, a target that connects to its own
		// load balancer and is sent back to itself times out: NAT loopback
		// is not supported (NLB guide, troubleshooting).
		var others []lbTarget
		for _, t := range targets {
			if t.addr != pkt.Src {
				others = append(others, t)
			}
		}
		if len(others) < len(targets) {
			self := "the client"
			if t, ok := s.addrOwnerENI(pkt.Src, n.vpc); ok {
				self = string(s.enis[t].id)
			}
			if len(others) == 0 {
				st.hops = append(st.hops, Hop{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionDrop, Rule: rule, Pos: listener.Source.Position})
				st.block(ELBV2HairpinNotSupported, lb.ID, tg.Source.Position,
					"%s is a target of %s itself, which preserves client IPs: the load balancer sends its connections back to it, where they time out (NAT loopback is not supported, S-81)", self, tg.ID)
				return
			}
			st.warnings = append(st.warnings, Warning{Code: ELBV2HairpinNotSupported, Component: lb.ID, Leg: LegForward, Pos: tg.Source.Position,
				Message: fmt.Sprintf("%s is a target of %s itself, which preserves client IPs: the connections the load balancer sends back to it time out (NAT loopback is not supported, S-81)", self, tg.ID)})
			targets = others
		}
	}
	first := targets[0]
	// The load balancer reaches a target from its own address of the
	// target's family: an ipv6 target group's from the node's IPv6
	// address (V-34).
	nodeAddr := n.primary
	if first.addr.Is6() && len(n.v6) > 0 {
		nodeAddr = n.v6[0]
	}
	src := nodeAddr
	how := "source becomes the load balancer's address " + nodeAddr.String()
	cross := pkt.Src.Is6() != first.addr.Is6()
	switch {
	case preserved && cross:
		// A client of the other family reaches the target from the load
		// balancer's address of the target's family, client IP
		// preservation or not (V-34).
		preserved = false
		how = fmt.Sprintf("an %s client of an %s target: the target sees the load balancer's address %s (V-34)", addrFamily(pkt.Src), addrFamily(first.addr), nodeAddr)
	case preserved:
		src = pkt.Src
		how = "client IP preserved: the target sees " + pkt.Src.String()
	case cross:
		how += fmt.Sprintf(" (%s client, %s target, V-34)", addrFamily(pkt.Src), addrFamily(first.addr))
	}
	st.hops = append(st.hops, Hop{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionForward,
		Rule: fmt.Sprintf("%s -> %s port %d; %s", rule, first.addr, first.port, how), Pos: listener.Source.Position,
		Packet: &Header{Src: src, Dst: first.addr}})
	st.returnHops = append([]Hop{{Component: lb.ID, Kind: HopLoadBalancer, Decision: DecisionForward, Rule: "response back to the client"}}, st.returnHops...)
	st.next, st.node, st.target, st.targetAddr, st.port, st.src, st.preserved = true, ei, first.eni, first.addr, first.port, src, preserved
	st.nodeAddr = nodeAddr
	st.others = targets[1:]
}

// addrOwnerENI returns the interface holding address a in VPC vpc.
func (s *Solver) addrOwnerENI(a netip.Addr, vpc int32) (int32, bool) {
	e, ok := s.vpcs[vpc].addrs[a]
	return e, ok
}

// lbTarget is an eligible target of a load balancer: its interface (-1 for
// an address outside the model's interfaces), address and port.
type lbTarget struct {
	eni  int32
	addr netip.Addr
	port uint16
}

// targetZone returns the availability zone of a target.
func (s *Solver) targetZone(tg *model.TargetGroup, t model.Target) string {
	if t.ID != "" {
		if e, ok := s.eni[t.ID]; ok {
			return s.enis[e].az
		}
		return ""
	}
	if t.AZ != "" {
		return t.AZ
	}
	vpc := s.x.OwnerVPC(tg.ID)
	if vpc == nil {
		return ""
	}
	if e, ok := s.vpcs[s.vpcByID[vpc.ID]].addrs[t.IP]; ok {
		return s.enis[e].az
	}
	for _, sn := range vpc.Subnets {
		if sn.CIDRBlock.Contains(t.IP) || sn.IPv6CIDRBlock.Contains(t.IP) {
			return sn.AZ
		}
	}
	return ""
}

// addrFamily names the family of an address: IPv4 or IPv6.
func addrFamily(a netip.Addr) string {
	if a.Is6() {
		return "IPv6"
	}
	return "IPv4"
}
