package solver

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// InternetHost is the address a query uses for "internet": an arbitrary
// host on the internet (198.51.100.1, from a documentation range, so that
// no rule names it by chance). Name a public address instead to ask about a
// particular host.
var InternetHost = netip.MustParseAddr("198.51.100.1")

// ErrInvalidQuery is wrapped by the error of every invalid query.
var ErrInvalidQuery = errors.New("invalid query")

// resolve turns a query endpoint into an origin: an interface (by id or
// address), the internet, or an external network. As a destination
// (dest), a private address no interface holds is accepted too: the walk
// shows where routing takes it.
func (s *Solver) resolve(spec string, dest bool) (origin, error) {
	t := strings.TrimSpace(spec)
	if t == "" {
		return origin{}, fmt.Errorf("%w: empty endpoint", ErrInvalidQuery)
	}
	if t == string(Internet) {
		return origin{kind: termInternet, eni: -1, ext: -1, addr: InternetHost}, nil
	}
	if ei, ok := s.eni[model.ID(t)]; ok {
		e := &s.enis[ei]
		return origin{kind: termENI, eni: ei, ext: -1, addr: e.primary}, nil
	}
	if i := s.externalIndex(model.ID(t)); i >= 0 {
		e := s.externals[i]
		if len(e.CIDRs) == 0 {
			return origin{}, fmt.Errorf("%w: external network %s has no CIDRs", ErrInvalidQuery, t)
		}
		return origin{kind: termExternal, eni: -1, ext: i, addr: e.CIDRs[0].Addr().Next()}, nil
	}
	addrText, vpcText, qualified := strings.Cut(t, "@")
	a, err := netip.ParseAddr(addrText)
	if err != nil || !a.Is4() {
		kinds := s.x.Kind(model.ID(t))
		if kinds != model.KindUnknown {
			return origin{}, fmt.Errorf("%w: %s is a %s; as an endpoint, name an instance, network interface, address, internet or external network (load balancers, endpoints and names come with service reachability)", ErrInvalidQuery, t, kinds)
		}
		cands := append(s.x.IDs(model.KindInstance, model.KindNetworkInterface, model.KindNATGateway, model.KindExternalNetwork), string(Internet))
		if sug := model.Suggest(t, cands); sug != "" {
			return origin{}, fmt.Errorf("%w: %q is not an id, address or name this model knows (did you mean %q?)", ErrInvalidQuery, t, sug)
		}
		return origin{}, fmt.Errorf("%w: %q is not an id, address or name this model knows", ErrInvalidQuery, t)
	}
	if qualified {
		vi, ok := s.vpcByID[model.ID(vpcText)]
		if !ok {
			return origin{}, fmt.Errorf("%w: unknown VPC %q in %q", ErrInvalidQuery, vpcText, t)
		}
		if ei, ok := s.vpcs[vi].addrs[a]; ok {
			return origin{kind: termENI, eni: ei, ext: -1, addr: a}, nil
		}
		return origin{}, fmt.Errorf("%w: no network interface in %s holds %s", ErrInvalidQuery, vpcText, a)
	}
	var found []int32
	for vi := range s.vpcs {
		if ei, ok := s.vpcs[vi].addrs[a]; ok {
			found = append(found, ei)
		}
	}
	switch {
	case len(found) == 1:
		return origin{kind: termENI, eni: found[0], ext: -1, addr: a}, nil
	case len(found) > 1:
		var where []string
		for _, ei := range found {
			where = append(where, fmt.Sprintf("%s@%s", a, s.vpcs[s.enis[ei].vpc].m.ID))
		}
		return origin{}, fmt.Errorf("%w: %s is held in several VPCs (overlapping address spaces); write one of %s", ErrInvalidQuery, a, strings.Join(where, ", "))
	}
	if ei, ok := s.public[a]; ok {
		// A public address names the interface that holds it; as a
		// destination it is reached over the internet.
		return origin{kind: termENI, eni: ei, ext: -1, addr: a}, nil
	}
	for i, e := range s.externals {
		if inCIDRs(e.CIDRs, a) {
			return origin{kind: termExternal, eni: -1, ext: i, addr: a}, nil
		}
	}
	if !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() && !a.IsMulticast() && !a.IsUnspecified() && !sharedAddressSpace.Contains(a) {
		return origin{kind: termInternet, eni: -1, ext: -1, addr: a}, nil
	}
	if dest {
		return origin{kind: termDropped, eni: -1, ext: -1, addr: a}, nil
	}
	return origin{}, fmt.Errorf("%w: no network interface, external network or internet host has address %s", ErrInvalidQuery, a)
}

var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

func (s *Solver) externalIndex(id model.ID) int {
	for i, e := range s.externals {
		if e.ID == id {
			return i
		}
	}
	return -1
}

// icmpResponse returns the ICMP type of the reply to a request type.
func icmpResponse(t int16) int16 {
	switch t {
	case 8:
		return 0 // echo -> echo reply
	case 13:
		return 14 // timestamp -> timestamp reply
	case 15:
		return 16
	case 17:
		return 18
	}
	return t
}

// Reach answers whether the query's source can reach its destination: the
// request must arrive and the response return. The result holds both paths
// hop by hop and every blocker on them. Reach is safe for concurrent use.
func (s *Solver) Reach(q Query) Result {
	res := Result{Query: q}
	if q.Protocol == 0 {
		res.Verdict, res.Err = VerdictInvalidQuery, fmt.Errorf("%w: no protocol", ErrInvalidQuery)
		return res
	}
	if q.Protocol.HasPorts() && q.Port == 0 {
		res.Verdict, res.Err = VerdictInvalidQuery, fmt.Errorf("%w: %s needs a port", ErrInvalidQuery, q.Protocol)
		return res
	}
	src, err := s.resolve(q.From, false)
	if err == nil && src.kind == termENI && s.enis[src.eni].public == src.addr {
		// A source named by its public address sends from its private one.
		src.addr = s.enis[src.eni].primary
	}
	var dst origin
	if err == nil {
		dst, err = s.resolve(q.To, true)
	}
	if err != nil {
		res.Verdict, res.Err = VerdictInvalidQuery, err
		return res
	}
	if src.kind == termInternet && dst.kind == termENI && dst.addr == s.enis[dst.eni].primary && s.enis[dst.eni].public.IsValid() {
		// From the internet, an interface named by id is addressed at its
		// public address.
		dst.addr = s.enis[dst.eni].public
	}
	eph := q.Ephemeral
	if eph == (model.PortRange{}) {
		eph = DefaultEphemeral
	}
	pkt := sgeval.Packet{Src: src.addr, Dst: dst.addr, Protocol: q.Protocol, DstPort: q.Port, SrcPort: eph.First}
	if q.Protocol.IsICMP() {
		pkt.ICMPType, pkt.ICMPCode = 8, 0
		if q.ICMP != nil {
			pkt.ICMPType, pkt.ICMPCode = int16(max(q.ICMP.Type, 0)), int16(max(q.ICMP.Code, 0))
		}
	}

	fw := &walker{s: s, leg: LegForward, pkt: pkt, ephemeral: eph, srcENI: -1, refOK: true, egressHop: -1}
	if src.kind == termENI {
		fw.srcENI = src.eni
	}
	term := fw.start(src, dst)
	fw.finishEgress(pkt, src, term)
	res.Forward, res.Blockers, res.Warnings = fw.hops, fw.blockers, fw.warnings

	if term.kind != termDropped {
		rw := &walker{s: s, leg: LegReturn, ephemeral: eph, srcENI: -1, egressHop: -1, nat: fw.nat}
		rw.pkt = term.pkt
		rw.pkt.Src, rw.pkt.Dst = term.pkt.Dst, term.pkt.Src
		rw.pkt.DstPort = eph.First
		if q.Protocol.IsICMP() {
			rw.pkt.ICMPType = icmpResponse(pkt.ICMPType)
		}
		rterm := rw.startReturn(term)
		rw.checkReturn(src, pkt.Dst, rterm)
		res.Return = rw.hops
		res.Blockers = append(res.Blockers, rw.blockers...)
		res.Warnings = append(res.Warnings, rw.warnings...)
	}
	switch {
	case len(res.Blockers) > 0:
		res.Verdict = VerdictUnreachable
	case len(res.Warnings) > 0:
		res.Verdict = VerdictReachableWithWarnings
	default:
		res.Verdict = VerdictReachable
	}
	return res
}

// start begins the forward walk at the source.
func (w *walker) start(src, dst origin) terminal {
	switch src.kind {
	case termENI:
		if dst.kind == termENI && dst.eni == src.eni {
			w.hop(Hop{Component: w.s.enis[src.eni].id, Kind: eniHopKind(&w.s.enis[src.eni]), Decision: DecisionDeliver, Rule: "source and destination are the same interface"})
			return terminal{kind: termENI, eni: src.eni, ext: -1, pkt: w.pkt}
		}
		return w.fromENI(src.eni)
	case termInternet:
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionSend, Rule: "internet host " + src.addr.String() + " sends " + w.flow()})
		w.refOK = false
		if dst.kind == termENI && w.s.enis[dst.eni].public != w.pkt.Dst {
			e := &w.s.enis[dst.eni]
			if e.public.IsValid() {
				w.block(DestinationNotFound, e.id, "", e.src.Position, "%s is a private address; from the internet, %s is reached at its public address %s", w.pkt.Dst, e.id, e.public)
			} else {
				w.block(IGWPublicIPAssociationForEgress, e.id, "", e.src.Position, "%s has no public IPv4 or Elastic IP: nothing on the internet can address it (S-60)", e.id)
			}
			return w.drop(e.id, eniHopKind(e), "not addressable from the internet", e.src.Position)
		}
		return w.overInternet(Internet)
	case termExternal:
		return w.fromExternal(src.ext, -1)
	}
	return terminal{kind: termDropped, ext: -1}
}

// fromExternal brings a packet from external network i into AWS, through
// the gateway or attachment it is reached by.
func (w *walker) fromExternal(i int, az int) terminal {
	e := w.s.externals[i]
	w.refOK = false
	w.hop(Hop{Component: e.ID, Kind: HopExternalNetwork, Decision: DecisionSend, Rule: fmt.Sprintf("%s sends %s", e.ID, w.flow()), Pos: e.Source.Position})
	if att := w.s.atts[e.Via]; att != nil {
		return w.throughTGW(att, "")
	}
	// A virtual private gateway delivers into its VPC only.
	for vi := range w.s.vpcs {
		if w.s.vpcs[vi].m.VPNGateway == e.Via {
			w.hop(Hop{Component: e.Via, Kind: HopVPNGateway, Decision: DecisionForward, Rule: "into " + string(w.s.vpcs[vi].m.ID)})
			if !inCIDRs(w.s.vpcs[vi].m.CIDRBlocks, w.pkt.Dst) {
				w.block(NoRouteToDestination, e.Via, "", e.Source.Position, "virtual private gateway %s delivers only inside %s, not to %s", e.Via, w.s.vpcs[vi].m.ID, w.pkt.Dst)
				return w.drop(e.Via, HopVPNGateway, "destination outside the VPC", model.Position{})
			}
			return w.deliverInVPC(int32(vi), -1)
		}
	}
	w.block(NoRouteToDestination, e.Via, "", e.Source.Position, "external network %s is reached through %s, which is attached to nothing", e.ID, e.Via)
	return w.drop(e.Via, HopUnknown, "not attached", model.Position{})
}

// finishEgress checks the source's security group egress, once the walk
// knows where the packet went (for group references, S-22).
func (w *walker) finishEgress(sent sgeval.Packet, src origin, term terminal) {
	if w.egressHop < 0 {
		return
	}
	peerENI := int32(-1)
	if term.kind == termENI {
		peerENI = term.eni
	}
	// The egress check sees the packet as it left the source.
	saved := w.pkt
	w.pkt = sent
	peer := sgeval.Peer{Addr: w.pkt.Dst}
	if peerENI >= 0 && w.refOK && w.s.enis[peerENI].primary == w.pkt.Dst {
		peer.Groups = w.s.enis[peerENI].refs
	}
	w.hops[w.egressHop] = w.checkSG(src.eni, sgeval.Egress, peer, peerENI)
	w.pkt = saved
}

// startReturn begins the response's walk where the request arrived.
func (w *walker) startReturn(t terminal) terminal {
	switch t.kind {
	case termENI:
		return w.fromENI(t.eni)
	case termDNS:
		w.hop(Hop{Component: model.ID(string(w.s.vpcs[t.vpc].m.ID) + "/dns"), Kind: HopDNSResolver, Decision: DecisionSend, Rule: "the resolver answers"})
		return w.deliverInVPC(t.vpc, -1)
	case termService:
		// The service answers through the gateway endpoint, into the VPC.
		w.hop(Hop{Component: t.via, Kind: HopGatewayEndpoint, Decision: DecisionForward, Rule: "response from the service"})
		return w.deliverInVPC(t.vpc, -1)
	case termInternet:
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionSend, Rule: "internet host " + w.pkt.Src.String() + " answers"})
		return w.overInternet(Internet)
	case termExternal:
		if t.ext >= 0 {
			return w.fromExternal(t.ext, -1)
		}
		if att := w.s.atts[t.via]; att != nil {
			return w.throughTGW(att, "")
		}
	}
	w.block(ReturnRouteMissing, "", "", model.Position{}, "the response has no way back")
	return terminal{kind: termDropped, ext: -1}
}

// checkReturn checks that the response arrived back at the source, from
// the address the source sent to (S-43: routes needed both ways).
func (w *walker) checkReturn(src origin, sentTo netip.Addr, t terminal) {
	if t.kind == termDropped {
		return
	}
	ok := t.kind == src.kind
	switch {
	case ok && src.kind == termENI:
		ok = t.eni == src.eni
	case ok && src.kind == termExternal:
		ok = t.ext == src.ext || (t.ext < 0 && w.s.externals[src.ext].Via == t.via)
	}
	if !ok {
		w.block(ReturnRouteMissing, w.lastComponent(), "", model.Position{}, "the response is routed to %s instead of back to the source: the return route differs from the request's path (S-43)", w.arrivalName(t))
		return
	}
	if t.pkt.Src != sentTo {
		w.block(ReturnRouteMissing, w.lastComponent(), "", model.Position{}, "the response arrives from %s, not from %s where the request was sent, so the source does not match it to its connection (asymmetric path)", t.pkt.Src, sentTo)
	}
}

func (w *walker) lastComponent() model.ID {
	for i := len(w.hops) - 1; i >= 0; i-- {
		if w.hops[i].Kind == HopRouteTable || w.hops[i].Kind == HopTGWRouteTable {
			return w.hops[i].Component
		}
	}
	return ""
}

func (w *walker) arrivalName(t terminal) string {
	switch t.kind {
	case termENI:
		return w.s.enis[t.eni].describe()
	case termInternet:
		return "the internet"
	case termExternal:
		if t.ext >= 0 {
			return string(w.s.externals[t.ext].ID)
		}
		return "the network behind " + string(t.via)
	case termService:
		return "an AWS service"
	case termDNS:
		return "the DNS resolver"
	}
	return "nowhere"
}
