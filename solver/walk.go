package solver

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// A walk follows one packet (the request, or its response) through the
// compiled model, hop by hop, recording each hop and every blocker. After a
// filter blocks, the walk goes on as if it had passed, so that one answer
// names every blocker; after routing fails there is no next hop, and the
// walk ends there.
//
// The walker has no modes. Everything it records goes through its
// recorder (w.rec, see record.go): hops, blockers, warnings, subnet
// boundaries crossed, taint. It asks the recorder only whether to render
// words (w.words, w.say: text is a function, called for a recorder that
// keeps it) and whether to check filters itself (network ACLs, security
// groups, running states), which the matrix's path recorder leaves to
// the matrix. Each rule it applies is decided in one function that the
// matrix and the analyses share: decideACL, refsKept and peerGroups,
// Solver.aclExempt, publicAddress.

// termKind says where a walk ended.
type termKind uint8

const (
	termDropped termKind = iota
	termENI
	termInternet
	termExternal
	termService
	termDNS
)

// terminal is where a walk ended, and the packet as it arrived.
type terminal struct {
	kind termKind
	eni  int32
	ext  int // index of the external network, -1 if none known
	vpc  int32
	// via is the gateway or attachment an external network or the
	// internet was reached through, or the gateway endpoint of a service.
	via model.ID
	az  string
	pkt sgeval.Packet
}

// origin is where a walk starts: an interface, the internet, or an
// external network.
type origin struct {
	kind termKind
	eni  int32
	ext  int
	addr netip.Addr
}

// natEntry remembers a NAT gateway's translation, so that the response can
// be translated back.
type natEntry struct {
	gw   int32
	orig netip.Addr
	// nat64 is set when the gateway translated an IPv6 packet to IPv4
	// (V-16): the response is translated back to IPv6, its source put
	// back under 64:ff9b::/96.
	nat64 bool
	// icmpv6 is set when NAT64 translated an ICMPv6 echo to ICMP.
	icmpv6 bool
}

// maxSteps bounds a walk; real paths take a few dozen steps.
const maxSteps = 256

type walker struct {
	// returnVia is, on a response's walk from the internet, the gateway
	// the request left by: an egress-only internet gateway lets in the
	// responses to what went out through it (V-07).
	returnVia model.ID
	// egressOnly holds the egress-only internet gateways the request
	// left by: each lets in the response, whoever answers (V-07).
	egressOnly []model.ID
	s          *Solver
	leg        Leg
	pkt        sgeval.Packet
	// first is the packet as the source sent it.
	first sgeval.Packet
	// ephemeral is the port range the response is addressed to where the
	// walk is: the client's, or, on the far side of a NAT gateway or load
	// balancer, their own source ports; clientEph is the client's.
	ephemeral model.PortRange
	clientEph model.PortRange
	hops      []Hop
	blockers  []Blocker
	warnings  []Warning
	visited   []visit
	visitBuf  [4]visit
	steps     int
	// srcENI is the interface the request came from (-1 if none): its
	// groups can match security group references while refsKept says so
	// (S-22).
	srcENI int32
	// refsLost says why security group references no longer match on
	// this path; zero while they do. Only loseRefs sets it, only
	// refsKept and peerGroups read it.
	refsLost refLoss
	// crossedTGW is set once the packet crossed any transit gateway:
	// outbound rules never match group references across one (only
	// inbound rules do, with referencing on; S-22).
	crossedTGW bool
	// refBarriers counts the transit gateways, the peerings between
	// regions and the crossings of the internet by IPv6 (untranslated)
	// the packet made: an outbound rule's group reference
	// matches the destination only when none lies between the sender and
	// the destination (refsKept).
	refBarriers int
	// sentOn are the appliances that sent the packet on as new traffic:
	// their outbound rules, like the source's, are checked once the walk
	// knows where the packet arrives (finishApplianceEgress).
	sentOn []applianceEgress
	nat    []natEntry
	// boxes are the appliances (S-15) the request went through; the
	// return walk gets its request's.
	boxes []int32
	// pins are the attachment subnets the request entered VPCs through,
	// which appliance mode keeps for the response.
	pins []attPin
	// gwlb are the Gateway Load Balancer appliances the request passed;
	// the return walk gets its request's and marks those it passes too
	// (V-23).
	gwlb []gwlbPass
	// egressHop is the index of the source's security group hop, checked
	// once the destination is known; -1 if none.
	egressHop int
	// service names the AWS service whose public address the request is
	// for, if any.
	service string
	// lbSource is set on the walk from a load balancer node to a target:
	// rules referencing the load balancer's groups match its traffic
	// whatever source address the target sees, until an appliance
	// forwards it (S-81).
	lbSource bool
	// preservedFrom is the load balancer node's address when the target
	// sees the client's address instead (client IP preservation).
	preservedFrom netip.Addr
	portBuf       []sgeval.PortDecision
	flowFor       sgeval.Packet
	flowText      string
	// tails is, for a path walk of the matrix, the memo of the walks'
	// tails after a transit gateway's route table (see tailMemo); nil
	// for every other walk.
	tails *tailHook
	// srcRead is set once the walk's course depended on the source
	// address (the peering rule S-42): a tail that set it is not shared
	// (tailMemo). A read after the walk is tainted need not set it: a
	// tainted path walk is never shared as plain.
	srcRead bool
	// loopAt is 1 + the index in visited of the lookup a routing loop
	// repeated (S-15), or 0: a tail that looped on a lookup made before
	// it is not shared (tailMemo).
	loopAt int
	// rec records what the walk sees (see record.go): everything for
	// Reach, verdicts for the whole-network analyses, a path skeleton for
	// the matrix.
	rec recorder
}

// taint marks a walk whose course may from now on depend on exact
// addresses (see pathRec).
func (w *walker) taint() { w.rec.taint() }

// words reports whether the walk renders hop text and messages.
func (w *walker) words() bool { return w.rec.words() }

type visit struct {
	table model.ID
	dst   netip.Addr
}

func (w *walker) hop(h Hop) { w.rec.hop(w, h) }

// subnetID returns the id of subnet i, for Hop.Subnet.
func (w *walker) subnetID(i int32) model.ID { return w.s.subnets[i].m.ID }

// block records a blocker; its message, msg(), is rendered only for a
// recorder that keeps words. The message is a function, not a format and
// arguments, so that a walk that keeps no words boxes no argument.
func (w *walker) block(code Code, component model.ID, rule string, pos model.Position, msg func() string) {
	b := Blocker{Code: code, Component: component, Leg: w.leg, Rule: rule, Pos: pos}
	if w.rec.messages() {
		b.Message = msg()
	}
	w.rec.block(w, b)
}

// warn records a warning, as block does.
func (w *walker) warn(code Code, component model.ID, rule string, pos model.Position, msg func() string) {
	x := Warning{Code: code, Component: component, Leg: w.leg, Rule: rule, Pos: pos}
	if w.rec.messages() {
		x.Message = msg()
	}
	w.rec.warn(w, x)
}

// drop ends the walk with a drop hop.
func (w *walker) drop(component model.ID, kind HopKind, rule string, pos model.Position) terminal {
	w.hop(Hop{Component: component, Kind: kind, Decision: DecisionDrop, Rule: rule, Pos: pos})
	return terminal{kind: termDropped, ext: -1}
}

// translated fills in the text and header of a hop that translates the
// packet: prefix and addr, and the packet as it leaves the hop.
func (w *walker) translated(h Hop, prefix string, addr netip.Addr) Hop {
	if w.words() {
		h.Rule = prefix + addr.String()
		h.Packet = &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}
	}
	return h
}

// say returns text(), or "" for a recorder that keeps no words.
func (w *walker) say(text func() string) string {
	if w.words() {
		return text()
	}
	return ""
}

// step counts a step and reports a runaway walk.
func (w *walker) step() bool {
	w.steps++
	return w.steps <= maxSteps
}

func eniHopKind(e *eniInfo) HopKind {
	switch e.kind {
	case eniNAT:
		return HopNATGateway
	case eniEndpoint:
		return HopInterfaceEndpoint
	case eniLBNode:
		return HopLoadBalancer
	case eniNetworkInterface:
		return HopNetworkInterface
	}
	return HopInstance
}

// fromENI starts a walk at interface e.
func (w *walker) fromENI(ei int32) terminal {
	e := &w.s.enis[ei]
	w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionSend, Rule: w.say(func() string { return string(e.id) + " sends " + w.flow() }), Pos: e.src.Position, Subnet: w.subnetID(e.subnet)})
	if !e.running && w.leg == LegForward {
		w.block(InstanceNotRunning, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("%s is not running", e.id)
		})
	}
	if w.leg == LegForward && e.kind != eniNAT {
		w.egressHop = len(w.hops)
		w.hop(Hop{Component: e.id, Kind: HopSecurityGroup, Direction: "egress"})
	}
	if w.leg == LegForward && linkLocalService(w.pkt.Dst) {
		// The instance metadata service, Time Sync and the link-local
		// resolver answer on the instance's host: no route table, no
		// network ACL (S-34).
		w.taint()
		w.hop(Hop{Component: serviceComponent(w.s.vpcs[e.vpc].m.ID, w.pkt.Dst), Kind: serviceHopKind(w.pkt.Dst), Decision: DecisionDeliver,
			Rule: w.say(func() string {
				return strings.TrimPrefix(linkLocalName(w.pkt.Dst), "the ") + " at " + w.pkt.Dst.String() + ", on the instance's host"
			})})
		return terminal{kind: termDNS, vpc: e.vpc, ext: -1, pkt: w.pkt}
	}
	return w.route(e.subnet)
}

// linkLocalService reports whether a is one of the link-local addresses
// at which AWS serves every instance from its host: the instance metadata
// service, the Amazon Time Sync Service and the Route 53 Resolver.
func linkLocalService(a netip.Addr) bool {
	return slices.Contains(linkLocalServices[:], a)
}

// linkLocalServices are the addresses linkLocalService accepts.
var linkLocalServices = [...]netip.Addr{linkLocalDNS, metadataAddr, timeSyncAddr}

// aclExempt returns the addresses network ACLs in VPC vpc do not filter
// traffic to or from (S-34): the VPC's Route 53 Resolver at base+2 (the
// zero Addr if it has none) and the link-local services. It is the one
// statement of the rule: the walk's ACL checks (walker.exempt), the
// matrix, which leaves interfaces at such addresses to Reach, and the
// class and atom boundaries use it.
func (s *Solver) aclExempt(vpc int32) [1 + len(linkLocalServices)]netip.Addr {
	return [...]netip.Addr{s.vpcs[vpc].dnsAddr, linkLocalDNS, metadataAddr, timeSyncAddr}
}

// linkLocalName names the service at address a, or the Route 53 Resolver.
func linkLocalName(a netip.Addr) string {
	switch a {
	case metadataAddr:
		return "the instance metadata service"
	case timeSyncAddr:
		return "the Amazon Time Sync Service"
	}
	return "the Route 53 Resolver"
}

// serviceHopKind is the hop kind of the service at address a.
func serviceHopKind(a netip.Addr) HopKind {
	if a == metadataAddr || a == timeSyncAddr {
		return HopHostService
	}
	return HopDNSResolver
}

// serviceComponent is the hop component for the service at address a in
// VPC vpc: vpc/metadata, vpc/time-sync or vpc/dns.
func serviceComponent(vpc model.ID, a netip.Addr) model.ID {
	switch a {
	case metadataAddr:
		return vpc + "/metadata"
	case timeSyncAddr:
		return vpc + "/time-sync"
	}
	return vpc + "/dns"
}

// flow describes the packet, rendered once per header.
func (w *walker) flow() string {
	if !w.words() {
		return ""
	}
	if w.flowFor != w.pkt || w.flowText == "" {
		w.flowFor, w.flowText = w.pkt, flowText(w.pkt, w.ephemeral, w.leg)
	}
	return w.flowText
}

// route delivers a packet sent in subnet sn (by one of its interfaces, or
// a transit gateway's) to a destination in the same subnet, or looks the
// destination up in the subnet's route table and follows the route
// (S-10..S-16).
func (w *walker) route(sn int32) terminal {
	if !w.step() {
		return w.drop("", HopRouteTable, "too many steps", model.Position{})
	}
	si := &w.s.subnets[sn]
	if si.m.CIDRBlock.Contains(w.pkt.Dst) || si.m.IPv6CIDRBlock.Contains(w.pkt.Dst) {
		// Between two interfaces of one subnet the packet is delivered
		// at layer 2: the route table, which applies to traffic leaving
		// the subnet, does not (S-16).
		w.hop(Hop{Component: si.m.ID, Kind: HopSubnet, Decision: DecisionForward, Rule: si.sameSubnet, Pos: si.m.Source.Position})
		return w.deliverInVPC(si.vpc, sn)
	}
	t := si.table
	if w.loops(t.ID) {
		return w.drop(t.ID, HopRouteTable, "loop", model.Position{})
	}
	w.dependsOn(w.pkt.Dst, "the routes of route table", t.ID, decider{table: t})
	r := t.Lookup(w.pkt.Dst)
	if r == nil {
		var pos model.Position
		if w.words() {
			pos = w.tablePos(t)
		}
		w.block(NoRouteToDestination, t.ID, "", pos, func() string {
			return fmt.Sprintf("%s (for subnet %s) has no route for %s", t.ID, si.m.ID, w.pkt.Dst)
		})
		return w.drop(t.ID, HopRouteTable, w.say(func() string { return "no route for " + w.pkt.Dst.String() }), pos)
	}
	var text string
	var pos model.Position
	if w.words() {
		// Words for messages only.
		text, pos = w.s.routeWords(t, r)
	}
	if r.OutsideSnapshot {
		w.block(OutsideSnapshot, t.ID, text, pos, func() string {
			return fmt.Sprintf("the route for %s in %s leads to %s, which the imported snapshot does not hold: where the traffic goes is unknown", w.pkt.Dst, t.ID, r.Target)
		})
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	if r.Blackhole || r.Kind == routing.TargetUnknown {
		w.block(BadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("the route for %s in %s is a blackhole: %s", w.pkt.Dst, t.ID, text)
		})
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	if why := w.s.applianceDown(r); why != "" {
		w.block(BadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("the route for %s in %s (%s) is a blackhole: %s (S-15)", w.pkt.Dst, t.ID, text, why)
		})
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	w.hop(Hop{Component: t.ID, Kind: HopRouteTable, Decision: DecisionRoute, Rule: text, Pos: pos})
	vpc := si.vpc
	switch r.Kind {
	case routing.TargetLocal:
		return w.deliverInVPC(vpc, sn)
	case routing.TargetInternetGateway:
		return w.toInternetGateway(vpc, sn)
	case routing.TargetNATGateway:
		return w.toNAT(w.s.eni[r.Target], sn)
	case routing.TargetPeering:
		return w.toPeering(r.Target, vpc, sn)
	case routing.TargetTransitGateway:
		return w.toTransitGateway(r.Target, vpc, sn)
	case routing.TargetGatewayEndpoint:
		return w.toGatewayEndpoint(r.Target, vpc, sn)
	case routing.TargetNetworkInterface, routing.TargetInstance:
		return w.toMiddlebox(w.s.eni[r.Target], sn)
	case routing.TargetVPNGateway:
		return w.toVPNGateway(r.Target, sn)
	case routing.TargetGWLBEndpoint:
		return w.toGWLBEndpoint(r.Target, sn)
	case routing.TargetEgressOnlyInternetGateway:
		return w.toEgressOnlyGateway(vpc, sn)
	}
	w.block(UnmodelledDestination, r.Target, text, pos, func() string {
		return fmt.Sprintf("routing through %s (%s) is not modelled yet", r.Target, r.Kind)
	})
	return w.drop(r.Target, HopUnknown, text, pos)
}

// loops reports, and blocks on, a second lookup of the packet's
// destination in route table table (S-15); otherwise it records this one.
func (w *walker) loops(table model.ID) bool {
	v := visit{table, w.pkt.Dst}
	if w.visited == nil {
		// Most walks look up a few tables: no allocation for those.
		w.visited = w.visitBuf[:0]
	}
	if i := slices.Index(w.visited, v); i >= 0 {
		w.loopAt = i + 1
		w.block(RoutingLoop, table, "", model.Position{}, func() string {
			return fmt.Sprintf("routing loops: %s is looked up in %s a second time (S-15)", w.pkt.Dst, table)
		})
		return true
	}
	w.visited = append(w.visited, v)
	return false
}

func (w *walker) tablePos(t *routing.Table) model.Position {
	if rt := w.s.x.RouteTable(t.ID); rt != nil {
		return rt.Source.Position
	}
	return w.s.vpcs[w.s.vpcByID[t.VPC]].m.Source.Position
}

// exempt reports whether the destination is a service network ACLs do not
// filter: the VPC's DNS resolver, the instance metadata service or the
// Amazon Time Sync Service (S-34).
func (w *walker) exempt(vpc int32) bool {
	d := w.pkt.Dst
	if w.leg == LegReturn {
		d = w.pkt.Src
	}
	ex := w.s.aclExempt(vpc)
	return slices.Contains(ex[:], d)
}

var (
	linkLocalDNS = netip.MustParseAddr("169.254.169.253")
	metadataAddr = netip.MustParseAddr("169.254.169.254")
	timeSyncAddr = netip.MustParseAddr("169.254.169.123")
)

// crossACLs applies the network ACLs of a subnet boundary: the outbound
// rules of the subnet the packet leaves and the inbound rules of the one it
// enters (S-32). -1 stands for outside any subnet. Within one subnet no ACL
// applies.
func (w *walker) crossACLs(from, to int32) {
	w.rec.cross(from, to)
	if !w.rec.filters() || from == to {
		return
	}
	if from >= 0 {
		w.checkACL(from, sgeval.Egress)
	}
	if to >= 0 {
		w.checkACL(to, sgeval.Ingress)
	}
}

func (w *walker) checkACL(sn int32, dir sgeval.Direction) {
	si := &w.s.subnets[sn]
	if w.exempt(si.vpc) {
		return
	}
	acl := si.acl
	// Inbound rules match the source, outbound rules the destination.
	matched := w.pkt.Dst
	if dir == sgeval.Ingress {
		matched = w.pkt.Src
	}
	w.dependsOn(matched, "the rules of network ACL", acl.ID, decider{acl: acl, dir: dir})
	var v aclVerdict
	v, w.portBuf = decideACL(acl, dir, w.leg, w.pkt, w.ephemeral, w.portBuf)
	words := w.words()
	if v.ports {
		// The response, on every port of the ephemeral range (S-33).
		var allowed, denied []sgeval.PortDecision
		if words {
			for _, d := range w.portBuf {
				if d.Allowed {
					allowed = append(allowed, d)
				} else {
					denied = append(denied, d)
				}
			}
		}
		var text, atext string
		var pos model.Position
		switch {
		case v.pass && !v.partial:
			if words {
				text, pos = w.s.aclWords(acl, dir, allowed[0].ACLDecision)
			}
			w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(), Rule: text, Pos: pos})
		case !v.pass:
			if words {
				text, pos = w.s.aclWords(acl, dir, denied[0].ACLDecision)
			}
			w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionDeny, Direction: dir.String(), Rule: text, Pos: pos})
			w.block(SubnetACLRestriction, acl.ID, text, pos, func() string {
				return fmt.Sprintf("network ACL %s of subnet %s denies the response (%s) %s: %s (S-33)", acl.ID, si.m.ID, w.flow(), dir, text)
			})
		default:
			h := Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String()}
			if words {
				atext, _ = w.s.aclWords(acl, dir, allowed[0].ACLDecision)
				text, pos = w.s.aclWords(acl, dir, denied[0].ACLDecision)
				h.Rule, h.Pos = fmt.Sprintf("ports %s by %s; %s for %s", portsText(allowed), atext, text, portsText(denied)), pos
			}
			w.hop(h)
			w.warn(ACLPartialReturn, acl.ID, text, pos, func() string {
				return fmt.Sprintf("network ACL %s of subnet %s lets the response through %s only on ports %s of %s (%s); %s for ports %s (S-33)", acl.ID, si.m.ID, dir, portsText(allowed), w.ephemeral, atext, text, portsText(denied))
			})
		}
		return
	}
	d := v.d
	var text string
	var pos model.Position
	if words {
		text, pos = w.s.aclWords(acl, dir, d)
	}
	if !v.pass {
		w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionDeny, Direction: dir.String(), Rule: text, Pos: pos})
		what := "the request"
		if w.leg == LegReturn {
			what = "the response"
		}
		w.block(SubnetACLRestriction, acl.ID, text, pos, func() string {
			return fmt.Sprintf("network ACL %s of subnet %s denies %s (%s) %s: %s (S-31)", acl.ID, si.m.ID, what, w.flow(), dir, text)
		})
		return
	}
	w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(), Rule: text, Pos: pos})
	if v.partial {
		var ptext string
		var ppos model.Position
		if words {
			ptext, ppos = w.s.aclWords(acl, dir, sgeval.ACLDecision{Number: d.PartialNumber, Index: d.PartialIndex})
		}
		w.warn(ACLPartialProtocols, acl.ID, ptext, ppos, func() string {
			return fmt.Sprintf("network ACL %s of subnet %s allows all traffic %s by %s, except what %s denies", acl.ID, si.m.ID, dir, text, ptext)
		})
	}
}

// aclVerdict is what a network ACL decides about a packet in one
// direction on one leg.
type aclVerdict struct {
	// pass is set when the packet passes without a blocker.
	pass bool
	// partial is set when it passes with a warning: on the return leg,
	// some ports of the ephemeral range are denied (S-33); otherwise an
	// allow-all rule is narrowed by a deny rule before it (d.Partial).
	partial bool
	// ports is set when the decision is per port of the ephemeral range
	// (the response of a protocol with ports); the decisions are in the
	// buffer decideACL returns. Otherwise d is the decision.
	ports bool
	d     sgeval.ACLDecision
}

// decideACL decides whether network ACL acl lets a packet through in one
// direction on one leg (S-31, S-33): the request on its port; the
// response on the whole ephemeral range, passing when some port of it is
// allowed. It is the only place the rule is written: the walk renders its
// answer (checkACL) and the matrix memoizes it (matrixEngine.acl). buf is
// scratch space, returned with the per-port decisions.
func decideACL(acl *sgeval.ACL, dir sgeval.Direction, leg Leg, pkt sgeval.Packet, eph model.PortRange, buf []sgeval.PortDecision) (aclVerdict, []sgeval.PortDecision) {
	if leg == LegReturn && pkt.Protocol.HasPorts() {
		buf = acl.CheckPorts(dir, pkt, eph, buf[:0])
		v := aclVerdict{ports: true}
		denied := false
		for _, d := range buf {
			if d.Allowed {
				v.pass = true
			} else {
				denied = true
			}
		}
		v.partial = v.pass && denied
		return v, buf
	}
	d := acl.Check(dir, pkt)
	return aclVerdict{pass: d.Allowed, partial: d.Allowed && d.Partial, d: d}, buf
}

func portsText(ds []sgeval.PortDecision) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += ","
		}
		s += d.Ports.String()
	}
	return s
}

// peerFor describes the packet's source (ingress) or destination (egress)
// to a security group check: its address, and its interface's groups when
// group references can match it (S-22).
func (w *walker) peerFor(addr netip.Addr, eni int32) sgeval.Peer {
	return sgeval.Peer{Addr: addr, Groups: w.peerGroups(sgeval.Ingress, addr, eni, 0)}
}

// refLoss is a set of reasons security group references stop matching
// on a path (S-22, S-18).
type refLoss uint8

const (
	// refsInternet: the packet crossed an internet gateway, or came from
	// the internet.
	refsInternet refLoss = 1 << iota
	// refsNAT: a NAT gateway put its own address in place of the source.
	refsNAT
	// refsOtherRegion: a peering connection or transit gateway crossed
	// regions.
	refsOtherRegion
	// refsTGWWithout: a transit gateway or attachment on the path does not
	// carry group references.
	refsTGWWithout
	// refsExternal: the packet came from or went to an external network.
	refsExternal
	// refsService: the packet went to an AWS service.
	refsService
	// refsAppliance: an appliance forwarded the packet (S-18); this also
	// ends the load balancer exception (S-81).
	refsAppliance
)

// loseRefs records that, from here on, security group references do not
// match the packet, and why.
func (w *walker) loseRefs(why refLoss) { w.refsLost |= why }

// refsKept reports whether, at this point of the walk, rules of direction
// dir can match the peer by group reference (S-22). Inbound rules: when
// nothing on the way lost them (refsLost). Outbound rules of an interface
// that sent the packet when refBarriers was sentAt: when no transit
// gateway (outbound references never match across one) or peering
// between regions came after it. A NAT gateway or an appliance after it
// does not stop them: neither changes the destination, which is what
// outbound rules look at (S-61 rewrites the source; S-18 is about the
// destination's inbound rules). It is the one place that decides it: the
// walk asks it for every check (peerGroups), and the matrix records its
// answers in the skeleton.
func (w *walker) refsKept(dir sgeval.Direction, sentAt int) bool {
	if dir == sgeval.Egress {
		return w.refBarriers == sentAt
	}
	return w.refsLost == 0
}

// peerGroups returns the group references the peer of a security group
// check of direction dir matches as: interface eni's, when references are
// kept (refsKept; sentAt as there) and the packet carries one of its
// private addresses (addr), or when eni is the load balancer node a
// target hears from (S-81); otherwise none.
func (w *walker) peerGroups(dir sgeval.Direction, addr netip.Addr, eni int32, sentAt int) []sgeval.GroupRef {
	if eni < 0 {
		return nil
	}
	if (w.refsKept(dir, sentAt) && w.s.enis[eni].holds(addr)) ||
		(dir == sgeval.Ingress && w.lbSource && eni == w.srcENI && w.refsLost&refsAppliance == 0) {
		return w.s.enis[eni].refs
	}
	return nil
}

// holds reports whether a is a private address of the interface, primary
// or secondary: the addresses at which a security group reference matches
// it (S-22). Its public or Elastic IP never does.
func (e *eniInfo) holds(a netip.Addr) bool { return slices.Contains(e.addrs, a) }

// checkSG applies interface e's security groups to the packet (S-23).
func (w *walker) checkSG(ei int32, dir sgeval.Direction, peer sgeval.Peer, peerENI int32) Hop {
	return w.checkSGNote(ei, dir, peer, peerENI, "")
}

// checkSGNote is checkSG with note added to the blocker's message.
func (w *walker) checkSGNote(ei int32, dir sgeval.Direction, peer sgeval.Peer, peerENI int32, note string) Hop {
	e := &w.s.enis[ei]
	w.dependsOn(peer.Addr, "the rules of the security groups of", e.id, decider{groups: e.groups, dir: dir})
	if len(e.groups) == 0 {
		// A network load balancer without security groups filters nothing
		// (S-80).
		return Hop{Component: e.id, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String(), Rule: "no security groups: all traffic passes"}
	}
	d := sgeval.Check(e.groups, dir, w.pkt, peer)
	if d.Allowed {
		h := Hop{Component: d.Group, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String()}
		if w.words() {
			h.Rule, h.Pos = w.s.sgWords(dir, d)
		}
		return h
	}
	var groupsText string
	h := Hop{Component: e.groups[0].ID, Kind: HopSecurityGroup, Decision: DecisionDeny, Direction: dir.String()}
	if w.words() {
		ids := make([]string, len(e.groups))
		for i, g := range e.groups {
			ids[i] = string(g.ID)
		}
		groupsText = "[" + strings.Join(ids, " ") + "]" // as fmt.Sprint writes a []string
		h.Rule = "no rule of " + groupsText + " allows " + w.flow()
	}
	code, why := ENISGRulesMismatch, ""
	if w.preservedFrom.IsValid() && dir == sgeval.Ingress {
		// The target sees the client's address; would it pass from the
		// load balancer's own address (S-81)?
		alt := w.pkt
		alt.Src = w.preservedFrom
		if sgeval.Check(e.groups, dir, alt, sgeval.Peer{Addr: w.preservedFrom, Groups: peer.Groups}).Allowed {
			code, why = ELBV2SourceAddressPreservation, w.say(func() string {
				return fmt.Sprintf("; client IP preservation shows the target the client's address %s, not the load balancer's %s (S-81)", w.pkt.Src, w.preservedFrom)
			})
		}
	}
	// Groups outside an imported snapshot: the interface holds one (its
	// rules are unknown), or a rule admits the members of one (whether the
	// peer is a member is unknown). The answer is unknown, not "no".
	if code == ENISGRulesMismatch && len(w.s.outsideGroups) > 0 {
		for _, g := range e.groups {
			if w.s.outsideGroups[g.ID] {
				code, why = OutsideSnapshot, w.say(func() string {
					return fmt.Sprintf("; %s holds group %s, which the imported snapshot does not hold, so its rules are unknown", e.id, g.ID)
				})
				break
			}
		}
		if code == ENISGRulesMismatch {
			unknown := peer
			unknown.Groups = w.s.outsideRefs
			if d := sgeval.Check(e.groups, dir, w.pkt, unknown); d.Allowed && d.ByReference {
				code, why = OutsideSnapshot, "; a rule admits the members of a group the imported snapshot does not hold, and whether the peer is one is unknown"
			}
		}
	}
	// A rule that references the peer's group would have matched, but the
	// path does not preserve references (S-22).
	if code == ENISGRulesMismatch && peerENI >= 0 && len(peer.Groups) == 0 && w.s.enis[peerENI].holds(peer.Addr) {
		withRefs := peer
		withRefs.Groups = w.s.enis[peerENI].refs
		if sgeval.Check(e.groups, dir, w.pkt, withRefs).Allowed {
			code, why = SGReferencesNotPreserved, "; a rule references a group of the peer, but group references do not match across this path (S-22)"
			if box := w.forwardedBy(); box != "" && dir == sgeval.Ingress {
				why = w.say(func() string {
					return fmt.Sprintf("; a rule references a group of the peer, but appliance %s forwards the traffic, and group references do not admit forwarded traffic: allow the peer's address or subnet instead (S-18)", box)
				})
			} else if dir == sgeval.Egress && w.crossedTGW {
				why = "; an outbound rule references a group of the peer, and outbound rules never match group references across a transit gateway (S-22)"
			} else if w.refsLost&refsTGWWithout != 0 {
				code, why = SGReferencingSupport, "; a rule references a group of the peer, but the transit gateway on the path does not carry group references (S-22)"
			}
		}
	}
	w.block(code, e.id, h.Rule, e.src.Position, func() string {
		return fmt.Sprintf("security groups %s of %s allow no %s %s%s%s", groupsText, e.id, dir, w.flow(), why, note)
	})
	return h
}

// deliverInVPC delivers the packet to the interface holding its
// destination in VPC vpc, coming from subnet from (-1: from outside the
// VPC's subnets).
func (w *walker) deliverInVPC(vpc int32, from int32) terminal {
	vi := &w.s.vpcs[vpc]
	ei, ok := vi.addrs[w.pkt.Dst]
	if !ok || (w.s.enis[ei].kind != eniInstance && w.s.enis[ei].kind != eniNetworkInterface) {
		w.taint()
	}
	if !ok {
		if w.pkt.Dst == vi.dnsAddr {
			if from < 0 || w.s.subnets[from].vpc != vpc {
				// The resolver at base+2 answers queries from its own VPC
				// only; other networks need an inbound Resolver endpoint.
				w.block(DestinationNotFound, vi.m.ID, "", vi.m.Source.Position, func() string {
					return fmt.Sprintf("the Route 53 Resolver at %s answers only queries from inside %s; from elsewhere, queries need a Route 53 Resolver inbound endpoint", vi.dnsAddr, vi.m.ID)
				})
				return w.drop(model.ID(string(vi.m.ID)+"/dns"), HopDNSResolver, "answers only its own VPC", model.Position{})
			}
			w.hop(Hop{Component: model.ID(string(vi.m.ID) + "/dns"), Kind: HopDNSResolver, Decision: DecisionDeliver, Rule: w.say(func() string { return "Route 53 Resolver at " + vi.dnsAddr.String() })})
			return terminal{kind: termDNS, vpc: vpc, ext: -1, pkt: w.pkt}
		}
		w.block(DestinationNotFound, vi.m.ID, "", vi.m.Source.Position, func() string {
			return fmt.Sprintf("no network interface in %s holds %s", vi.m.ID, w.pkt.Dst)
		})
		return w.drop(vi.m.ID, HopUnknown, w.say(func() string { return "no interface holds " + w.pkt.Dst.String() }), model.Position{})
	}
	e := &w.s.enis[ei]
	w.crossACLs(from, e.subnet)
	if e.kind == eniNAT {
		return w.atNAT(ei)
	}
	return w.arriveAt(ei)
}

// arriveAt delivers the packet to interface ei, after its subnet's ACL.
func (w *walker) arriveAt(ei int32) terminal {
	e := &w.s.enis[ei]
	if w.rec.filters() {
		if w.leg == LegForward {
			w.hop(w.checkSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
		}
		if !e.running {
			w.block(InstanceNotRunning, e.id, "", e.src.Position, func() string {
				return fmt.Sprintf("%s is not running", e.id)
			})
		}
	}
	w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionDeliver, Rule: w.say(func() string {
		if w.pkt.Dst.Is6() && e.primary.IsValid() {
			return "delivered to " + string(e.id) + " (" + w.pkt.Dst.String() + ")"
		}
		return "delivered to " + e.describe()
	}), Subnet: w.subnetID(e.subnet)})
	return terminal{kind: termENI, eni: ei, vpc: e.vpc, ext: -1, pkt: w.pkt}
}

// atNAT handles a packet addressed to a NAT gateway's own private address:
// on the return leg, the response to a translated connection, translated
// back; on the forward leg, a connection the gateway does not accept
// (S-61).
func (w *walker) atNAT(ei int32) terminal {
	e := &w.s.enis[ei]
	if w.leg == LegReturn {
		for _, n := range w.nat {
			if n.gw == ei {
				w.pkt.Dst = n.orig
				if w.clientEph != (model.PortRange{}) {
					w.ephemeral = w.clientEph
					w.pkt.DstPort = w.ephemeral.First
				}
				if n.nat64 {
					w.fromNAT64(n)
					w.hop(w.translated(Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Subnet: w.subnetID(e.subnet)}, "NAT64 back to IPv6 (V-16): source to "+w.pkt.Src.String()+", destination to ", n.orig))
					return w.route(e.subnet)
				}
				w.hop(w.translated(Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Subnet: w.subnetID(e.subnet)}, "translate back to ", n.orig))
				return w.route(e.subnet)
			}
		}
	}
	w.block(NGWInboundNotAllowed, e.id, "", e.src.Position, func() string {
		return fmt.Sprintf("NAT gateway %s accepts no connection started from outside (S-61)", e.id)
	})
	return w.drop(e.id, HopNATGateway, "no connection to translate", e.src.Position)
}

// toInternetGateway sends the packet out of VPC vpc through its internet
// gateway (S-60).
func (w *walker) toInternetGateway(vpc int32, from int32) terminal {
	vi := &w.s.vpcs[vpc]
	igw := vi.m.InternetGateway
	w.crossACLs(from, -1)
	if w.pkt.Dst.Is6() {
		return w.outIPv6(vi, igw, vi.m.Source.Field("internet_gateway").Position, HopInternetGateway)
	}
	if w.pkt.Dst.IsPrivate() {
		w.block(IGWDestinationAddressNotInRFC1918Egress, igw, "", vi.m.Source.Field("internet_gateway").Position, func() string {
			return fmt.Sprintf("%s is a private address; internet gateway %s drops it (S-60)", w.pkt.Dst, igw)
		})
		return w.drop(igw, HopInternetGateway, "private destination", model.Position{})
	}
	// The source must have a public address, which the gateway puts in
	// its place.
	w.taint()
	src, ok := vi.addrs[w.pkt.Src]
	if !ok || !w.s.enis[src].public.IsValid() {
		w.block(IGWPublicIPAssociationForEgress, igw, "", vi.m.Source.Field("internet_gateway").Position, func() string {
			return fmt.Sprintf("%s has no public IPv4 or Elastic IP, so internet gateway %s drops its traffic (S-60)", w.pkt.Src, igw)
		})
		return w.drop(igw, HopInternetGateway, w.say(func() string { return "no public address for " + w.pkt.Src.String() }), model.Position{})
	}
	if e := &w.s.enis[src]; e.primary != w.pkt.Src {
		// A public IPv4 or Elastic IP is associated with one private
		// address; the model's is the primary one (S-60).
		w.block(IGWPublicIPAssociationForEgress, igw, "", vi.m.Source.Field("internet_gateway").Position, func() string {
			return fmt.Sprintf("%s is a secondary address of %s, whose public address %s is associated with its primary address %s: internet gateway %s drops traffic from %s (S-60)", w.pkt.Src, e.id, e.public, e.primary, igw, w.pkt.Src)
		})
		return w.drop(igw, HopInternetGateway, w.say(func() string { return "no public address for " + w.pkt.Src.String() }), model.Position{})
	}
	w.pkt.Src = w.s.enis[src].public
	w.hop(w.translated(Hop{Component: igw, Kind: HopInternetGateway, Decision: DecisionTranslate}, "source to public address ", w.pkt.Src))
	w.loseRefs(refsInternet)
	return w.overInternet(igw)
}

// overInternet carries a packet across the internet: to the interface
// that holds its public destination, or out to an internet host.
func (w *walker) overInternet(via model.ID) terminal {
	w.taint()
	if ei, ok := w.s.publicHolder(w.pkt.Dst); ok {
		return w.fromInternet(ei)
	}
	if vpc := w.s.vpcOfIPv6(w.pkt.Dst); vpc >= 0 {
		return w.inIPv6Unheld(vpc)
	}
	if w.service != "" && w.leg == LegForward {
		w.hop(Hop{Component: model.ID(w.service), Kind: HopAWSService, Decision: DecisionDeliver, Rule: w.say(func() string { return "public service address " + w.pkt.Dst.String() })})
	} else {
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionDeliver, Rule: w.say(func() string { return "to internet host " + w.pkt.Dst.String() })})
	}
	return terminal{kind: termInternet, ext: -1, via: via, pkt: w.pkt}
}

// Internet is the component id of the internet in hops.
const Internet model.ID = "internet"

// fromInternet brings a packet from the internet to the interface ei that
// holds its public destination (S-60).
func (w *walker) fromInternet(ei int32) terminal {
	e := &w.s.enis[ei]
	vi := &w.s.vpcs[e.vpc]
	igw := vi.m.InternetGateway
	if w.pkt.Dst.Is6() {
		return w.inIPv6(ei)
	}
	if igw == "" {
		w.block(NoInternetGateway, vi.m.ID, "", vi.m.Source.Position, func() string {
			return fmt.Sprintf("%s holds public address %s, but %s has no internet gateway (S-60)", e.id, w.pkt.Dst, vi.m.ID)
		})
		return w.drop(vi.m.ID, HopInternetGateway, "no internet gateway", model.Position{})
	}
	w.loseRefs(refsInternet)
	w.pkt.Dst = e.primary
	w.hop(w.translated(Hop{Component: igw, Kind: HopInternetGateway, Decision: DecisionTranslate}, "destination to private address ", e.primary))
	if t := w.s.edge[igw]; t != nil {
		// Ingress routing: the gateway's route table decides (V-25).
		return w.throughEdge(t, e.vpc, igw)
	}
	w.crossACLs(-1, e.subnet)
	if e.kind == eniNAT {
		return w.atNAT(ei)
	}
	return w.arriveAt(ei)
}

// toNAT sends the packet through NAT gateway ei, which puts its own address
// in place of the source (S-61); an IPv6 packet to 64:ff9b::/96 it
// translates to IPv4 (NAT64, V-16).
func (w *walker) toNAT(ei int32, from int32) terminal {
	e := &w.s.enis[ei]
	w.crossACLs(from, e.subnet)
	if w.pkt.Dst.Is6() {
		return w.toNAT64(ei)
	}
	if p := w.pkt.Protocol; p != model.ProtocolTCP && p != model.ProtocolUDP && p != model.ProtocolICMP {
		// VPC user guide, NAT gateway basics: TCP, UDP and ICMP only.
		what := p.String()
		if p == model.ProtocolAll {
			what = "all traffic"
		}
		w.block(NGWProtocolRestriction, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("NAT gateway %s translates tcp, udp and icmp only, not %s", e.id, what)
		})
	}
	// The source becomes the gateway's own address: the rest of the walk
	// does not depend on the original one.
	w.nat = append(w.nat, natEntry{gw: ei, orig: w.pkt.Src})
	w.pkt.Src = e.primary
	w.loseRefs(refsNAT)
	w.hop(w.translated(Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Pos: e.src.Position, Subnet: w.subnetID(e.subnet)}, "source to ", e.primary))
	return w.route(e.subnet)
}

// toPeering sends the packet over a peering connection (S-40..S-43).
func (w *walker) toPeering(pcx model.ID, vpc int32, from int32) terminal {
	p := w.s.x.PeeringConnection(pcx)
	vi := &w.s.vpcs[vpc]
	w.crossACLs(from, -1)
	if p.Status != model.PeeringActive {
		w.block(BadState, pcx, "", p.Source.Position, func() string {
			return fmt.Sprintf("peering connection %s is %s, not active (S-40)", pcx, p.Status)
		})
	}
	other := w.s.vpcByID[p.Other(vi.m.ID)]
	ov := &w.s.vpcs[other]
	// The walk's course now depends on the source address (S-42).
	w.srcRead = true
	if !inCIDRs(vi.m.AllCIDRBlocks(), w.pkt.Src) {
		w.block(PCXRequiresAddressInVPCCIDR, pcx, "", p.Source.Position, func() string {
			return fmt.Sprintf("source %s is not an address of %s: peering connection %s carries no transit traffic (S-42)", w.pkt.Src, vi.m.ID, pcx)
		})
		return w.drop(pcx, HopPeeringConnection, w.say(func() string { return "source outside " + string(vi.m.ID) }), p.Source.Position)
	}
	if !inCIDRs(ov.m.AllCIDRBlocks(), w.pkt.Dst) {
		w.block(PCXRequiresAddressInVPCCIDR, pcx, "", p.Source.Position, func() string {
			return fmt.Sprintf("destination %s is not an address of %s: peering connection %s delivers only inside the peer VPC (S-42)", w.pkt.Dst, ov.m.ID, pcx)
		})
		return w.drop(pcx, HopPeeringConnection, w.say(func() string { return "destination outside " + string(ov.m.ID) }), p.Source.Position)
	}
	if vi.m.Region != ov.m.Region {
		w.loseRefs(refsOtherRegion)
		w.refBarriers++
	}
	w.hop(Hop{Component: pcx, Kind: HopPeeringConnection, Decision: DecisionForward, Rule: w.say(func() string { return string(vi.m.ID) + " -> " + string(ov.m.ID) }), Pos: p.Source.Position})
	return w.deliverInVPC(other, -1)
}

func inCIDRs(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// toTransitGateway sends the packet from VPC vpc to a transit gateway,
// through the attachment's interface in the zone of subnet from (S-51,
// S-35).
func (w *walker) toTransitGateway(tgw model.ID, vpc int32, from int32) terminal {
	att := w.s.vpcs[vpc].tgwAttachment[tgw]
	az := w.s.subnets[from].zone
	asn, ok := att.azs[az]
	if !ok {
		zone := az
		if name := w.s.subnets[from].m.AZ; name != az {
			zone = name + " (" + az + ")"
		}
		w.block(TGWRouteAZRestriction, att.m.ID, "", att.m.Source.Field("subnets").Position, func() string {
			return fmt.Sprintf("attachment %s has no subnet in %s, where %s is: traffic there cannot reach transit gateway %s (S-51)", att.m.ID, zone, w.s.subnets[from].m.ID, tgw)
		})
		return w.drop(att.m.ID, HopTGWAttachment, w.say(func() string { return "no attachment subnet in " + zone }), att.m.Source.Position)
	}
	w.crossACLs(from, asn)
	return w.throughTGW(att, az)
}

// attPin records the subnet through which a request entered a VPC from
// its transit gateway attachment.
type attPin struct {
	att    model.ID
	subnet int32
}

// pinned returns the subnet the request entered through attachment att, or
// -1.
func (w *walker) pinned(att model.ID) int32 {
	for _, p := range w.pins {
		if p.att == att {
			return p.subnet
		}
	}
	return -1
}

// throughTGW routes a packet that entered transit gateway attachment att
// (S-50, S-52).
func (w *walker) throughTGW(att *attInfo, az string) terminal {
	if !w.step() {
		return w.drop(att.m.ID, HopTGWAttachment, "too many steps", model.Position{})
	}
	if att.m.State != model.AttachmentAvailable {
		w.block(BadStateAttachment, att.m.ID, "", att.m.Source.Position, func() string {
			return fmt.Sprintf("attachment %s is %s, not available (S-50)", att.m.ID, att.m.State)
		})
	}
	w.hop(Hop{Component: att.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward, Rule: w.say(func() string { return "into transit gateway " + string(att.tgw.m.ID) }), Pos: att.m.Source.Position})
	t := att.assoc
	if t == nil {
		w.block(TGWAttachMissingTGWRtbAssociation, att.m.ID, "", att.m.Source.Position, func() string {
			return fmt.Sprintf("attachment %s is associated with no route table, so transit gateway %s drops its traffic (S-50)", att.m.ID, att.tgw.m.ID)
		})
		return w.drop(att.tgw.m.ID, HopTransitGateway, "no associated route table", att.m.Source.Position)
	}
	if w.tails != nil {
		if term, ok := w.tails.enter(w, att, t, az); ok {
			return term
		}
	}
	return w.tgwRoute(att, t, az)
}

// tgwRoute routes a packet that entered transit gateway attachment att,
// in zone az, by att's route table t (S-52): the rest of throughTGW, which
// depends on att only through its transit gateway and whether it carries
// group references, and on the walk so far only through the walker's
// state (see tailMemo).
func (w *walker) tgwRoute(att *attInfo, t *routing.TGWTable, az string) terminal {
	if w.loops(t.ID) {
		return w.drop(t.ID, HopTGWRouteTable, "loop", model.Position{})
	}
	w.dependsOn(w.pkt.Dst, "the routes of transit gateway route table", t.ID, decider{tgw: t})
	r := t.Lookup(w.pkt.Dst)
	if r == nil {
		tpos := model.Position{}
		if rt := w.s.x.TGWRouteTable(t.ID); rt != nil && w.words() {
			tpos = rt.Source.Position
		}
		if out := t.OutsideSnapshot; out != "" {
			// The networks out learns by BGP are not in the snapshot:
			// the destination may be among them.
			w.block(OutsideSnapshot, t.ID, "", tpos, func() string {
				return fmt.Sprintf("transit gateway route table %s has no route for %s in the snapshot, but attachment %s propagates into it networks the imported snapshot does not hold (learned by BGP): whether the traffic leaves through it is unknown", t.ID, w.pkt.Dst, out)
			})
			return w.drop(t.ID, HopTGWRouteTable, w.say(func() string {
				return "no route for " + w.pkt.Dst.String() + " in the snapshot; " + string(out) + " may have one"
			}), tpos)
		}
		w.block(TGWRtbCannotRoute, t.ID, "", tpos, func() string {
			return fmt.Sprintf("transit gateway route table %s has no route for %s (S-52)%s", t.ID, w.pkt.Dst, w.s.ipv6NotPropagated(att.tgw.m, t.ID, w.pkt.Dst))
		})
		return w.drop(t.ID, HopTGWRouteTable, w.say(func() string { return "no route for " + w.pkt.Dst.String() }), tpos)
	}
	var text string
	var pos model.Position
	if w.words() {
		// Words for messages only.
		text, pos = w.s.tgwRouteWords(t, r)
	}
	if r.Blackhole {
		w.block(TGWRtbBadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("transit gateway route table %s drops %s: %s (S-52)", t.ID, w.pkt.Dst, text)
		})
		return w.drop(t.ID, HopTGWRouteTable, text, pos)
	}
	for _, a := range t.Ambiguities() {
		if a.Destination.Contains(w.pkt.Dst) && a.Destination.Bits() == r.Destination.Bits() {
			w.warn(TGWRtbAmbiguousRoute, t.ID, text, pos, func() string {
				return fmt.Sprintf("overlapping routes for %s in %s: the one used is %s (S-55)", a.Destination, t.ID, text)
			})
		}
	}
	w.hop(Hop{Component: t.ID, Kind: HopTGWRouteTable, Decision: DecisionRoute, Rule: text, Pos: pos})
	w.crossedTGW = true
	w.refBarriers++
	if !att.tgw.m.SecurityGroupReferencing {
		w.loseRefs(refsTGWWithout)
	}
	out := w.s.atts[r.Attachment]
	if out == nil {
		w.block(TGWRtbBadStateRoute, t.ID, text, pos, func() string {
			return fmt.Sprintf("route %s targets an attachment that does not exist", text)
		})
		return w.drop(t.ID, HopTGWRouteTable, text, pos)
	}
	if out.m.State != model.AttachmentAvailable {
		w.block(BadStateAttachment, out.m.ID, "", out.m.Source.Position, func() string {
			return fmt.Sprintf("attachment %s is %s, not available (S-50)", out.m.ID, out.m.State)
		})
	}
	switch out.m.Type {
	case model.AttachmentVPC:
		if !att.m.ReferencingEnabled() || !out.m.ReferencingEnabled() {
			w.loseRefs(refsTGWWithout)
		}
		asn, ok := out.azs[az]
		if !ok && len(out.order) > 0 {
			asn, ok = out.order[0], true
		}
		if out.m.ApplianceMode {
			// The response's way in depends on the request's: not a
			// shareable path.
			w.taint()
		}
		if pinned := w.pinned(out.m.ID); w.leg == LegReturn && out.m.ApplianceMode && pinned >= 0 {
			// Appliance mode: the response enters where the request did.
			asn = pinned
		} else if w.leg == LegForward && ok {
			w.pins = append(w.pins, attPin{out.m.ID, asn})
		}
		if !ok {
			w.block(TGWRouteAZRestriction, out.m.ID, "", out.m.Source.Position, func() string {
				return fmt.Sprintf("attachment %s has no subnet", out.m.ID)
			})
			return w.drop(out.m.ID, HopTGWAttachment, "no subnet", out.m.Source.Position)
		}
		ov := &w.s.vpcs[out.vpc]
		if ov.m.Region != w.s.vpcs[w.s.subnets[asn].vpc].m.Region {
			w.loseRefs(refsOtherRegion)
		}
		w.hop(Hop{Component: out.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward,
			Rule: w.say(func() string { return "into " + string(ov.m.ID) + " through subnet " + string(w.s.subnets[asn].m.ID) }), Pos: out.m.Source.Position, Subnet: w.subnetID(asn)})
		// Traffic entering a VPC from its attachment is routed by the
		// attachment subnet's route table (S-53).
		return w.route(asn)
	case model.AttachmentPeering:
		peer := w.s.atts[out.m.Peer]
		w.hop(Hop{Component: out.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward, Rule: w.say(func() string { return "to transit gateway " + string(peer.tgw.m.ID) }), Pos: out.m.Source.Position})
		if peer.tgw.m.Region != att.tgw.m.Region {
			w.loseRefs(refsOtherRegion)
		}
		return w.throughTGW(peer, az)
	}
	return w.toExternal(out.m.ID, HopTGWAttachment)
}

// toExternal delivers the packet to the external network behind a gateway
// or attachment.
func (w *walker) toExternal(via model.ID, kind HopKind) terminal {
	w.loseRefs(refsExternal)
	if why := w.familyNotCarried(via); why != "" {
		w.block(NoRouteToDestination, via, "", model.Position{}, func() string { return why })
		return w.drop(via, kind, w.say(func() string { return "no " + familyName(w.family()) + " connection" }), model.Position{})
	}
	for _, i := range w.s.externalVia[via] {
		if inCIDRs(w.s.externals[i].CIDRs, w.pkt.Dst) {
			e := w.s.externals[i]
			w.hop(Hop{Component: e.ID, Kind: HopExternalNetwork, Decision: DecisionDeliver, Rule: w.say(func() string { return fmt.Sprintf("through %s to %s", via, e.ID) }), Pos: e.Source.Position})
			return terminal{kind: termExternal, ext: i, via: via, pkt: w.pkt}
		}
	}
	w.hop(Hop{Component: via, Kind: kind, Decision: DecisionDeliver, Rule: w.say(func() string { return "out to the network behind " + string(via) })})
	return terminal{kind: termExternal, ext: -1, via: via, pkt: w.pkt}
}

// family returns the packet's address family.
func (w *walker) family() string {
	if w.pkt.Dst.Is6() {
		return FamilyIPv6
	}
	return FamilyIPv4
}

// familyNotCarried says why the connections behind gateway or attachment
// via cannot carry the packet's family, or "" when they can or the model
// names no network behind it (V-35): a VPN connection's tunnels carry one
// IP version, and a Site-to-Site VPN on a virtual private gateway IPv4
// only; Direct Connect carries both.
func (w *walker) familyNotCarried(via model.ID) string {
	nets := w.s.externalVia[via]
	if len(nets) == 0 {
		return ""
	}
	v6 := w.pkt.Dst.Is6()
	if att := w.s.atts[via]; att != nil {
		if att.m.Type != model.AttachmentVPN {
			return ""
		}
		// The networks behind one VPN attachment share its version
		// (validation).
		ver := w.s.externals[nets[0]].TunnelInsideVersion()
		if (ver == model.IPAddressIPv6) == v6 {
			return ""
		}
		return fmt.Sprintf("the tunnels of VPN attachment %s carry %s only (tunnel_inside_ip_version %s): a VPN connection carries one IP version, so nothing takes %s to %s (V-35)",
			via, familyName(familyOfVersion(ver)), ver, familyName(w.family()), w.pkt.Dst)
	}
	if !v6 {
		return ""
	}
	for _, i := range nets {
		if model.ExternalConnectionOf(w.s.x, w.s.externals[i]) == model.ConnectionDirectConnect {
			return ""
		}
	}
	return fmt.Sprintf("virtual private gateway %s reaches only Site-to-Site VPN connections, which carry IPv4 only on a virtual private gateway: nothing takes IPv6 to %s (V-35)", via, w.pkt.Dst)
}

// familyOfVersion is the family of a VPN's tunnel inside IP version.
func familyOfVersion(v model.IPAddressType) string {
	if v == model.IPAddressIPv6 {
		return FamilyIPv6
	}
	return FamilyIPv4
}

// toVPNGateway sends the packet to the virtual private gateway.
func (w *walker) toVPNGateway(vgw model.ID, from int32) terminal {
	w.crossACLs(from, -1)
	rule := "to the VPN"
	for _, i := range w.s.externalVia[vgw] {
		if e := w.s.externals[i]; inCIDRs(e.CIDRs, w.pkt.Dst) && model.ExternalConnectionOf(w.s.x, e) == model.ConnectionDirectConnect {
			rule = "to Direct Connect" // V-35
			break
		}
	}
	w.hop(Hop{Component: vgw, Kind: HopVPNGateway, Decision: DecisionForward, Rule: rule})
	return w.toExternal(vgw, HopVPNGateway)
}

// toGatewayEndpoint delivers the packet to the AWS service behind a gateway
// endpoint (S-70).
func (w *walker) toGatewayEndpoint(id model.ID, vpc int32, from int32) terminal {
	e := w.s.x.Endpoint(id)
	vi := &w.s.vpcs[vpc]
	// Its checks depend on the protocol and ICMP type, which differ
	// between request and response.
	w.taint()
	w.crossACLs(from, -1)
	if !inCIDRs(vi.m.CIDRBlocks, w.pkt.Src) && !inCIDRs(vi.m.IPv6CIDRBlocks, w.pkt.Src) {
		w.block(VPCEGatewayNotFromPeer, id, "", e.Source.Position, func() string {
			return fmt.Sprintf("gateway endpoint %s serves only %s's own addresses, not %s (S-70)", id, vi.m.ID, w.pkt.Src)
		})
	}
	if !(w.pkt.Protocol == model.ProtocolTCP || (w.pkt.Protocol == model.ProtocolICMP && w.pkt.ICMPType == 8)) {
		w.block(VPCEGatewayProtocolRestriction, id, "", e.Source.Position, func() string {
			return fmt.Sprintf("gateway endpoint %s carries tcp and icmp echo only, not %s (S-70)", id, w.pkt.Protocol)
		})
	}
	w.hop(Hop{Component: id, Kind: HopGatewayEndpoint, Decision: DecisionForward, Rule: w.say(func() string { return "to " + e.Service }), Pos: e.Source.Position})
	w.hop(Hop{Component: model.ID(e.Service), Kind: HopAWSService, Decision: DecisionDeliver, Rule: w.say(func() string { return "service address " + w.pkt.Dst.String() })})
	w.loseRefs(refsService)
	return terminal{kind: termService, vpc: vpc, ext: -1, via: id, pkt: w.pkt}
}

// applianceDown says why the network interface or instance route r
// targets takes no traffic, or returns "": a route to an interface that
// is not attached to an instance, or whose instance is not running, is a
// blackhole (S-15).
func (s *Solver) applianceDown(r *routing.Route) string {
	if r.Kind != routing.TargetNetworkInterface && r.Kind != routing.TargetInstance {
		return ""
	}
	e := &s.enis[s.eni[r.Target]]
	switch {
	case !e.attached:
		return fmt.Sprintf("%s is not attached to an instance", e.id)
	case !e.running:
		if in := s.x.Instance(e.host); in != nil {
			return fmt.Sprintf("instance %s is %s, not running", in.ID, in.State)
		}
		return fmt.Sprintf("%s is not running", e.host)
	}
	return ""
}

// toMiddlebox routes the packet to an appliance interface, which forwards
// it by its own subnet's route table (S-15).
func (w *walker) toMiddlebox(ei int32, from int32) terminal {
	e := &w.s.enis[ei]
	// The source/destination check looks at the exact destination, and the
	// appliance's security groups at the source's groups.
	w.taint()
	w.crossACLs(from, e.subnet)
	if e.holds(w.pkt.Dst) {
		// Addressed to the appliance itself: the packet has arrived; the
		// interface forwards only what is not for it (S-15).
		return w.arriveAt(ei)
	}
	if e.srcDst {
		w.block(ENISourceDestCheckRestriction, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("traffic to %s is routed through %s, whose source/destination check is on: it drops traffic not addressed to it (S-15)", w.pkt.Dst, e.id)
		})
	}
	// On the return leg, an appliance that forwarded the request passes
	// the response as part of a tracked connection; one that did not
	// (an asymmetric path) sees it as new traffic, which its security
	// groups must allow both ways (S-20).
	// Connection tracking of security groups is per interface; an
	// appliance's own state is per instance, whichever interface.
	unseen := w.leg == LegReturn && !slices.Contains(w.boxes, ei)
	hostUnseen := unseen && !slices.ContainsFunc(w.boxes, func(b int32) bool { return e.host != "" && w.s.enis[b].host == e.host })
	if hostUnseen {
		w.warn(ApplianceAsymmetricRouting, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("the response passes %s, which did not forward the request: a stateful appliance drops it%s", e.id, w.asymmetryHint())
		})
	}
	// Its groups match references like any interface's: inbound ones to
	// the interface that sent the packet (S-22; the return walk's srcENI
	// is the interface that answers).
	filters := w.rec.filters()
	if filters && w.leg == LegForward {
		w.hop(w.checkSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
	} else if filters && unseen {
		w.hop(w.checkResponseSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
	}
	if w.leg == LegForward {
		// From here on the appliance has forwarded the request (S-18
		// applies beyond it, not to its own inbound rules).
		w.boxes = append(w.boxes, ei)
	}
	w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionForward, Rule: w.say(func() string { return "appliance forwards " + w.flow() }), Pos: e.src.Position, Subnet: w.subnetID(e.subnet)})
	if filters && (w.leg == LegForward || unseen) {
		w.sendsOn(ei)
	}
	// Beyond the appliance the destination sees forwarded traffic: rules
	// that reference the source's groups do not admit it, on either end;
	// rules for its address do (S-18).
	w.loseRefs(refsAppliance)
	return w.route(e.subnet)
}

// forwardedBy returns the first appliance that forwarded the request, or
// "" (S-18).
func (w *walker) forwardedBy() model.ID {
	if w.leg != LegForward || len(w.boxes) == 0 {
		return ""
	}
	return w.s.enis[w.boxes[0]].id
}

// asymmetryHint suggests appliance mode when a transit gateway is on the
// response's path.
func (w *walker) asymmetryHint() string {
	if w.crossedTGW {
		return "; turn on appliance mode on the appliance VPC's transit gateway attachment to keep both directions on one appliance"
	}
	return "; route both directions through the same appliance"
}

// checkResponseSG checks a response, addressed to any port of the
// ephemeral range, against the groups of appliance ei, which did not see
// the request; peerENI is the interface on the other side, or -1.
func (w *walker) checkResponseSG(ei int32, dir sgeval.Direction, peer sgeval.Peer, peerENI int32) Hop {
	e := &w.s.enis[ei]
	if len(e.groups) == 0 {
		return w.checkSG(ei, dir, peer, peerENI)
	}
	w.dependsOn(peer.Addr, "the rules of the security groups of", e.id, decider{groups: e.groups, dir: dir})
	d, port := sgeval.CheckRange(e.groups, dir, w.pkt, peer, w.ephemeral)
	if d.Allowed {
		h := Hop{Component: d.Group, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String()}
		if w.words() {
			h.Rule, h.Pos = w.s.sgWords(dir, d)
			h.Rule += "; this interface did not see the request, so the response is new traffic to it"
		}
		return h
	}
	saved := w.pkt
	w.pkt.DstPort = port
	var note string
	if w.words() {
		note = fmt.Sprintf(" (port %d): the request did not pass %s, so to its security groups the response is new traffic (asymmetric path)", port, e.id)
	}
	h := w.checkSGNote(ei, dir, peer, peerENI, note)
	w.pkt = saved
	return h
}

// applianceEgress is the outbound check of an appliance that sent the
// packet on, made once the walk knows where the packet arrives.
type applianceEgress struct {
	eni int32
	// hop is the index of its security group hop.
	hop int
	// pkt and eph are the packet as the appliance sent it and, on the
	// return leg, the ports it may go to.
	pkt sgeval.Packet
	eph model.PortRange
	// barriers is refBarriers when it sent the packet.
	barriers int
}

// sendsOn records that appliance ei sends the packet on: its outbound
// rules are checked when the walk ends (finishApplianceEgress).
func (w *walker) sendsOn(ei int32) {
	w.sentOn = append(w.sentOn, applianceEgress{eni: ei, hop: len(w.hops), pkt: w.pkt, eph: w.ephemeral, barriers: w.refBarriers})
	w.hop(Hop{Component: w.s.enis[ei].id, Kind: HopSecurityGroup, Direction: "egress"})
}

// finishApplianceEgress checks the outbound rules of the appliances that
// sent the packet on, now that the walk knows where it arrived (term): a
// reference matches the interface it arrived at (S-22). An appliance that
// did not see the request checks the response on every port it may go to.
func (w *walker) finishApplianceEgress(term terminal) {
	saved, savedEph := w.pkt, w.ephemeral
	for _, a := range w.sentOn {
		w.pkt, w.ephemeral = a.pkt, a.eph
		peer, peerENI := w.egressPeer(term, a.barriers)
		var h Hop
		if w.leg == LegReturn {
			h = w.checkResponseSG(a.eni, sgeval.Egress, peer, peerENI)
		} else {
			h = w.checkSG(a.eni, sgeval.Egress, peer, peerENI)
		}
		w.rec.setHop(w, a.hop, h)
	}
	w.pkt, w.ephemeral = saved, savedEph
}

// egressPeer describes the destination of w.pkt, which ended its walk at
// term, to the outbound rules of an interface that sent it when
// refBarriers was barriers: its address, and the groups of the interface
// it arrived at when they can match by reference (peerGroups); and that
// interface, or -1.
func (w *walker) egressPeer(term terminal, barriers int) (sgeval.Peer, int32) {
	peer := sgeval.Peer{Addr: w.pkt.Dst}
	if term.kind != termENI {
		return peer, -1
	}
	peer.Groups = w.peerGroups(sgeval.Egress, w.pkt.Dst, term.eni, barriers)
	return peer, term.eni
}
