package solver

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// Verdict is the answer to a query. The zero value is VerdictUnknown.
type Verdict uint8

// Verdicts.
const (
	VerdictUnknown Verdict = iota
	// VerdictReachable: the request arrives and the response returns.
	VerdictReachable
	// VerdictReachableWithWarnings: reachable, but with warnings such as a
	// return path open for only part of the ephemeral port range.
	VerdictReachableWithWarnings
	// VerdictUnreachable: the request or its response is blocked; Blockers
	// says where and why.
	VerdictUnreachable
	// VerdictInvalidQuery: the query names something the model does not
	// have; Result.Err says what.
	VerdictInvalidQuery
)

var verdictNames = []string{"unknown", "reachable", "reachable-with-warnings", "unreachable", "invalid-query"}

// String returns the verdict as the CLI and JSON print it.
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// HopKind is the kind of component a hop passes. The zero value is
// HopUnknown.
type HopKind uint8

// Hop kinds.
const (
	HopUnknown HopKind = iota
	HopInstance
	HopNetworkInterface
	HopSecurityGroup
	HopNetworkACL
	HopRouteTable
	HopPeeringConnection
	HopTransitGateway
	HopTGWAttachment
	HopTGWRouteTable
	HopInternetGateway
	HopNATGateway
	HopGatewayEndpoint
	HopInterfaceEndpoint
	HopLoadBalancer
	HopVPNGateway
	HopExternalNetwork
	HopInternet
	HopAWSService
	HopDNSResolver
	HopEndpointService
	HopDNS
	// HopHostService is a service AWS answers on the instance's host: the
	// instance metadata service or the Amazon Time Sync Service.
	HopHostService
	// HopSubnet is a subnet delivering a packet between two of its
	// interfaces, without its route table (S-16).
	HopSubnet
	// HopGWLBEndpoint is a Gateway Load Balancer endpoint: a route target
	// that hands traffic to its service's Gateway Load Balancer, and takes
	// it back from the appliance (V-20).
	HopGWLBEndpoint
	// HopAppliance is an appliance behind a Gateway Load Balancer, which
	// inspects the traffic and forwards or drops it (V-22).
	HopAppliance
	// HopEgressOnlyGateway is an egress-only internet gateway (V-07).
	HopEgressOnlyGateway
)

var hopKindNames = []string{"unknown", "instance", "network-interface", "security-group", "network-acl",
	"route-table", "peering-connection", "transit-gateway", "transit-gateway-attachment",
	"transit-gateway-route-table", "internet-gateway", "nat-gateway", "gateway-endpoint",
	"interface-endpoint", "load-balancer", "vpn-gateway", "external-network", "internet", "aws-service", "dns-resolver",
	"endpoint-service", "dns", "host-service", "subnet", "gateway-load-balancer-endpoint", "appliance", "egress-only-internet-gateway"}

// String returns the kind as the CLI and JSON print it.
func (k HopKind) String() string {
	if int(k) < len(hopKindNames) {
		return hopKindNames[k]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (k HopKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Decision is what a hop did with the packet. The zero value is
// DecisionUnknown.
type Decision uint8

// Decisions.
const (
	DecisionUnknown Decision = iota
	// DecisionSend: the packet leaves its source.
	DecisionSend
	// DecisionAllow: a filter let the packet through.
	DecisionAllow
	// DecisionDeny: a filter blocked the packet (the walk goes on as if it
	// had passed, to find every blocker).
	DecisionDeny
	// DecisionRoute: a route table chose the next hop.
	DecisionRoute
	// DecisionForward: a gateway or connection carried the packet on.
	DecisionForward
	// DecisionTranslate: an address was rewritten (NAT, public address).
	DecisionTranslate
	// DecisionDeliver: the packet arrived.
	DecisionDeliver
	// DecisionDrop: the packet went no further.
	DecisionDrop
)

var decisionNames = []string{"unknown", "send", "allow", "deny", "route", "forward", "translate", "deliver", "drop"}

// String returns the decision as the CLI and JSON print it.
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Header is a packet's addresses and ports after a hop that changed them.
type Header struct {
	Src, Dst netip.Addr
}

// Hop is one step of a path.
type Hop struct {
	// Component is the id of what the packet passed: an instance, a
	// security group, a network ACL, a route table, a gateway...
	Component model.ID
	// Name is the component's readable name (model.Index.Name: a Name
	// tag, a group or load balancer name), when it has one other than its
	// id.
	Name string
	// AWSID is the component's id in AWS (model.Index.AWSID), when the
	// model names it otherwise (by a Terraform address) and knows it.
	AWSID    model.ID
	Kind     HopKind
	Decision Decision
	// Direction is "ingress" or "egress" for filter hops, else "".
	Direction string
	// Rule is the route or rule that decided, in words, such as
	// "10.1.0.0/16 -> pcx-ab" or "rule 100 allow tcp 443 from 10.0.0.0/16".
	Rule string
	// Pos is where that route or rule is written, when it is.
	Pos model.Position
	// Packet is the header after this hop, when the hop changed it.
	Packet *Header
	// Subnet is the subnet the hop takes place in, for a hop at a network
	// interface (an instance's or a standalone one, a NAT gateway's, a
	// load balancer node's, an interface endpoint's: sending, delivering,
	// translating, forwarding as an appliance) and for a transit gateway
	// attachment that enters a VPC; empty for other hops. It says in
	// which availability zone the packet is, for pricing and pictures;
	// Text and MarshalJSON leave it out.
	Subnet model.ID
}

// Leg says which way a packet travels: the request or its response.
type Leg uint8

// Legs.
const (
	LegForward Leg = iota + 1
	LegReturn
)

// String returns "forward" or "return".
func (l Leg) String() string {
	switch l {
	case LegForward:
		return "forward"
	case LegReturn:
		return "return"
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (l Leg) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Blocker is one reason a path is blocked.
type Blocker struct {
	Code Code
	// Component is the id of the component that blocks.
	Component model.ID
	// Name is the component's readable name, as Hop.Name.
	Name string
	// AWSID is the component's id in AWS, as Hop.AWSID.
	AWSID model.ID
	// Leg is the request (forward) or the response (return).
	Leg Leg
	// Rule is the deciding rule or route in words, if any.
	Rule string
	// Message explains the block in one sentence.
	Message string
	// Pos is where the deciding rule, route or component is written.
	Pos model.Position
}

// Warning is something to know about a reachable path.
type Warning struct {
	Code      Code
	Component model.ID
	// Name is the component's readable name, as Hop.Name.
	Name string
	// AWSID is the component's id in AWS, as Hop.AWSID.
	AWSID   model.ID
	Leg     Leg
	Rule    string
	Message string
	Pos     model.Position
}

// Result is the answer to a Query.
type Result struct {
	Query   Query
	Verdict Verdict
	// Forward is the request's path, hop by hop; Return the response's.
	Forward, Return []Hop
	// Blockers lists every blocking component on both legs: after a filter
	// blocks, the walk goes on as if it had passed.
	Blockers []Blocker
	Warnings []Warning
	// Err says why the query is invalid, for VerdictInvalidQuery.
	Err error
	// Family is the address family of the answer's paths, FamilyIPv4 or
	// FamilyIPv6; empty for an invalid query.
	Family string
	// Translation is TranslationNAT64 when the answer's paths send IPv6
	// to an address of 64:ff9b::/96 that a NAT gateway translates to the
	// IPv4 destination (V-16, V-17); empty when the family is used end to
	// end.
	Translation string
	// Families holds one answer per address family when the query was
	// answered for both: when both ends have both families (a dual-stack
	// instance or interface named by id, "internet"), IPv4 first. The
	// result itself is then a copy of the first of them that is
	// reachable, else of the IPv4 one: the verdict is reachable when
	// either family reaches. Nil when one family was answered.
	Families []Result
}

// Address families of answers (Result.Family).
const (
	FamilyIPv4 = "ipv4"
	FamilyIPv6 = "ipv6"
)

// Reachable reports whether the verdict is reachable (with or without
// warnings).
func (r Result) Reachable() bool {
	return r.Verdict == VerdictReachable || r.Verdict == VerdictReachableWithWarnings
}
