package oracle

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// NAT64 (V-16), written from the rules: every NAT gateway translates an
// IPv6 packet sent to 64:ff9b::a.b.c.d (the well-known prefix of RFC
// 6052) into an IPv4 packet from its own private address to a.b.c.d,
// and sends it on by its own subnet's route table; the response comes
// back to the gateway, which puts the client's IPv6 address back as the
// destination and 64:ff9b::/96 back before the source. The internet does
// not route the prefix.

// wellKnownPrefix is NAT64's prefix, 64:ff9b::/96.
var wellKnownPrefix = netip.MustParsePrefix("64:ff9b::/96")

// embed returns 64:ff9b::a.b.c.d for IPv4 address a.b.c.d: the address
// an IPv6 client sends to (and DNS64 synthesises, V-17).
func embed(v4 netip.Addr) netip.Addr {
	b := wellKnownPrefix.Addr().As16()
	a := v4.As4()
	copy(b[12:], a[:])
	return netip.AddrFrom16(b)
}

// embedded returns the IPv4 address in the low 32 bits of an address of
// 64:ff9b::/96, and whether a is one.
func embedded(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() || !wellKnownPrefix.Contains(a) {
		return netip.Addr{}, false
	}
	b := a.As16()
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
}

// toNAT64 translates an IPv6 packet that reached NAT gateway x (past the
// inbound rules of its subnet's network ACL, which saw it as IPv6) and
// routes the IPv4 packet on from the gateway's subnet, whose outbound
// rules see it as IPv4. The gateway carries tcp, udp and the ICMPv6 echo
// request, which becomes an ICMP echo request; anything else is
// NGW_PROTOCOL_RESTRICTION (and, as after any filter, the walk goes on
// with the packet as it is). A destination outside the prefix is not
// translated: nothing carries it on.
func (w *walk) toNAT64(x *iface) arrival {
	v4, ok := embedded(w.pkt.Dst)
	if !ok {
		w.block(codeNoRoute)
		return drop
	}
	switch {
	case w.pkt.Protocol == model.ProtocolTCP || w.pkt.Protocol == model.ProtocolUDP:
	case w.pkt.Protocol == model.ProtocolICMPv6 && w.pkt.ICMPType == 128:
		w.pkt.Protocol, w.pkt.ICMPType = model.ProtocolICMP, 8
	default:
		w.block(codeNATProtocol)
	}
	w.translations = append(w.translations, translation{nat: x, orig: w.pkt.Src, nat64: true})
	w.pkt.Src, w.pkt.Dst = x.primary(), v4
	return w.routeFrom(x.subnet)
}

// fromNAT64 turns the response a NAT gateway translates back into IPv6:
// its source goes under 64:ff9b::/96 (its destination, the client, the
// caller has put back), and an ICMP echo reply becomes an ICMPv6 one.
func (w *walk) fromNAT64() {
	w.pkt.Src = embed(w.pkt.Src)
	if w.pkt.Protocol == model.ProtocolICMP && w.pkt.ICMPType == 0 {
		w.pkt.Protocol, w.pkt.ICMPType = model.ProtocolICMPv6, 129
	}
}
