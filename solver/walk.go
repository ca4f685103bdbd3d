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
}

// maxSteps bounds a walk; real paths take a few dozen steps.
const maxSteps = 256

type walker struct {
	s   *Solver
	leg Leg
	pkt sgeval.Packet
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
	steps     int
	// srcENI is the interface the request came from (-1 if none): its
	// groups can match security group references while refOK holds
	// (S-22).
	srcENI int32
	refOK  bool
	// crossedTGWWithoutRefs is set when a transit gateway on the path does
	// not carry group references, to name the right code.
	crossedTGWWithoutRefs bool
	// crossedTGW is set once the packet crossed any transit gateway:
	// outbound rules never match group references across one (only
	// inbound rules do, with referencing on; S-22).
	crossedTGW bool
	// refBarriers counts the transit gateways and the peerings between
	// regions the packet crossed: an outbound rule's group reference
	// matches the destination only when none lies between the sender and
	// the destination (egressRefs).
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
	// egressHop is the index of the source's security group hop, checked
	// once the destination is known; -1 if none.
	egressHop int
	// service names the AWS service whose public address the request is
	// for, if any.
	service string
	// lbSource is set on the walk from a load balancer node to a target:
	// rules referencing the load balancer's groups match its traffic
	// whatever source address the target sees (S-81).
	lbSource bool
	// preservedFrom is the load balancer node's address when the target
	// sees the client's address instead (client IP preservation).
	preservedFrom netip.Addr
	portBuf       []sgeval.PortDecision
	flowFor       sgeval.Packet
	flowText      string
	// quiet walks record verdicts and codes only: no hops, no messages.
	// Whole-network analyses use them.
	quiet bool
	// path, when set, makes this a path walk (see pathRec): no security
	// group or running checks, network ACL crossings recorded instead of
	// checked.
	path *pathRec
}

// pathRec records a path walk: the routing part of a verdict, with the
// security groups, running states and network ACLs left out, so that the
// whole-network matrix can share it between sources and destinations that
// every route treats alike (see matrix.go).
//
// A path walk's control flow depends on the packet's addresses only
// through the routes, CIDR blocks and ranges that routingAtoms draws its
// boundaries from, until something looks at one exact address (an
// interface lookup that does not deliver the packet to an instance or
// network interface, an internet gateway, the internet, an appliance, a
// gateway endpoint): from then on the walk is tainted.
type pathRec struct {
	// crossings are the subnet boundaries crossed, in order, as crossACLs
	// saw them (from, to; -1 outside any subnet), before the same-subnet
	// test.
	crossings []crossing
	// blocked is set when anything blocked the walk; determined when
	// something blocked it before it was tainted.
	blocked, determined bool
	// tainted is set once the walk's course may depend on exact
	// addresses.
	tainted bool
	// notPlain is set when the packet was translated (NAT gateway,
	// internet gateway) or passed an appliance or gateway endpoint.
	notPlain bool
}

// crossing is one subnet boundary a path walk crossed.
type crossing struct{ from, to int32 }

func (r *pathRec) reset() {
	*r = pathRec{crossings: r.crossings[:0]}
}

// taint marks a path walk whose course may from now on depend on exact
// addresses.
func (w *walker) taint() {
	if w.path != nil {
		w.path.tainted, w.path.notPlain = true, true
	}
}

type visit struct {
	table model.ID
	dst   netip.Addr
}

func (w *walker) hop(h Hop) {
	if w.quiet {
		return
	}
	if w.hops == nil {
		w.hops = make([]Hop, 0, 24)
	}
	w.hops = append(w.hops, h)
}

func (w *walker) block(code Code, component model.ID, rule string, pos model.Position, format string, args ...any) {
	if w.path != nil {
		w.path.blocked = true
		if !w.path.tainted {
			w.path.determined = true
		}
		return
	}
	if w.quiet {
		w.blockers = append(w.blockers, Blocker{Code: code, Component: component, Leg: w.leg})
		return
	}
	b := Blocker{Code: code, Component: component, Leg: w.leg, Rule: rule, Message: fmt.Sprintf(format, args...), Pos: pos}
	for _, x := range w.blockers {
		if x.Code == b.Code && x.Component == b.Component && x.Message == b.Message {
			return
		}
	}
	w.blockers = append(w.blockers, b)
}

func (w *walker) warn(code Code, component model.ID, rule string, pos model.Position, format string, args ...any) {
	if w.path != nil {
		return
	}
	if w.quiet {
		w.warnings = append(w.warnings, Warning{Code: code, Component: component, Leg: w.leg})
		return
	}
	w.warnings = append(w.warnings, Warning{Code: code, Component: component, Leg: w.leg, Rule: rule, Message: fmt.Sprintf(format, args...), Pos: pos})
}

// dropQuiet ends a quiet walk with a blocker: what block and drop record
// in quiet mode, without rendering a message.
func (w *walker) dropQuiet(code Code, component model.ID) terminal {
	w.block(code, component, "", model.Position{}, "")
	return terminal{kind: termDropped, ext: -1}
}

func (w *walker) drop(component model.ID, kind HopKind, rule string, pos model.Position) terminal {
	w.hop(Hop{Component: component, Kind: kind, Decision: DecisionDrop, Rule: rule, Pos: pos})
	return terminal{kind: termDropped, ext: -1}
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
	if !w.quiet {
		w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionSend, Rule: string(e.id) + " sends " + w.flow(), Pos: e.src.Position})
	}
	if !e.running && w.leg == LegForward {
		w.block(InstanceNotRunning, e.id, "", e.src.Position, "%s is not running", e.id)
	}
	if w.leg == LegForward && e.kind != eniNAT {
		w.egressHop = len(w.hops)
		w.hop(Hop{Component: e.id, Kind: HopSecurityGroup, Direction: "egress"})
	}
	if w.leg == LegForward && linkLocalService(w.pkt.Dst) {
		// The instance metadata service, Time Sync and the link-local
		// resolver answer on the instance's host: no route table, no
		// network ACL (S-34).
		if w.path != nil {
			w.taint()
		}
		if !w.quiet {
			w.hop(Hop{Component: serviceComponent(w.s.vpcs[e.vpc].m.ID, w.pkt.Dst), Kind: serviceHopKind(w.pkt.Dst), Decision: DecisionDeliver, Rule: strings.TrimPrefix(linkLocalName(w.pkt.Dst), "the ") + " at " + w.pkt.Dst.String() + ", on the instance's host"})
		}
		return terminal{kind: termDNS, vpc: e.vpc, ext: -1, pkt: w.pkt}
	}
	return w.route(e.subnet)
}

// linkLocalService reports whether a is one of the link-local addresses
// at which AWS serves every instance from its host: the instance metadata
// service, the Amazon Time Sync Service and the Route 53 Resolver.
func linkLocalService(a netip.Addr) bool {
	return a == linkLocalDNS || a == metadataAddr || a == timeSyncAddr
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
	if w.quiet {
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
	if si.m.CIDRBlock.Contains(w.pkt.Dst) {
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
	r := t.Lookup(w.pkt.Dst)
	if r == nil && w.quiet {
		return w.dropQuiet(NoRouteToDestination, t.ID)
	}
	if r == nil {
		w.block(NoRouteToDestination, t.ID, "", w.tablePos(t), "%s (for subnet %s) has no route for %s", t.ID, si.m.ID, w.pkt.Dst)
		return w.drop(t.ID, HopRouteTable, "no route for "+w.pkt.Dst.String(), w.tablePos(t))
	}
	var text string
	var pos model.Position
	if !w.quiet {
		// Words for messages only.
		text, pos = w.s.routeWords(t, r)
	}
	if r.OutsideSnapshot {
		w.block(OutsideSnapshot, t.ID, text, pos, "the route for %s in %s leads to %s, which the imported snapshot does not hold: where the traffic goes is unknown", w.pkt.Dst, t.ID, r.Target)
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	if r.Blackhole || r.Kind == routing.TargetUnknown {
		w.block(BadStateRoute, t.ID, text, pos, "the route for %s in %s is a blackhole: %s", w.pkt.Dst, t.ID, text)
		return w.drop(t.ID, HopRouteTable, text, pos)
	}
	if why := w.s.applianceDown(r); why != "" {
		w.block(BadStateRoute, t.ID, text, pos, "the route for %s in %s (%s) is a blackhole: %s (S-15)", w.pkt.Dst, t.ID, text, why)
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
	}
	w.block(UnmodelledDestination, r.Target, text, pos, "routing through %s (%s) is not modelled yet", r.Target, r.Kind)
	return w.drop(r.Target, HopUnknown, text, pos)
}

// loops reports, and blocks on, a second lookup of the packet's
// destination in route table table (S-15); otherwise it records this one.
func (w *walker) loops(table model.ID) bool {
	v := visit{table, w.pkt.Dst}
	if slices.Contains(w.visited, v) {
		w.block(RoutingLoop, table, "", model.Position{}, "routing loops: %s is looked up in %s a second time (S-15)", w.pkt.Dst, table)
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
	return d == w.s.vpcs[vpc].dnsAddr || linkLocalService(d)
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
	if w.path != nil {
		w.path.crossings = append(w.path.crossings, crossing{from, to})
		return
	}
	if from == to {
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
	// aclPasses decides as this function does; keep them in step.
	if w.leg == LegReturn && w.pkt.Protocol.HasPorts() {
		w.portBuf = acl.CheckPorts(dir, w.pkt, w.ephemeral, w.portBuf[:0])
		var allowed, denied []sgeval.PortDecision
		for _, d := range w.portBuf {
			if d.Allowed {
				allowed = append(allowed, d)
			} else {
				denied = append(denied, d)
			}
		}
		switch {
		case len(denied) == 0:
			text, pos := w.s.aclWords(acl, dir, allowed[0].ACLDecision)
			w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(), Rule: text, Pos: pos})
		case len(allowed) == 0:
			text, pos := w.s.aclWords(acl, dir, denied[0].ACLDecision)
			w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionDeny, Direction: dir.String(), Rule: text, Pos: pos})
			w.block(SubnetACLRestriction, acl.ID, text, pos, "network ACL %s of subnet %s denies the response (%s) %s: %s (S-33)",
				acl.ID, si.m.ID, w.flow(), dir, text)
		default:
			atext, _ := w.s.aclWords(acl, dir, allowed[0].ACLDecision)
			text, pos := w.s.aclWords(acl, dir, denied[0].ACLDecision)
			w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(),
				Rule: fmt.Sprintf("ports %s by %s; %s for %s", portsText(allowed), atext, text, portsText(denied)), Pos: pos})
			w.warn(ACLPartialReturn, acl.ID, text, pos, "network ACL %s of subnet %s lets the response through %s only on ports %s of %s (%s); %s for ports %s (S-33)",
				acl.ID, si.m.ID, dir, portsText(allowed), w.ephemeral, atext, text, portsText(denied))
		}
		return
	}
	d := acl.Check(dir, w.pkt)
	text, pos := w.s.aclWords(acl, dir, d)
	if !d.Allowed {
		w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionDeny, Direction: dir.String(), Rule: text, Pos: pos})
		what := "the request"
		if w.leg == LegReturn {
			what = "the response"
		}
		w.block(SubnetACLRestriction, acl.ID, text, pos, "network ACL %s of subnet %s denies %s (%s) %s: %s (S-31)",
			acl.ID, si.m.ID, what, w.flow(), dir, text)
		return
	}
	w.hop(Hop{Component: acl.ID, Kind: HopNetworkACL, Decision: DecisionAllow, Direction: dir.String(), Rule: text, Pos: pos})
	if d.Partial {
		ptext, ppos := w.s.aclWords(acl, dir, sgeval.ACLDecision{Number: d.PartialNumber, Index: d.PartialIndex})
		w.warn(ACLPartialProtocols, acl.ID, ptext, ppos, "network ACL %s of subnet %s allows all traffic %s by %s, except what %s denies", acl.ID, si.m.ID, dir, text, ptext)
	}
}

// aclPasses reports whether network ACL acl lets a packet through in one
// direction on one leg without a blocker, exactly as checkACL decides (the
// response is checked on the whole ephemeral range, and passes when some
// port of it is allowed). buf is scratch space.
func aclPasses(acl *sgeval.ACL, dir sgeval.Direction, leg Leg, pkt sgeval.Packet, eph model.PortRange, buf []sgeval.PortDecision) (bool, []sgeval.PortDecision) {
	if leg == LegReturn && pkt.Protocol.HasPorts() {
		buf = acl.CheckPorts(dir, pkt, eph, buf[:0])
		for _, d := range buf {
			if d.Allowed {
				return true, buf
			}
		}
		return false, buf
	}
	return acl.Check(dir, pkt).Allowed, buf
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
	p := sgeval.Peer{Addr: addr}
	if eni >= 0 && ((w.refOK && w.s.enis[eni].holds(addr)) || (w.lbSource && eni == w.srcENI)) {
		p.Groups = w.s.enis[eni].refs
	}
	return p
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
	if len(e.groups) == 0 {
		// A network load balancer without security groups filters nothing
		// (S-80).
		return Hop{Component: e.id, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String(), Rule: "no security groups: all traffic passes"}
	}
	d := sgeval.Check(e.groups, dir, w.pkt, peer)
	if d.Allowed {
		text, pos := w.s.sgWords(dir, d)
		return Hop{Component: d.Group, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String(), Rule: text, Pos: pos}
	}
	ids := make([]string, len(e.groups))
	for i, g := range e.groups {
		ids[i] = string(g.ID)
	}
	groupsText := fmt.Sprint(ids)
	h := Hop{Component: e.groups[0].ID, Kind: HopSecurityGroup, Decision: DecisionDeny, Direction: dir.String(),
		Rule: fmt.Sprintf("no rule of %s allows %s", groupsText, w.flow())}
	code, why := ENISGRulesMismatch, ""
	if w.preservedFrom.IsValid() && dir == sgeval.Ingress {
		// The target sees the client's address; would it pass from the
		// load balancer's own address (S-81)?
		alt := w.pkt
		alt.Src = w.preservedFrom
		if sgeval.Check(e.groups, dir, alt, sgeval.Peer{Addr: w.preservedFrom, Groups: peer.Groups}).Allowed {
			code, why = ELBV2SourceAddressPreservation, fmt.Sprintf("; client IP preservation shows the target the client's address %s, not the load balancer's %s (S-81)", w.pkt.Src, w.preservedFrom)
		}
	}
	// Groups outside an imported snapshot: the interface holds one (its
	// rules are unknown), or a rule admits the members of one (whether the
	// peer is a member is unknown). The answer is unknown, not "no".
	if code == ENISGRulesMismatch && len(w.s.outsideGroups) > 0 {
		for _, g := range e.groups {
			if w.s.outsideGroups[g.ID] {
				code, why = OutsideSnapshot, fmt.Sprintf("; %s holds group %s, which the imported snapshot does not hold, so its rules are unknown", e.id, g.ID)
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
				why = fmt.Sprintf("; a rule references a group of the peer, but appliance %s forwards the traffic, and group references do not admit forwarded traffic: allow the peer's address or subnet instead (S-18)", box)
			} else if dir == sgeval.Egress && w.crossedTGW {
				why = "; an outbound rule references a group of the peer, and outbound rules never match group references across a transit gateway (S-22)"
			} else if w.crossedTGWWithoutRefs {
				code, why = SGReferencingSupport, "; a rule references a group of the peer, but the transit gateway on the path does not carry group references (S-22)"
			}
		}
	}
	w.block(code, e.id, h.Rule, e.src.Position, "security groups %s of %s allow no %s %s%s%s", groupsText, e.id, dir, w.flow(), why, note)
	return h
}

// deliverInVPC delivers the packet to the interface holding its
// destination in VPC vpc, coming from subnet from (-1: from outside the
// VPC's subnets).
func (w *walker) deliverInVPC(vpc int32, from int32) terminal {
	vi := &w.s.vpcs[vpc]
	ei, ok := vi.addrs[w.pkt.Dst]
	if w.path != nil && (!ok || (w.s.enis[ei].kind != eniInstance && w.s.enis[ei].kind != eniNetworkInterface)) {
		w.taint()
	}
	if !ok {
		if w.pkt.Dst == vi.dnsAddr {
			if from < 0 || w.s.subnets[from].vpc != vpc {
				// The resolver at base+2 answers queries from its own VPC
				// only; other networks need an inbound Resolver endpoint.
				w.block(DestinationNotFound, vi.m.ID, "", vi.m.Source.Position, "the Route 53 Resolver at %s answers only queries from inside %s; from elsewhere, queries need a Route 53 Resolver inbound endpoint", vi.dnsAddr, vi.m.ID)
				return w.drop(model.ID(string(vi.m.ID)+"/dns"), HopDNSResolver, "answers only its own VPC", model.Position{})
			}
			w.hop(Hop{Component: model.ID(string(vi.m.ID) + "/dns"), Kind: HopDNSResolver, Decision: DecisionDeliver, Rule: "Route 53 Resolver at " + vi.dnsAddr.String()})
			return terminal{kind: termDNS, vpc: vpc, ext: -1, pkt: w.pkt}
		}
		w.block(DestinationNotFound, vi.m.ID, "", vi.m.Source.Position, "no network interface in %s holds %s", vi.m.ID, w.pkt.Dst)
		return w.drop(vi.m.ID, HopUnknown, "no interface holds "+w.pkt.Dst.String(), model.Position{})
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
	if w.path != nil {
		return terminal{kind: termENI, eni: ei, vpc: e.vpc, ext: -1, pkt: w.pkt}
	}
	if w.leg == LegForward {
		w.hop(w.checkSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
	}
	if !e.running {
		w.block(InstanceNotRunning, e.id, "", e.src.Position, "%s is not running", e.id)
	}
	if !w.quiet {
		w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionDeliver, Rule: "delivered to " + e.name})
	}
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
				w.hop(Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Rule: "translate back to " + n.orig.String(),
					Packet: &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}})
				return w.route(e.subnet)
			}
		}
	}
	w.block(NGWInboundNotAllowed, e.id, "", e.src.Position, "NAT gateway %s accepts no connection started from outside (S-61)", e.id)
	return w.drop(e.id, HopNATGateway, "no connection to translate", e.src.Position)
}

// toInternetGateway sends the packet out of VPC vpc through its internet
// gateway (S-60).
func (w *walker) toInternetGateway(vpc int32, from int32) terminal {
	vi := &w.s.vpcs[vpc]
	igw := vi.m.InternetGateway
	w.crossACLs(from, -1)
	if w.pkt.Dst.IsPrivate() {
		w.block(IGWDestinationAddressNotInRFC1918Egress, igw, "", vi.m.Source.Field("internet_gateway").Position,
			"%s is a private address; internet gateway %s drops it (S-60)", w.pkt.Dst, igw)
		return w.drop(igw, HopInternetGateway, "private destination", model.Position{})
	}
	// The source must have a public address, which the gateway puts in
	// its place.
	w.taint()
	src, ok := vi.addrs[w.pkt.Src]
	if !ok || !w.s.enis[src].public.IsValid() {
		w.block(IGWPublicIPAssociationForEgress, igw, "", vi.m.Source.Field("internet_gateway").Position,
			"%s has no public IPv4 or Elastic IP, so internet gateway %s drops its traffic (S-60)", w.pkt.Src, igw)
		return w.drop(igw, HopInternetGateway, "no public address for "+w.pkt.Src.String(), model.Position{})
	}
	if e := &w.s.enis[src]; e.primary != w.pkt.Src {
		// A public IPv4 or Elastic IP is associated with one private
		// address; the model's is the primary one (S-60).
		w.block(IGWPublicIPAssociationForEgress, igw, "", vi.m.Source.Field("internet_gateway").Position,
			"%s is a secondary address of %s, whose public address %s is associated with its primary address %s: internet gateway %s drops traffic from %s (S-60)",
			w.pkt.Src, e.id, e.public, e.primary, igw, w.pkt.Src)
		return w.drop(igw, HopInternetGateway, "no public address for "+w.pkt.Src.String(), model.Position{})
	}
	w.pkt.Src = w.s.enis[src].public
	w.hop(Hop{Component: igw, Kind: HopInternetGateway, Decision: DecisionTranslate, Rule: "source to public address " + w.pkt.Src.String(),
		Packet: &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}})
	w.refOK = false
	return w.overInternet(igw)
}

// overInternet carries a packet across the internet: to the interface
// that holds its public destination, or out to an internet host.
func (w *walker) overInternet(via model.ID) terminal {
	w.taint()
	if ei, ok := w.s.public[w.pkt.Dst]; ok {
		return w.fromInternet(ei)
	}
	if w.service != "" && w.leg == LegForward {
		w.hop(Hop{Component: model.ID(w.service), Kind: HopAWSService, Decision: DecisionDeliver, Rule: "public service address " + w.pkt.Dst.String()})
	} else {
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionDeliver, Rule: "to internet host " + w.pkt.Dst.String()})
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
	if igw == "" {
		w.block(NoInternetGateway, vi.m.ID, "", vi.m.Source.Position, "%s holds public address %s, but %s has no internet gateway (S-60)", e.id, w.pkt.Dst, vi.m.ID)
		return w.drop(vi.m.ID, HopInternetGateway, "no internet gateway", model.Position{})
	}
	w.refOK = false
	w.pkt.Dst = e.primary
	w.hop(Hop{Component: igw, Kind: HopInternetGateway, Decision: DecisionTranslate, Rule: "destination to private address " + e.primary.String(),
		Packet: &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}})
	w.crossACLs(-1, e.subnet)
	if e.kind == eniNAT {
		return w.atNAT(ei)
	}
	return w.arriveAt(ei)
}

// toNAT sends the packet through NAT gateway ei, which puts its own address
// in place of the source (S-61).
func (w *walker) toNAT(ei int32, from int32) terminal {
	e := &w.s.enis[ei]
	w.crossACLs(from, e.subnet)
	if p := w.pkt.Protocol; p != model.ProtocolTCP && p != model.ProtocolUDP && p != model.ProtocolICMP {
		// VPC user guide, NAT gateway basics: TCP, UDP and ICMP only.
		what := p.String()
		if p == model.ProtocolAll {
			what = "all traffic"
		}
		w.block(NGWProtocolRestriction, e.id, "", e.src.Position, "NAT gateway %s translates tcp, udp and icmp only, not %s", e.id, what)
	}
	if w.path != nil {
		// The source becomes the gateway's own address: the rest of the
		// walk does not depend on the original one. A path walk has no
		// response to translate back.
		w.path.notPlain = true
	} else {
		w.nat = append(w.nat, natEntry{gw: ei, orig: w.pkt.Src})
	}
	w.pkt.Src = e.primary
	w.refOK = false
	if !w.quiet {
		w.hop(Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Rule: "source to " + e.primary.String(),
			Packet: &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}, Pos: e.src.Position})
	}
	return w.route(e.subnet)
}

// toPeering sends the packet over a peering connection (S-40..S-43).
func (w *walker) toPeering(pcx model.ID, vpc int32, from int32) terminal {
	p := w.s.x.PeeringConnection(pcx)
	vi := &w.s.vpcs[vpc]
	w.crossACLs(from, -1)
	if p.Status != model.PeeringActive {
		w.block(BadState, pcx, "", p.Source.Position, "peering connection %s is %s, not active (S-40)", pcx, p.Status)
	}
	other := w.s.vpcByID[p.Other(vi.m.ID)]
	ov := &w.s.vpcs[other]
	if !inCIDRs(vi.m.CIDRBlocks, w.pkt.Src) {
		w.block(PCXRequiresAddressInVPCCIDR, pcx, "", p.Source.Position, "source %s is not an address of %s: peering connection %s carries no transit traffic (S-42)", w.pkt.Src, vi.m.ID, pcx)
		return w.drop(pcx, HopPeeringConnection, "source outside "+string(vi.m.ID), p.Source.Position)
	}
	if !inCIDRs(ov.m.CIDRBlocks, w.pkt.Dst) {
		w.block(PCXRequiresAddressInVPCCIDR, pcx, "", p.Source.Position, "destination %s is not an address of %s: peering connection %s delivers only inside the peer VPC (S-42)", w.pkt.Dst, ov.m.ID, pcx)
		return w.drop(pcx, HopPeeringConnection, "destination outside "+string(ov.m.ID), p.Source.Position)
	}
	if vi.m.Region != ov.m.Region {
		w.refOK = false
		w.refBarriers++
	}
	if !w.quiet {
		w.hop(Hop{Component: pcx, Kind: HopPeeringConnection, Decision: DecisionForward, Rule: string(vi.m.ID) + " -> " + string(ov.m.ID), Pos: p.Source.Position})
	}
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
		w.block(TGWRouteAZRestriction, att.m.ID, "", att.m.Source.Field("subnets").Position,
			"attachment %s has no subnet in %s, where %s is: traffic there cannot reach transit gateway %s (S-51)", att.m.ID, zone, w.s.subnets[from].m.ID, tgw)
		return w.drop(att.m.ID, HopTGWAttachment, "no attachment subnet in "+zone, att.m.Source.Position)
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
		w.block(BadStateAttachment, att.m.ID, "", att.m.Source.Position, "attachment %s is %s, not available (S-50)", att.m.ID, att.m.State)
	}
	if !w.quiet {
		w.hop(Hop{Component: att.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward, Rule: "into transit gateway " + string(att.tgw.m.ID), Pos: att.m.Source.Position})
	}
	t := att.assoc
	if t == nil {
		w.block(TGWAttachMissingTGWRtbAssociation, att.m.ID, "", att.m.Source.Position, "attachment %s is associated with no route table, so transit gateway %s drops its traffic (S-50)", att.m.ID, att.tgw.m.ID)
		return w.drop(att.tgw.m.ID, HopTransitGateway, "no associated route table", att.m.Source.Position)
	}
	if w.loops(t.ID) {
		return w.drop(t.ID, HopTGWRouteTable, "loop", model.Position{})
	}
	r := t.Lookup(w.pkt.Dst)
	if r == nil && w.quiet {
		return w.dropQuiet(TGWRtbCannotRoute, t.ID)
	}
	tpos := model.Position{}
	if rt := w.s.x.TGWRouteTable(t.ID); rt != nil && !w.quiet {
		tpos = rt.Source.Position
	}
	if r == nil {
		w.block(TGWRtbCannotRoute, t.ID, "", tpos, "transit gateway route table %s has no route for %s (S-52)", t.ID, w.pkt.Dst)
		return w.drop(t.ID, HopTGWRouteTable, "no route for "+w.pkt.Dst.String(), tpos)
	}
	var text string
	var pos model.Position
	if !w.quiet {
		// Words for messages only.
		text, pos = w.s.tgwRouteWords(t, r)
	}
	if r.Blackhole {
		w.block(TGWRtbBadStateRoute, t.ID, text, pos, "transit gateway route table %s drops %s: %s (S-52)", t.ID, w.pkt.Dst, text)
		return w.drop(t.ID, HopTGWRouteTable, text, pos)
	}
	for _, a := range t.Ambiguities() {
		if a.Destination.Contains(w.pkt.Dst) && a.Destination.Bits() == r.Destination.Bits() {
			w.warn(TGWRtbAmbiguousRoute, t.ID, text, pos, "overlapping routes for %s in %s: the one used is %s (S-55)", a.Destination, t.ID, text)
		}
	}
	w.hop(Hop{Component: t.ID, Kind: HopTGWRouteTable, Decision: DecisionRoute, Rule: text, Pos: pos})
	w.crossedTGW = true
	w.refBarriers++
	if !att.tgw.m.SecurityGroupReferencing {
		w.refOK = false
		w.crossedTGWWithoutRefs = true
	}
	out := w.s.atts[r.Attachment]
	if out == nil {
		w.block(TGWRtbBadStateRoute, t.ID, text, pos, "route %s targets an attachment that does not exist", text)
		return w.drop(t.ID, HopTGWRouteTable, text, pos)
	}
	if out.m.State != model.AttachmentAvailable {
		w.block(BadStateAttachment, out.m.ID, "", out.m.Source.Position, "attachment %s is %s, not available (S-50)", out.m.ID, out.m.State)
	}
	switch out.m.Type {
	case model.AttachmentVPC:
		if !att.m.ReferencingEnabled() || !out.m.ReferencingEnabled() {
			w.refOK = false
			w.crossedTGWWithoutRefs = true
		}
		asn, ok := out.azs[az]
		if !ok && len(out.order) > 0 {
			asn, ok = out.order[0], true
		}
		if out.m.ApplianceMode && w.path != nil {
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
			w.block(TGWRouteAZRestriction, out.m.ID, "", out.m.Source.Position, "attachment %s has no subnet", out.m.ID)
			return w.drop(out.m.ID, HopTGWAttachment, "no subnet", out.m.Source.Position)
		}
		ov := &w.s.vpcs[out.vpc]
		if ov.m.Region != w.s.vpcs[w.s.subnets[asn].vpc].m.Region {
			w.refOK = false
		}
		if !w.quiet {
			w.hop(Hop{Component: out.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward,
				Rule: "into " + string(ov.m.ID) + " through subnet " + string(w.s.subnets[asn].m.ID), Pos: out.m.Source.Position})
		}
		// Traffic entering a VPC from its attachment is routed by the
		// attachment subnet's route table (S-53).
		return w.route(asn)
	case model.AttachmentPeering:
		peer := w.s.atts[out.m.Peer]
		if !w.quiet {
			w.hop(Hop{Component: out.m.ID, Kind: HopTGWAttachment, Decision: DecisionForward, Rule: "to transit gateway " + string(peer.tgw.m.ID), Pos: out.m.Source.Position})
		}
		if peer.tgw.m.Region != att.tgw.m.Region {
			w.refOK = false
		}
		return w.throughTGW(peer, az)
	}
	return w.toExternal(out.m.ID, HopTGWAttachment)
}

// toExternal delivers the packet to the external network behind a gateway
// or attachment.
func (w *walker) toExternal(via model.ID, kind HopKind) terminal {
	if w.path != nil {
		w.path.notPlain = true
	}
	w.refOK = false
	for _, i := range w.s.externalVia[via] {
		if inCIDRs(w.s.externals[i].CIDRs, w.pkt.Dst) {
			e := w.s.externals[i]
			w.hop(Hop{Component: e.ID, Kind: HopExternalNetwork, Decision: DecisionDeliver, Rule: fmt.Sprintf("through %s to %s", via, e.ID), Pos: e.Source.Position})
			return terminal{kind: termExternal, ext: i, via: via, pkt: w.pkt}
		}
	}
	w.hop(Hop{Component: via, Kind: kind, Decision: DecisionDeliver, Rule: "out to the network behind " + string(via)})
	return terminal{kind: termExternal, ext: -1, via: via, pkt: w.pkt}
}

// toVPNGateway sends the packet to the virtual private gateway.
func (w *walker) toVPNGateway(vgw model.ID, from int32) terminal {
	w.crossACLs(from, -1)
	w.hop(Hop{Component: vgw, Kind: HopVPNGateway, Decision: DecisionForward, Rule: "to the VPN"})
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
	if e.Type == model.EndpointGatewayLoadBalancer {
		w.block(UnmodelledDestination, id, "", e.Source.Position, "gateway load balancer endpoint %s: traffic inspection appliances are not modelled yet", id)
		return w.drop(id, HopGatewayEndpoint, "not modelled", e.Source.Position)
	}
	w.crossACLs(from, -1)
	if !inCIDRs(vi.m.CIDRBlocks, w.pkt.Src) {
		w.block(VPCEGatewayNotFromPeer, id, "", e.Source.Position, "gateway endpoint %s serves only %s's own addresses, not %s (S-70)", id, vi.m.ID, w.pkt.Src)
	}
	if !(w.pkt.Protocol == model.ProtocolTCP || (w.pkt.Protocol == model.ProtocolICMP && w.pkt.ICMPType == 8)) {
		w.block(VPCEGatewayProtocolRestriction, id, "", e.Source.Position, "gateway endpoint %s carries tcp and icmp echo only, not %s (S-70)", id, w.pkt.Protocol)
	}
	w.hop(Hop{Component: id, Kind: HopGatewayEndpoint, Decision: DecisionForward, Rule: "to " + e.Service, Pos: e.Source.Position})
	w.hop(Hop{Component: model.ID(e.Service), Kind: HopAWSService, Decision: DecisionDeliver, Rule: "service address " + w.pkt.Dst.String()})
	w.refOK = false
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
		w.block(ENISourceDestCheckRestriction, e.id, "", e.src.Position, "traffic to %s is routed through %s, whose source/destination check is on: it drops traffic not addressed to it (S-15)", w.pkt.Dst, e.id)
	}
	// On the return leg, an appliance that forwarded the request passes
	// the response as part of a tracked connection; one that did not
	// (an asymmetric path) sees it as new traffic, which its security
	// groups must allow both ways (S-20).
	// Connection tracking of security groups is per interface; an
	// appliance's own state is per instance, whichever interface.
	unseen := w.leg == LegReturn && !slices.Contains(w.boxes, ei)
	hostUnseen := unseen && !slices.ContainsFunc(w.boxes, func(b int32) bool { return e.host != "" && w.s.enis[b].host == e.host })
	if hostUnseen && w.path == nil {
		w.warn(ApplianceAsymmetricRouting, e.id, "", e.src.Position, "the response passes %s, which did not forward the request: a stateful appliance drops it%s", e.id, w.asymmetryHint())
	}
	// Its groups match references like any interface's: inbound ones to
	// the interface that sent the packet (S-22; the return walk's srcENI
	// is the interface that answers).
	if w.path == nil && w.leg == LegForward {
		w.hop(w.checkSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
	} else if w.path == nil && unseen {
		w.hop(w.checkResponseSG(ei, sgeval.Ingress, w.peerFor(w.pkt.Src, w.srcENI), w.srcENI))
	}
	if w.leg == LegForward {
		// From here on the appliance has forwarded the request (S-18
		// applies beyond it, not to its own inbound rules).
		w.boxes = append(w.boxes, ei)
	}
	w.hop(Hop{Component: e.id, Kind: eniHopKind(e), Decision: DecisionForward, Rule: "appliance forwards " + w.flow(), Pos: e.src.Position})
	if w.path == nil && (w.leg == LegForward || unseen) {
		w.sendsOn(ei)
	}
	// Beyond the appliance the destination sees forwarded traffic: rules
	// that reference the source's groups do not admit it, on either end;
	// rules for its address do (S-18).
	w.refOK, w.lbSource = false, false
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
	d, port := sgeval.CheckRange(e.groups, dir, w.pkt, peer, w.ephemeral)
	if d.Allowed {
		h := Hop{Component: d.Group, Kind: HopSecurityGroup, Decision: DecisionAllow, Direction: dir.String()}
		if !w.quiet {
			h.Rule, h.Pos = w.s.sgWords(dir, d)
			h.Rule += "; this interface did not see the request, so the response is new traffic to it"
		}
		return h
	}
	saved := w.pkt
	w.pkt.DstPort = port
	var note string
	if !w.quiet {
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
		if !w.quiet {
			w.hops[a.hop] = h
		}
	}
	w.pkt, w.ephemeral = saved, savedEph
}

// egressPeer describes the destination of w.pkt, which ended its walk at
// term, to the outbound rules of an interface that sent it when
// refBarriers was barriers: its address, and the groups of the interface
// it arrived at when they can match by reference (egressRefs); and that
// interface, or -1.
func (w *walker) egressPeer(term terminal, barriers int) (sgeval.Peer, int32) {
	peer := sgeval.Peer{Addr: w.pkt.Dst}
	if term.kind != termENI {
		return peer, -1
	}
	if w.egressRefs(barriers) && w.s.enis[term.eni].holds(w.pkt.Dst) {
		peer.Groups = w.s.enis[term.eni].refs
	}
	return peer, term.eni
}

// egressRefs reports whether an outbound rule of an interface that sent
// the packet when refBarriers was sentAt can match the destination's
// groups by reference (S-22): not when a transit gateway (outbound
// references never match across one) or a peering between regions came
// after it. A NAT gateway or an appliance after it does not stop them:
// neither changes the destination, which is what outbound rules look at
// (S-61 rewrites the source; S-18 is about the destination's inbound
// rules).
func (w *walker) egressRefs(sentAt int) bool { return w.refBarriers == sentAt }
