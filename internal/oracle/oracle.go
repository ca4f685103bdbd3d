package oracle

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Packet mirrors sgeval.Packet without importing it.
type Packet struct {
	Src, Dst           netip.Addr
	Protocol           model.Protocol
	DstPort            uint16
	ICMPType, ICMPCode int
}

func serviceMatches(proto model.Protocol, ports *model.PortRange, icmp *model.ICMPMatch, p Packet) bool {
	if p.Protocol == model.ProtocolAll {
		return proto == model.ProtocolAll
	}
	if proto != model.ProtocolAll && proto != p.Protocol {
		return false
	}
	if proto == model.ProtocolAll {
		return true
	}
	if proto == model.ProtocolTCP || proto == model.ProtocolUDP {
		return ports == nil || (ports.First <= p.DstPort && p.DstPort <= ports.Last)
	}
	if proto == model.ProtocolICMP || proto == model.ProtocolICMPv6 {
		if icmp == nil {
			return true
		}
		return (icmp.Type == -1 || icmp.Type == p.ICMPType) && (icmp.Code == -1 || icmp.Code == p.ICMPCode)
	}
	return true
}

// ACL returns whether a network ACL allows the packet in one direction
// (ingress when ingress is true) and the deciding rule number (0 for "*"):
// rules in ascending number order, first match decides (S-31).
func ACL(acl *model.NetworkACL, ingress bool, p Packet) (bool, int) {
	allowed, _, rule := aclDecide(acl, ingress, p)
	return allowed, rule
}

// SG returns whether the union of groups allows the packet in one
// direction, given the peer's address and, when references can match, the
// ids of the peer interface's groups (S-20..S-22). Prefix lists resolve
// through pl.
func SG(groups []*model.SecurityGroup, ingress bool, p Packet, peerAddr netip.Addr, peerGroups []model.ID, pl func(model.ID) []netip.Prefix, isGroup func(model.ID) bool) bool {
	for _, g := range groups {
		type rule struct {
			r     model.SGRule
			peers []model.Peer
		}
		var rules []rule
		if ingress {
			for _, r := range g.Ingress {
				rules = append(rules, rule{r.SGRule, r.Sources})
			}
		} else {
			for _, r := range g.Egress {
				rules = append(rules, rule{r.SGRule, r.Destinations})
			}
			if g.Egress == nil {
				// Not written: AWS's default allow-all outbound rule (S-20).
				return true
			}
		}
		for _, r := range rules {
			if !serviceMatches(r.r.Protocol, r.r.Ports, r.r.ICMP, p) {
				continue
			}
			for _, peer := range r.peers {
				switch {
				case peer.CIDR.IsValid():
					if peer.CIDR.Contains(peerAddr) {
						return true
					}
				case isGroup(peer.Ref):
					if slices.Contains(peerGroups, peer.Ref) {
						return true
					}
				default:
					for _, c := range pl(peer.Ref) {
						if c.Contains(peerAddr) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
