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
// From is an instance or network interface id, a private address
// (ADDRESS@VPC picks the VPC when address spaces overlap; a secondary
// address sends from it), a public address (an interface's sends from its
// primary private address; any other is an internet host) or "internet"
// (the host 198.51.100.1). To takes the same forms, a NAT gateway id, and
// a private address no interface holds.
type Query struct {
	From, To string
	// Protocol is tcp, udp, icmp, another number, or all (every filter
	// must allow all traffic).
	Protocol model.Protocol
	// Port is the destination port, for tcp and udp.
	Port uint16
	// ICMP is the ICMP type and code; nil is an echo request (8/0).
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
}

// Reachable reports whether the verdict is reachable, with or without
// warnings.
func (a Answer) Reachable() bool {
	return a.Verdict == "reachable" || a.Verdict == "reachable-with-warnings"
}

// internetHost is the internet host "internet" stands for.
var internetHost = netip.MustParseAddr("198.51.100.1")

// defaultEphemeral is the client port range a query assumes (S-33).
var defaultEphemeral = model.PortRange{First: 1024, Last: 65535}

// end is a resolved query end: an interface (at one of its addresses),
// an internet host, or, as a destination, a private address nobody holds.
type end struct {
	iface    *iface
	addr     netip.Addr
	internet bool
}

// Reach answers a query: the request must reach the destination and the
// response must come back (S-23, S-33, S-43).
func (n *Network) Reach(q Query) Answer {
	invalid := func(err error) Answer { return Answer{Verdict: "invalid-query", Err: err} }
	if q.Protocol == 0 || (q.Protocol.HasPorts() && q.Port == 0) {
		return invalid(fmt.Errorf("oracle: no protocol, or no port"))
	}
	src, err := n.resolve(q.From, false)
	if err != nil {
		return invalid(err)
	}
	dst, err := n.resolve(q.To, true)
	if err != nil {
		return invalid(err)
	}
	if src.internet && dst.iface != nil && !namesAddress(q.To) && dst.iface.public.IsValid() {
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
		req.ICMPType, req.ICMPCode = 8, 0
		if q.ICMP != nil {
			req.ICMPType, req.ICMPCode = max(q.ICMP.Type, 0), max(q.ICMP.Code, 0)
		}
	}
	found := &findings{blockers: map[string]bool{}, warnings: map[string]bool{}}
	if src.iface != nil && src.iface == dst.iface {
		return found.answer()
	}

	// The request.
	w := &walk{n: n, leg: request, pkt: req, source: src.iface, found: found}
	var arr arrival
	switch {
	case src.iface != nil:
		w.sent = []sentBy{{iface: src.iface, pkt: req}}
		arr = w.send(src.iface)
	case dst.iface != nil && dst.addr != dst.iface.public:
		// The internet addresses interfaces by their public addresses only.
		if dst.iface.public.IsValid() {
			w.block(codeNotFound)
		} else {
			w.block(codeNoPublicAddress)
		}
	case !isPublic(dst.addr):
		// The internet carries no private addresses: nothing there can
		// send to one (S-60).
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
		translations: w.translations, pins: w.pins, source: arr.iface, found: found}
	if len(w.translations) > 0 {
		// Beyond a NAT gateway the response goes to the gateway's own
		// ports until it is translated back.
		r.ports = defaultEphemeral
	}
	r.pkt = Packet{Src: arr.pkt.Dst, Dst: arr.pkt.Src, Protocol: req.Protocol, DstPort: r.ports.First,
		ICMPType: icmpReply(req.ICMPType), ICMPCode: req.ICMPCode}
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

// icmpReply returns the ICMP type of the reply to a request type.
func icmpReply(t int) int {
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
		return end{addr: internetHost, internet: true}, nil
	}
	if x := n.ifaceByID(model.ID(t)); x != nil && (dest || x.kind != kindNAT) {
		return end{iface: x, addr: x.primary()}, nil
	}
	text, vpcID, qualified := strings.Cut(t, "@")
	a, err := netip.ParseAddr(text)
	if err != nil || !a.Is4() {
		return end{}, fmt.Errorf("oracle: %q is not an id or address the oracle knows", spec)
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
	if isPublic(a) {
		return end{addr: a, internet: true}, nil
	}
	if dest {
		return end{addr: a}, nil
	}
	return end{}, fmt.Errorf("oracle: nothing holds %s", a)
}

// namesAddress reports whether a query end is written as an address.
func namesAddress(spec string) bool {
	a, _, _ := strings.Cut(strings.TrimSpace(spec), "@")
	_, err := netip.ParseAddr(a)
	return err == nil
}
