package solver

import (
	"github.com/vpcreach/vpcreach/model"
)

// DefaultEphemeral is the ephemeral port range a query assumes for the
// client's side of a connection when it names none: 1024-65535, the range
// AWS advises network ACLs to allow (S-33).
var DefaultEphemeral = model.PortRange{First: 1024, Last: 65535}

// Query asks whether From can reach To.
//
// From and To name an instance or network interface by id, an IPv4
// address (ADDRESS@VPC-ID picks the VPC when address spaces overlap),
// "internet" (an arbitrary internet host, 198.51.100.1) or a public
// address, or an external network by id (its first usable address).
type Query struct {
	From, To string
	// Protocol is tcp, udp, icmp, a protocol number, or all (all traffic:
	// every filter on the path must allow every protocol).
	Protocol model.Protocol
	// Port is the destination port, for tcp and udp.
	Port uint16
	// ICMP is the ICMP type and code, for icmp; nil means an echo request
	// (type 8, code 0), whose response is an echo reply.
	ICMP *model.ICMPMatch
	// Ephemeral is the client's source port range, which the response
	// returns to and network ACLs must allow (S-33). The zero value means
	// DefaultEphemeral.
	Ephemeral model.PortRange
}
