package solver

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"sync"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
)

// outIPv6 sends an IPv6 packet out of VPC vi through gateway gw, an
// internet gateway (kind HopInternetGateway) or an egress-only one: the
// destination must be a global address, and the source an address of an
// interface of the VPC, which goes out as it is, with no translation
// (V-06, V-07).
func (w *walker) outIPv6(vi *vpcInfo, gw model.ID, pos model.Position, kind HopKind) terminal {
	if gw == "" {
		w.block(NoInternetGateway, vi.m.ID, "", vi.m.Source.Position, func() string {
			return fmt.Sprintf("%s has no internet gateway (S-60)", vi.m.ID)
		})
		return w.drop(vi.m.ID, kind, "no internet gateway", model.Position{})
	}
	if !w.s.publicAddress(w.pkt.Dst) {
		w.block(IGWDestinationAddressNotInRFC1918Egress, gw, "", pos, func() string {
			if _, ok := nat64Embedded(w.pkt.Dst); ok {
				return fmt.Sprintf("%s is in %s, NAT64's prefix, which the internet does not route; %s drops it: route the prefix to a NAT gateway (V-16)", w.pkt.Dst, model.NAT64Prefix(), gw)
			}
			return fmt.Sprintf("%s is not a global IPv6 address; %s drops it (V-06)%s", w.pkt.Dst, gw, w.s.privateNote(w.pkt.Dst))
		})
		return w.drop(gw, kind, "not a global destination", model.Position{})
	}
	w.taint()
	if _, ok := vi.addrs[w.pkt.Src]; !ok || !w.s.publicAddress(w.pkt.Src) {
		w.block(IGWPublicIPAssociationForEgress, gw, "", pos, func() string {
			return fmt.Sprintf("%s is not a global IPv6 address of an interface of %s, so %s drops its traffic (V-06)%s", w.pkt.Src, vi.m.ID, gw, w.s.privateNote(w.pkt.Src))
		})
		return w.drop(gw, kind, w.say(func() string { return "source " + w.pkt.Src.String() + " is not the VPC's" }), model.Position{})
	}
	rule := "IPv6: the source address goes out as it is, no translation (V-06)"
	if kind == HopEgressOnlyGateway {
		rule = "IPv6 out; only responses come back (V-07)"
		if w.leg == LegReturn {
			// A response leaving to the internet answers a connection the
			// internet started (through an internet gateway): the
			// egress-only gateway keeps no state for it.
			w.block(ReturnRouteMissing, gw, "", pos, func() string {
				return fmt.Sprintf("the response is routed to egress-only internet gateway %s, which carries no traffic of a connection the internet started (V-07)", gw)
			})
			return w.drop(gw, kind, "not a connection the VPC started (V-07)", pos)
		}
	}
	if kind == HopEgressOnlyGateway {
		w.egressOnly = append(w.egressOnly, gw)
	}
	w.hop(Hop{Component: gw, Kind: kind, Decision: DecisionForward, Rule: w.say(func() string { return rule }), Pos: pos})
	w.loseRefs(refsInternet)
	// Nor do outbound references of what sent the packet match across the
	// internet, though the destination is untranslated (S-22).
	w.refBarriers++
	return w.overInternet(gw)
}

// toEgressOnlyGateway sends the packet out of VPC vpc through its
// egress-only internet gateway (V-07).
func (w *walker) toEgressOnlyGateway(vpc int32, from int32) terminal {
	vi := &w.s.vpcs[vpc]
	w.crossACLs(from, -1)
	return w.outIPv6(vi, vi.m.EgressOnlyInternetGateway, vi.m.Source.Field("egress_only_internet_gateway").Position, HopEgressOnlyGateway)
}

// inIPv6 brings an IPv6 packet from the internet to interface ei, which
// holds its destination: through the VPC's internet gateway, as it is
// (V-06), or, for a response to what left through the egress-only
// internet gateway, through that (V-07). An egress-only gateway lets in
// nothing the internet starts.
func (w *walker) inIPv6(ei int32) terminal {
	e := &w.s.enis[ei]
	vi := &w.s.vpcs[e.vpc]
	igw, eigw := vi.m.InternetGateway, vi.m.EgressOnlyInternetGateway
	viaIGW := false
	switch {
	case w.leg == LegReturn && eigw != "" && (w.returnVia == eigw || slices.Contains(w.egressOnly, eigw)):
		w.hop(Hop{Component: eigw, Kind: HopEgressOnlyGateway, Decision: DecisionForward, Rule: w.say(func() string { return "response to a connection the VPC started (V-07)" }),
			Pos: vi.m.Source.Field("egress_only_internet_gateway").Position})
	case igw != "":
		viaIGW = true
		w.hop(Hop{Component: igw, Kind: HopInternetGateway, Decision: DecisionForward, Rule: w.say(func() string { return "IPv6: to " + w.pkt.Dst.String() + " as it is, no translation (V-06)" }),
			Pos: vi.m.Source.Field("internet_gateway").Position})
	case eigw != "":
		w.block(NoInternetGateway, eigw, "", vi.m.Source.Field("egress_only_internet_gateway").Position, func() string {
			return fmt.Sprintf("%s holds global IPv6 address %s, but %s has only egress-only internet gateway %s, which lets in no connection started from the internet (V-07)", e.id, w.pkt.Dst, vi.m.ID, eigw)
		})
		return w.drop(eigw, HopEgressOnlyGateway, "no connection started from the internet (V-07)", model.Position{})
	default:
		w.block(NoInternetGateway, vi.m.ID, "", vi.m.Source.Position, func() string {
			return fmt.Sprintf("%s holds global IPv6 address %s, but %s has no internet gateway (S-60)", e.id, w.pkt.Dst, vi.m.ID)
		})
		return w.drop(vi.m.ID, HopInternetGateway, "no internet gateway", model.Position{})
	}
	w.loseRefs(refsInternet)
	if t := w.s.edge[igw]; viaIGW && t != nil {
		// Ingress routing: the internet gateway's route table decides
		// for IPv6 as for IPv4 (V-24, V-25); an egress-only gateway has
		// no gateway route table.
		return w.throughEdge(t, e.vpc, igw)
	}
	w.crossACLs(-1, e.subnet)
	return w.arriveAt(ei)
}

// vpcOfIPv6 returns the VPC one of whose IPv6 blocks holds a, or -1: the
// internet carries a packet for an address of a VPC's IPv6 block to that
// VPC, whether or not an interface holds the address (V-01, V-06).
func (s *Solver) vpcOfIPv6(a netip.Addr) int32 {
	if !a.Is6() {
		return -1
	}
	x := s.ipv6BlockIndex()
	best := int32(-1)
	for _, bits := range x.lens {
		p, err := a.Prefix(bits)
		if err != nil {
			continue
		}
		if vi, ok := x.byBlock[p]; ok && (best < 0 || vi < best) {
			best = vi
		}
	}
	return best
}

// ipv6Blocks finds the VPC of an IPv6 address by its blocks: for each
// length the blocks have, the first VPC (in the model's order) with a
// block of that length, by block. An organisation's exposure asks it for
// every public atom; scanning every VPC's blocks made that quadratic.
type ipv6Blocks struct {
	once    sync.Once
	lens    []int
	byBlock map[netip.Prefix]int32
}

// ipv6BlockIndex returns the index of the VPCs' IPv6 blocks, built on
// first use.
func (s *Solver) ipv6BlockIndex() *ipv6Blocks {
	x := &s.v6blocks
	x.once.Do(func() {
		x.byBlock = map[netip.Prefix]int32{}
		for vi := range s.vpcs {
			for _, b := range s.vpcs[vi].m.IPv6CIDRBlocks {
				b = b.Masked()
				if _, ok := x.byBlock[b]; !ok {
					x.byBlock[b] = int32(vi)
				}
				if !slices.Contains(x.lens, b.Bits()) {
					x.lens = append(x.lens, b.Bits())
				}
			}
		}
	})
	return x
}

// inIPv6Unheld brings an IPv6 packet from the internet towards VPC vpc,
// whose block holds its destination but no interface of which holds the
// address: it comes in through the internet gateway and is delivered to
// nothing (V-06); without an internet gateway, it does not come in.
func (w *walker) inIPv6Unheld(vpc int32) terminal {
	vi := &w.s.vpcs[vpc]
	if vi.m.InternetGateway == "" {
		w.block(NoInternetGateway, vi.m.ID, "", vi.m.Source.Position, func() string {
			return fmt.Sprintf("%s is an address of %s's IPv6 block, but %s has no internet gateway to let it in (V-06, V-07)", w.pkt.Dst, vi.m.ID, vi.m.ID)
		})
		return w.drop(vi.m.ID, HopInternetGateway, "no internet gateway", model.Position{})
	}
	if ei, ok := vi.addrs[w.pkt.Dst]; ok {
		// An interface endpoint's or an internal load balancer's IPv6
		// address is global, but the internet does not reach it (S-82,
		// V-30, V-33).
		e := &w.s.enis[ei]
		w.block(NoPublicAddress, e.id, "", e.src.Position, func() string {
			what := "interface endpoint"
			if e.lb != nil {
				what = "internal load balancer"
			}
			return fmt.Sprintf("%s is an IPv6 address of %s %s, which the internet does not reach (S-82, V-33)", w.pkt.Dst, what, e.id)
		})
		return w.drop(e.id, eniHopKind(e), "not reached from the internet", e.src.Position)
	}
	w.block(DestinationNotFound, vi.m.ID, "", vi.m.Source.Position, func() string {
		return fmt.Sprintf("no network interface in %s holds %s", vi.m.ID, w.pkt.Dst)
	})
	return w.drop(vi.m.ID, HopUnknown, w.say(func() string { return "no interface holds " + w.pkt.Dst.String() }), model.Position{})
}

// familyPlan is one address family a query is answered for, with its
// ends' addresses of that family.
type familyPlan struct {
	family   string
	src, dst origin
	// dres is the destination's resolution as seen for this family: the
	// answers of the family, and the hops that lead to them (V-15).
	dres resolution
	// nat64 is set for the plan of ends with no family in common that
	// sends IPv6 to the destination's NAT64 address (nat64Plan).
	nat64 bool
}

// familyPlans returns the families a query is answered for, IPv4 first:
// those both ends have (only q.Family, when set). An end written as an address has its family; an
// instance or network interface named by id has those of its addresses;
// "internet" has both; a destination that resolves to addresses (a DNS
// name, a load balancer or an endpoint) has the families of its answers:
// a name's A records give IPv4, its AAAA records IPv6 (V-15); an
// external network named by id has the families of its prefixes (V-35);
// every other end (services) is IPv4 (V-03).
func (s *Solver) familyPlans(q Query, src, dst origin, dres resolution) []familyPlan {
	srcFams := s.endFamilies(q.From, src)
	dstFams := s.endFamilies(q.To, dst)
	if len(dres.answers) > 0 {
		dstFams = dres.families()
	}
	var out []familyPlan
	for _, f := range []string{FamilyIPv4, FamilyIPv6} {
		if !slices.Contains(srcFams, f) || !slices.Contains(dstFams, f) || (q.Family != "" && q.Family != f) {
			continue
		}
		if (q.Protocol == model.ProtocolICMP && f == FamilyIPv6) || (q.Protocol == model.ProtocolICMPv6 && f == FamilyIPv4) {
			// icmp is IPv4's, icmpv6 IPv6's (V-11).
			continue
		}
		p := familyPlan{family: f, src: s.originOf(src, f), dres: dres}
		if len(dres.answers) > 0 {
			// The destination is the answer of the family the client
			// picks, a synthesised one for DNS64 (V-17).
			p.dres = dres.forFamily(f)
			p.dst = s.pick(p.dres.answers, p.src)
		} else {
			p.dst = s.originOf(dst, f)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		if p, ok := s.nat64Plan(q, src, dst, dres); ok {
			out = append(out, p)
		}
	}
	return out
}

// nat64Plan returns the plan of a query whose ends have no family in
// common, from an IPv6-only interface towards an end with an IPv4
// address only that the query names directly (an interface by id or
// address, an IPv4 address, an external network): the client sends over
// IPv6 to the destination's address under 64:ff9b::/96, which a route
// may take to a NAT gateway's NAT64 (V-03, V-16). A destination that
// resolves through DNS is not one: its records are what the client has
// (DNS64, V-17). Nor is a dual-stack source, which uses IPv4; nor a query
// for IPv4 or for icmp, IPv4's protocol (V-11). With DNS64 off on the
// source's subnet, the answer warns that the client needs the address
// from elsewhere (DNS64_DISABLED).
func (s *Solver) nat64Plan(q Query, src, dst origin, dres resolution) (familyPlan, bool) {
	if src.kind != termENI || len(dres.answers) > 0 || q.Family == FamilyIPv4 || q.Protocol == model.ProtocolICMP {
		return familyPlan{}, false
	}
	e := &s.enis[src.eni]
	if e.primary.IsValid() || len(e.v6) == 0 || !slices.Equal(s.endFamilies(q.To, dst), []string{FamilyIPv4}) {
		return familyPlan{}, false
	}
	d := s.originOf(dst, FamilyIPv4)
	if !d.addr.Is4() {
		return familyPlan{}, false
	}
	d.addr = nat64Addr(d.addr)
	p := familyPlan{family: FamilyIPv6, src: s.originOf(src, FamilyIPv6), dst: d, dres: dres, nat64: true}
	if sn := s.subnets[e.subnet].m; !sn.EnableDNS64 {
		p.dres.warnings = append(slices.Clip(dres.warnings), Warning{Code: DNS64Disabled, Component: sn.ID, Leg: LegForward,
			Message: fmt.Sprintf("%s is IPv6-only and %s IPv4-only (V-03): the answer is through NAT64, to %s (V-16); DNS64 is off on subnet %s, so the client must get that address some other way (V-17)",
				e.id, s.endName(dst), d.addr, sn.ID)})
	}
	return p, true
}

// endName names a query end in a message: an interface by its id,
// another end by its address.
func (s *Solver) endName(o origin) string {
	if o.kind == termENI {
		return string(s.enis[o.eni].id)
	}
	return o.addr.String()
}

// noFamilyNote appends to the first blocker of r, the answer of a
// nat64Plan that fails, why the path is through NAT64 (V-03).
func (s *Solver) noFamilyNote(r Result, src, dst origin) Result {
	if len(r.Blockers) == 0 || r.Blockers[0].Message == "" {
		return r
	}
	to := s.endName(dst)
	if v4, ok := nat64Embedded(dst.addr); ok && dst.kind != termENI {
		to = v4.String()
	}
	bs := slices.Clone(r.Blockers)
	bs[0].Message += fmt.Sprintf(" (%s and %s have no address family in common, one IPv6 only, the other IPv4 only (V-03): this is the path through NAT64, to %s (V-16))",
		s.endName(src), to, dst.addr)
	r.Blockers = bs
	return r
}

// translation returns TranslationNAT64 for a plan whose destination is
// an address of 64:ff9b::/96 (V-16), else "".
func (p familyPlan) translation() string {
	if _, ok := nat64Embedded(p.dst.addr); ok {
		return TranslationNAT64
	}
	return ""
}

// endFamilies returns the families a query end can use.
func (s *Solver) endFamilies(spec string, o origin) []string {
	switch {
	case o.kind == termInternet && !namesAddress(spec):
		return []string{FamilyIPv4, FamilyIPv6}
	case o.kind == termENI && !namesAddress(spec):
		e := &s.enis[o.eni]
		var out []string
		if e.primary.IsValid() {
			out = append(out, FamilyIPv4)
		}
		if len(e.v6) > 0 {
			out = append(out, FamilyIPv6)
		}
		return out
	case o.kind == termExternal && o.ext >= 0 && !namesAddress(spec):
		// An external network named by id has the families of its
		// prefixes (V-35).
		var out []string
		cidrs := s.externals[o.ext].CIDRs
		if slices.ContainsFunc(cidrs, func(p netip.Prefix) bool { return p.Addr().Is4() }) {
			out = append(out, FamilyIPv4)
		}
		if slices.ContainsFunc(cidrs, func(p netip.Prefix) bool { return p.Addr().Is6() }) {
			out = append(out, FamilyIPv6)
		}
		return out
	case o.addr.Is6():
		return []string{FamilyIPv6}
	}
	return []string{FamilyIPv4}
}

// externalHost returns the address that stands for external network e
// in family f (IPv6 when v6): the second address of its first prefix of
// that family (the first of a single-address prefix), or the zero Addr
// when it has none.
func externalHost(e *model.ExternalNetwork, v6 bool) netip.Addr {
	for _, c := range e.CIDRs {
		if c.Addr().Is6() != v6 {
			continue
		}
		a := c.Masked().Addr()
		if c.Bits() < a.BitLen() {
			a = a.Next()
		}
		return a
	}
	return netip.Addr{}
}

// originOf returns o with an address of family f: an interface's primary
// IPv4 address or first IPv6 one, the internet's host of that family. An
// end written as an address keeps it.
func (s *Solver) originOf(o origin, f string) origin {
	if o.addr.IsValid() && (o.addr.Is6() == (f == FamilyIPv6)) {
		return o
	}
	switch o.kind {
	case termENI:
		if f == FamilyIPv6 {
			if len(s.enis[o.eni].v6) == 0 {
				return o
			}
			o.addr = s.enis[o.eni].v6[0]
		} else {
			o.addr = s.enis[o.eni].primary
		}
	case termInternet:
		if f == FamilyIPv6 {
			o.addr = s.internetHost6()
		} else {
			o.addr = s.internetHost()
		}
	case termExternal:
		if o.ext >= 0 {
			if a := externalHost(s.externals[o.ext], f == FamilyIPv6); a.IsValid() {
				o.addr = a
			}
		}
	}
	return o
}

// noCommonFamily answers a query whose ends share no address family (an
// IPv6-only interface and an IPv4-only end, V-03), or not the one the
// query asks for. A destination that resolves to addresses has the
// families of its answers (V-15).
func (s *Solver) noCommonFamily(res Result, q Query, src, dst origin, dres resolution) Result {
	name := s.endName
	res.Verdict = VerdictUnreachable
	msg := fmt.Sprintf("%s and %s have no address family in common: one has IPv4 addresses only, the other IPv6 only (V-03)", name(src), name(dst))
	switch d := s.originOf(dst, FamilyIPv4); {
	case src.kind == termENI && len(s.enis[src.eni].v6) > 0 && d.addr.Is4():
		// An IPv6 source reaches IPv4 through NAT64, at an address it is
		// given (V-16); nat64Plan answers so for an IPv6-only one.
		msg += fmt.Sprintf("; through NAT64, %s would send to %s", name(src), nat64Addr(d.addr))
		if q.Protocol == model.ProtocolICMP {
			msg += " with icmpv6 (V-11)"
		}
		msg += " (V-16)"
	case dst.kind == termENI && len(s.enis[dst.eni].v6) > 0 && !s.enis[dst.eni].primary.IsValid():
		// NAT64 is outbound only: nothing IPv4 reaches an IPv6-only
		// interface through it.
		msg += "; NAT64 carries only connections an IPv6 client starts towards IPv4, never the reverse (V-16)"
	}
	switch {
	case q.Family != "":
		res.Family = q.Family
		msg = fmt.Sprintf("%s and %s do not both have %s addresses (V-03)", name(src), name(dst), familyName(q.Family))
	case len(dres.answers) > 0:
		fams := dres.families()
		records := "A records"
		if fams[0] == FamilyIPv6 {
			records = "AAAA records"
		}
		msg = fmt.Sprintf("%s resolves to %s addresses only (%s), and %s has none of that family (V-15)", q.To, fams[0], records, name(src))
		if fams[0] == FamilyIPv4 && src.kind == termENI && len(s.enis[src.eni].v6) > 0 {
			msg += fmt.Sprintf("; with DNS64 on subnet %s the Resolver would synthesise AAAA records for NAT64 (V-17)", s.subnets[s.enis[src.eni].subnet].m.ID)
		}
	}
	res.Forward, res.Warnings = dres.hops, dres.warnings
	res.Blockers = append(res.Blockers, Blocker{Code: DestinationNotFound, Component: model.ID(name(dst)), Leg: LegForward, Message: msg})
	return res
}

// internetHost6Candidates are the IPv6 addresses a query for "internet"
// may use, from documentation ranges: the first that no route or rule
// of the model names narrowly (shorter than /8 does not count).
var internetHost6Candidates = []netip.Addr{
	netip.MustParseAddr("2001:db8::1"),
	netip.MustParseAddr("3fff::1"),
	netip.MustParseAddr("2001:db8:ffff:ffff::1"),
}

// internetHost6 returns the IPv6 address of "internet": an arbitrary
// host, never one a rule of the model trusts by its address, nor one of
// a VPC's blocks (a tfimport plan assumes blocks from 2001:db8::/32).
// When every candidate is named, the first global atom outside the VPC
// blocks that no rule names narrowly stands in.
func (s *Solver) internetHost6() netip.Addr {
	s.host6Once.Do(func() {
		var named []netip.Prefix
		for _, p := range s.modelIPv6Prefixes() {
			if p.Bits() >= 8 {
				named = append(named, p)
			}
		}
		for _, v := range s.m.VPCs {
			named = append(named, v.IPv6CIDRBlocks...)
		}
		named = append(named, s.externalIPv6()...)
		free := func(a netip.Addr) bool {
			return !slices.ContainsFunc(named, func(p netip.Prefix) bool { return p.Contains(a) })
		}
		s.host6 = internetHost6Candidates[0]
		for _, c := range internetHost6Candidates {
			if free(c) {
				s.host6 = c
				return
			}
		}
		for _, lo := range s.atoms6() {
			if inIPv6Global(lo) && s.publicAddress(lo) && free(lo) {
				s.host6 = lo
				return
			}
		}
	})
	return s.host6
}

// externalIPv6 returns the IPv6 prefixes of the external networks (V-35).
func (s *Solver) externalIPv6() []netip.Prefix {
	var out []netip.Prefix
	for _, e := range s.externals {
		for _, c := range e.CIDRs {
			if c.Addr().Is6() {
				out = append(out, c)
			}
		}
	}
	return out
}

// modelIPv6Prefixes returns the IPv6 prefixes the model's routes, rules
// and prefix lists name.
func (s *Solver) modelIPv6Prefixes() []netip.Prefix {
	var out []netip.Prefix
	s.ruleBounds(func(p netip.Prefix) {
		if p.IsValid() && p.Addr().Is6() {
			out = append(out, p)
		}
	}, func(model.Protocol, *model.PortRange) {})
	return out
}

// ipv6Special are IPv6 ranges kept apart in the IPv6 atoms, so that an
// internet atom holds global unicast addresses only: 2000::/3 is the
// global unicast space, fc00::/7 unique local addresses.
var ipv6Special = []netip.Prefix{
	netip.MustParsePrefix("2000::/3"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// atoms6 returns the sorted starts of the IPv6 atoms: the elementary
// intervals between the bounds of every IPv6 CIDR the model names (its
// routes, rules, prefix lists and VPC and subnet blocks).
func (s *Solver) atoms6() []netip.Addr {
	s.atoms6Once.Do(func() {
		bounds := []netip.Addr{netip.IPv6Unspecified()}
		add := func(p netip.Prefix) {
			if !p.IsValid() || !p.Addr().Is6() {
				return
			}
			bounds = append(bounds, p.Masked().Addr())
			if next := lastIP(p).Next(); next.IsValid() {
				bounds = append(bounds, next)
			}
		}
		for _, p := range s.modelIPv6Prefixes() {
			add(p)
		}
		for _, p := range ipv6Special {
			add(p)
		}
		for _, v := range s.m.VPCs {
			for _, b := range v.IPv6CIDRBlocks {
				add(b)
			}
			for _, sn := range v.Subnets {
				add(sn.IPv6CIDRBlock)
			}
		}
		sortAddrs(bounds)
		s.bounds6 = slices.Compact(bounds)
	})
	return s.bounds6
}

// sortAddrs sorts addresses as netip.Addr.Compare orders them. Zoneless
// IPv6 addresses, all that the atoms and classes sort at scale (60,000
// atom bounds, 300,000 held addresses at 5,000 dual-stack VPCs), are
// sorted as 128-bit numbers, which orders them alike at a fraction of
// the cost of Compare's family and zone tests.
func sortAddrs(as []netip.Addr) {
	type u128 struct{ hi, lo uint64 }
	keys := make([]u128, len(as))
	for i, a := range as {
		if !a.Is6() || a.Zone() != "" {
			slices.SortFunc(as, netip.Addr.Compare)
			return
		}
		b := a.As16()
		keys[i] = u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
	}
	slices.SortFunc(keys, func(x, y u128) int { return cmp.Or(cmp.Compare(x.hi, y.hi), cmp.Compare(x.lo, y.lo)) })
	for i, k := range keys {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], k.hi)
		binary.BigEndian.PutUint64(b[8:], k.lo)
		as[i] = netip.AddrFrom16(b)
	}
}

// lastIP returns the last address of p.
func lastIP(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As16()
	for i := p.Bits(); i < 128; i++ {
		a[i/8] |= 1 << (7 - i%8)
	}
	return netip.AddrFrom16(a)
}

// atomRange6 returns the first and last address of the IPv6 atom that
// holds a.
func (s *Solver) atomRange6(a netip.Addr) (netip.Addr, netip.Addr) {
	bs := s.atoms6()
	i, found := slices.BinarySearchFunc(bs, a, netip.Addr.Compare)
	if !found {
		i--
	}
	hi := netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
	if i+1 < len(bs) {
		hi = bs[i+1].Prev()
	}
	return bs[i], hi
}

// internetAtom6 is one atom of the IPv6 internet: the global addresses
// between two boundaries of the CIDRs the model's routes, rules and
// prefix lists name, less the model's VPC blocks (their addresses are no
// internet hosts), with a representative address.
type internetAtom6 struct {
	rep netip.Addr
	set *netipx.IPSet
}

// internetAtoms6 returns the atoms of the IPv6 internet. They are coarser
// than atoms6, which also splits at every VPC and subnet block: a VPC's
// own block is left out of the internet, and the space between two VPC
// blocks that no route or rule names behaves as the space around it, so
// a network of a thousand dual-stack VPCs has a handful of internet atoms
// rather than thousands. The representative is internetHost6 for its
// atom, else the atom's first address outside every VPC block.
func (s *Solver) internetAtoms6() []internetAtom6 {
	s.inet6Once.Do(func() {
		var vpcs netipx.IPSetBuilder
		for _, v := range s.m.VPCs {
			for _, b := range v.IPv6CIDRBlocks {
				vpcs.AddPrefix(b)
			}
		}
		// An external network's IPv6 prefixes are its, not the
		// internet's, as a VPC's blocks are the VPC's (V-35).
		for _, p := range s.externalIPv6() {
			vpcs.AddPrefix(p)
		}
		vpcSet, _ := vpcs.IPSet()
		bounds := []netip.Addr{netip.IPv6Unspecified()}
		add := func(p netip.Prefix) {
			if !p.IsValid() || !p.Addr().Is6() || vpcSet.ContainsPrefix(p) {
				// A range inside the VPC blocks (a route to a peer's
				// block) holds no internet address: it splits nothing.
				return
			}
			bounds = append(bounds, p.Masked().Addr())
			if next := lastIP(p).Next(); next.IsValid() {
				bounds = append(bounds, next)
			}
		}
		for _, p := range s.modelIPv6Prefixes() {
			add(p)
		}
		for _, p := range append(slices.Clone(ipv6Special), ipv6NotGlobal...) {
			add(p)
		}
		sortAddrs(bounds)
		bounds = slices.Compact(bounds)
		host := s.internetHost6()
		for i, lo := range bounds {
			hi := netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
			if i+1 < len(bounds) {
				hi = bounds[i+1].Prev()
			}
			if !s.publicAddress(lo) || !s.publicAddress(hi) || !inIPv6Global(lo) {
				continue
			}
			var b netipx.IPSetBuilder
			b.AddRange(netipx.IPRangeFrom(lo, hi))
			b.RemoveSet(vpcSet)
			set, _ := b.IPSet()
			rs := set.Ranges()
			if len(rs) == 0 {
				continue // all VPC blocks
			}
			rep := rs[0].From()
			if set.Contains(host) {
				rep = host
			}
			s.inet6 = append(s.inet6, internetAtom6{rep: rep, set: set})
		}
	})
	return s.inet6
}

// publicAtoms6 returns a representative address of every atom of the
// IPv6 internet (internetAtoms6).
func (s *Solver) publicAtoms6() []netip.Addr {
	atoms := s.internetAtoms6()
	out := make([]netip.Addr, len(atoms))
	for i, a := range atoms {
		out[i] = a.rep
	}
	return out
}

// addInternetAtom adds to b the internet addresses that representative a
// stands for: its IPv4 atom, or its atom of the IPv6 internet.
func (s *Solver) addInternetAtom(b *netipx.IPSetBuilder, a netip.Addr) {
	if a.Is6() {
		for _, at := range s.internetAtoms6() {
			if at.rep == a {
				b.AddSet(at.set)
				return
			}
		}
	}
	lo, hi := s.atomRange(a)
	b.AddRange(netipx.IPRangeFrom(lo, hi))
}

// inIPv6Global reports whether a is in 2000::/3, the global unicast space.
func inIPv6Global(a netip.Addr) bool { return ipv6Special[0].Contains(a) }

// hasIPv6 reports whether some VPC of the model has an IPv6 block.
func (s *Solver) hasIPv6() bool {
	return slices.ContainsFunc(s.m.VPCs, func(v model.VPC) bool { return v.HasIPv6() })
}

// familyName writes a family as people do: IPv4, IPv6.
func familyName(f string) string {
	if f == FamilyIPv6 {
		return "IPv6"
	}
	return "IPv4"
}

// internet6 returns the IPv6 space Exposure tries: the union of the
// public IPv6 atoms.
func (s *Solver) internet6() *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, a := range s.internetAtoms6() {
		b.AddSet(a.set)
	}
	set, _ := b.IPSet()
	return set
}

// ipv6NotPropagated explains a missing transit gateway route for IPv6
// address dst: a VPC attachment that propagates into route table rt and
// whose VPC holds dst has IPv6 support off, so the VPC's IPv6 blocks do
// not propagate (V-14). Empty when there is none.
func (s *Solver) ipv6NotPropagated(tgw *model.TransitGateway, rt model.ID, dst netip.Addr) string {
	if !dst.Is6() {
		return ""
	}
	for _, a := range tgw.Attachments {
		if a.Type != model.AttachmentVPC || a.IPv6Support || !slices.Contains(tgw.PropagationsOf(a), rt) {
			continue
		}
		if v := s.x.VPC(a.VPC); v != nil && slices.ContainsFunc(v.IPv6CIDRBlocks, func(p netip.Prefix) bool { return p.Contains(dst) }) {
			return fmt.Sprintf("; attachment %s has IPv6 support off: the IPv6 blocks of %s do not propagate (V-14)", a.ID, a.VPC)
		}
	}
	return ""
}

// atoms6 splits the IPv6 space at the boundaries of a set of prefixes:
// the IPv6 twin of atoms.
type atoms6 struct {
	bounds []netip.Addr // sorted starts of intervals (:: always present)
}

// of returns the index of the atom that holds a.
func (a *atoms6) of(addr netip.Addr) int {
	i, found := slices.BinarySearchFunc(a.bounds, addr, netip.Addr.Compare)
	if !found {
		i--
	}
	return i
}

// atomBuilder6 collects the boundaries of IPv6 ranges: the twin of
// atomBuilder.
type atomBuilder6 struct{ bounds []netip.Addr }

func (b *atomBuilder6) prefix(p netip.Prefix) {
	if !p.IsValid() || !p.Addr().Is6() {
		return
	}
	b.bounds = append(b.bounds, p.Masked().Addr())
	if next := lastIP(p).Next(); next.IsValid() {
		b.bounds = append(b.bounds, next)
	}
}

func (b *atomBuilder6) addr(a netip.Addr) {
	if a.IsValid() && a.Is6() {
		b.prefix(netip.PrefixFrom(a, 128))
	}
}

// special adds the ranges publicAddress and the walks tell apart: so that
// an atom is public or not as a whole.
func (b *atomBuilder6) special() {
	for _, p := range ipv6Special {
		b.prefix(p)
	}
	for _, p := range ipv6NotGlobal {
		b.prefix(p)
	}
}

func (b *atomBuilder6) atoms() atoms6 {
	bounds := append(b.bounds, netip.IPv6Unspecified())
	sortAddrs(bounds)
	return atoms6{bounds: slices.Compact(bounds)}
}

// ipv6NotGlobal are the IPv6 ranges publicAddress refuses besides the
// unique local ones: the unspecified and loopback addresses, IPv4-mapped
// addresses (which are IPv4 ones), link-local and multicast.
var ipv6NotGlobal = []netip.Prefix{
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("::ffff:0:0/96"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

// classAtoms6 returns the IPv6 atoms of the classes: the boundaries of
// every IPv6 CIDR the model names (atoms6: routes, rules, prefix lists,
// VPC and subnet blocks), of the compiled routes (propagations), and of
// the ranges publicAddress tells apart. Interfaces whose IPv6 addresses
// lie in the same atoms are treated alike by every route and rule.
func (s *Solver) classAtoms6() atoms6 {
	var b atomBuilder6
	b.bounds = slices.Clone(s.atoms6())
	b.special()
	for vi := range s.vpcs {
		v := &s.vpcs[vi]
		for r := range v.main.All() {
			b.prefix(r.Destination)
		}
		for _, t := range v.tables {
			for r := range t.All() {
				b.prefix(r.Destination)
			}
		}
	}
	for _, t := range s.tgws {
		for _, rt := range t.tables {
			for r := range rt.All() {
				b.prefix(r.Destination)
			}
		}
	}
	return b.atoms()
}

// routingAtoms6 is routingAtoms for IPv6: the boundaries of everything a
// path walk compares an IPv6 address with (VPC IPv6 blocks, every compiled
// route, network ACL rules, the blocks of subnets that route part of their
// own block away, the ranges publicAddress tells apart), and not subnet
// blocks otherwise.
func (s *Solver) routingAtoms6() atoms6 {
	var b atomBuilder6
	b.special()
	s.routingBounds(b.prefix, b.addr)
	return b.atoms()
}

// sgAtoms6 is sgAtoms for IPv6: the boundaries of every IPv6 CIDR a
// security group rule names, directly or through a prefix list.
func (s *Solver) sgAtoms6() atoms6 {
	var b atomBuilder6
	s.sgBounds(b.prefix)
	b.special()
	return b.atoms()
}
