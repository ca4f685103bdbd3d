package sgeval

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// Packet is the part of a packet that filters look at. For tcp and udp,
// DstPort is the destination port; for icmp, ICMPType and ICMPCode are the
// message type and code. Protocol may be model.ProtocolAll, for "all
// traffic".
type Packet struct {
	Src, Dst netip.Addr
	Protocol model.Protocol
	SrcPort  uint16
	DstPort  uint16
	ICMPType int16
	ICMPCode int16
}

// Direction is the direction of a filter check. The zero value is unknown.
type Direction uint8

// Directions.
const (
	Ingress Direction = iota + 1
	Egress
)

// String returns "ingress" or "egress".
func (d Direction) String() string {
	switch d {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	}
	return "unknown"
}

// matchesService reports whether a rule's protocol, ports and ICMP match
// the packet. ports is nil for "all ports"; icmp nil for "all ICMP".
func matchesService(proto model.Protocol, ports model.PortRange, icmp model.ICMPMatch, p *Packet) bool {
	if proto == model.ProtocolAll {
		return true
	}
	if proto != p.Protocol {
		return false
	}
	switch {
	case proto.HasPorts():
		return ports.Contains(p.DstPort)
	case proto.IsICMP():
		return icmp.Matches(int(p.ICMPType), int(p.ICMPCode))
	}
	return true
}
