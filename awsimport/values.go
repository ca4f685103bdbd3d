package awsimport

import (
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// AWS writes only valid values. A value it never writes (edited by hand,
// or damaged) is never mapped to the nearest valid one, which may match
// more traffic than meant (a FromPort of -5 is not "every port"): it is an
// error at the value's own line and column. The package doc lists every
// check. A block of the other family than a field takes (an IPv6 block in
// CidrIp, an IPv4 one in CidrIpv6) is such a value too: AWS writes each
// family under its own key.

// at returns src with the position of a value, when the decoder recorded
// one.
func at(src model.Source, pos model.Position) model.Source {
	if pos.Line > 0 {
		src.Position = pos
	}
	return src
}

// cidrKind is what a CIDR field holds.
type cidrKind int

const (
	cidrAbsent cidrKind = iota // empty
	cidrIPv4                   // an IPv4 block, returned
	cidrIPv6                   // an IPv6 block, returned (by ipv4CIDR: reported as not modelled)
	cidrBad                    // not a block as AWS writes one, reported as an error
)

// family is the address family a CIDR field of AWS takes.
type family int

const (
	famAny  family = iota // either (prefix lists, transit gateway routes)
	famIPv4               // IPv4 only (CidrBlock, CidrIp, DestinationCidrBlock)
	famIPv6               // IPv6 only (Ipv6CidrBlock, CidrIpv6, DestinationIpv6CidrBlock)
)

func (f family) String() string {
	switch f {
	case famIPv4:
		return "an IPv4"
	case famIPv6:
		return "an IPv6"
	}
	return "an IPv4 or IPv6"
}

// block reads a CIDR block of family fam as AWS writes it: the network
// address (no host bits set) and a length. A block of the other family is
// an error that names the key AWS writes it under (other); so is
// anything else AWS never writes.
func (b *builder) block(t jsonText, src model.Source, field string, fam family, other string) (netip.Prefix, cidrKind) {
	s := t.S
	if s == "" {
		return netip.Prefix{}, cidrAbsent
	}
	src = at(src, t.Pos)
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		if a, aerr := netip.ParseAddr(s); aerr == nil && a.Zone() == "" {
			b.errorf(src, field, model.ErrInvalidValue, "%q is an address, not a CIDR block (AWS writes %s/%d)", s, a, a.BitLen())
		} else {
			b.errorf(src, field, model.ErrInvalidValue, "%q is not %s CIDR block", s, fam)
		}
		return netip.Prefix{}, cidrBad
	case p.Addr().Is4In6():
		b.errorf(src, field, model.ErrInvalidValue, "%q is an IPv4-mapped IPv6 block, which AWS never writes (it writes IPv4 blocks as IPv4)", s)
		return netip.Prefix{}, cidrBad
	case fam == famIPv4 && p.Addr().Is6(), fam == famIPv6 && p.Addr().Is4():
		got := "IPv6"
		if p.Addr().Is4() {
			got = "IPv4"
		}
		b.errorf(src, field, model.ErrInvalidValue, "%q is an %s block, which AWS writes under %s, never here", s, got, other)
		return netip.Prefix{}, cidrBad
	case p.Masked() != p:
		b.errorf(src, field, model.ErrInvalidValue, "%q has host bits set, which AWS never writes (it writes %s): the address or the length is wrong", s, p.Masked())
		return netip.Prefix{}, cidrBad
	}
	if p.Addr().Is6() {
		return p, cidrIPv6
	}
	return p, cidrIPv4
}

// ipv6Addr reads an IPv6 address of an interface as AWS writes it; ok is
// false (with an error) for anything else.
func (b *builder) ipv6Addr(t jsonText, src model.Source, field string) (netip.Addr, bool) {
	src = at(src, t.Pos)
	a, err := netip.ParseAddr(t.S)
	switch {
	case t.S == "":
		b.errorf(src, field, model.ErrMissingField, "an IPv6 address entry has an Ipv6Address, and this one has none")
	case err != nil || a.Zone() != "":
		b.errorf(src, field, model.ErrInvalidValue, "%q is not an IPv6 address", t.S)
	case a.Is4() || a.Is4In6():
		b.errorf(src, field, model.ErrInvalidValue, "%q is an IPv4 address, which AWS writes under PrivateIpAddress, never here", t.S)
	default:
		return a, true
	}
	return netip.Addr{}, false
}

// ipv4CIDR reads an IPv4 CIDR block as AWS writes it, for the fields whose
// IPv6 values vpcreach does not model (VPN routes): the network address
// (no host bits set) and a length. An IPv6 block gets a warning that
// says what is skipped (skipped, such as "the rule's peer"; none when
// empty: the caller reports it); anything else is an error.
func (b *builder) ipv4CIDR(t jsonText, src model.Source, field, skipped string) (netip.Prefix, cidrKind) {
	s := t.S
	if s == "" {
		return netip.Prefix{}, cidrAbsent
	}
	src = at(src, t.Pos)
	p, err := netip.ParsePrefix(s)
	switch {
	case err == nil && p.Addr().Is6():
		if skipped != "" {
			b.ipv6(src, field, "%s %s is skipped", skipped, s)
		}
		return netip.Prefix{}, cidrIPv6
	case err != nil && strings.Contains(s, ":"):
		if _, aerr := netip.ParseAddr(s); aerr == nil {
			if skipped != "" {
				b.ipv6(src, field, "%s %s is skipped", skipped, s)
			}
			return netip.Prefix{}, cidrIPv6
		}
		b.errorf(src, field, model.ErrInvalidValue, "%q is not a CIDR block", s)
		return netip.Prefix{}, cidrBad
	case err != nil:
		if a, aerr := netip.ParseAddr(s); aerr == nil && a.Is4() {
			b.errorf(src, field, model.ErrInvalidValue, "%q is an address, not a CIDR block (AWS writes %s/32)", s, a)
		} else {
			b.errorf(src, field, model.ErrInvalidValue, "%q is not an IPv4 CIDR block", s)
		}
		return netip.Prefix{}, cidrBad
	case p.Masked() != p:
		b.errorf(src, field, model.ErrInvalidValue, "%q has host bits set, which AWS never writes (it writes %s): the address or the length is wrong", s, p.Masked())
		return netip.Prefix{}, cidrBad
	}
	return p, cidrIPv4
}

// ipv6 reports an IPv6 value, which is skipped.
func (b *builder) ipv6(src model.Source, field string, format string, args ...any) {
	b.warn(src, field, ErrNotModelled, "IPv6 is not modelled yet: "+format, args...)
}

// portRange reads the ports of a tcp or udp rule (fields fromField and
// toField of src): AWS writes both, from 0 to 65535, the first not above
// the last. -1 (all) is only for protocol -1, which has no ports.
func (b *builder) portRange(from, to *jsonInt, src model.Source, proto model.Protocol, fromField, toField string) (*model.PortRange, bool) {
	if from == nil || to == nil {
		missing := fromField
		if from != nil {
			missing = toField
		}
		b.errorf(src, missing, model.ErrMissingField, "a %s rule has %s and %s, and this one has no %s", proto, fromField, toField, missing)
		return nil, false
	}
	ok := true
	ends := []struct {
		n     *jsonInt
		field string
	}{{from, fromField}, {to, toField}}
	if from.V == -1 && to.V == -1 {
		ends = ends[:1] // one mistake: AWS's "all" of protocol -1
	}
	for _, p := range ends {
		switch {
		case p.n.V == -1:
			b.errorf(at(src, p.n.Pos), p.field, model.ErrInvalidValue, "-1 (every port) is not a %s port: AWS writes 0 to 65535 for every port, and -1 only for protocol -1 (all traffic)", proto)
			ok = false
		case p.n.V < 0 || p.n.V > 65535:
			b.errorf(at(src, p.n.Pos), p.field, model.ErrInvalidValue, "port %d is outside 0..65535", p.n.V)
			ok = false
		}
	}
	if ok && from.V > to.V {
		b.errorf(at(src, from.Pos), fromField, model.ErrInvalidValue, "%s %d is above %s %d: the range is empty, which AWS never writes", fromField, from.V, toField, to.V)
		ok = false
	}
	if !ok {
		return nil, false
	}
	return &model.PortRange{First: uint16(from.V), Last: uint16(to.V)}, true
}

// icmpTypeCode reads the ICMP type and code of a rule (fields typeField
// and codeField of src): AWS writes both, from -1 (any) to 255, and a code
// other than -1 only with a type. A nil match is all ICMP.
func (b *builder) icmpTypeCode(typ, code *jsonInt, src model.Source, typeField, codeField string) (*model.ICMPMatch, bool) {
	if typ == nil || code == nil {
		missing := typeField
		if typ != nil {
			missing = codeField
		}
		b.errorf(src, missing, model.ErrMissingField, "an ICMP rule has a type (%s) and a code (%s), -1 for any, and this one has no %s", typeField, codeField, missing)
		return nil, false
	}
	ok := true
	for _, p := range []struct {
		n           *jsonInt
		field, what string
	}{{typ, typeField, "type"}, {code, codeField, "code"}} {
		if p.n.V < -1 || p.n.V > 255 {
			b.errorf(at(src, p.n.Pos), p.field, model.ErrInvalidValue, "ICMP %s %d is outside -1 (any) to 255", p.what, p.n.V)
			ok = false
		}
	}
	if ok && typ.V == -1 && code.V != -1 {
		b.errorf(at(src, code.Pos), codeField, model.ErrInvalidValue, "ICMP code %d with type -1 (any): a code belongs to a type, and AWS writes -1 for both", code.V)
		ok = false
	}
	if !ok || typ.V == -1 {
		return nil, ok
	}
	return &model.ICMPMatch{Type: typ.V, Code: code.V}, true
}

// ignoredPort warns about a port (field) given to a protocol that has
// none (all traffic, or a protocol other than tcp, udp and ICMP): AWS
// ignores it, and the rule matches every port.
func (b *builder) ignoredPort(n *jsonInt, src model.Source, field string, proto model.Protocol) {
	if n != nil && n.V != -1 {
		b.warn(at(src, n.Pos), field, model.ErrInvalidValue, "%s %d is ignored: a rule for protocol %s matches every port, as in AWS", field, n.V, proto)
	}
}

// port reads a listener's or target's port: 1 to 65535; nil is absent.
func (b *builder) port(n *jsonInt, src model.Source, field string) (uint16, bool) {
	if n == nil {
		return 0, true
	}
	if n.V < 1 || n.V > 65535 {
		b.errorf(at(src, n.Pos), field, model.ErrInvalidValue, "port %d is outside 1..65535", n.V)
		return 0, false
	}
	return uint16(n.V), true
}
