package solver

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// InternetHost returns the address a query for "internet" uses when no
// rule of the model narrows the public address space around it:
// 198.51.100.1, from a documentation range. When a rule does name it (a
// topology may use that range as an "office"), the query uses an address of
// the largest stretch of public space that no route or rule of the model
// names, so that "internet" means an arbitrary host, never a trusted one.
// Name a public address instead to ask about a particular host.
func InternetHost() netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, 1}) }

// ErrInvalidQuery is wrapped by the error of every invalid query.
var ErrInvalidQuery = errors.New("invalid query")

// resolve turns a query endpoint into an origin: an interface (by id or
// address), the internet, or an external network. As a destination
// (dest), a private address no interface holds is accepted too: the walk
// shows where routing takes it.
func (s *Solver) resolve(spec string, dest bool) (origin, error) {
	ep, err := parseEndpoint(spec)
	if err != nil {
		return origin{}, err
	}
	return s.resolveEndpoint(ep, dest)
}

// resolveEndpoint is resolve for a parsed endpoint.
func (s *Solver) resolveEndpoint(ep endpoint, dest bool) (origin, error) {
	switch ep.kind {
	case endpointInternet:
		return origin{kind: termInternet, eni: -1, ext: -1, addr: s.internetHost()}, nil
	case endpointAddress:
		return s.resolveAddress(ep, dest)
	}
	t := ep.text
	if ei, ok := s.eni[model.ID(t)]; ok {
		e := &s.enis[ei]
		return origin{kind: termENI, eni: ei, ext: -1, addr: e.primary}, nil
	}
	if _, ok := s.nodes[model.ID(t)]; ok && !dest {
		return origin{}, fmt.Errorf("%w: %s is a load balancer or endpoint; as a source, name an instance, network interface, address, internet or external network", ErrInvalidQuery, t)
	}
	if i := s.externalIndex(model.ID(t)); i >= 0 {
		e := s.externals[i]
		if len(e.CIDRs) == 0 {
			return origin{}, fmt.Errorf("%w: external network %s has no CIDRs", ErrInvalidQuery, t)
		}
		return origin{kind: termExternal, eni: -1, ext: i, addr: e.CIDRs[0].Addr().Next()}, nil
	}
	kinds := s.x.Kind(model.ID(t))
	if kinds != model.KindUnknown {
		return origin{}, fmt.Errorf("%w: %s is a %s; as an endpoint, name an instance, network interface, address, internet or external network (load balancers, endpoints and names come with service reachability)", ErrInvalidQuery, t, kinds)
	}
	named, ok, err := s.idForName(t)
	if err != nil {
		return origin{}, err
	}
	if ok {
		o, err := s.resolveEndpoint(endpoint{kind: endpointName, text: string(named)}, dest)
		return o, byName(err, t, named)
	}
	cands := append(s.x.IDs(model.KindInstance, model.KindNetworkInterface, model.KindNATGateway, model.KindExternalNetwork), string(Internet))
	cands = append(cands, s.x.NamedResources()...)
	if sug := model.Suggest(t, cands); sug != "" {
		return origin{}, fmt.Errorf("%w: %q is not an id, address or name this model knows (did you mean %q?)", ErrInvalidQuery, t, sug)
	}
	return origin{}, fmt.Errorf("%w: %q is not an id, address or name this model knows", ErrInvalidQuery, t)
}

// resolveAddress resolves an address, or ADDRESS@VPC-ID. As a
// destination, an address of 64:ff9b::/96 stands for the IPv4 address it
// embeds, reached through NAT64 (V-16): the origin of that address, with
// the IPv6 one to send to.
func (s *Solver) resolveAddress(ep endpoint, dest bool) (origin, error) {
	a := ep.addr
	if v4, ok := nat64Embedded(a); ok && dest {
		ep.addr = v4
		o, err := s.resolveAddress(ep, dest)
		o.addr = a
		return o, err
	}
	if ep.vpc != "" {
		vi, ok := s.vpcByID[ep.vpc]
		if !ok {
			return origin{}, fmt.Errorf("%w: unknown VPC %q in %q", ErrInvalidQuery, ep.vpc, ep.text)
		}
		if ei, ok := s.vpcs[vi].addrs[a]; ok {
			return origin{kind: termENI, eni: ei, ext: -1, addr: a}, nil
		}
		return origin{}, fmt.Errorf("%w: no network interface in %s holds %s", ErrInvalidQuery, ep.vpc, a)
	}
	var found []int32
	if e, ok := s.owner(a); ok && e >= 0 {
		found = []int32{e}
	} else if ok {
		for vi := range s.vpcs {
			if ei, ok := s.vpcs[vi].addrs[a]; ok {
				found = append(found, ei)
			}
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
	if ei, ok := s.publicHolder(a); ok {
		// A public address names the interface that holds it; as a
		// destination it is reached over the internet.
		return origin{kind: termENI, eni: ei, ext: -1, addr: a}, nil
	}
	for i, e := range s.externals {
		if inCIDRs(e.CIDRs, a) {
			return origin{kind: termExternal, eni: -1, ext: i, addr: a}, nil
		}
	}
	if vpc := s.vpcOfIPv6(a); vpc >= 0 {
		// An address of a VPC's IPv6 block is the VPC's, not an internet
		// host's, though no interface holds it (V-06).
		if dest {
			return origin{kind: termDropped, eni: -1, ext: -1, addr: a}, nil
		}
		return origin{}, fmt.Errorf("%w: no network interface of %s holds %s", ErrInvalidQuery, s.vpcs[vpc].m.ID, a)
	}
	if s.publicAddress(a) {
		return origin{kind: termInternet, eni: -1, ext: -1, addr: a}, nil
	}
	if dest {
		return origin{kind: termDropped, eni: -1, ext: -1, addr: a}, nil
	}
	return origin{}, fmt.Errorf("%w: no network interface, external network or internet host has address %s", ErrInvalidQuery, a)
}

// namesAddress reports whether a query end is written as an address
// (ADDRESS or ADDRESS@VPC) rather than an id or name.
func namesAddress(spec string) bool {
	ep, err := parseEndpoint(spec)
	return err == nil && ep.kind == endpointAddress
}

func (s *Solver) externalIndex(id model.ID) int {
	for i, e := range s.externals {
		if e.ID == id {
			return i
		}
	}
	return -1
}

// echoRequest returns the ICMP type of an echo request: 8 for icmp, 128
// for icmpv6 (V-11).
func echoRequest(p model.Protocol) int16 {
	if p == model.ProtocolICMPv6 {
		return 128
	}
	return 8
}

// icmpResponse returns the ICMP type of the reply to a request type of
// protocol p (icmp or icmpv6, V-11).
func icmpResponse(p model.Protocol, t int16) int16 {
	if p == model.ProtocolICMPv6 {
		if t == 128 {
			return 129 // echo request -> echo reply
		}
		return t
	}
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
func (s *Solver) Reach(q Query) Result { return s.withNames(s.reachQuery(q, explainRec{})) }

// Reachable reports whether q's flow passes, as Reach's verdict says,
// recording nothing of the path: the cheapest question to ask in bulk.
func (s *Solver) Reachable(q Query) bool { return s.reachQuery(q, verdictRec{}).Reachable() }

// Trace answers q as Reach does, verdict, hops and codes alike, but
// records only what identifies the path: each hop's kind, component,
// decision and direction, and each blocker's and warning's code,
// component and leg. It leaves out rule text, messages, positions and
// names, which makes it several times faster than Reach: it is for
// comparing the paths of many flows (the diff asks it for every flow that
// passes on both sides of a change). On a network with assumed addresses
// (assumed_ips) it answers as Reach does, because whether a
// decision rests on an assumed address is worked out with the words.
func (s *Solver) Trace(q Query) Result {
	if len(s.assumed) > 0 {
		return s.Reach(q)
	}
	return s.reachQuery(q, traceRec{})
}

// reachQuery answers a query, its walks recorded by rec: explainRec for
// Reach, verdictRec (no hops, no messages) for the whole-network analyses
// that need verdicts only: a verdict-only walk stops once the request is
// blocked, so its blockers are not all of them.
func (s *Solver) reachQuery(q Query, rec recorder) Result {
	res := Result{Query: q}
	if err := q.Validate(); err != nil {
		res.Verdict, res.Err = VerdictInvalidQuery, err
		return res
	}
	src, err := s.resolve(q.From, false)
	return s.reachFrom(q, src, err, rec)
}

// reachFrom is reachQuery once q is valid and its source resolved (src,
// or the error resolving it): the whole-network analyses resolve a source
// they ask about many times once.
func (s *Solver) reachFrom(q Query, src origin, err error, rec recorder) Result {
	res := Result{Query: q}
	if err == nil && src.kind == termENI && s.enis[src.eni].public == src.addr {
		// A source named by its public address sends from its private one.
		src.addr = s.enis[src.eni].primary
	}
	if err != nil {
		res.Verdict, res.Err = VerdictInvalidQuery, err
		return res
	}
	dst, dres, err := s.resolveDestination(q.To, src)
	if err == nil && src.kind == termInternet && dst.kind == termInternet {
		err = fmt.Errorf("%w: both ends are on the internet, outside every VPC: name an instance, network interface, address or external network for one of them", ErrInvalidQuery)
	}
	if err != nil {
		res.Verdict, res.Err = VerdictInvalidQuery, err
		return res
	}
	if len(dres.blockers) > 0 {
		res.Forward, res.Blockers, res.Warnings = dres.hops, dres.blockers, dres.warnings
		res.Verdict = VerdictUnreachable
		return res
	}
	plans := s.familyPlans(q, src, dst, dres)
	switch len(plans) {
	case 0:
		return s.noCommonFamily(res, q, src, dst, dres)
	case 1:
		r := s.reachFamily(res, q, plans[0].src, plans[0].dst, plans[0].dres, rec)
		r.Family, r.Translation = plans[0].family, plans[0].translation()
		if plans[0].nat64 && !r.Reachable() {
			r = s.noFamilyNote(r, plans[0].src, plans[0].dst)
		}
		return r
	}
	per := make([]Result, len(plans))
	shown := -1
	for i, p := range plans {
		per[i] = s.reachFamily(res, q, p.src, p.dst, p.dres, rec)
		per[i].Family, per[i].Translation = p.family, p.translation()
		if shown < 0 && per[i].Reachable() {
			shown = i
		}
	}
	out := per[max(shown, 0)]
	out.Families = per
	return out
}

// reachFamily answers a query whose ends are resolved to addresses of one
// family.
func (s *Solver) reachFamily(res Result, q Query, src, dst origin, dres resolution, rec recorder) Result {
	if src.kind == termInternet && dst.kind == termENI && dst.addr == s.enis[dst.eni].primary && s.enis[dst.eni].public.IsValid() && !namesAddress(q.To) {
		// From the internet, an interface named by id is addressed at its
		// public address.
		dst.addr = s.enis[dst.eni].public
	}
	eph := q.Ephemeral
	if eph == (model.PortRange{}) {
		eph = DefaultEphemeral()
	}
	pkt := sgeval.Packet{Src: src.addr, Dst: dst.addr, Protocol: q.Protocol, DstPort: q.Port, SrcPort: eph.First}
	if q.Protocol.IsICMP() {
		pkt.ICMPType, pkt.ICMPCode = echoRequest(q.Protocol), 0
		if q.ICMP != nil {
			pkt.ICMPType, pkt.ICMPCode = int16(max(q.ICMP.Type, 0)), int16(max(q.ICMP.Code, 0))
		}
	}

	res.Warnings = dres.warnings
	if rec.words() && len(s.assumed) > 0 {
		for _, end := range []string{q.From, q.To} {
			if x, ok := s.namesAssumed(end); ok {
				res.Warnings = append(slices.Clip(res.Warnings), x)
			}
		}
	}
	if len(dres.answers) <= 1 {
		return s.reach(res, src, dst, pkt, eph, dres.hops, dres.service, rec)
	}
	// Clients use every address of a name or load balancer. Walk to each
	// (the preferred one first): if all pass, show the preferred path; if
	// some fail, show a passing path and warn about the others; if all
	// fail, show the preferred one's blockers. DNS failover takes some
	// addresses out (dnsFailsOver).
	var all []tried
	add := func(o origin) {
		for _, t := range all {
			if t.o.addr == o.addr && t.o.eni == o.eni {
				return
			}
		}
		p := pkt
		p.Dst = o.addr
		r := res
		r.Warnings = append([]Warning(nil), res.Warnings...)
		all = append(all, tried{o, s.reach(r, src, o, p, eph, dres.hops, dres.service, rec)})
	}
	add(dst)
	for i, a := range dres.answers {
		if i < 8 {
			add(s.answerOrigin(a))
		}
	}
	shown := -1
	for i, t := range all {
		if t.res.Reachable() {
			shown = i
			break
		}
	}
	if shown < 0 {
		return all[0].res
	}
	out := all[shown].res
	for i, t := range all {
		if i == shown || t.res.Reachable() || s.dnsFailsOver(t) {
			continue
		}
		var cs []string
		for _, b := range t.res.Blockers {
			cs = append(cs, b.Code.String())
		}
		comp := model.ID(t.o.addr.String())
		if t.o.eni >= 0 {
			comp = s.enis[t.o.eni].id
		}
		out.Warnings = append(out.Warnings, Warning{Code: AlternateAddressUnreachable, Component: comp, Leg: LegForward,
			Message: fmt.Sprintf("%s also answers at %s, which is unreachable (%s): connections there fail", q.To, t.o.addr, strings.Join(cs, ", "))})
		out.Verdict = VerdictReachableWithWarnings
	}
	return out
}

// tried is one address of a destination with several, and its answer.
type tried struct {
	o   origin
	res Result
}

// dnsFailsOver reports whether DNS stops handing out the address t tried:
// a network load balancer node whose zone has no healthy target (cross-zone
// off) is taken out of the load balancer's DNS name while other zones have
// healthy targets (NLB guide, health checks: DNS failover).
func (s *Solver) dnsFailsOver(t tried) bool {
	if t.o.eni < 0 || s.enis[t.o.eni].kind != eniLBNode {
		return false
	}
	// DNS drops the node for its zone's health, whatever else would block
	// traffic through it.
	return slices.ContainsFunc(t.res.Blockers, func(b Blocker) bool { return b.Code == ELBV2NoTargetsInAZ })
}

// segment is one stretch of a path walked through the VPC fabric: from
// the source to its destination, or from a load balancer node to a target.
type segment struct {
	fw   *walker
	term terminal
	src  origin
	// sentTo is the destination address of the segment's request.
	sentTo netip.Addr
	// returnTo, when valid, is where the response goes (a load balancer
	// node, whatever source the target saw).
	returnTo netip.Addr
	// returnAfter are service hops shown on the return path after this
	// segment's response.
	returnAfter []Hop
	// node is the load balancer node a target answers, and preserved is
	// set when the target saw the client's address (client IP
	// preservation): the response is then addressed to the client, and
	// the network ACLs check it so, while the load balancer carries it.
	node      int32
	preserved bool
}

// reach walks the request segment by segment, through load balancers and
// endpoints, then the responses in reverse order, and decides the verdict.
// prefix holds hops (DNS resolution) to show before the forward path.
func (s *Solver) reach(res Result, src, dst origin, pkt sgeval.Packet, eph model.PortRange, prefix []Hop, service string, rec recorder) Result {
	fw := newWalker(walker{s: s, leg: LegForward, pkt: pkt, ephemeral: eph, srcENI: -1, egressHop: -1, service: service, rec: rec})
	defer releaseWalker(fw)
	if src.kind == termENI {
		fw.srcENI = src.eni
	}
	term := fw.start(src, dst)
	if dst.kind == termENI && term.kind == termENI && term.eni != dst.eni {
		// Overlapping address spaces: the routes led to another holder of
		// the address (S-41).
		got, want := &s.enis[term.eni], &s.enis[dst.eni]
		fw.block(DestinationNotFound, got.id, "", got.src.Position, func() string {
			return fmt.Sprintf("the packet for %s is delivered to %s in %s, not to %s in %s: the routes lead to the other holder of the address", dst.addr, got.id, s.vpcs[got.vpc].m.ID, want.id, s.vpcs[want.vpc].m.ID)
		})
		term.kind = termDropped
	}
	fw.finishEgress(pkt, src, term)
	// prefix is shared by the walks to every answer of a name: clipped, so
	// that appending copies it instead of writing another answer's hops
	// into its spare capacity.
	res.Forward = append(slices.Clip(prefix), fw.hops...)
	res.Blockers, res.Warnings = fw.blockers, append(res.Warnings, fw.warnings...)
	if _, verdictOnly := rec.(verdictRec); verdictOnly && len(res.Blockers) > 0 {
		// The request is blocked: whatever the response or a load
		// balancer's next segment meets, the verdict is unreachable. A
		// verdict-only walk stops here (what grows with IPv6: a global
		// address makes the request arrive, through the internet, where
		// an IPv4 one is dropped for want of a route, and the response
		// was walked back before the verdict was read).
		res.Verdict = VerdictUnreachable
		return res
	}
	segs := []*segment{{fw: fw, term: term, src: src, sentTo: pkt.Dst}}
	for len(segs) < 8 && term.kind == termENI {
		st := s.afterArrival(term.eni, term.pkt)
		if st == nil {
			break
		}
		res.Forward = append(res.Forward, st.hops...)
		res.Blockers = append(res.Blockers, st.blockers...)
		res.Warnings = append(res.Warnings, st.warnings...)
		last := segs[len(segs)-1]
		if st.service || !st.next {
			if !st.service {
				term.kind = termDropped
			}
			break
		}
		next := s.lbSegment(st, term.pkt, eph, rec)
		last.returnAfter = st.returnHops
		next.fw.finishEgress(next.fw.first, next.src, next.term)
		res.Forward = append(res.Forward, next.fw.hops...)
		res.Blockers = append(res.Blockers, next.fw.blockers...)
		res.Warnings = append(res.Warnings, next.fw.warnings...)
		segs = append(segs, next)
		term = next.term
		for _, other := range st.others {
			if !s.segmentWorks(st, other, term.pkt, eph) {
				res.Warnings = append(res.Warnings, Warning{Code: ELBV2TargetUnreachable, Component: s.enis[other.eni].id, Leg: LegForward,
					Message: fmt.Sprintf("%s is an eligible target of %s too, but traffic to it on port %d is blocked: some connections fail (S-81)", s.enis[other.eni].id, s.enis[st.node].id, other.port)})
			}
		}
	}
	if term.kind != termDropped {
		for i := len(segs) - 1; i >= 0; i-- {
			sg := segs[i]
			rw := s.returnWalk(sg, eph, pkt, rec)
			res.Return = append(res.Return, rw.hops...)
			res.Blockers = append(res.Blockers, rw.blockers...)
			res.Warnings = append(res.Warnings, rw.warnings...)
			releaseWalker(rw)
			if i > 0 {
				res.Return = append(res.Return, segs[i-1].returnAfter...)
			}
		}
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

// verdictWalkers holds the walkers of verdict-only walks (verdictRec)
// between uses. The whole-network analyses walk hundreds of thousands of
// requests and responses for their verdicts alone (a dual-stack network
// of 5,000 VPCs: 200,000 for exposure), and a walker is 800 bytes: kept,
// they are that much less garbage for the collector to chase through a
// heap of a gigabyte.
var verdictWalkers = sync.Pool{New: func() any { return new(walker) }}

// newWalker returns w on the heap: a pooled walker for a verdict-only
// walk, to be given back with releaseWalker once nothing reads it.
func newWalker(w walker) *walker {
	var p *walker
	if _, ok := w.rec.(verdictRec); ok {
		p = verdictWalkers.Get().(*walker)
	} else {
		p = new(walker)
	}
	*p = w // copied: taking w's address would move every w to the heap
	return p
}

// releaseWalker gives back a walker newWalker pooled. The result of the
// walk keeps the walker's slices, not the walker: the next user starts
// from a new walker value and shares none of them.
func releaseWalker(w *walker) {
	if _, ok := w.rec.(verdictRec); ok {
		*w = walker{}
		verdictWalkers.Put(w)
	}
}

// lbSegment walks the request from a load balancer node to the target the
// service step chose.
func (s *Solver) lbSegment(st *serviceStep, arrived sgeval.Packet, eph model.PortRange, rec recorder) *segment {
	pkt := arrived
	pkt.Src, pkt.Dst, pkt.DstPort = st.src, st.targetAddr, st.port
	w := &walker{s: s, leg: LegForward, pkt: pkt, first: pkt, ephemeral: eph, srcENI: st.node, egressHop: -1, lbSource: true, rec: rec}
	nodeAddr := st.nodeAddr
	if !nodeAddr.IsValid() {
		nodeAddr = s.enis[st.node].primary
	}
	if st.preserved {
		w.preservedFrom = nodeAddr
	}
	src := origin{kind: termENI, eni: st.node, ext: -1, addr: st.src}
	term := w.fromENI(st.node)
	return &segment{fw: w, term: term, src: src, sentTo: st.targetAddr, returnTo: nodeAddr, node: st.node, preserved: st.preserved}
}

// segmentWorks reports whether the request and response between a load
// balancer node and another eligible target pass (verdicts only).
func (s *Solver) segmentWorks(st *serviceStep, target lbTarget, arrived sgeval.Packet, eph model.PortRange) bool {
	if target.eni < 0 {
		return true
	}
	alt := *st
	alt.target, alt.targetAddr, alt.port = target.eni, target.addr, target.port
	sg := s.lbSegment(&alt, arrived, eph, verdictRec{})
	sg.fw.finishEgress(sg.fw.first, sg.src, sg.term)
	if len(sg.fw.blockers) > 0 || sg.term.kind == termDropped {
		return false
	}
	return len(s.returnWalk(sg, eph, arrived, verdictRec{}).blockers) == 0
}

// returnWalk walks the response of one segment back to its source.
func (s *Solver) returnWalk(sg *segment, eph model.PortRange, req sgeval.Packet, rec recorder) *walker {
	rw := newWalker(walker{s: s, leg: LegReturn, ephemeral: eph, clientEph: eph, srcENI: -1, egressHop: -1, nat: sg.fw.nat, boxes: sg.fw.boxes, pins: sg.fw.pins, gwlb: slices.Clone(sg.fw.gwlb), egressOnly: sg.fw.egressOnly, rec: rec})
	if sg.term.kind == termENI {
		// An appliance that did not see the request matches references
		// to the interface that answers (S-22).
		rw.srcENI = sg.term.eni
	}
	if len(sg.fw.nat) > 0 {
		// Beyond a NAT gateway the response returns to the gateway's own
		// source ports, 1024-65535, until it is translated back (S-33).
		rw.ephemeral = DefaultEphemeral()
	}
	if sg.returnTo.IsValid() && !sg.preserved {
		// A load balancer node talks to its targets from its own ports,
		// 1024-65535 (S-33).
		rw.ephemeral = DefaultEphemeral()
	}
	rw.pkt = sg.term.pkt
	rw.pkt.Src, rw.pkt.Dst = sg.term.pkt.Dst, sg.term.pkt.Src
	if sg.returnTo.IsValid() && !sg.preserved {
		rw.pkt.Dst = sg.returnTo
	}
	rw.pkt.DstPort = rw.ephemeral.First
	if req.Protocol.IsICMP() {
		p, t := req.Protocol, req.ICMPType
		if sg.term.pkt.Protocol != p && sg.term.pkt.Protocol.IsICMP() {
			// NAT64 made an ICMPv6 echo an ICMP one (V-16): the server
			// answers in ICMP.
			p, t = sg.term.pkt.Protocol, sg.term.pkt.ICMPType
		}
		rw.pkt.ICMPType = icmpResponse(p, t)
	}
	var rterm terminal
	if sg.preserved && sg.term.kind == termENI {
		rterm = rw.toLoadBalancerNode(sg.term.eni, sg.node, sg.returnTo)
	} else {
		rterm = rw.startReturn(sg.term)
	}
	rw.finishApplianceEgress(rterm)
	rw.gwlbReturned(rterm)
	want := sg.src
	if sg.returnTo.IsValid() {
		want.addr = sg.returnTo
	}
	rw.checkReturn(want, sg.sentTo, rterm)
	return rw
}

// toLoadBalancerNode walks a target's response to a client whose address
// it saw (client IP preservation): addressed to the client, it must pass
// the network ACLs of the target's subnet and the node's as such, and the
// load balancer, which tracks the connection, takes it back (S-81, S-33).
func (w *walker) toLoadBalancerNode(target, node int32, nodeAddr netip.Addr) terminal {
	t, n := &w.s.enis[target], &w.s.enis[node]
	w.hop(Hop{Component: t.id, Kind: eniHopKind(t), Decision: DecisionSend, Rule: w.say(func() string { return string(t.id) + " answers " + w.flow() }), Pos: t.src.Position, Subnet: w.subnetID(t.subnet)})
	w.crossACLs(t.subnet, n.subnet)
	w.hop(Hop{Component: n.id, Kind: HopLoadBalancer, Decision: DecisionDeliver, Rule: w.say(func() string { return "the load balancer takes the response back: " + n.describe() }), Subnet: w.subnetID(n.subnet)})
	pkt := w.pkt
	pkt.Dst = nodeAddr
	return terminal{kind: termENI, eni: node, vpc: n.vpc, ext: -1, pkt: pkt}
}

// start begins the forward walk at the source.
func (w *walker) start(src, dst origin) terminal {
	switch src.kind {
	case termENI:
		if dst.kind == termENI && dst.eni == src.eni {
			w.hop(Hop{Component: w.s.enis[src.eni].id, Kind: eniHopKind(&w.s.enis[src.eni]), Decision: DecisionDeliver, Rule: "source and destination are the same interface", Subnet: w.subnetID(w.s.enis[src.eni].subnet)})
			return terminal{kind: termENI, eni: src.eni, ext: -1, pkt: w.pkt}
		}
		return w.fromENI(src.eni)
	case termInternet:
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionSend, Rule: w.say(func() string { return "internet host " + src.addr.String() + " sends " + w.flow() })})
		w.loseRefs(refsInternet)
		if dst.kind == termENI && w.s.enis[dst.eni].public != w.pkt.Dst && !(w.pkt.Dst.Is6() && w.s.publicAddress(w.pkt.Dst) && w.s.enis[dst.eni].holds(w.pkt.Dst)) {
			e := &w.s.enis[dst.eni]
			if e.public.IsValid() {
				w.block(DestinationNotFound, e.id, "", e.src.Position, func() string {
					return fmt.Sprintf("%s is a private address; from the internet, %s is reached at its public address %s", w.pkt.Dst, e.id, e.public)
				})
			} else {
				w.block(NoPublicAddress, e.id, "", e.src.Position, func() string {
					return fmt.Sprintf("%s has no public IPv4 or Elastic IP: nothing on the internet can address it (S-60)%s", e.id, w.s.privateNote(w.pkt.Dst))
				})
			}
			return w.drop(e.id, eniHopKind(e), "not addressable from the internet", e.src.Position)
		}
		if !w.s.publicAddress(w.pkt.Dst) {
			w.block(DestinationNotFound, Internet, "", model.Position{}, func() string {
				return fmt.Sprintf("%s is not a public address: the internet carries no packet to it, and reaches a VPC's interfaces at their public addresses only (S-60)", w.pkt.Dst)
			})
			return w.drop(Internet, HopInternet, w.say(func() string { return "no public address " + w.pkt.Dst.String() }), model.Position{})
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
	w.loseRefs(refsExternal)
	w.hop(Hop{Component: e.ID, Kind: HopExternalNetwork, Decision: DecisionSend, Rule: w.say(func() string { return fmt.Sprintf("%s sends %s", e.ID, w.flow()) }), Pos: e.Source.Position})
	if att := w.s.atts[e.Via]; att != nil {
		return w.throughTGW(att, "")
	}
	// A virtual private gateway delivers into its VPC only.
	for vi := range w.s.vpcs {
		if w.s.vpcs[vi].m.VPNGateway == e.Via {
			w.hop(Hop{Component: e.Via, Kind: HopVPNGateway, Decision: DecisionForward, Rule: w.say(func() string { return "into " + string(w.s.vpcs[vi].m.ID) })})
			if !inCIDRs(w.s.vpcs[vi].m.AllCIDRBlocks(), w.pkt.Dst) {
				w.block(NoRouteToDestination, e.Via, "", e.Source.Position, func() string {
					return fmt.Sprintf("virtual private gateway %s delivers only inside %s, not to %s", e.Via, w.s.vpcs[vi].m.ID, w.pkt.Dst)
				})
				return w.drop(e.Via, HopVPNGateway, "destination outside the VPC", model.Position{})
			}
			if t := w.s.edge[e.Via]; t != nil {
				// Ingress routing: the gateway's route table decides (V-25).
				return w.throughEdge(t, int32(vi), e.Via)
			}
			return w.deliverInVPC(int32(vi), -1)
		}
	}
	w.block(NoRouteToDestination, e.Via, "", e.Source.Position, func() string {
		return fmt.Sprintf("external network %s is reached through %s, which is attached to nothing", e.ID, e.Via)
	})
	return w.drop(e.Via, HopUnknown, "not attached", model.Position{})
}

// finishEgress checks the security group egress of the source and of the
// appliances that sent the packet on, once the walk knows where the packet
// went (for group references, S-22).
func (w *walker) finishEgress(sent sgeval.Packet, src origin, term terminal) {
	w.finishApplianceEgress(term)
	if w.egressHop < 0 {
		return
	}
	if term.kind == termDNS {
		// Security groups cannot block traffic to the Route 53 Resolver,
		// the instance metadata service or Time Sync (EC2 user guide,
		// "Security group rules"; S-34 names ACLs only).
		w.rec.setHop(w, w.egressHop, Hop{Component: w.s.enis[src.eni].id, Kind: HopSecurityGroup, Direction: "egress", Decision: DecisionAllow,
			Rule: w.say(func() string {
				return "security groups do not filter traffic to " + linkLocalName(sent.Dst) + " (S-34)"
			})})
		return
	}
	// The egress check sees the packet as it left the source.
	saved := w.pkt
	w.pkt = sent
	peer, peerENI := w.egressPeer(term, 0)
	h := w.checkSG(src.eni, sgeval.Egress, peer, peerENI)
	w.rec.setHop(w, w.egressHop, h)
	w.pkt = saved
}

// startReturn begins the response's walk where the request arrived.
func (w *walker) startReturn(t terminal) terminal {
	switch t.kind {
	case termENI:
		return w.fromENI(t.eni)
	case termDNS:
		w.hop(Hop{Component: serviceComponent(w.s.vpcs[t.vpc].m.ID, w.pkt.Src), Kind: serviceHopKind(w.pkt.Src), Decision: DecisionSend, Rule: w.say(func() string { return linkLocalName(w.pkt.Src) + " answers" })})
		return w.deliverInVPC(t.vpc, -1)
	case termService:
		// The service answers through the gateway endpoint, into the VPC.
		w.hop(Hop{Component: t.via, Kind: HopGatewayEndpoint, Decision: DecisionForward, Rule: "response from the service"})
		return w.deliverInVPC(t.vpc, -1)
	case termInternet:
		w.hop(Hop{Component: Internet, Kind: HopInternet, Decision: DecisionSend, Rule: w.say(func() string { return "internet host " + w.pkt.Src.String() + " answers" })})
		w.returnVia = t.via
		return w.overInternet(Internet)
	case termExternal:
		if t.ext >= 0 {
			return w.fromExternal(t.ext, -1)
		}
		if att := w.s.atts[t.via]; att != nil {
			return w.throughTGW(att, "")
		}
	}
	w.block(ReturnRouteMissing, "", "", model.Position{}, func() string { return "the response has no way back" })
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
		w.block(ReturnRouteMissing, w.lastComponent(), "", model.Position{}, func() string {
			return fmt.Sprintf("the response is routed to %s instead of back to the source: the return route differs from the request's path (S-43)", w.arrivalName(t))
		})
		return
	}
	if t.pkt.Src != sentTo {
		w.block(ReturnRouteMissing, w.lastComponent(), "", model.Position{}, func() string {
			return fmt.Sprintf("the response arrives from %s, not from %s where the request was sent, so the source does not match it to its connection (asymmetric path)", t.pkt.Src, sentTo)
		})
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

// resolveDestination turns a query's destination into an origin: what
// resolve accepts, and load balancers and endpoints by id, endpoint
// services by id or name (through the source VPC's endpoint), the names
// of resources (idForName), AWS services (s3, com.amazonaws.REGION.s3)
// and DNS names, resolved from the source's VPC, in that order. The
// resolution's hops lead the forward path; its blockers make the
// answer unreachable.
//
// A source in a subnet with DNS64 on gets the AAAA records the Resolver
// synthesises for a name (or a load balancer's or endpoint's name) that
// has IPv4 answers only (V-17).
func (s *Solver) resolveDestination(spec string, src origin) (origin, resolution, error) {
	o, r, err := s.resolveRecords(spec, src)
	if err == nil && src.kind == termENI && len(r.answers) > 0 {
		s.dns64(&r, spec, s.subnets[s.enis[src.eni].subnet].m)
	}
	return o, r, err
}

// resolveRecords is resolveDestination without DNS64.
func (s *Solver) resolveRecords(spec string, src origin) (origin, resolution, error) {
	var r resolution
	ep, err := parseEndpoint(spec)
	if err != nil {
		return origin{}, r, err
	}
	if ep.kind != endpointName {
		o, err := s.resolveEndpoint(ep, true)
		return o, r, err
	}
	t := ep.text
	srcVPC, srcSubnet := int32(-1), int32(-1)
	if src.kind == termENI {
		srcVPC, srcSubnet = s.enis[src.eni].vpc, s.enis[src.eni].subnet
	}
	id := model.ID(t)
	if _, ok := s.nodes[id]; ok {
		r.answers = s.nodeAnswers(id, false)
		return s.pick(r.answers, src), r, nil
	}
	if svc := s.services[t]; svc != nil {
		if srcVPC < 0 {
			return origin{}, r, fmt.Errorf("%w: endpoint service %s is reached through an interface endpoint in the source's VPC; name a source in a VPC", ErrInvalidQuery, t)
		}
		for i := range s.vpcs[srcVPC].m.Endpoints {
			ep := &s.vpcs[srcVPC].m.Endpoints[i]
			if ep.Type != model.EndpointGateway && svc.Serves(ep.Service) && len(s.nodes[ep.ID]) > 0 {
				r.hop(ep.ID, fmt.Sprintf("%s -> interface endpoint %s of %s", t, ep.ID, s.vpcs[srcVPC].m.ID), ep.Source.Position)
				r.answers = s.nodeAnswers(ep.ID, false)
				return s.pick(r.answers, src), r, nil
			}
		}
		r.block(VPCENoEndpointInVPC, s.vpcs[srcVPC].m.ID, s.vpcs[srcVPC].m.Source.Position,
			"%s has no interface endpoint to endpoint service %s (S-71)", s.vpcs[srcVPC].m.ID, svc.ID)
		return origin{}, r, nil
	}
	named, ok, err := s.idForName(t)
	if err != nil {
		return origin{}, r, err
	}
	if ok {
		o, r, err := s.resolveDestination(string(named), src)
		return o, r, byName(err, t, named)
	}
	name := ""
	switch {
	case model.IsServiceShortName(t):
		region := ""
		if srcVPC >= 0 {
			region = s.vpcs[srcVPC].m.Region
		} else if len(s.vpcs) > 0 {
			region = s.vpcs[0].m.Region
		}
		name = serviceDNSName("com.amazonaws." + region + "." + t)
	case strings.HasPrefix(t, "com.amazonaws."):
		name = serviceDNSName(t)
		if name == "" {
			return origin{}, r, fmt.Errorf("%w: %q is not an AWS service name (com.amazonaws.REGION.SERVICE)", ErrInvalidQuery, t)
		}
	}
	if name == "" && strings.Contains(t, ".") && s.x.Kind(id) == model.KindUnknown {
		// A DNS name: addresses were parsed above, and an id with dots
		// (a Terraform address, aws_instance.db) names its resource.
		name = t
	}
	if name == "" {
		o, err := s.resolveEndpoint(ep, true)
		return o, r, err
	}
	r = s.resolveName(name, asker{vpc: srcVPC, subnet: srcSubnet})
	if len(r.blockers) > 0 || len(r.answers) == 0 {
		return origin{}, r, nil
	}
	return s.pick(r.answers, src), r, nil
}

// pick chooses among a name's answers the one a client in src would use:
// an interface in its own zone when there is one, else the first.
func (s *Solver) pick(answers []answer, src origin) origin {
	best := answers[0]
	if src.kind == termENI {
		for _, a := range answers {
			if a.eni < 0 {
				continue
			}
			if same, ok := s.eniZones(a.eni, src.eni); same && ok {
				best = a
				break
			}
		}
	}
	return s.answerOrigin(best)
}

// answerOrigin turns one answer into a destination.
func (s *Solver) answerOrigin(a answer) origin {
	if a.eni >= 0 {
		return origin{kind: termENI, eni: a.eni, ext: -1, addr: a.addr}
	}
	o, err := s.resolve(a.addr.String(), true)
	if err != nil {
		return origin{kind: termDropped, eni: -1, ext: -1, addr: a.addr}
	}
	return o
}
