package routing

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// TargetKind is what a VPC route sends packets to (S-13). The zero value is
// TargetUnknown: a target that does not exist (a blackhole route's deleted
// target).
type TargetKind uint8

// Route target kinds.
const (
	TargetUnknown TargetKind = iota
	TargetLocal
	TargetInternetGateway
	TargetNATGateway
	TargetPeering
	TargetTransitGateway
	TargetGatewayEndpoint
	TargetGWLBEndpoint
	TargetNetworkInterface
	TargetInstance
	TargetVPNGateway
	// TargetEgressOnlyInternetGateway is an egress-only internet gateway:
	// IPv6 out, and responses back (V-07).
	TargetEgressOnlyInternetGateway
)

var targetKindNames = []string{"unknown", "local", "internet-gateway", "nat-gateway", "peering-connection",
	"transit-gateway", "gateway-endpoint", "gateway-load-balancer-endpoint", "network-interface", "instance", "vpn-gateway", "egress-only-internet-gateway"}

// String returns the kind in the CLI's words.
func (k TargetKind) String() string {
	if int(k) < len(targetKindNames) {
		return targetKindNames[k]
	}
	return "unknown"
}

// Origin says where a route came from.
type Origin uint8

// Route origins.
const (
	// OriginStatic: written in the route table.
	OriginStatic Origin = iota
	// OriginLocal: the implicit route of a VPC CIDR block (S-11).
	OriginLocal
	// OriginEndpoint: added by a gateway endpoint associated with the
	// table (S-70).
	OriginEndpoint
	// OriginPropagated: propagated by a virtual private gateway or, in a
	// transit gateway table, by an attachment.
	OriginPropagated
)

var originNames = []string{"static", "local", "gateway-endpoint", "propagated"}

// String returns "static", "local", "gateway-endpoint" or "propagated".
func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return "unknown"
}

// Resolver answers what the route compilers need to know about the rest of
// the model.
type Resolver interface {
	// Kind returns the kind of the resource with an id.
	Kind(id model.ID) model.Kind
	// EndpointType returns the type of a VPC endpoint.
	EndpointType(id model.ID) model.EndpointType
	// PrefixList returns the CIDRs of a prefix list.
	PrefixList(id model.ID) []netip.Prefix
	// ServicePrefixList returns the prefix list (id and CIDRs) of an AWS
	// service that a gateway endpoint routes, such as
	// com.amazonaws.eu-west-1.s3.
	ServicePrefixList(service string) (model.ID, []netip.Prefix)
	// ServicePrefixList6 returns the IPv6 prefix list (id and CIDRs) of
	// an AWS service that a dualstack or ipv6 gateway endpoint routes
	// besides, or instead of, its IPv4 one (V-30).
	ServicePrefixList6(service string) (model.ID, []netip.Prefix)
	// ExternalCIDRs returns the CIDRs of the external networks reached
	// through a virtual private gateway or transit gateway attachment.
	ExternalCIDRs(via model.ID) []netip.Prefix
	// VPCCIDRs returns the CIDR blocks of a VPC.
	VPCCIDRs(vpc model.ID) []netip.Prefix
}
