package reachtest

import (
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TCP returns the query for a tcp connection from one endpoint to another
// on a destination port. From and To take what solver.Query takes:
// instance, interface, load balancer or endpoint ids, addresses,
// "internet", DNS names, AWS services...
func TCP(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: port}
}

// UDP returns the query for a udp flow to a destination port, and its
// response.
func UDP(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolUDP, Port: port}
}

// ICMP returns the query for an ICMP message of the given type and code
// (8 and 0 for an echo request, whose response is an echo reply).
func ICMP(from, to string, icmpType, icmpCode uint8) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolICMP,
		ICMP: &model.ICMPMatch{Type: int(icmpType), Code: int(icmpCode)}}
}

// OverIPv4 returns q restricted to IPv4: a dual-stack end is then asked
// for its IPv4 addresses only, and an IPv6-only end does not reach.
func OverIPv4(q solver.Query) solver.Query {
	q.Family = solver.FamilyIPv4
	return q
}

// OverIPv6 returns q restricted to IPv6, as OverIPv4 does for IPv4.
// Without either, a flow is reachable when some family both ends have
// reaches (an instance open to ::/0 is exposed whatever its IPv4 rules
// say).
func OverIPv6(q solver.Query) solver.Query {
	q.Family = solver.FamilyIPv6
	return q
}
