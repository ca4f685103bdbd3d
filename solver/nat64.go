package solver

import (
	"fmt"
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// NAT64 and DNS64 (V-16, V-17): an IPv6 client sends to 64:ff9b::a.b.c.d,
// its route table sends 64:ff9b::/96 to a NAT gateway, and the gateway
// sends the packet on as IPv4, from its own private address (which an
// internet gateway then turns into the Elastic IP of a public NAT
// gateway) to a.b.c.d. The response comes back to the gateway, which
// translates it back to IPv6 (source 64:ff9b::a.b.c.d, destination the
// client) and sends it on by the local route. DNS64 is how a client comes
// by such an address: the Resolver synthesises it for a name with A
// records and no AAAA record, for queries from a subnet with DNS64 on.

// TranslationNAT64 is Result.Translation for an answer whose paths send
// IPv6 to 64:ff9b::/96 and reach an IPv4 destination through a NAT
// gateway's NAT64 (V-16).
const TranslationNAT64 = "nat64"

// nat64Addr returns the IPv4-embedded IPv6 address of v4 under
// 64:ff9b::/96, as DNS64 synthesises it (RFC 6052).
func nat64Addr(v4 netip.Addr) netip.Addr {
	b := model.NAT64Prefix().Addr().As16()
	a4 := v4.As4()
	copy(b[12:], a4[:])
	return netip.AddrFrom16(b)
}

// nat64Embedded returns the IPv4 address held in the low 32 bits of an
// address of 64:ff9b::/96, and whether a is one.
func nat64Embedded(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() || a.Is4In6() || !model.NAT64Prefix().Contains(a) {
		return netip.Addr{}, false
	}
	b := a.As16()
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
}

// toNAT64 translates an IPv6 packet that reached NAT gateway ei (after
// its subnet's network ACL) to IPv4 and routes it on from the gateway's
// subnet (V-16). Only a destination in 64:ff9b::/96 is translated; the
// gateway carries tcp, udp and ICMPv6 echo (as ICMP echo).
func (w *walker) toNAT64(ei int32) terminal {
	e := &w.s.enis[ei]
	w.taint()
	v4, ok := nat64Embedded(w.pkt.Dst)
	if !ok {
		w.block(NoRouteToDestination, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("NAT gateway %s translates IPv6 only to destinations in %s (NAT64); it does not carry %s (V-16)", e.id, model.NAT64Prefix(), w.pkt.Dst)
		})
		return w.drop(e.id, HopNATGateway, "IPv6 destination outside 64:ff9b::/96", e.src.Position)
	}
	icmpv6 := false
	switch p := w.pkt.Protocol; {
	case p == model.ProtocolTCP || p == model.ProtocolUDP:
	case p == model.ProtocolICMPv6 && w.pkt.ICMPType == 128:
		// An ICMPv6 echo request becomes an ICMP one (RFC 6145).
		icmpv6 = true
		w.pkt.Protocol, w.pkt.ICMPType = model.ProtocolICMP, 8
	default:
		what := p.String()
		if p == model.ProtocolAll {
			what = "all traffic"
		} else if p == model.ProtocolICMPv6 {
			what = fmt.Sprintf("ICMPv6 type %d", w.pkt.ICMPType)
		}
		w.block(NGWProtocolRestriction, e.id, "", e.src.Position, func() string {
			return fmt.Sprintf("NAT gateway %s translates tcp, udp and ICMPv6 echo from IPv6 to IPv4 (NAT64), not %s (V-16)", e.id, what)
		})
	}
	if !e.primary.IsValid() {
		return w.drop(e.id, HopNATGateway, "no IPv4 address", e.src.Position)
	}
	w.nat = append(w.nat, natEntry{gw: ei, orig: w.pkt.Src, nat64: true, icmpv6: icmpv6})
	w.pkt.Src, w.pkt.Dst = e.primary, v4
	w.loseRefs(refsNAT)
	h := Hop{Component: e.id, Kind: HopNATGateway, Decision: DecisionTranslate, Pos: e.src.Position, Subnet: w.subnetID(e.subnet)}
	if w.words() {
		h.Rule = "NAT64: source to " + e.primary.String() + ", destination to " + v4.String() + " (V-16)"
		h.Packet = &Header{Src: w.pkt.Src, Dst: w.pkt.Dst}
	}
	w.hop(h)
	return w.route(e.subnet)
}

// fromNAT64 finishes translating a response back to IPv6 at the NAT
// gateway of entry n, whose destination is already the client's: its
// IPv4 source goes back under 64:ff9b::/96, and an ICMP echo reply
// becomes an ICMPv6 one (V-16).
func (w *walker) fromNAT64(n natEntry) {
	if w.pkt.Src.Is4() {
		w.pkt.Src = nat64Addr(w.pkt.Src)
	}
	if n.icmpv6 && w.pkt.Protocol == model.ProtocolICMP {
		w.pkt.Protocol = model.ProtocolICMPv6
		switch w.pkt.ICMPType {
		case 0:
			w.pkt.ICMPType = 129
		case 8:
			w.pkt.ICMPType = 128
		}
	}
}

// dns64 adds to a resolution the AAAA records the Route 53 Resolver
// synthesises for a query from a subnet with DNS64 on: when the name has
// no IPv6 answer, one 64:ff9b::a.b.c.d for each IPv4 answer a.b.c.d,
// which leads to the same holder (V-17). A name with an IPv6 answer is
// answered as it is.
func (s *Solver) dns64(r *resolution, name string, sn *model.Subnet) {
	if sn == nil || !sn.EnableDNS64 || len(r.blockers) > 0 {
		return
	}
	var synth []answer
	for _, a := range r.answers {
		if a.addr.Is6() {
			return
		}
		synth = append(synth, answer{addr: nat64Addr(a.addr), eni: a.eni})
	}
	if len(synth) == 0 {
		return
	}
	r.hopFamily(FamilyIPv6, Resolver, fmt.Sprintf("DNS64 (subnet %s): %s has no AAAA record; the Resolver synthesises %s (V-17)", sn.ID, name, synth[0].addr), sn.Source.Field("enable_dns64").Position)
	r.answers = append(r.answers, synth...)
}
