package model

import "net/netip"

// Inspection is what the appliances behind a Gateway Load Balancer do with
// the traffic it sends them (V-22). AWS does not know: the appliances'
// own configuration (a firewall's policy) decides, so the topology states
// it. The appliances forward every flow that no rule of Drops matches.
type Inspection struct {
	// Drops are the flows the appliances drop; a flow is dropped when one
	// rule matches it. Empty: they forward everything.
	Drops []InspectionRule `yaml:"drops"`

	Source Source `yaml:"-"`
}

// InspectionRule matches flows an appliance drops. Every field given must
// match; a rule with no field matches every flow. The rule is matched
// against the request as it reaches the appliance (its source and
// destination addresses, protocol and destination port); the response of a
// forwarded flow passes the appliance that saw the request as part of it.
type InspectionRule struct {
	// Protocol is the IP protocol the rule matches; default all.
	Protocol Protocol `yaml:"protocol" example:"tcp"`
	// Ports are the destination ports the rule matches (tcp and udp only);
	// default all.
	Ports *PortRange `yaml:"ports" example:"22"`
	// SourceCIDR is the range of source addresses the rule matches;
	// default all.
	SourceCIDR netip.Prefix `yaml:"source" example:"198.51.100.0/24"`
	// DestinationCIDR is the range of destination addresses the rule
	// matches; default all.
	DestinationCIDR netip.Prefix `yaml:"destination" example:"10.1.0.0/16"`
	// Description says what the rule is for; it does not affect matching.
	Description string `yaml:"description"`

	Source Source `yaml:"-"`
}

// Matches reports whether the rule matches a flow of protocol p from src
// to dst on destination port port (ignored without ports). A rule for one
// protocol does not match a flow of protocol all: see Overlaps.
func (r InspectionRule) Matches(p Protocol, src, dst netip.Addr, port uint16) bool {
	if r.Protocol != 0 && !r.Protocol.Matches(p) {
		return false
	}
	if r.Ports != nil && (!p.HasPorts() || port < r.Ports.First || port > r.Ports.Last) {
		return false
	}
	return r.addrs(src, dst)
}

// Overlaps reports whether the rule matches part of a flow of protocol
// all from src to dst: it names one protocol or ports.
func (r InspectionRule) Overlaps(src, dst netip.Addr) bool {
	return (r.Protocol != 0 && r.Protocol != ProtocolAll || r.Ports != nil) && r.addrs(src, dst)
}

func (r InspectionRule) addrs(src, dst netip.Addr) bool {
	return (!r.SourceCIDR.IsValid() || r.SourceCIDR.Contains(src)) &&
		(!r.DestinationCIDR.IsValid() || r.DestinationCIDR.Contains(dst))
}
