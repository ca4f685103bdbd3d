package solver

// Code names why a path is blocked, or what a warning is about. Names follow
// AWS Reachability Analyzer's explanation codes where one fits; the others
// are vpcreach's own. The zero value is CodeUnknown.
type Code uint16

// Blocking and warning codes. Each has a one-line description in
// CodeDescription, which the README lists.
const (
	CodeUnknown Code = iota
	NoRouteToDestination
	BadStateRoute
	ENISGRulesMismatch
	SubnetACLRestriction
	PCXRequiresAddressInVPCCIDR
	IGWPublicIPAssociationForEgress
	IGWDestinationAddressNotInRFC1918Egress
	NGWRequiresSourceInVPC
	ENISourceDestCheckRestriction
	TGWAttachMissingTGWRtbAssociation
	TGWRtbCannotRoute
	TGWRtbBadStateRoute
	TGWRouteAZRestriction
	SGReferencesNotPreserved
	SGReferencingSupport
	BadState
	BadStateAttachment
	ReturnRouteMissing
	RoutingLoop
	CIDROverlap
	ACLPartialReturn
	ACLPartialProtocols
	NoInternetGateway
	NGWInboundNotAllowed
	VPCEGatewayNotFromPeer
	VPCEGatewayProtocolRestriction
	InstanceNotRunning
	DestinationNotFound
	UnmodelledDestination
	TGWRtbAmbiguousRoute
	ELBV2ListenersMismatch
	ELBV2NoHealthyTargets
	ELBV2NoTargetsInAZ
	ELBV2SourceAddressPreservation
	ELBV2TargetUnreachable
	VPCEServiceNotInstalledInAZ
	VPCEPrincipalNotAllowed
	VPCEConnectionNotAccepted
	VPCEServiceRegionNotSupported
	VPCENoEndpointInVPC
	DNSNameNotFound
	DNSPrivateZoneNotAssociated
	DNSSupportDisabled
	DNSResolutionLoop
	DNSPrivateDNSNotEffective
	AlternateAddressUnreachable
	NoPublicAddress
	OutsideSnapshot
	ZoneMatchedByName
	DNSHostnamesDisabled
	ApplianceAsymmetricRouting
	ELBV2HairpinNotSupported
	NGWProtocolRestriction
	AssumedAddress
	GWLBInspectionDrop
	GWLBReturnSkipsAppliance
	DNS64Disabled
)

type codeInfo struct{ name, desc string }

var codeInfos = []codeInfo{
	{"UNKNOWN", "unknown code"},
	{"NO_ROUTE_TO_DESTINATION", "the route table has no route for the destination (S-14)"},
	{"BAD_STATE_ROUTE", "the matching route is a blackhole: its target is gone, it was written as one (S-13), or the interface it targets is not attached to a running instance (S-15)"},
	{"ENI_SG_RULES_MISMATCH", "no rule of the network interface's security groups allows the packet (S-20..S-23)"},
	{"SUBNET_ACL_RESTRICTION", "the subnet's network ACL denies the packet, by a deny rule or the final * rule (S-31..S-33)"},
	{"PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "a peering connection carries only packets between addresses of the two VPCs: no transit (S-42)"},
	{"IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "the source has no public IPv4 or Elastic IP, so the internet gateway drops it (S-60)"},
	{"IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "a private (RFC 1918) destination is routed to an internet gateway, which drops it (S-60)"},
	{"NGW_REQUIRES_SOURCE_IN_VPC", "the NAT gateway does not serve traffic that arrived over a peering connection (S-42, S-61)"},
	{"ENI_SOURCE_DEST_CHECK_RESTRICTION", "traffic is routed through a network interface whose source/destination check is on (S-15)"},
	{"TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "the transit gateway attachment has no associated route table (S-50)"},
	{"TGW_RTB_CANNOT_ROUTE", "the transit gateway route table has no route for the destination (S-52)"},
	{"TGW_RTB_BAD_STATE_ROUTE", "the transit gateway route is a blackhole (S-52)"},
	{"TGW_ROUTE_AZ_RESTRICTION", "the VPC attachment has no subnet in the availability zone of the traffic (S-51)"},
	{"SG_REFERENCES_NOT_PRESERVED", "a security group rule references a group, but the path does not preserve group references (S-22)"},
	{"SG_REFERENCING_SUPPORT", "a security group reference across a transit gateway needs security group referencing on the gateway, in one region (S-22)"},
	{"BAD_STATE", "a component on the path is not in a state that passes traffic (peering not active, ...) (S-40)"},
	{"BAD_STATE_ATTACHMENT", "a transit gateway attachment is not available (S-50, S-54)"},
	{"RETURN_ROUTE_MISSING", "the response is not routed back the way the request came (S-43)"},
	{"ROUTING_LOOP", "routing revisits a route table for the same destination (S-15)"},
	{"CIDR_OVERLAP", "overlapping address spaces make the destination ambiguous (S-41, S-55)"},
	{"ACL_PARTIAL_RETURN", "a network ACL lets the response through for only part of the ephemeral port range (S-33)"},
	{"ACL_PARTIAL_PROTOCOLS", "for all-traffic queries: a network ACL denies some protocol that a later allow-all rule would pass"},
	{"NO_INTERNET_GATEWAY", "the destination's public address is unreachable: its VPC has no internet gateway (S-60)"},
	{"NGW_INBOUND_NOT_ALLOWED", "a NAT gateway does not accept connections started from outside (S-61)"},
	{"VPCE_GATEWAY_NOT_FROM_PEER", "a gateway endpoint serves only its own VPC, not traffic from a peering, VPN or transit gateway (S-70)"},
	{"VPCE_GATEWAY_PROTOCOL_RESTRICTION", "a gateway endpoint carries only tcp and icmp echo (S-70)"},
	{"INSTANCE_NOT_RUNNING", "the instance is not running, so it sends and receives nothing"},
	{"DESTINATION_NOT_FOUND", "no network interface holds the destination address where the packet arrives"},
	{"UNMODELLED_DESTINATION", "the path reaches a component vpcreach does not model yet"},
	{"TGW_RTB_AMBIGUOUS_ROUTE", "overlapping propagations make the transit gateway route ambiguous; the one used is shown (S-55)"},
	{"ELBV2_LISTENERS_MISMATCH", "the load balancer has no listener for the protocol and port (S-80)"},
	{"ELBV2_NO_HEALTHY_TARGETS", "the listener's target group has no healthy target (S-81)"},
	{"ELBV2_NO_TARGETS_IN_AZ", "the load balancer node has no healthy target in its zone and cross-zone load balancing is off (S-81)"},
	{"ELBV2_SOURCE_ADDRESS_PRESERVATION", "the target sees the client's address (client IP preservation) and its security groups do not allow it (S-81)"},
	{"ELBV2_TARGET_UNREACHABLE", "some, not all, of the load balancer's eligible targets cannot be reached: some connections fail (S-81)"},
	{"VPCE_SERVICE_NOT_INSTALLED_IN_AZ", "the endpoint's subnet is in a zone where the service's load balancer has no node (S-74)"},
	{"VPCE_PRINCIPAL_NOT_ALLOWED", "the consumer's account is not on the endpoint service's allowed principals (S-73)"},
	{"VPCE_CONNECTION_NOT_ACCEPTED", "the endpoint's connection to the service is not accepted: pending, rejected, expired or deleted (S-73)"},
	{"VPCE_SERVICE_REGION_NOT_SUPPORTED", "the endpoint service does not support the consumer's region (S-75)"},
	{"VPCE_NO_ENDPOINT_IN_VPC", "the source's VPC has no interface endpoint to the endpoint service (S-71)"},
	{"DNS_NAME_NOT_FOUND", "the name does not resolve from the source's VPC: NXDOMAIN (S-90)"},
	{"DNS_PRIVATE_ZONE_NOT_ASSOCIATED", "a private hosted zone holds the name but is not associated with the source's VPC (S-90)"},
	{"DNS_SUPPORT_DISABLED", "the source's VPC has DNS support off: the Route 53 Resolver does not answer it (S-90)"},
	{"DNS_RESOLUTION_LOOP", "CNAME or alias records resolve in a loop (S-91)"},
	{"DNS_PRIVATE_DNS_NOT_EFFECTIVE", "an interface endpoint has private DNS on, but the VPC's DNS support or hostnames is off, so the service name resolves publicly (S-72)"},
	{"ALTERNATE_ADDRESS_UNREACHABLE", "the destination has several addresses (load balancer nodes, endpoint interfaces) that clients all use, and some of them are unreachable"},
	{"NO_PUBLIC_ADDRESS", "the destination has no public IPv4 address: nothing on the internet can address it (S-60, S-82)"},
	{"OUTSIDE_SNAPSHOT", "the answer depends on a route target or security group the imported AWS snapshot does not hold: unknown, not a plain no"},
	{"ZONE_MATCHED_BY_NAME", "zones of two accounts were matched by availability zone name, which each account maps to physical zones differently: give az_id for an exact answer (S-74)"},
	{"DNS_HOSTNAMES_DISABLED", "a private hosted zone answered in a VPC with DNS hostnames off; AWS documents that private zones need both DNS support and DNS hostnames, so the answer may not hold (S-90)"},
	{"APPLIANCE_ASYMMETRIC_ROUTING", "the response passes an appliance that did not forward the request: a stateful appliance (firewall) drops it; route both ways through one appliance (with a transit gateway, turn appliance mode on)"},
	{"ELBV2_HAIRPIN_NOT_SUPPORTED", "a target of a load balancer that preserves client IPs connects to that load balancer and is sent back to itself: the connection times out (NAT loopback is not supported, S-81)"},
	{"NGW_PROTOCOL_RESTRICTION", "a NAT gateway carries only tcp, udp and icmp"},
	{"ASSUMED_ADDRESS", "the answer depends on an address the topology assumes (assumed_ips: a Terraform plan's value unknown until apply): a route or rule on the path treats other addresses its resource may get differently"},
	{"GWLB_INSPECTION_DROP", "the appliances behind a Gateway Load Balancer drop the flow: a rule of their target group's inspection matches it (V-22)"},
	{"GWLB_RETURN_SKIPS_APPLIANCE", "the request passed an appliance behind a Gateway Load Balancer endpoint and the response does not: AWS does not support asymmetric routing through appliances, and a stateful appliance never sees the response (V-23)"},
	{"DNS64_DISABLED", "an IPv6-only source is answered through NAT64, at the 64:ff9b::/96 address of its IPv4-only destination, but DNS64 is off on its subnet: the client must be given that address some other way (V-16, V-17)"},
}

// String returns the code's name, such as "NO_ROUTE_TO_DESTINATION".
func (c Code) String() string {
	if int(c) < len(codeInfos) {
		return codeInfos[c].name
	}
	return "UNKNOWN"
}

// Description returns the code's one-line meaning.
func (c Code) Description() string {
	if int(c) < len(codeInfos) {
		return codeInfos[c].desc
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Codes returns every code but CodeUnknown, in declaration order.
func Codes() []Code {
	out := make([]Code, 0, len(codeInfos)-1)
	for i := 1; i < len(codeInfos); i++ {
		out = append(out, Code(i))
	}
	return out
}
