package oracle

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// Query asks whether From can reach To, as the engine's queries do.
//
// From is an instance or network interface id, a private IPv4 address
// (ADDRESS@VPC picks the VPC when address spaces overlap; a secondary
// address sends from it), an interface's IPv6 address, a public address
// (an interface's sends from its primary private address; any other is an
// internet host, IPv4 or IPv6) or "internet" (the hosts 198.51.100.1 and
// 2001:db8::1). To takes the same forms, a NAT gateway id, and a private
// address no interface holds. A query is answered in each address family
// both ends have and the protocol allows (icmp is IPv4's, icmpv6 IPv6's,
// V-11): an id or "internet" stands for every family the end has.
type Query struct {
	From, To string
	// Protocol is tcp, udp, icmp, icmpv6, another number, or all (every
	// filter must allow all traffic).
	Protocol model.Protocol
	// Port is the destination port, for tcp and udp.
	Port uint16
	// ICMP is the ICMP type and code; nil is an echo request (8/0 for
	// icmp, 128/0 for icmpv6).
	ICMP *model.ICMPMatch
	// Ephemeral is the client's source port range, where the response
	// returns (S-33); zero means 1024-65535.
	Ephemeral model.PortRange
}

// Answer is the oracle's verdict on a query, in the engine's words:
// "reachable", "reachable-with-warnings", "unreachable" or
// "invalid-query", with the codes of every blocker and warning of both
// legs, sorted.
type Answer struct {
	Verdict  string
	Blockers []string
	Warnings []string
	// Err says why a query is invalid.
	Err error
	// Family is the address family of the answer's packets, "ipv4" or
	// "ipv6"; empty when the query is invalid or its ends share no
	// family.
	Family string
	// Families holds the IPv4 and the IPv6 answer when the query was
	// answered in both; the Answer itself is then a copy of the first of
	// them that is reachable, else of the IPv4 one (the verdict is
	// reachable when either family reaches).
	Families []Answer
}

// Reachable reports whether the verdict is reachable, with or without
// warnings.
func (a Answer) Reachable() bool {
	return a.Verdict == "reachable" || a.Verdict == "reachable-with-warnings"
}

// family is an address family.
type family int

const (
	ipv4 family = iota + 1
	ipv6
)

func (f family) String() string {
	if f == ipv6 {
		return "ipv6"
	}
	return "ipv4"
}

func familyOf(a netip.Addr) family {
	if a.Is6() {
		return ipv6
	}
	return ipv4
}

// internetHost is the internet host "internet" stands for, in each family.
var internetHost = map[family]netip.Addr{ipv4: netip.MustParseAddr("198.51.100.1"), ipv6: netip.MustParseAddr("2001:db8::1")}

// defaultEphemeral is the client port range a query assumes (S-33).
var defaultEphemeral = model.PortRange{First: 1024, Last: 65535}

// end is a resolved query end: an interface (at an address, or named by
// id when addr is the zero Addr), an internet host (at an address, or
// "internet"), or, as a destination, an address nobody holds.
type end struct {
	iface    *iface
	addr     netip.Addr
	internet bool
	// byFamily holds, for a destination name, the end of its answer in
	// each family (V-15, V-17).
	byFamily map[family]end
}

// families returns the families an end can use, IPv4 first.
func (e end) families() []family {
	switch {
	case e.byFamily != nil:
		var out []family
		for _, f := range []family{ipv4, ipv6} {
			if _, ok := e.byFamily[f]; ok {
				out = append(out, f)
			}
		}
		return out
	case e.addr.IsValid():
		return []family{familyOf(e.addr)}
	case e.internet:
		return []family{ipv4, ipv6}
	}
	var out []family
	for _, f := range []family{ipv4, ipv6} {
		if e.iface.has(f) {
			out = append(out, f)
		}
	}
	return out
}

// Reach answers a query: the request must reach the destination and the
// response must come back (S-23, S-33, S-43), in each family the query
// asks about.
func (n *Network) Reach(q Query) Answer {
	invalid := func(err error) Answer { return Answer{Verdict: "invalid-query", Err: err} }
	if q.Protocol == 0 || (q.Protocol.HasPorts() && q.Port == 0) {
		return invalid(fmt.Errorf("oracle: no protocol, or no port"))
	}
	src, err := n.resolve(q.From, false)
	if err != nil {
		return invalid(err)
	}
	var dst end
	warning := ""
	if isName(q.To) && src.iface != nil {
		ends, blocker, warn, err := n.resolveName(q.To, src.iface)
		if err != nil {
			return invalid(err)
		}
		if blocker != "" {
			found := &findings{blockers: map[string]bool{blocker: true}, warnings: map[string]bool{}}
			if warn != "" {
				found.warnings[warn] = true
			}
			return found.answer()
		}
		dst, warning = end{byFamily: ends}, warn
	} else if dst, err = n.resolve(q.To, true); err != nil {
		return invalid(err)
	}
	var fams []family
	for _, f := range src.families() {
		if !slices.Contains(dst.families(), f) {
			continue
		}
		// icmp is IPv4's protocol, icmpv6 IPv6's (V-11).
		if (q.Protocol == model.ProtocolICMP && f == ipv6) || (q.Protocol == model.ProtocolICMPv6 && f == ipv4) {
			continue
		}
		fams = append(fams, f)
	}
	if len(fams) == 0 {
		if a, ok := n.nat64(q, src, dst); ok {
			return a
		}
		// The ends have no family in common (V-03), or the protocol is of
		// the other family (V-11): no packet can be sent.
		found := &findings{blockers: map[string]bool{codeNotFound: true}, warnings: map[string]bool{}}
		return found.answer()
	}
	var answers []Answer
	for _, f := range fams {
		a := n.reachFamily(q, src, dst, f, warning)
		a.Family = f.String()
		answers = append(answers, a)
	}
	if len(answers) == 1 {
		return answers[0]
	}
	top := answers[0]
	for _, a := range answers {
		if a.Reachable() {
			top = a
			break
		}
	}
	top.Families = answers
	return top
}

// nat64 answers a query from an IPv6-only interface to an end with IPv4
// addresses only, which share no family (V-03): the client sends over
// IPv6 to the IPv4 address under 64:ff9b::/96, for a NAT gateway's NAT64
// to translate (V-16), not with icmp, IPv4's protocol (V-11). Where DNS64
// is off on the client's subnet, nothing there hands out that address
// (V-17): a warning. False when the query is not of that kind.
func (n *Network) nat64(q Query, src, dst end) (Answer, bool) {
	// A name's answers are DNS64's to give (V-17), not this.
	if src.iface == nil || src.iface.has(ipv4) || !src.iface.has(ipv6) || q.Protocol == model.ProtocolICMP ||
		dst.byFamily != nil || !slices.Equal(dst.families(), []family{ipv4}) || (!dst.addr.IsValid() && dst.iface == nil) {
		return Answer{}, false
	}
	v4 := dst.addr
	if !v4.IsValid() {
		v4 = dst.iface.address(ipv4)
	}
	b := wellKnownPrefix.Addr().As16()
	a4 := v4.As4()
	copy(b[12:], a4[:])
	dst.addr = netip.AddrFrom16(b)
	a := n.reachFamily(q, src, dst, ipv6, "")
	a.Family = ipv6.String()
	if !src.iface.subnet.EnableDNS64 {
		a.Warnings = append(a.Warnings, codeDNS64Disabled)
		slices.Sort(a.Warnings)
		if a.Verdict == "reachable" {
			a.Verdict = "reachable-with-warnings"
		}
	}
	return a, true
}

// reachFamily answers a query in one family; warning, when not empty, is
// a warning of the name's resolution.
func (n *Network) reachFamily(q Query, src, dst end, f family, warning string) Answer {
	if dst.byFamily != nil {
		dst = dst.byFamily[f]
	}
	pick := func(e end) end {
		switch {
		case e.addr.IsValid():
		case e.internet:
			e.addr = internetHost[f]
		default:
			e.addr = e.iface.address(f)
		}
		return e
	}
	byID := dst.iface != nil && !dst.addr.IsValid()
	src, dst = pick(src), pick(dst)
	if src.internet && byID && f == ipv4 && dst.iface.public.IsValid() {
		// From the internet, an interface named by id is addressed at its
		// public address.
		dst.addr = dst.iface.public
	}
	eph := q.Ephemeral
	if eph == (model.PortRange{}) {
		eph = defaultEphemeral
	}
	req := Packet{Src: src.addr, Dst: dst.addr, Protocol: q.Protocol, DstPort: q.Port}
	if q.Protocol.IsICMP() {
		req.ICMPType, req.ICMPCode = echoRequest(q.Protocol), 0
		if q.ICMP != nil {
			req.ICMPType, req.ICMPCode = max(q.ICMP.Type, 0), max(q.ICMP.Code, 0)
		}
	}
	found := &findings{blockers: map[string]bool{}, warnings: map[string]bool{}}
	if warning != "" {
		found.warnings[warning] = true
	}
	if src.iface != nil && src.iface == dst.iface {
		// Nothing crosses the network, but a stopped instance sends
		// nothing (a name may answer with the source's own address).
		if !src.iface.running {
			found.blockers[codeNotRunning] = true
		}
		return found.answer()
	}

	// The request.
	w := &walk{n: n, leg: request, pkt: req, source: src.iface, found: found}
	var arr arrival
	switch {
	case src.iface != nil:
		w.sent = []sentBy{{iface: src.iface, pkt: req}}
		arr = w.send(src.iface)
	case f == ipv4 && dst.iface != nil && dst.addr != dst.iface.public:
		// The internet addresses interfaces by their public IPv4
		// addresses only.
		if dst.iface.public.IsValid() {
			w.block(codeNotFound)
		} else {
			w.block(codeNoPublicAddress)
		}
	case f == ipv6 && dst.iface != nil && dst.addr.Is6() && !n.public(dst.addr):
		// An interface's private IPv6 address (a private GUA or unique
		// local block, V-01): nothing on the internet addresses it; it is
		// reached at its public IPv4 address, if it has one.
		if dst.iface.public.IsValid() {
			w.block(codeNotFound)
		} else {
			w.block(codeNoPublicAddress)
		}
	case !n.public(dst.addr):
		// The internet carries no private addresses: nothing there can
		// send to one (S-60, V-06).
		w.block(codeNotFound)
	default:
		arr = w.overInternet()
	}
	if dst.iface != nil && arr.kind == atInterface && arr.iface != dst.iface {
		// Overlapping address spaces: the routes led to another holder of
		// the address.
		w.block(codeNotFound)
		arr = drop
	}
	w.checkEgress(arr)
	if arr.kind == dropped {
		return found.answer()
	}

	// The response, from where the request arrived, with the addresses
	// swapped, to the client's port (S-33). Security groups pass it
	// (connection tracking, S-23); network ACLs check it again.
	r := &walk{n: n, leg: response, ports: eph, clientPorts: eph, requestAppliances: w.passed,
		translations: w.translations, pins: w.pins, egressOnly: w.egressOnly, gwlbRequest: w.gwlbPassed, source: arr.iface, found: found}
	if len(w.translations) > 0 {
		// Beyond a NAT gateway the response goes to the gateway's own
		// ports until it is translated back.
		r.ports = defaultEphemeral
	}
	// The response is of the protocol the request arrived with: NAT64
	// turns an ICMPv6 echo into an ICMP one (V-16).
	r.pkt = Packet{Src: arr.pkt.Dst, Dst: arr.pkt.Src, Protocol: arr.pkt.Protocol, DstPort: r.ports.First,
		ICMPType: icmpReply(arr.pkt.Protocol, arr.pkt.ICMPType), ICMPCode: arr.pkt.ICMPCode}
	var back arrival
	switch arr.kind {
	case atInterface:
		back = r.routeFrom(arr.iface.subnet)
	case atInternet:
		back = r.overInternet()
	case atService:
		// The service answers through the gateway endpoint, into the VPC.
		back = r.deliverInVPC(arr.vpc, nil)
	}
	r.checkEgress(back)
	if back.kind != dropped {
		// The response must come back to the source, from the address the
		// request was sent to (S-43).
		home := back.kind == atInternet
		if src.iface != nil {
			home = back.kind == atInterface && back.iface == src.iface
		}
		if !home || back.pkt.Src != req.Dst {
			r.block(codeReturnRoute)
		}
		if skipsAppliances(w.gwlbPassed, r.gwlbPassed) {
			// The request passed an appliance behind a Gateway Load
			// Balancer that the response skips (V-23).
			r.warn(codeReturnSkipsAppliance)
		}
	}
	return found.answer()
}

// answer turns the findings into a verdict.
func (f *findings) answer() Answer {
	a := Answer{Verdict: "reachable"}
	for c := range f.blockers {
		a.Blockers = append(a.Blockers, c)
	}
	for c := range f.warnings {
		a.Warnings = append(a.Warnings, c)
	}
	slices.Sort(a.Blockers)
	slices.Sort(a.Warnings)
	switch {
	case len(a.Blockers) > 0:
		a.Verdict = "unreachable"
	case len(a.Warnings) > 0:
		a.Verdict = "reachable-with-warnings"
	}
	return a
}

// echoRequest is the ICMP type of an echo request: 8, or 128 for
// ICMPv6 (V-11).
func echoRequest(p model.Protocol) int {
	if p == model.ProtocolICMPv6 {
		return 128
	}
	return 8
}

// icmpReply returns the ICMP type of the reply to a request type: ICMPv6
// answers an echo request (128) with an echo reply (129, V-11).
func icmpReply(p model.Protocol, t int) int {
	if p == model.ProtocolICMPv6 {
		if t == 128 {
			return 129
		}
		return t
	}
	switch t {
	case 8: // echo
		return 0
	case 13, 15, 17: // timestamp, information, address mask
		return t + 1
	}
	return t
}

// resolve turns a query end into an interface, an internet host or, for a
// destination, a bare private address.
func (n *Network) resolve(spec string, dest bool) (end, error) {
	t := strings.TrimSpace(spec)
	if t == "internet" {
		return end{internet: true}, nil
	}
	if x := n.ifaceByID(model.ID(t)); x != nil && (dest || x.kind != kindNAT) {
		return end{iface: x}, nil
	}
	text, vpcID, qualified := strings.Cut(t, "@")
	a, err := netip.ParseAddr(text)
	if err != nil || a.Is4In6() || a.Zone() != "" {
		return end{}, fmt.Errorf("oracle: %q is not an id or address the oracle knows", spec)
	}
	if v4, ok := embedded(a); ok && dest && !qualified {
		// A destination in 64:ff9b::/96 is the IPv4 end it embeds,
		// reached at the IPv6 address through NAT64 (V-16).
		e, err := n.resolve(v4.String(), true)
		e.addr = a
		return e, err
	}
	if qualified {
		v := n.vpc(model.ID(vpcID))
		if v == nil || n.holderIn(v, a) == nil {
			return end{}, fmt.Errorf("oracle: no interface of %s holds %s", vpcID, a)
		}
		return end{iface: n.holderIn(v, a), addr: a}, nil
	}
	var holders []*iface
	for _, x := range n.ifaces {
		if x.holds(a) {
			holders = append(holders, x)
		}
	}
	switch {
	case len(holders) == 1:
		return end{iface: holders[0], addr: a}, nil
	case len(holders) > 1:
		return end{}, fmt.Errorf("oracle: %s is held in several VPCs", a)
	}
	if x := n.publicHolder(a); x != nil {
		if !dest {
			// A source named by its public address sends from its
			// private one.
			return end{iface: x, addr: x.primary()}, nil
		}
		return end{iface: x, addr: a}, nil
	}
	if !dest && n.v6Home(a) != nil {
		return end{}, fmt.Errorf("oracle: nothing holds %s", a)
	}
	if n.public(a) {
		return end{addr: a, internet: true}, nil
	}
	if dest {
		return end{addr: a}, nil
	}
	return end{}, fmt.Errorf("oracle: nothing holds %s", a)
}
