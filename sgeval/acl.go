package sgeval

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// ACL is a compiled network ACL (S-30, S-31). The zero value denies
// everything, like a new custom ACL; AllowAllACL is the implicit default
// ACL of a VPC that defines none. An ACL is immutable and safe for
// concurrent use.
type ACL struct {
	// ID of the ACL in the model; empty for the implicit default.
	ID model.ID
	// ingress and egress hold the rules of each direction sorted by rule
	// number (unique per direction after validation).
	ingress, egress []aclRule
}

type aclRule struct {
	number int
	proto  model.Protocol
	ports  model.PortRange
	icmp   model.ICMPMatch
	cidr   netip.Prefix
	allow  bool
	// index is the rule's position in the model's list, for explanations.
	index int
}

// CompileACL compiles a model ACL.
func CompileACL(a *model.NetworkACL) *ACL {
	return &ACL{ID: a.ID, ingress: compileACLRules(a.Ingress), egress: compileACLRules(a.Egress)}
}

// AllowAllACL returns the implicit default ACL of a VPC that defines no
// default ACL: it allows all traffic both ways (S-30). Its rules are
// numbered 100, as AWS numbers the default ACL's allow rules.
func AllowAllACL(id model.ID) *ACL { return DefaultACL(id, false) }

// DefaultACL returns the implicit default ACL of a VPC that defines no
// default ACL: rule 100 allows all IPv4 traffic both ways (S-30) and, in a
// VPC with an IPv6 block (ipv6), rule 101 all IPv6 traffic (V-12).
func DefaultACL(id model.ID, ipv6 bool) *ACL {
	all := []aclRule{{number: 100, proto: model.ProtocolAll, ports: model.AllPorts(), icmp: model.AnyICMP(),
		cidr: netip.MustParsePrefix("0.0.0.0/0"), allow: true, index: -1}}
	if ipv6 {
		all = append(all, aclRule{number: 101, proto: model.ProtocolAll, ports: model.AllPorts(), icmp: model.AnyICMP(),
			cidr: netip.MustParsePrefix("::/0"), allow: true, index: -1})
	}
	return &ACL{ID: id, ingress: all, egress: all}
}

func compileACLRules(rules []model.ACLRule) []aclRule {
	out := make([]aclRule, 0, len(rules))
	for i, r := range rules {
		c := aclRule{number: r.Rule, proto: r.Protocol, ports: model.AllPorts(), icmp: model.AnyICMP(), cidr: r.CIDR,
			allow: r.Action == model.ACLAllow, index: i}
		if r.Ports != nil {
			c.ports = *r.Ports
		}
		if r.ICMP != nil {
			c.icmp = *r.ICMP
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b aclRule) int { return cmp.Compare(a.number, b.number) })
	return out
}

// ACLDecision is the outcome of a network ACL check: the deciding rule's
// number and its index in the model's rule list of that direction. Number
// 0 means no rule matched and the final "*" rule denied; Index -1 means
// the rule is implicit (the "*" rule, or the implicit default ACL).
type ACLDecision struct {
	Allowed bool
	Number  int
	Index   int
	// Partial is set for "all traffic" packets that an allow-all rule
	// admits after an earlier deny rule for one protocol took part of the
	// traffic away: the first such rule is PartialNumber (PartialIndex in
	// the model).
	Partial       bool
	PartialNumber int
	PartialIndex  int
}

// RuleName returns "rule 100" or "rule *".
func (d ACLDecision) RuleName() string {
	if d.Number == 0 {
		return "rule *"
	}
	return "rule " + itoa(d.Number)
}

func (a *ACL) rules(dir Direction) []aclRule {
	if dir == Ingress {
		return a.ingress
	}
	return a.egress
}

// Check evaluates the packet against the rules of one direction: ingress
// rules match the source address, egress rules the destination (S-31). It
// does not allocate.
func (a *ACL) Check(dir Direction, p Packet) ACLDecision {
	addr := p.Dst
	if dir == Ingress {
		addr = p.Src
	}
	d := ACLDecision{Number: 0, Index: -1}
	partialSet := false
	for i := range a.rules(dir) {
		r := &a.rules(dir)[i]
		if !r.cidr.Contains(addr) {
			continue
		}
		if p.Protocol == model.ProtocolAll && r.proto != model.ProtocolAll {
			// A deny rule for one protocol takes part of "all traffic"
			// away from a later allow-all rule.
			if !r.allow && !partialSet {
				d.PartialNumber, d.PartialIndex, partialSet = r.number, r.index, true
			}
			continue
		}
		if !matchesService(r.proto, r.ports, r.icmp, &p) {
			continue
		}
		d.Allowed, d.Number, d.Index = r.allow, r.number, r.index
		break
	}
	d.Partial = partialSet && d.Allowed
	return d
}

// PortDecision is the decision for a range of destination ports.
type PortDecision struct {
	Ports model.PortRange
	ACLDecision
}

// CheckPorts evaluates the packet for every destination port in ports (the
// packet's DstPort is ignored), as needed for a response to an ephemeral
// client port (S-33). It appends to buf one decision per maximal run of
// ports decided by the same rule, in port order, and returns it. For
// protocols without ports it appends one decision for the whole range.
func (a *ACL) CheckPorts(dir Direction, p Packet, ports model.PortRange, buf []PortDecision) []PortDecision {
	if !p.Protocol.HasPorts() {
		return append(buf, PortDecision{ports, a.Check(dir, p)})
	}
	addr := p.Dst
	if dir == Ingress {
		addr = p.Src
	}
	start := len(buf)
	// Walk the rules in order; each matching rule decides the still
	// undecided ports of its range. Undecided ports are kept as the
	// complement of the decided segments, which are few.
	for i := range a.rules(dir) {
		r := &a.rules(dir)[i]
		if !r.cidr.Contains(addr) || !(r.proto == model.ProtocolAll || r.proto == p.Protocol) {
			continue
		}
		rp := r.ports
		if r.proto == model.ProtocolAll {
			rp = model.AllPorts()
		}
		lo, hi := max(rp.First, ports.First), min(rp.Last, ports.Last)
		if lo > hi {
			continue
		}
		buf = decideGaps(buf, start, model.PortRange{First: lo, Last: hi}, ACLDecision{Allowed: r.allow, Number: r.number, Index: r.index})
	}
	buf = decideGaps(buf, start, ports, ACLDecision{Number: 0, Index: -1})
	seg := buf[start:]
	slices.SortFunc(seg, func(x, y PortDecision) int { return cmp.Compare(x.Ports.First, y.Ports.First) })
	// Merge neighbours decided by the same rule.
	out := seg[:0]
	for _, s := range seg {
		if n := len(out); n > 0 && out[n-1].ACLDecision == s.ACLDecision && uint32(out[n-1].Ports.Last)+1 == uint32(s.Ports.First) {
			out[n-1].Ports.Last = s.Ports.Last
			continue
		}
		out = append(out, s)
	}
	return buf[:start+len(out)]
}

// decideGaps appends decision d for every port of r that no segment in
// buf[start:] covers yet.
func decideGaps(buf []PortDecision, start int, r model.PortRange, d ACLDecision) []PortDecision {
	next := uint32(r.First)
	for next <= uint32(r.Last) {
		// Find the decided segment that covers next, or the nearest one
		// starting after it.
		covered := false
		gapEnd := uint32(r.Last)
		for _, s := range buf[start:] {
			if uint32(s.Ports.First) <= next && next <= uint32(s.Ports.Last) {
				next = uint32(s.Ports.Last) + 1
				covered = true
				break
			}
			if uint32(s.Ports.First) > next && uint32(s.Ports.First)-1 < gapEnd {
				gapEnd = uint32(s.Ports.First) - 1
			}
		}
		if covered {
			continue
		}
		buf = append(buf, PortDecision{model.PortRange{First: uint16(next), Last: uint16(gapEnd)}, d})
		next = gapEnd + 1
	}
	return buf
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
