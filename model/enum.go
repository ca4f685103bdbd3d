package model

import (
	"fmt"
	"strings"
)

// parseEnum finds s (case-insensitive, '-' and '_' alike) in names and
// returns its index, or an error listing the allowed values.
func parseEnum(names []string, what, s string) (int, error) {
	norm := func(x string) string { return strings.ReplaceAll(kebab(strings.TrimSpace(x)), "_", "-") }
	t := norm(s)
	for i, n := range names {
		if n != "" && norm(n) == t {
			return i, nil
		}
	}
	var allowed []string
	for _, n := range names {
		if n != "" {
			allowed = append(allowed, n)
		}
	}
	return 0, fmt.Errorf("%q is not a %s (one of %s)", s, what, strings.Join(allowed, ", "))
}

// kebab lowers camelCase and PascalCase as the AWS APIs write some states
// ("pendingAcceptance", "PendingAcceptance") into "pending-acceptance";
// all-capital words ("CNAME") are only lowered.
func kebab(s string) string {
	if strings.ToUpper(s) == s {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && s[i-1] != '-' && s[i-1] != '_' {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func enumString(names []string, i int) string {
	if i >= 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprintf("unknown(%d)", i)
}

// EnumValues returns the YAML spellings of an enum type's values, for
// documentation and the JSON Schema. It knows the enum types of this
// package and returns nil for any other value.
func EnumValues(v any) []string {
	var names []string
	switch v.(type) {
	case RouteState, *RouteState:
		names = routeStateNames
	case ACLAction, *ACLAction:
		names = aclActionNames
	case PeeringStatus, *PeeringStatus:
		names = peeringStatusNames
	case AttachmentType, *AttachmentType:
		names = attachmentTypeNames
	case AttachmentState, *AttachmentState:
		names = attachmentStateNames
	case NATConnectivity, *NATConnectivity:
		names = natConnectivityNames
	case EndpointType, *EndpointType:
		names = endpointTypeNames
	case EndpointState, *EndpointState:
		names = endpointStateNames
	case LoadBalancerType, *LoadBalancerType:
		names = lbTypeNames
	case Scheme, *Scheme:
		names = schemeNames
	case TargetType, *TargetType:
		names = targetTypeNames
	case TargetHealth, *TargetHealth:
		names = targetHealthNames
	case RecordType, *RecordType:
		names = recordTypeNames
	case Expect, *Expect:
		names = expectNames
	case InstanceState, *InstanceState:
		names = instanceStateNames
	case ListenerProtocol, *ListenerProtocol:
		names = listenerProtocolNames
	case IPAddressType, *IPAddressType:
		names = ipAddressTypeNames
	case DNSRecordIPType, *DNSRecordIPType:
		names = dnsRecordIPTypeNames
	case ExternalConnection, *ExternalConnection:
		names = externalConnectionNames
	default:
		return nil
	}
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// RouteState is the state of a VPC route. The zero value is RouteActive.
type RouteState uint8

// Route states.
const (
	RouteActive RouteState = iota
	// RouteBlackhole drops matching packets (S-13): the route's target was
	// deleted, or the route was written as a blackhole.
	RouteBlackhole
	// RouteOutsideSnapshot marks a route whose target exists in AWS but
	// not in the snapshot the topology was imported from (a peer VPC or
	// gateway of another account): where it leads is unknown.
	RouteOutsideSnapshot
)

var routeStateNames = []string{"active", "blackhole", "outside-snapshot"}

// String returns the YAML spelling.
func (s RouteState) String() string { return enumString(routeStateNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *RouteState) UnmarshalText(b []byte) error {
	i, err := parseEnum(routeStateNames, "route state", string(b))
	*s = RouteState(i)
	return err
}

// ACLAction is what a network ACL rule does with a matching packet. The zero
// value is unset.
type ACLAction uint8

// ACL actions.
const (
	ACLAllow ACLAction = iota + 1
	ACLDeny
)

var aclActionNames = []string{"", "allow", "deny"}

// String returns the YAML spelling.
func (a ACLAction) String() string { return enumString(aclActionNames, int(a)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *ACLAction) UnmarshalText(b []byte) error {
	i, err := parseEnum(aclActionNames, "network ACL action", string(b))
	*a = ACLAction(i)
	return err
}

// PeeringStatus is the status code of a VPC peering connection (S-40). The
// zero value is PeeringActive, the only one that passes traffic.
type PeeringStatus uint8

// Peering statuses, as AWS spells them.
const (
	PeeringActive PeeringStatus = iota
	PeeringInitiatingRequest
	PeeringPendingAcceptance
	PeeringProvisioning
	PeeringRejected
	PeeringExpired
	PeeringFailed
	PeeringDeleting
	PeeringDeleted
)

// Live reports whether a peering in this status exists as a connection
// (or is being set up): not rejected, expired, failed, deleting or deleted.
func (s PeeringStatus) Live() bool {
	switch s {
	case PeeringRejected, PeeringExpired, PeeringFailed, PeeringDeleting, PeeringDeleted:
		return false
	}
	return true
}

var peeringStatusNames = []string{"active", "initiating-request", "pending-acceptance",
	"provisioning", "rejected", "expired", "failed", "deleting", "deleted"}

// String returns the AWS status code.
func (s PeeringStatus) String() string { return enumString(peeringStatusNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *PeeringStatus) UnmarshalText(b []byte) error {
	i, err := parseEnum(peeringStatusNames, "peering status", string(b))
	*s = PeeringStatus(i)
	return err
}

// AttachmentType is the kind of a transit gateway attachment (S-50). The zero
// value is unset.
type AttachmentType uint8

// Transit gateway attachment types.
const (
	AttachmentVPC AttachmentType = iota + 1
	AttachmentPeering
	AttachmentVPN
	AttachmentDirectConnect
	AttachmentConnect
)

var attachmentTypeNames = []string{"", "vpc", "peering", "vpn", "direct-connect-gateway", "connect"}

// String returns the YAML spelling.
func (t AttachmentType) String() string { return enumString(attachmentTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *AttachmentType) UnmarshalText(b []byte) error {
	i, err := parseEnum(attachmentTypeNames, "attachment type", string(b))
	*t = AttachmentType(i)
	return err
}

// AttachmentState is the state of a transit gateway attachment. The zero
// value is AttachmentAvailable, the only one that passes traffic.
type AttachmentState uint8

// Transit gateway attachment states. AWS writes them in camelCase
// (pendingAcceptance); both spellings are accepted.
const (
	AttachmentAvailable AttachmentState = iota
	AttachmentPending
	AttachmentPendingAcceptance
	AttachmentRejected
	AttachmentFailed
	AttachmentDeleting
	AttachmentDeleted
	AttachmentInitiating
	AttachmentInitiatingRequest
	AttachmentModifying
	AttachmentRejecting
	AttachmentFailing
	AttachmentRollingBack
)

var attachmentStateNames = []string{"available", "pending", "pending-acceptance", "rejected", "failed",
	"deleting", "deleted", "initiating", "initiating-request", "modifying", "rejecting", "failing", "rolling-back"}

// String returns the AWS state.
func (s AttachmentState) String() string { return enumString(attachmentStateNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *AttachmentState) UnmarshalText(b []byte) error {
	i, err := parseEnum(attachmentStateNames, "attachment state", string(b))
	*s = AttachmentState(i)
	return err
}

// NATConnectivity says whether a NAT gateway is public or private (S-61). The
// zero value is NATPublic, AWS's default.
type NATConnectivity uint8

// NAT gateway connectivity types.
const (
	NATPublic NATConnectivity = iota
	NATPrivate
)

var natConnectivityNames = []string{"public", "private"}

// String returns the YAML spelling.
func (c NATConnectivity) String() string { return enumString(natConnectivityNames, int(c)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *NATConnectivity) UnmarshalText(b []byte) error {
	i, err := parseEnum(natConnectivityNames, "NAT connectivity", string(b))
	*c = NATConnectivity(i)
	return err
}

// EndpointType is the kind of a VPC endpoint. The zero value is unset.
type EndpointType uint8

// VPC endpoint types.
const (
	EndpointGateway EndpointType = iota + 1
	EndpointInterface
	EndpointGatewayLoadBalancer
)

var endpointTypeNames = []string{"", "gateway", "interface", "gateway-load-balancer"}

// String returns the YAML spelling.
func (t EndpointType) String() string { return enumString(endpointTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *EndpointType) UnmarshalText(b []byte) error {
	i, err := parseEnum(endpointTypeNames, "endpoint type", string(b))
	*t = EndpointType(i)
	return err
}

// EndpointState is the state of a VPC endpoint or of an endpoint service
// connection (S-73). The zero value is unset: the state follows from the
// service's acceptance setting.
type EndpointState uint8

// Endpoint and endpoint-connection states, as AWS spells them.
const (
	EndpointAvailable EndpointState = iota + 1
	EndpointPendingAcceptance
	EndpointPending
	EndpointRejected
	EndpointExpired
	EndpointFailed
	EndpointDeleting
	EndpointDeleted
)

var endpointStateNames = []string{"", "available", "pending-acceptance", "pending", "rejected", "expired", "failed", "deleting", "deleted"}

// String returns the AWS state.
func (s EndpointState) String() string { return enumString(endpointStateNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *EndpointState) UnmarshalText(b []byte) error {
	i, err := parseEnum(endpointStateNames, "endpoint state", string(b))
	*s = EndpointState(i)
	return err
}

// LoadBalancerType is the kind of an Elastic Load Balancing v2 load balancer.
// The zero value is unset.
type LoadBalancerType uint8

// Load balancer types.
const (
	LBNetwork LoadBalancerType = iota + 1
	LBApplication
	LBGateway
)

var lbTypeNames = []string{"", "network", "application", "gateway"}

// String returns the YAML spelling.
func (t LoadBalancerType) String() string { return enumString(lbTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *LoadBalancerType) UnmarshalText(b []byte) error {
	i, err := parseEnum(lbTypeNames, "load balancer type", string(b))
	*t = LoadBalancerType(i)
	return err
}

// Scheme says whether a load balancer is internal or internet-facing (S-82).
// The zero value is unset.
type Scheme uint8

// Load balancer schemes.
const (
	SchemeInternal Scheme = iota + 1
	SchemeInternetFacing
)

var schemeNames = []string{"", "internal", "internet-facing"}

// String returns the YAML spelling.
func (s Scheme) String() string { return enumString(schemeNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Scheme) UnmarshalText(b []byte) error {
	i, err := parseEnum(schemeNames, "load balancer scheme", string(b))
	*s = Scheme(i)
	return err
}

// ListenerProtocol is the protocol of a load balancer listener or target
// group. The zero value is unset.
type ListenerProtocol uint8

// Listener and target group protocols.
const (
	ListenerTCP ListenerProtocol = iota + 1
	ListenerUDP
	ListenerTCPUDP
	ListenerTLS
	ListenerHTTP
	ListenerHTTPS
	ListenerGENEVE
)

var listenerProtocolNames = []string{"", "tcp", "udp", "tcp_udp", "tls", "http", "https", "geneve"}

// String returns the YAML spelling.
func (p ListenerProtocol) String() string { return enumString(listenerProtocolNames, int(p)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *ListenerProtocol) UnmarshalText(b []byte) error {
	s := strings.ReplaceAll(string(b), "-", "_")
	for i, n := range listenerProtocolNames {
		if n != "" && strings.EqualFold(n, strings.TrimSpace(s)) {
			*p = ListenerProtocol(i)
			return nil
		}
	}
	_, err := parseEnum(listenerProtocolNames, "listener protocol", string(b))
	return err
}

// IPProtocols returns the IP protocols the listener protocol carries.
func (p ListenerProtocol) IPProtocols() []Protocol {
	switch p {
	case ListenerUDP:
		return []Protocol{ProtocolUDP}
	case ListenerTCPUDP:
		return []Protocol{ProtocolTCP, ProtocolUDP}
	case ListenerGENEVE:
		return []Protocol{ProtocolUDP}
	case 0:
		return nil
	}
	return []Protocol{ProtocolTCP}
}

// TargetType is how a target group names its targets (S-81). The zero value
// is TargetInstance.
type TargetType uint8

// Target types.
const (
	TargetInstance TargetType = iota
	TargetIP
	TargetALB
	TargetLambda
)

var targetTypeNames = []string{"instance", "ip", "alb", "lambda"}

// String returns the YAML spelling.
func (t TargetType) String() string { return enumString(targetTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *TargetType) UnmarshalText(b []byte) error {
	i, err := parseEnum(targetTypeNames, "target type", string(b))
	*t = TargetType(i)
	return err
}

// TargetHealth is the health of a registered target. The zero value is
// HealthHealthy: a proposed topology describes targets that work.
type TargetHealth uint8

// Target health states, as Elastic Load Balancing spells them.
const (
	HealthHealthy TargetHealth = iota
	HealthUnhealthy
	HealthInitial
	HealthDraining
	HealthUnused
	HealthUnavailable
)

var targetHealthNames = []string{"healthy", "unhealthy", "initial", "draining", "unused", "unavailable"}

// String returns the YAML spelling.
func (h TargetHealth) String() string { return enumString(targetHealthNames, int(h)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *TargetHealth) UnmarshalText(b []byte) error {
	i, err := parseEnum(targetHealthNames, "target health", string(b))
	*h = TargetHealth(i)
	return err
}

// RecordType is the type of a hosted zone record (S-91). The zero value is
// unset.
type RecordType uint8

// Record types.
const (
	RecordA RecordType = iota + 1
	RecordCNAME
	RecordAlias
	// RecordAAAA holds IPv6 addresses (V-15).
	RecordAAAA
)

var recordTypeNames = []string{"", "A", "CNAME", "ALIAS", "AAAA"}

// String returns "A", "CNAME", "ALIAS" or "AAAA".
func (t RecordType) String() string { return enumString(recordTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *RecordType) UnmarshalText(b []byte) error {
	i, err := parseEnum(recordTypeNames, "record type", string(b))
	*t = RecordType(i)
	return err
}

// Expect is the verdict an expectation asserts. The zero value is unset.
type Expect uint8

// Expected verdicts.
const (
	ExpectReachable Expect = iota + 1
	ExpectUnreachable
)

var expectNames = []string{"", "reachable", "unreachable"}

// String returns the YAML spelling.
func (e Expect) String() string { return enumString(expectNames, int(e)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Expect) UnmarshalText(b []byte) error {
	i, err := parseEnum(expectNames, "expectation", string(b))
	*e = Expect(i)
	return err
}

// InstanceState is the EC2 state of an instance. Only running instances
// carry traffic. The zero value is InstanceRunning.
type InstanceState uint8

// Instance states, as EC2 spells them.
const (
	InstanceRunning InstanceState = iota
	InstancePending
	InstanceStopping
	InstanceStopped
	InstanceShuttingDown
	InstanceTerminated
)

var instanceStateNames = []string{"running", "pending", "stopping", "stopped", "shutting-down", "terminated"}

// String returns the EC2 spelling.
func (s InstanceState) String() string { return enumString(instanceStateNames, int(s)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *InstanceState) UnmarshalText(b []byte) error {
	i, err := parseEnum(instanceStateNames, "instance state", string(b))
	*s = InstanceState(i)
	return err
}

// IPAddressType is the address families of an interface endpoint's or a
// load balancer's addresses, or one a PrivateLink endpoint service
// accepts (V-30, V-32, V-33). The zero value is unset: ipv4, AWS's
// default.
type IPAddressType uint8

// IP address types.
const (
	IPAddressIPv4 IPAddressType = iota + 1
	IPAddressDualstack
	IPAddressIPv6
	// IPAddressDualstackWithoutPublicIPv4 is an application load
	// balancer's: private IPv4 and IPv6 addresses, public IPv6 only.
	IPAddressDualstackWithoutPublicIPv4
)

var ipAddressTypeNames = []string{"", "ipv4", "dualstack", "ipv6", "dualstack-without-public-ipv4"}

// String returns the YAML spelling.
func (t IPAddressType) String() string { return enumString(ipAddressTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *IPAddressType) UnmarshalText(b []byte) error {
	i, err := parseEnum(ipAddressTypeNames, "IP address type", string(b))
	*t = IPAddressType(i)
	return err
}

// HasIPv4 reports whether the type gives IPv4 addresses (unset: ipv4).
func (t IPAddressType) HasIPv4() bool { return t != IPAddressIPv6 }

// HasIPv6 reports whether the type gives IPv6 addresses.
func (t IPAddressType) HasIPv6() bool {
	return t == IPAddressDualstack || t == IPAddressIPv6 || t == IPAddressDualstackWithoutPublicIPv4
}

// DNSRecordIPType says which records an interface endpoint's DNS names
// answer with (V-31), or a gateway endpoint's service names (V-30). The
// zero value is unset: the records of an interface endpoint's IP address
// type, service-defined for a gateway endpoint.
type DNSRecordIPType uint8

// DNS record IP types.
const (
	DNSRecordIPv4 DNSRecordIPType = iota + 1
	DNSRecordDualstack
	DNSRecordIPv6
	// DNSRecordServiceDefined answers A records on every name and AAAA
	// records on the regional and zonal names, not the private DNS name;
	// on a gateway endpoint, the records of the service name called (V-30).
	DNSRecordServiceDefined
)

var dnsRecordIPTypeNames = []string{"", "ipv4", "dualstack", "ipv6", "service-defined"}

// String returns the YAML spelling.
func (t DNSRecordIPType) String() string { return enumString(dnsRecordIPTypeNames, int(t)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *DNSRecordIPType) UnmarshalText(b []byte) error {
	i, err := parseEnum(dnsRecordIPTypeNames, "DNS record IP type", string(b))
	*t = DNSRecordIPType(i)
	return err
}

// ExternalConnection is the kind of connection an external network is
// reached by: a Site-to-Site VPN connection or Direct Connect (a private
// virtual interface to a virtual private gateway or Direct Connect
// gateway, a transit virtual interface to a Direct Connect gateway). The
// zero value is unset: the kind of a transit gateway attachment, a VPN
// for a virtual private gateway (V-35).
type ExternalConnection uint8

// External connection kinds.
const (
	// ConnectionVPN is a Site-to-Site VPN connection: its tunnels carry
	// one IP version (V-35).
	ConnectionVPN ExternalConnection = iota + 1
	// ConnectionDirectConnect is a Direct Connect virtual interface: it
	// carries IPv4 and IPv6 BGP sessions side by side (V-35).
	ConnectionDirectConnect
)

var externalConnectionNames = []string{"", "vpn", "direct-connect"}

// String returns the YAML spelling.
func (c ExternalConnection) String() string { return enumString(externalConnectionNames, int(c)) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *ExternalConnection) UnmarshalText(b []byte) error {
	i, err := parseEnum(externalConnectionNames, "connection kind", string(b))
	*c = ExternalConnection(i)
	return err
}
