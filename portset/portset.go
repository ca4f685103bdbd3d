// Package portset holds sets of protocols and destination ports: what can
// pass between two endpoints, written the way people read it ("tcp
// 22,443,8000-8080; udp 53; icmp").
//
// A Set is a value: its methods return new sets and never change their
// receiver. The zero Set is empty. Sets are canonical (ranges sorted,
// disjoint and not adjacent; protocols sorted and unique), so two sets are
// equal exactly when Equal says so, and their JSON and text are equal too.
package portset

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// Set is a set of flows: tcp and udp destination ports, icmp (an echo
// request, as vpcreach's analyses probe it), and other IP protocols whole.
type Set struct {
	// TCP and UDP are destination port ranges, 1-65535, canonical.
	TCP []model.PortRange `json:"tcp,omitempty"`
	UDP []model.PortRange `json:"udp,omitempty"`
	// ICMP reports whether an ICMP echo request passes (and its reply).
	ICMP bool `json:"icmp,omitempty"`
	// Other lists other IP protocols (by number) that pass, sorted.
	Other []model.Protocol `json:"other,omitempty"`
}

// Ports returns the set of one protocol's port ranges (tcp or udp) or, for
// a protocol without ports, the protocol alone (ranges are then ignored).
func Ports(p model.Protocol, ranges ...model.PortRange) Set {
	var s Set
	switch {
	case p == model.ProtocolTCP:
		s.TCP = normalize(ranges)
	case p == model.ProtocolUDP:
		s.UDP = normalize(ranges)
	case p == model.ProtocolICMP:
		s.ICMP = true
	case p != 0 && p != model.ProtocolAll:
		s.Other = []model.Protocol{p}
	}
	return s
}

// IsEmpty reports whether nothing passes.
func (s Set) IsEmpty() bool {
	return len(s.TCP) == 0 && len(s.UDP) == 0 && !s.ICMP && len(s.Other) == 0
}

// Equal reports whether s and t hold the same flows.
func (s Set) Equal(t Set) bool {
	return slices.Equal(s.TCP, t.TCP) && slices.Equal(s.UDP, t.UDP) && s.ICMP == t.ICMP && slices.Equal(s.Other, t.Other)
}

// Union returns the flows in s or t.
func (s Set) Union(t Set) Set {
	return Set{
		TCP:   normalize(append(slices.Clone(s.TCP), t.TCP...)),
		UDP:   normalize(append(slices.Clone(s.UDP), t.UDP...)),
		ICMP:  s.ICMP || t.ICMP,
		Other: protocols(append(slices.Clone(s.Other), t.Other...)),
	}
}

// Minus returns the flows in s and not in t.
func (s Set) Minus(t Set) Set {
	out := Set{TCP: minus(s.TCP, t.TCP), UDP: minus(s.UDP, t.UDP), ICMP: s.ICMP && !t.ICMP}
	for _, p := range s.Other {
		if !slices.Contains(t.Other, p) {
			out.Other = append(out.Other, p)
		}
	}
	return out
}

// Intersect returns the flows in both s and t.
func (s Set) Intersect(t Set) Set {
	return s.Minus(s.Minus(t))
}

// Overlaps reports whether some flow is in both s and t: whether
// Intersect would not be empty, without building it.
func (s Set) Overlaps(t Set) bool {
	if (s.ICMP && t.ICMP) || rangesOverlap(s.TCP, t.TCP) || rangesOverlap(s.UDP, t.UDP) {
		return true
	}
	return slices.ContainsFunc(s.Other, func(p model.Protocol) bool { return slices.Contains(t.Other, p) })
}

// Contains reports whether one flow passes: a tcp or udp port, or a
// protocol without ports (port ignored).
func (s Set) Contains(p model.Protocol, port uint16) bool {
	var rs []model.PortRange
	switch p {
	case model.ProtocolTCP:
		rs = s.TCP
	case model.ProtocolUDP:
		rs = s.UDP
	case model.ProtocolICMP:
		return s.ICMP
	default:
		return slices.Contains(s.Other, p)
	}
	i, _ := slices.BinarySearchFunc(rs, port, func(r model.PortRange, p uint16) int {
		switch {
		case r.Last < p:
			return -1
		case r.First > p:
			return 1
		}
		return 0
	})
	return i < len(rs) && rs[i].Contains(port)
}

// Protocols returns the protocols of the set, in the order String writes
// them.
func (s Set) Protocols() []model.Protocol {
	var out []model.Protocol
	if len(s.TCP) > 0 {
		out = append(out, model.ProtocolTCP)
	}
	if len(s.UDP) > 0 {
		out = append(out, model.ProtocolUDP)
	}
	if s.ICMP {
		out = append(out, model.ProtocolICMP)
	}
	return append(out, s.Other...)
}

// NumProtocols returns len(s.Protocols()), without building the list.
func (s Set) NumProtocols() int {
	n := len(s.Other)
	for _, has := range []bool{len(s.TCP) > 0, len(s.UDP) > 0, s.ICMP} {
		if has {
			n++
		}
	}
	return n
}

// Ranges returns the port ranges of tcp or udp (nil for other protocols).
func (s Set) Ranges(p model.Protocol) []model.PortRange {
	switch p {
	case model.ProtocolTCP:
		return slices.Clone(s.TCP)
	case model.ProtocolUDP:
		return slices.Clone(s.UDP)
	}
	return nil
}

// String writes the set as "tcp 22,443,8000-8080; udp all; icmp; 50", or
// "none" when it is empty; "all" stands for ports 1-65535.
func (s Set) String() string {
	if s.IsEmpty() {
		return "none"
	}
	var parts []string
	for _, p := range s.Protocols() {
		part := p.String()
		if p.HasPorts() {
			part += " " + RangesString(s.Ranges(p))
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// RangesString writes port ranges as "22,443,8000-8080", or "all" for
// 1-65535.
func RangesString(rs []model.PortRange) string {
	if len(rs) == 1 && rs[0].First <= 1 && rs[0].Last == 65535 {
		return "all"
	}
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(int(r.First)))
		if r.Last != r.First {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(int(r.Last)))
		}
	}
	return b.String()
}

// normalize returns ranges sorted, merged and clipped to 1-65535.
func normalize(rs []model.PortRange) []model.PortRange {
	var in []model.PortRange
	for _, r := range rs {
		if r.First > r.Last || r.Last == 0 {
			continue
		}
		in = append(in, model.PortRange{First: max(r.First, 1), Last: r.Last})
	}
	slices.SortFunc(in, func(a, b model.PortRange) int { return int(a.First) - int(b.First) })
	var out []model.PortRange
	for _, r := range in {
		if n := len(out); n > 0 && uint32(r.First) <= uint32(out[n-1].Last)+1 {
			out[n-1].Last = max(out[n-1].Last, r.Last)
			continue
		}
		out = append(out, r)
	}
	return out
}

// minus returns the ports of a not in b; both canonical.
func minus(a, b []model.PortRange) []model.PortRange {
	var out []model.PortRange
	j := 0
	for _, r := range a {
		lo := uint32(r.First)
		hi := uint32(r.Last)
		for j < len(b) && uint32(b[j].Last) < lo {
			j++
		}
		for k := j; k < len(b) && uint32(b[k].First) <= hi && lo <= hi; k++ {
			if uint32(b[k].First) > lo {
				out = append(out, model.PortRange{First: uint16(lo), Last: b[k].First - 1})
			}
			lo = uint32(b[k].Last) + 1
		}
		if lo <= hi {
			out = append(out, model.PortRange{First: uint16(lo), Last: uint16(hi)})
		}
	}
	return out
}

// rangesOverlap reports whether two canonical lists of ranges share a
// port.
func rangesOverlap(a, b []model.PortRange) bool {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].Last < b[j].First:
			i++
		case b[j].Last < a[i].First:
			j++
		default:
			return true
		}
	}
	return false
}

// protocols sorts and deduplicates protocol numbers.
func protocols(ps []model.Protocol) []model.Protocol {
	slices.Sort(ps)
	return slices.Compact(ps)
}
