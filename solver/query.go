package solver

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// DefaultEphemeral returns the ephemeral port range a query assumes for
// the client's side of a connection when it names none: 1024-65535, the
// range AWS advises network ACLs to allow (S-33).
func DefaultEphemeral() model.PortRange { return model.PortRange{First: 1024, Last: 65535} }

// Query asks whether From can reach To.
//
// From and To name an instance or network interface by id, an IPv4
// address (ADDRESS@VPC-ID picks the VPC when address spaces overlap),
// "internet" (an arbitrary internet host, 198.51.100.1) or a public
// address, or an external network by id (the first usable address of its
// first prefix of each family it has, answered per family like a
// dual-stack instance, V-35). To
// also names a load balancer or endpoint by id, an endpoint service by id
// or service name, an AWS service or a DNS name (see Solver.Reach).
//
// Either end may name a resource by its name instead of its id: the
// name field (an instance's Name tag, a load balancer's name) of an
// instance, network interface, NAT gateway, endpoint, load balancer or
// external network (model.NameableKinds), matched exactly, surrounding
// space aside. An id always wins over a name. A name no other of those
// resources carries stands for its id; a name several carry is an
// invalid query whose error lists their ids (model.ErrAmbiguousName).
// Names are looked up after endpoint service ids and names, and before
// AWS service and DNS names: an instance named "s3" hides the service,
// which com.amazonaws.REGION.s3 still names.
// Text made of digits and dots only, or of hexadecimal digits, colons and
// dots with a colon, is an attempt at an address, never an id or a DNS
// name: "999.1.1.1" and "10.0.1" are invalid queries. IPv6 addresses are
// accepted (IPv4-mapped ones and zones are not). Validate checks the forms.
//
// A query between ends that have both families (a dual-stack instance
// named by id, "internet") is answered for each family both ends can use:
// see Result.Families.
type Query struct {
	From, To string
	// Protocol is tcp, udp, icmp, a protocol number, or all (all traffic:
	// every filter on the path must allow every protocol).
	Protocol model.Protocol
	// Port is the destination port, for tcp and udp only.
	Port uint16
	// ICMP is the ICMP type and code, for icmp and icmpv6 only; nil means
	// an echo request (icmp type 8, icmpv6 type 128, code 0), whose
	// response is an echo reply (0, 129; V-11). Type and code are 0-255;
	// -1 (any, as rules and expectations write it) is sent as 0.
	ICMP *model.ICMPMatch
	// Ephemeral is the client's source port range, which the response
	// returns to and network ACLs must allow (S-33). The zero value means
	// DefaultEphemeral; otherwise it lies within 1-65535.
	Ephemeral model.PortRange
	// Family restricts the answer to one address family, FamilyIPv4 or
	// FamilyIPv6; empty answers for every family both ends have (see
	// Result.Families). An end that lacks the family makes the flow
	// unreachable (DESTINATION_NOT_FOUND), as ends with no family in
	// common do.
	Family string
}

// Validate reports whether q is a question vpcreach can answer of some
// model: it names a protocol; a port (1-65535) for tcp and udp and none
// for other protocols; an ICMP type and code only for icmp, each -1-255;
// an ephemeral range within 1-65535; and From and To in the forms Query
// describes. The error wraps ErrInvalidQuery. What the model decides (an
// unknown id, both ends on the internet) is checked by Reach, which
// answers VerdictInvalidQuery with the error of Validate or of the model.
func (q Query) Validate() error {
	if err := q.validateFlow(); err != nil {
		return err
	}
	for _, spec := range []string{q.From, q.To} {
		if _, err := parseEndpoint(spec); err != nil {
			return err
		}
	}
	return nil
}

// validateFlow checks the protocol, port, ICMP and ephemeral fields.
func (q Query) validateFlow() error {
	p := q.Protocol
	switch {
	case p == 0:
		return fmt.Errorf("%w: no protocol", ErrInvalidQuery)
	case p.HasPorts() && q.Port == 0:
		return fmt.Errorf("%w: %s needs a port", ErrInvalidQuery, p)
	case !p.HasPorts() && q.Port != 0:
		return fmt.Errorf("%w: port %d applies to tcp and udp, not %s", ErrInvalidQuery, q.Port, p)
	case q.ICMP != nil && !p.IsICMP():
		return fmt.Errorf("%w: an ICMP type and code apply to icmp, not %s", ErrInvalidQuery, p)
	case q.ICMP != nil && (q.ICMP.Type < -1 || q.ICMP.Type > 255):
		return fmt.Errorf("%w: ICMP type %d is outside 0-255", ErrInvalidQuery, q.ICMP.Type)
	case q.ICMP != nil && (q.ICMP.Code < -1 || q.ICMP.Code > 255):
		return fmt.Errorf("%w: ICMP code %d is outside 0-255", ErrInvalidQuery, q.ICMP.Code)
	case q.Ephemeral != (model.PortRange{}) && (q.Ephemeral.First == 0 || q.Ephemeral.First > q.Ephemeral.Last):
		return fmt.Errorf("%w: ephemeral range %s is not within 1-65535", ErrInvalidQuery, q.Ephemeral)
	case q.Family != "" && q.Family != FamilyIPv4 && q.Family != FamilyIPv6:
		return fmt.Errorf("%w: family %q is not %s or %s", ErrInvalidQuery, q.Family, FamilyIPv4, FamilyIPv6)
	case q.Family == FamilyIPv6 && p == model.ProtocolICMP:
		return fmt.Errorf("%w: icmp is IPv4's; over IPv6 ask for icmpv6 (V-11)", ErrInvalidQuery)
	case q.Family == FamilyIPv4 && p == model.ProtocolICMPv6:
		return fmt.Errorf("%w: icmpv6 is IPv6's; over IPv4 ask for icmp (V-11)", ErrInvalidQuery)
	}
	return nil
}

// endpointKind is the form of a query end, before the model gives it a
// meaning.
type endpointKind uint8

const (
	// endpointName is an id, or a DNS, service or endpoint service name:
	// the model says which.
	endpointName endpointKind = iota + 1
	// endpointInternet is "internet".
	endpointInternet
	// endpointAddress is ADDRESS or ADDRESS@VPC-ID.
	endpointAddress
)

// endpoint is a query end as written.
type endpoint struct {
	kind endpointKind
	// text is the end without surrounding space: for a name, the id or
	// name.
	text string
	// addr, and vpc when the address is qualified, for endpointAddress.
	addr netip.Addr
	vpc  model.ID
}

// String writes the endpoint as parseEndpoint reads it back.
func (e endpoint) String() string {
	switch {
	case e.kind == endpointAddress && e.vpc != "":
		return e.addr.String() + "@" + string(e.vpc)
	case e.kind == endpointAddress:
		return e.addr.String()
	}
	return e.text
}

// parseEndpoint reads the form of a query end: "internet", an address
// (ADDRESS or ADDRESS@VPC-ID), or a name. Text that looks like an address
// (looksLikeAddress) must be a valid IPv4 address.
func parseEndpoint(spec string) (endpoint, error) {
	t := strings.TrimSpace(spec)
	if t == "" {
		return endpoint{}, fmt.Errorf("%w: empty endpoint", ErrInvalidQuery)
	}
	if t == string(Internet) {
		return endpoint{kind: endpointInternet, text: t}, nil
	}
	addrText, vpc, qualified := strings.Cut(t, "@")
	if !looksLikeAddress(addrText) {
		if qualified {
			return endpoint{}, fmt.Errorf("%w: %q: only an address takes @VPC-ID (ADDRESS@VPC-ID)", ErrInvalidQuery, t)
		}
		return endpoint{kind: endpointName, text: t}, nil
	}
	a, err := netip.ParseAddr(addrText)
	switch {
	case err != nil && strings.Contains(addrText, ":"):
		return endpoint{}, fmt.Errorf("%w: %q is not an IP address", ErrInvalidQuery, addrText)
	case err != nil:
		return endpoint{}, fmt.Errorf("%w: %q is not an IPv4 address (four numbers 0-255 separated by dots, such as 10.0.1.5)", ErrInvalidQuery, addrText)
	case a.Is4In6():
		return endpoint{}, fmt.Errorf("%w: %s is an IPv4-mapped IPv6 address: write IPv4 addresses as IPv4", ErrInvalidQuery, addrText)
	case a.Zone() != "":
		return endpoint{}, fmt.Errorf("%w: %s has a zone: VPC addresses have none", ErrInvalidQuery, addrText)
	case qualified && vpc == "":
		return endpoint{}, fmt.Errorf("%w: %q names no VPC after @ (ADDRESS@VPC-ID)", ErrInvalidQuery, t)
	}
	return endpoint{kind: endpointAddress, text: t, addr: a, vpc: model.ID(vpc)}, nil
}

// looksLikeAddress reports whether text is an attempt at an IP address:
// digits and dots only (with a digit), or hexadecimal digits, colons and
// dots with a colon, optionally followed by %ZONE. No id, DNS name or
// service name has either form.
func looksLikeAddress(s string) bool {
	s, _, _ = strings.Cut(s, "%")
	digit, colon, hex := false, false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '.':
		case c == ':':
			colon = true
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hex = true
		default:
			return false
		}
	}
	return colon || (digit && !hex)
}
