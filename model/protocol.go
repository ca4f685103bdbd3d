package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Protocol is an IP protocol number as security groups and network ACLs name
// it. ProtocolAll (written "all" or "-1") matches every protocol. The zero
// value is "unset" and never matches; IANA protocol 0 (HOPOPT) cannot be
// written.
type Protocol uint8

// Well-known protocols. ProtocolAll uses 255, which IANA reserves and never
// appears on the wire.
const (
	ProtocolICMP   Protocol = 1
	ProtocolTCP    Protocol = 6
	ProtocolUDP    Protocol = 17
	ProtocolICMPv6 Protocol = 58
	ProtocolAll    Protocol = 255
)

var protocolNames = map[Protocol]string{
	ProtocolICMP: "icmp", ProtocolTCP: "tcp", ProtocolUDP: "udp",
	ProtocolICMPv6: "icmpv6", ProtocolAll: "all",
}

// String returns "tcp", "udp", "icmp", "icmpv6", "all", or the decimal
// number of any other protocol.
func (p Protocol) String() string {
	if n, ok := protocolNames[p]; ok {
		return n
	}
	if p == 0 {
		return "unset"
	}
	return strconv.Itoa(int(p))
}

// HasPorts reports whether the protocol carries ports (tcp and udp).
func (p Protocol) HasPorts() bool { return p == ProtocolTCP || p == ProtocolUDP }

// IsICMP reports whether the protocol is icmp or icmpv6.
func (p Protocol) IsICMP() bool { return p == ProtocolICMP || p == ProtocolICMPv6 }

// Matches reports whether a rule for protocol p applies to a packet of
// protocol q.
func (p Protocol) Matches(q Protocol) bool { return p == ProtocolAll || p == q }

// ParseProtocol parses a protocol name (tcp, udp, icmp, icmpv6, all), "-1",
// or a number from 1 to 254. Numbers of named protocols become the name
// (6 is tcp).
func ParseProtocol(s string) (Protocol, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "tcp":
		return ProtocolTCP, nil
	case "udp":
		return ProtocolUDP, nil
	case "icmp":
		return ProtocolICMP, nil
	case "icmpv6":
		return ProtocolICMPv6, nil
	case "all", "-1":
		return ProtocolAll, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 254 {
		return 0, fmt.Errorf("%q is not a protocol (tcp, udp, icmp, icmpv6, all, -1 or a number 1-254)", s)
	}
	return Protocol(n), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseProtocol.
func (p *Protocol) UnmarshalText(b []byte) error {
	v, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// PortRange is an inclusive range of tcp or udp ports. The zero value is the
// single port 0; AllPorts is 0-65535.
type PortRange struct {
	First, Last uint16
}

// AllPorts returns the whole port space, 0-65535.
func AllPorts() PortRange { return PortRange{0, 65535} }

// SinglePort returns the range holding only p.
func SinglePort(p uint16) PortRange { return PortRange{p, p} }

// Contains reports whether port p lies in r.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// ContainsRange reports whether every port of o lies in r.
func (r PortRange) ContainsRange(o PortRange) bool { return r.First <= o.First && o.Last <= r.Last }

// Overlaps reports whether r and o share a port.
func (r PortRange) Overlaps(o PortRange) bool { return r.First <= o.Last && o.First <= r.Last }

// String returns "443", "1024-65535" or "all".
func (r PortRange) String() string {
	if r == AllPorts() {
		return "all"
	}
	if r.First == r.Last {
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

// ParsePortRange parses "443", "1024-65535" or "all".
func ParsePortRange(s string) (PortRange, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "all") {
		return AllPorts(), nil
	}
	lo, hi, isRange := strings.Cut(t, "-")
	first, err1 := parsePort(lo)
	last := first
	var err2 error
	if isRange {
		last, err2 = parsePort(hi)
	}
	if err1 != nil || err2 != nil {
		return PortRange{}, fmt.Errorf("%q is not a port or port range (443, 1024-65535 or all)", s)
	}
	if first > last {
		return PortRange{}, fmt.Errorf("port range %q runs backwards", s)
	}
	return PortRange{first, last}, nil
}

func parsePort(s string) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	return uint16(n), err
}

// UnmarshalText implements encoding.TextUnmarshaler with ParsePortRange.
func (r *PortRange) UnmarshalText(b []byte) error {
	v, err := ParsePortRange(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (r PortRange) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// ICMPMatch selects ICMP messages by type and code; -1 in either field
// matches any value.
type ICMPMatch struct {
	// Type is the ICMP type (0-255), or -1 for any type.
	Type int `yaml:"type" default:"-1"`
	// Code is the ICMP code (0-255), or -1 for any code.
	Code int `yaml:"code" default:"-1"`
}

// AnyICMP returns the match of every ICMP message: any type, any code.
func AnyICMP() ICMPMatch { return ICMPMatch{-1, -1} }

// Matches reports whether an ICMP message of type t and code c matches m.
func (m ICMPMatch) Matches(t, c int) bool {
	return (m.Type < 0 || m.Type == t) && (m.Code < 0 || m.Code == c)
}

// String returns "type 8 code any" style text.
func (m ICMPMatch) String() string {
	f := func(v int) string {
		if v < 0 {
			return "any"
		}
		return strconv.Itoa(v)
	}
	return "type " + f(m.Type) + " code " + f(m.Code)
}
