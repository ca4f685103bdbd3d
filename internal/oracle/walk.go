package oracle

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// A walk follows one packet, the request or its response, hop by hop. It
// reports blockers as the engine does, so that the two compare: after a
// filter or a state blocks (a security group, a network ACL, a stopped
// instance, a peering or attachment that is not up, a source/destination
// check, a gateway endpoint restriction) the walk goes on as if it had
// passed, to name every blocker; after routing fails there is no next hop,
// and the walk ends.

// leg says which packet a walk follows.
type leg int

const (
	request leg = iota + 1
	response
)

// arrivalKind says where a walk ended.
type arrivalKind int

const (
	dropped     arrivalKind = iota
	atInterface             // delivered to a network interface
	atInternet              // delivered to a host on the internet
	atService               // delivered to an AWS service through a gateway endpoint
)

// arrival is where a walk ended, with the packet as it arrived.
type arrival struct {
	kind  arrivalKind
	iface *iface
	// vpc is the VPC of the gateway endpoint a service was reached through.
	vpc *model.VPC
	pkt Packet
}

var drop = arrival{kind: dropped}

// visit is a route lookup: a route table (VPC or transit gateway) and a
// destination (S-15: a second lookup of the same pair is a loop).
type visit struct {
	table model.ID
	dst   netip.Addr
}

// translation is a NAT gateway's rewrite of a source, remembered so that
// the response is translated back (S-61). For NAT64 (V-16) the gateway
// also rewrote the destination and the family: nat64 says so, and the
// response gets 64:ff9b::/96 back before its source.
type translation struct {
	nat   *iface
	orig  netip.Addr
	nat64 bool
}

// pin is the subnet through which a request entered a VPC from its
// transit gateway attachment; appliance mode sends the response the same
// way.
type pin struct {
	attachment model.ID
	subnet     *model.Subnet
}

// findings collects the codes both legs report.
type findings struct {
	blockers, warnings map[string]bool
}

type walk struct {
	n   *Network
	leg leg
	pkt Packet
	// ports is, on the response leg, the range of destination ports the
	// response may carry: the client's ephemeral ports (clientPorts), or
	// a NAT gateway's own source ports until it translates back (S-33).
	ports, clientPorts model.PortRange
	// source is the interface that sent the packet (the request's
	// source, or the interface that answers), if any, whose groups
	// references may match (S-22).
	source *iface
	// What the path did so far, for security group references (S-18,
	// S-22): the transit gateways and the peerings between regions it
	// crossed, and whether one of the gateways does not carry group
	// references.
	tgwCrossings, regionCrossings int
	tgwWithoutRefs                bool
	// internetCrossings counts the times the packet crossed the
	// internet: no group reference matches across it (S-22 lists the
	// paths that keep references; an IPv6 source crosses untranslated,
	// V-06, but the internet is not one of them).
	internetCrossings int
	// passed holds the appliances the packet passed (S-18), and, on the
	// response leg, requestAppliances those that forwarded the request.
	passed, requestAppliances []*iface
	// sent holds the interfaces that sent the packet on, whose outbound
	// rules are checked once the walk knows where it arrived.
	sent         []sentBy
	translations []translation
	pins         []pin
	// egressOnly holds the VPCs whose egress-only internet gateway the
	// request left through: the response comes back in through it
	// (V-07).
	egressOnly []*model.VPC
	// gwlbPassed holds the Gateway Load Balancer endpoints this packet
	// passed, and, on the response leg, gwlbRequest those the request
	// passed (V-23).
	gwlbPassed, gwlbRequest []gwlbPass
	visited                 []visit
	found                   *findings
}

func (w *walk) block(code string) { w.found.blockers[code] = true }
func (w *walk) warn(code string)  { w.found.warnings[code] = true }

// send starts the request at interface x.
func (w *walk) send(x *iface) arrival {
	if !x.running {
		w.block(codeNotRunning)
	}
	return w.routeFrom(x.subnet)
}

// routeFrom moves the packet on from subnet sn, where it is (S-10..S-16).
func (w *walk) routeFrom(sn *model.Subnet) arrival {
	v := w.n.vpcOfSubnet(sn)
	if sn.CIDRBlock.Contains(w.pkt.Dst) || sn.IPv6CIDRBlock.Contains(w.pkt.Dst) {
		// Between two interfaces of one subnet the packet is delivered at
		// layer 2, whatever the table says (S-16).
		return w.deliverInVPC(v, sn)
	}
	rt := routeTable(v, sn)
	if w.loops(tableID(v, rt)) {
		return drop
	}
	r, _ := lookup(w.n.vpcRoutes(v, rt), w.pkt.Dst)
	switch {
	case r == nil:
		w.block(codeNoRoute) // S-14
		return drop
	case r.blackhole:
		w.block(codeBadStateRoute) // S-13
		return drop
	case r.target == "local":
		return w.deliverInVPC(v, sn)
	case v.InternetGateway != "" && r.target == v.InternetGateway:
		return w.toInternetGateway(v, sn)
	case v.EgressOnlyInternetGateway != "" && r.target == v.EgressOnlyInternetGateway:
		return w.toEgressOnly(v, sn)
	}
	for _, x := range w.n.ifaces {
		if (x.id == r.target || (x.alias != "" && x.alias == r.target)) && x.vpc == v {
			if x.kind == kindNAT {
				return w.toNAT(x, sn)
			}
			return w.toAppliance(x, sn)
		}
	}
	if e := gwlbEndpoint(v, r.target); e != nil {
		return w.toGWLBEndpoint(e, v, sn)
	}
	for _, p := range w.n.m.PeeringConnections {
		if p.ID == r.target {
			return w.toPeering(p, v, sn)
		}
	}
	for i := range w.n.m.TransitGateways {
		if t := &w.n.m.TransitGateways[i]; t.ID == r.target {
			return w.toTransitGateway(t, v, sn)
		}
	}
	for _, e := range v.Endpoints {
		if e.ID == r.target {
			return w.toGatewayEndpoint(v, sn)
		}
	}
	// A route whose target no longer exists is a blackhole (S-13).
	w.block(codeBadStateRoute)
	return drop
}

// loops records a route lookup, and reports (and blocks on) a second
// lookup of the same destination in the same table (S-15).
func (w *walk) loops(table model.ID) bool {
	v := visit{table, w.pkt.Dst}
	if slices.Contains(w.visited, v) {
		w.block(codeLoop)
		return true
	}
	w.visited = append(w.visited, v)
	if len(w.visited) > 1000 {
		// Destinations change only at NAT gateways and internet
		// gateways, a bounded number of times: a walk this long is a bug.
		panic("oracle: a walk does not end")
	}
	return false
}

// deliverInVPC delivers the packet to the interface of VPC v that holds
// its destination, coming from subnet from (nil: from outside the VPC's
// subnets, over a peering or from a gateway endpoint).
func (w *walk) deliverInVPC(v *model.VPC, from *model.Subnet) arrival {
	x := w.n.holderIn(v, w.pkt.Dst)
	if x == nil {
		w.block(codeNotFound)
		return drop
	}
	w.crossACLs(from, x.subnet)
	if x.kind == kindNAT {
		return w.atNAT(x)
	}
	return w.arrive(x)
}

// arrive hands the packet to interface x: its security groups check a
// request (S-23), and a stopped instance receives nothing.
func (w *walk) arrive(x *iface) arrival {
	if w.leg == request {
		w.checkIngress(x)
	}
	if !x.running {
		w.block(codeNotRunning)
	}
	return arrival{kind: atInterface, iface: x, pkt: w.pkt}
}

// crossACLs applies the network ACLs of a subnet boundary: the outbound
// rules of the subnet the packet leaves and the inbound rules of the one it
// enters; nil is outside any subnet. Within one subnet no ACL applies
// (S-32).
func (w *walk) crossACLs(from, to *model.Subnet) {
	if from == to {
		return
	}
	if from != nil {
		w.checkACL(from, false)
	}
	if to != nil {
		w.checkACL(to, true)
	}
}

// checkACL applies the network ACL of subnet sn in one direction. A
// response goes to one port of a range (the client's ephemeral ports,
// S-33): blocked when every port is denied, a warning when some are.
func (w *walk) checkACL(sn *model.Subnet, ingress bool) {
	acl := w.n.networkACL(w.n.vpcOfSubnet(sn), sn)
	if w.leg == response && w.pkt.Protocol.HasPorts() {
		allowed, denied := 0, 0
		for _, port := range portSamples(w.ports, aclPortRanges(acl, ingress)) {
			p := w.pkt
			p.DstPort = port
			if ok, _, _ := aclDecide(acl, ingress, p); ok {
				allowed++
			} else {
				denied++
			}
		}
		switch {
		case allowed == 0:
			w.block(codeACL)
		case denied > 0:
			w.warn(codeACLPartialReturn)
		}
		return
	}
	allowed, partial, _ := aclDecide(acl, ingress, w.pkt)
	if !allowed {
		w.block(codeACL)
	}
	if partial {
		w.warn(codeACLPartialProto)
	}
}

// toInternetGateway sends the packet out of VPC v to the internet (S-60):
// only to a public destination. An IPv4 packet must come from a private
// address that has a public one, which takes its place; an IPv6 packet
// goes out as it is (V-06), from an address of the VPC's IPv6 blocks: the
// gateway translates nothing, and the internet would send the response
// to the VPC that owns the address, so it carries no other VPC's
// addresses out (centralized IPv6 egress needs NPTv6 on an appliance:
// AWS whitepaper "Building a Scalable and Secure Multi-VPC AWS Network
// Infrastructure", Centralized egress for IPv6).
func (w *walk) toInternetGateway(v *model.VPC, from *model.Subnet) arrival {
	w.crossACLs(from, nil)
	if !w.n.public(w.pkt.Dst) {
		w.block(codeIGWPrivateDst)
		return drop
	}
	if w.pkt.Dst.Is6() {
		if !w.ownV6Source(v) {
			w.block(codeIGWNoPublicIP)
			return drop
		}
		return w.overInternet()
	}
	var owner *iface
	for _, x := range w.n.ifaces {
		// A public or Elastic IP belongs to the interface's primary private
		// address (model: public_ip, elastic_ip).
		if x.vpc == v && x.primary().IsValid() && x.primary() == w.pkt.Src {
			owner = x
		}
	}
	if owner == nil || !owner.public.IsValid() {
		w.block(codeIGWNoPublicIP)
		return drop
	}
	w.pkt.Src = owner.public
	return w.overInternet()
}

// ownV6Source reports whether the packet's source is an IPv6 address of
// VPC v's blocks, which an internet gateway or an egress-only one carries
// out untranslated (V-06, V-07).
// A source in a block marked private is not carried: AWS drops private
// IPv6 addresses at the internet gateway edge (V-01).
func (w *walk) ownV6Source(v *model.VPC) bool {
	return inCIDRs(v.IPv6CIDRBlocks, w.pkt.Src) && w.n.public(w.pkt.Src)
}

// toEgressOnly sends an IPv6 packet out of VPC v through its egress-only
// internet gateway (V-07): a request goes out as it is (the gateway is
// stateful and lets its response back in); a response is a connection the
// internet (or another network through the internet) started, which the
// gateway does not carry.
func (w *walk) toEgressOnly(v *model.VPC, from *model.Subnet) arrival {
	w.crossACLs(from, nil)
	// The packet's own addresses first, as for an internet gateway; then
	// the connection's state (the engine's order: either drops it).
	if !w.n.public(w.pkt.Dst) {
		w.block(codeIGWPrivateDst)
		return drop
	}
	if !w.ownV6Source(v) {
		w.block(codeIGWNoPublicIP)
		return drop
	}
	if w.leg == response {
		w.block(codeReturnRoute)
		return drop
	}
	w.egressOnly = append(w.egressOnly, v)
	return w.overInternet()
}

// overInternet carries the packet across the internet: to the interface
// whose public IPv4 address it is for, or into the VPC whose IPv6 block
// holds its destination, else to an internet host.
func (w *walk) overInternet() arrival {
	w.internetCrossings++
	if w.pkt.Dst.Is6() {
		if v := w.n.v6Home(w.pkt.Dst); v != nil {
			return w.fromInternetV6(v)
		}
		return arrival{kind: atInternet, pkt: w.pkt}
	}
	if x := w.n.publicHolder(w.pkt.Dst); x != nil {
		return w.fromInternet(x)
	}
	return arrival{kind: atInternet, pkt: w.pkt}
}

// fromInternetV6 brings an IPv6 packet from the internet into VPC v, whose
// block holds its destination: through its internet gateway, untranslated,
// by the gateway's route table if it has one (V-25) and else by the local
// route to the interface that holds the address (V-06); an egress-only
// gateway lets in only the responses of connections that left through it
// (V-07).
func (w *walk) fromInternetV6(v *model.VPC) arrival {
	// The response to a request that left through the egress-only
	// gateway comes back through it (V-07); anything else comes in
	// through the internet gateway.
	viaEgressOnly := w.leg == response && slices.Contains(w.egressOnly, v)
	if v.InternetGateway == "" && !viaEgressOnly {
		w.block(codeNoIGW)
		return drop
	}
	x := w.n.holderIn(v, w.pkt.Dst)
	if x == nil {
		w.block(codeNotFound)
		return drop
	}
	// Only an internet gateway has a gateway route table (V-24): it
	// routes what comes in through it, IPv6 alike (V-25).
	if !viaEgressOnly {
		if a, ok := w.throughEdge(v, x); ok {
			return a
		}
	}
	w.crossACLs(nil, x.subnet)
	return w.arrive(x)
}

// fromInternet brings a packet for interface x's public address in
// through its VPC's internet gateway, which puts the private address in
// its place (S-60).
func (w *walk) fromInternet(x *iface) arrival {
	if x.vpc.InternetGateway == "" {
		w.block(codeNoIGW)
		return drop
	}
	w.pkt.Dst = x.primary()
	if a, ok := w.throughEdge(x.vpc, x); ok {
		return a
	}
	w.crossACLs(nil, x.subnet)
	if x.kind == kindNAT {
		return w.atNAT(x)
	}
	return w.arrive(x)
}

// toNAT sends the packet through NAT gateway x, which puts its own private
// address in place of the source and routes it on from its subnet (S-61).
// A NAT gateway carries tcp, udp and icmp only (VPC user guide, NAT
// gateway basics): "all traffic" includes the protocols it does not carry.
func (w *walk) toNAT(x *iface, from *model.Subnet) arrival {
	w.crossACLs(from, x.subnet)
	if w.pkt.Dst.Is6() {
		return w.toNAT64(x)
	}
	switch w.pkt.Protocol {
	case model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP:
	default:
		w.block(codeNATProtocol)
	}
	w.translations = append(w.translations, translation{nat: x, orig: w.pkt.Src})
	w.pkt.Src = x.primary()
	return w.routeFrom(x.subnet)
}

// atNAT handles a packet addressed to NAT gateway x: the response to a
// connection it translated is translated back; nothing else is accepted
// (S-61).
func (w *walk) atNAT(x *iface) arrival {
	if w.leg == response {
		for _, t := range w.translations {
			if t.nat == x {
				w.pkt.Dst = t.orig
				w.ports = w.clientPorts
				if t.nat64 {
					w.fromNAT64()
				}
				return w.routeFrom(x.subnet)
			}
		}
	}
	w.block(codeNATInbound)
	return drop
}

// toPeering sends the packet over peering connection p from VPC v: only
// an active peering passes traffic (S-40), and only between addresses of
// the two VPCs; in the peer it is delivered by the local route, never
// routed on (S-42).
func (w *walk) toPeering(p model.PeeringConnection, v *model.VPC, from *model.Subnet) arrival {
	w.crossACLs(from, nil)
	if p.Status != model.PeeringActive {
		w.block(codeBadState)
	}
	other := w.n.vpc(p.Other(v.ID))
	// IPv6 blocks alike (V-13).
	if !inCIDRs(v.AllCIDRBlocks(), w.pkt.Src) || !inCIDRs(other.AllCIDRBlocks(), w.pkt.Dst) {
		w.block(codePCXAddress)
		return drop
	}
	if v.Region != other.Region {
		w.regionCrossings++
	}
	return w.deliverInVPC(other, nil)
}

// toTransitGateway sends the packet from VPC v into transit gateway t,
// through the attachment's subnet in the zone of subnet from (S-51), whose
// ACL it crosses (S-35).
func (w *walk) toTransitGateway(t *model.TransitGateway, v *model.VPC, from *model.Subnet) arrival {
	var att *model.TGWAttachment
	for i := range t.Attachments {
		if a := &t.Attachments[i]; a.Type == model.AttachmentVPC && a.VPC == v.ID && att == nil {
			att = a
		}
	}
	var entry *model.Subnet
	for _, id := range att.Subnets {
		if sn := findSubnet(v, id); sn != nil && zone(sn) == zone(from) {
			entry = sn
		}
	}
	if entry == nil {
		w.block(codeTGWZone)
		return drop
	}
	w.crossACLs(from, entry)
	return w.throughTGW(t, att, zone(from))
}

// throughTGW routes a packet that entered transit gateway t from
// attachment att, in zone z (S-50, S-52, S-53).
func (w *walk) throughTGW(t *model.TransitGateway, att *model.TGWAttachment, z string) arrival {
	if att.State != model.AttachmentAvailable {
		w.block(codeBadAttachment)
	}
	var table *model.TGWRouteTable
	for i := range t.RouteTables {
		if t.RouteTables[i].ID == t.AssociationOf(*att) {
			table = &t.RouteTables[i]
		}
	}
	if table == nil {
		w.block(codeTGWNoAssociation) // S-50
		return drop
	}
	if w.loops(table.ID) {
		return drop
	}
	r, ambiguous := lookup(w.n.tgwRoutes(t, table), w.pkt.Dst)
	switch {
	case r == nil:
		w.block(codeTGWNoRoute)
		return drop
	case r.blackhole:
		w.block(codeTGWBlackhole)
		return drop
	case ambiguous:
		w.warn(codeTGWAmbiguous) // S-55
	}
	w.tgwCrossings++
	var out *model.TGWAttachment
	for i := range t.Attachments {
		if t.Attachments[i].ID == r.target {
			out = &t.Attachments[i]
		}
	}
	if !t.SecurityGroupReferencing || !att.ReferencingEnabled() || !out.ReferencingEnabled() {
		w.tgwWithoutRefs = true
	}
	if out.State != model.AttachmentAvailable {
		w.block(codeBadAttachment)
	}
	// The gateway enters the VPC through the attachment's subnet in the
	// packet's zone, else (vpcreach's choice) the first by zone name.
	v := w.n.vpc(out.VPC)
	var exit *model.Subnet
	for _, id := range out.Subnets {
		sn := findSubnet(v, id)
		if sn != nil && zone(sn) == z {
			exit = sn
		}
	}
	if exit == nil {
		for _, id := range out.Subnets {
			if sn := findSubnet(v, id); sn != nil && (exit == nil || sn.AZ < exit.AZ) {
				exit = sn
			}
		}
	}
	if exit == nil {
		w.block(codeTGWZone)
		return drop
	}
	// Appliance mode keeps both directions of a flow on one subnet of the
	// attachment.
	if w.leg == response && out.ApplianceMode {
		for _, p := range w.pins {
			if p.attachment == out.ID {
				exit = p.subnet
			}
		}
	} else if w.leg == request {
		w.pins = append(w.pins, pin{out.ID, exit})
	}
	// Traffic entering a VPC from its attachment is routed by the
	// attachment subnet's table (S-53).
	return w.routeFrom(exit)
}

// toGatewayEndpoint delivers the packet to the AWS service behind a gateway
// endpoint of VPC v (S-70): it serves only the VPC's own addresses (IPv6
// ones too, V-30), and carries tcp and ICMP echo only. S-70 names ICMP
// (protocol 1), which V-11 keeps apart from ICMPv6: an ICMPv6 echo is not
// carried (the rules say no more about it).
func (w *walk) toGatewayEndpoint(v *model.VPC, from *model.Subnet) arrival {
	w.crossACLs(from, nil)
	if !inCIDRs(v.AllCIDRBlocks(), w.pkt.Src) {
		w.block(codeEndpointFromPeer)
	}
	if !(w.pkt.Protocol == model.ProtocolTCP || (w.pkt.Protocol == model.ProtocolICMP && w.pkt.ICMPType == 8)) {
		w.block(codeEndpointProtocol)
	}
	return arrival{kind: atService, vpc: v, pkt: w.pkt}
}

// toAppliance routes the packet to network interface x, a middlebox
// (S-15): the interface must be attached to a running instance (else the
// route is a blackhole), and with its source/destination check on it drops
// what is not addressed to it. It forwards the packet by its own subnet's
// table.
func (w *walk) toAppliance(x *iface, from *model.Subnet) arrival {
	if x.instance == "" || !x.running {
		w.block(codeBadStateRoute)
		return drop
	}
	w.crossACLs(from, x.subnet)
	if x.holds(w.pkt.Dst) {
		// The packet is for the appliance itself: it has arrived.
		return w.arrive(x)
	}
	if x.sourceDestCheck && !x.holds(w.pkt.Dst) {
		w.block(codeSourceDestCheck)
	}
	// An appliance that forwarded the request passes the response as part
	// of a connection it tracks. To any other, the packet is new traffic:
	// its security groups check it both ways (S-23), and a response there
	// is dropped by a stateful appliance that did not see the request (a
	// warning).
	if w.leg == request || !slices.Contains(w.requestAppliances, x) {
		if w.leg == response && !slices.ContainsFunc(w.requestAppliances, func(a *iface) bool { return a.host() == x.host() }) {
			w.warn(codeApplianceAsymmetry)
		}
		w.checkIngress(x)
		w.sent = append(w.sent, sentBy{x, w.pkt, w.tgwCrossings, w.regionCrossings, w.internetCrossings})
	}
	w.passed = append(w.passed, x)
	return w.routeFrom(x.subnet)
}

// checkIngress checks the packet against the inbound rules of interface
// x. A reference matches the interface that sent it (S-22), unless a
// peering between regions, a transit gateway without group referencing,
// the internet or an appliance came between: behind a middlebox, a rule that
// references the source's group does not admit the traffic the appliance
// forwarded (S-18).
func (w *walk) checkIngress(x *iface) {
	refs := w.regionCrossings == 0 && !w.tgwWithoutRefs && w.internetCrossings == 0
	if len(w.passed) > 0 {
		refs = false
	}
	w.checkGroups(x, true, w.pkt, w.source, refs)
}

// sentBy is an interface that sent the packet on (the source, or an
// appliance), the packet as it sent it, and how many transit gateways and
// peerings between regions the packet had crossed then: its outbound
// rules are checked once the walk knows where the packet arrived.
type sentBy struct {
	iface                                            *iface
	pkt                                              Packet
	tgwCrossings, regionCrossings, internetCrossings int
}

// checkEgress checks the outbound rules of every interface that sent the
// packet on, now that the walk knows where it arrived: a reference
// matches the interface it arrived at, unless a transit gateway (outbound
// references never match across one), a peering between regions or the
// internet came after (S-22). A NAT gateway after does not matter: it rewrites the
// source, not the destination; nor does an appliance after (S-18 is
// about the destination's inbound rules: AWS's middlebox note speaks of
// references "as the source").
func (w *walk) checkEgress(arr arrival) {
	var peer *iface
	if arr.kind == atInterface {
		peer = arr.iface
	}
	for _, s := range w.sent {
		refs := w.tgwCrossings == s.tgwCrossings && w.regionCrossings == s.regionCrossings && w.internetCrossings == s.internetCrossings
		w.checkGroups(s.iface, false, s.pkt, peer, refs)
	}
}

// checkGroups checks packet p against interface x's security groups in
// one direction. peer is the interface on the other side, whose groups a
// reference matches when the packet's address there is one of its private
// addresses, primary or secondary, and the path preserves references
// (refs) (S-22). A response must pass on every port it may go to.
func (w *walk) checkGroups(x *iface, ingress bool, p Packet, peer *iface, refs bool) {
	addr := p.Dst
	if ingress {
		addr = p.Src
	}
	if peer != nil && !peer.holds(addr) {
		peer = nil
	}
	ports := []uint16{p.DstPort}
	if w.leg == response && p.Protocol.HasPorts() {
		ports = portSamples(w.ports, groupPortRanges(w.n.securityGroups(x)))
	}
	allow := func(peerGroups []model.ID) bool {
		for _, port := range ports {
			q := p
			q.DstPort = port
			if !w.n.groupsAllow(x, ingress, q, peerGroups) {
				return false
			}
		}
		return true
	}
	var peerGroups []model.ID
	if peer != nil && refs {
		peerGroups = peer.groups
	}
	if allow(peerGroups) {
		return
	}
	code := codeSGMismatch
	if peer != nil && !refs && allow(peer.groups) {
		// A rule references a group of the peer, but the path does not
		// preserve references (S-22); a transit gateway without group
		// referencing says so (outbound references never match across
		// one), unless an appliance forwarded the request before: where
		// both stop references, the engine names the appliance (S-18),
		// which referencing on the gateway would not fix.
		code = codeRefsNotPreserved
		forwarded := ingress && w.leg == request && len(w.passed) > 0
		if w.tgwWithoutRefs && (ingress || w.tgwCrossings == 0) && !forwarded {
			code = codeRefsUnsupported
		}
	}
	w.block(code)
}
