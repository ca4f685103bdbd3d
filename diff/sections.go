package diff

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// Exposure is a destination whose exposure to the internet changed on one
// protocol.
type Exposure struct {
	// Destination is an instance, network interface or load balancer;
	// Members are the other interfaces exposed alike.
	Destination model.ID   `json:"destination"`
	Members     []model.ID `json:"members,omitempty"`
	Kind        string     `json:"kind"`
	Protocol    string     `json:"protocol"`
	// Ports are the ports newly exposed (or no longer exposed), or exposed
	// to more (fewer) internet addresses than before.
	Ports string `json:"ports"`
	// From is who on the internet reaches them on the side where they are
	// exposed: "anywhere" or a list of ranges.
	From  string  `json:"from"`
	Cause []Cause `json:"cause"`
	// Family is "ipv6" for an exposure over IPv6 (an interface the
	// internet reaches at its global IPv6 address); empty for IPv4.
	Family string `json:"family,omitempty"`
}

// exposureKey is one exposed destination, protocol and address family.
type exposureKey struct {
	id     model.ID
	proto  model.Protocol
	family string
}

// exposedRange is a range of exposed ports and who reaches them.
type exposedRange struct {
	ports model.PortRange
	from  *netipx.IPSet
	text  string
}

type exposedDest struct {
	kind    string
	members []model.ID
	ranges  []exposedRange
}

// exposures indexes a side's exposure by destination and protocol, every
// member of a class on its own.
func exposures(sd *side, protocols []model.Protocol, touched map[model.ID]bool) map[exposureKey]*exposedDest {
	out := map[exposureKey]*exposedDest{}
	for _, e := range sd.s.Exposure(protocols, nil, solver.AnalysisOptions{InVPC: func(v model.ID) bool { return touched[sd.id(v)] }}) {
		e.Destination = sd.id(e.Destination)
		e.Members = slices.Clone(e.Members)
		for i, m := range e.Members {
			e.Members[i] = sd.id(m)
		}
		d := &exposedDest{kind: e.Kind.String(), members: e.Members}
		for _, p := range e.Ports {
			var b netipx.IPSetBuilder
			text := "anywhere"
			if p.Anywhere {
				all := netip.MustParsePrefix("0.0.0.0/0")
				if e.Family == solver.FamilyIPv6 {
					all = netip.MustParsePrefix("::/0")
				}
				b.AddPrefix(all)
			} else {
				var parts []string
				for _, f := range p.From {
					b.AddPrefix(f)
					parts = append(parts, f.String())
				}
				text = strings.Join(parts, ", ")
			}
			set, _ := b.IPSet()
			d.ranges = append(d.ranges, exposedRange{ports: p.Ports, from: set, text: text})
		}
		for _, id := range append([]model.ID{e.Destination}, e.Members...) {
			c := *d
			c.members = slices.DeleteFunc(append([]model.ID{e.Destination}, e.Members...), func(m model.ID) bool { return m == id })
			out[exposureKey{id, e.Protocol, e.Family}] = &c
		}
	}
	return out
}

// wider returns the ports of a (as a set of the protocol) exposed to some
// address that b does not expose them to, who reaches them in a, and a
// source to ask about them: "internet", or an address of the first range
// that reaches them when not every internet address does.
func wider(proto model.Protocol, a, b *exposedDest) (portset.Set, []string, string) {
	var out portset.Set
	var from []string
	src := ""
	pick := func(ra exposedRange) {
		switch {
		case src != "":
		case ra.text == "anywhere" || len(ra.from.Ranges()) == 0:
			src = "internet"
		default:
			src = ra.from.Ranges()[0].From().String()
		}
	}
	for _, ra := range a.ranges {
		// Split ra at b's ranges.
		covered := portset.Set{}
		if b != nil {
			for _, rb := range b.ranges {
				lo, hi := max(ra.ports.First, rb.ports.First), min(ra.ports.Last, rb.ports.Last)
				if lo > hi {
					continue
				}
				part := portset.Ports(proto, model.PortRange{First: lo, Last: hi})
				covered = covered.Union(part)
				if !subset(ra.from, rb.from) {
					out = out.Union(part)
					from = append(from, ra.text)
					pick(ra)
				}
			}
		}
		rest := portset.Ports(proto, ra.ports).Minus(covered)
		if !rest.IsEmpty() {
			out = out.Union(rest)
			from = append(from, ra.text)
			pick(ra)
		}
	}
	slices.Sort(from)
	return out, slices.Compact(from), src
}

// subset reports whether every address of a is in b.
func subset(a, b *netipx.IPSet) bool {
	for _, r := range a.Ranges() {
		if !b.ContainsRange(r) {
			return false
		}
	}
	return true
}

// exposure fills the exposure sections.
func (c *comparison) exposure(r *Report) {
	touched := c.touchedVPCs()
	var protocols []model.Protocol
	for _, a := range serviceAtoms(c.old.s, c.new.s) {
		if len(protocols) == 0 || protocols[len(protocols)-1] != a.Protocol {
			protocols = append(protocols, a.Protocol)
		}
	}
	eo, en := exposures(c.old, protocols, touched), exposures(c.new, protocols, touched)
	diff := func(a, b map[exposureKey]*exposedDest, gained bool) []Exposure {
		var out []Exposure
		for k, d := range a {
			set, from, src := wider(k.proto, d, b[k])
			if set.IsEmpty() {
				continue
			}
			e := Exposure{Destination: k.id, Members: d.members, Kind: d.kind, Protocol: k.proto.String(), From: strings.Join(from, "; ")}
			if k.family == solver.FamilyIPv6 {
				e.Family = k.family
			}
			var port uint16
			if k.proto.HasPorts() {
				rs := set.Ranges(k.proto)
				e.Ports = portset.RangesString(rs)
				port = rs[0].First
			}
			e.Cause = c.exposureCauses(src, k.id, k.proto, port, k.family, gained)
			out = append(out, e)
		}
		slices.SortFunc(out, func(x, y Exposure) int {
			return cmp.Or(cmp.Compare(x.Destination, y.Destination), cmp.Compare(x.Protocol, y.Protocol), cmp.Compare(x.Family, y.Family))
		})
		return groupExposure(out)
	}
	r.ExposureGained = diff(en, eo, true)
	r.ExposureLost = diff(eo, en, false)
}

// groupExposure folds the entries of a class's members, which repeat one
// another, into the first member's.
func groupExposure(es []Exposure) []Exposure {
	var out []Exposure
	done := map[string]bool{}
	for _, e := range es {
		k := string(e.Destination) + "\x00" + e.Protocol + "\x00" + e.Family + "\x00" + e.Ports + "\x00" + e.From
		if done[k] {
			continue
		}
		var members []model.ID
		for _, m := range e.Members {
			mk := string(m) + "\x00" + e.Protocol + "\x00" + e.Family + "\x00" + e.Ports + "\x00" + e.From
			if slices.ContainsFunc(es, func(x Exposure) bool {
				return x.Destination == m && x.Protocol == e.Protocol && x.Family == e.Family && x.Ports == e.Ports && x.From == e.From
			}) {
				done[mk] = true
				members = append(members, m)
			}
		}
		e.Members = members
		out = append(out, e)
	}
	return out
}

// exposureCauses finds the changes behind an exposure change, asking from
// src (internet, or an address of the range whose exposure changed, see
// wider) to the destination.
func (c *comparison) exposureCauses(src string, id model.ID, proto model.Protocol, port uint16, family string, gained bool) []Cause {
	q := solver.Query{From: src, To: string(id), Protocol: proto, Port: port, Family: family}
	out := c.causes(q, joint{members: []model.ID{id}}, joint{members: []model.ID{id}}, gained, nil)
	if out == nil {
		out = []Cause{}
	}
	return out
}

// ExpectationChange is an expectation whose outcome differs between the
// two sides.
type ExpectationChange struct {
	// Name is the expectation's name, or its query in words.
	Name     string `json:"name"`
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	Port     uint16 `json:"port,omitempty"`
	Expect   string `json:"expect"`
	// Old and New are the verdicts on each side.
	Old string `json:"old"`
	New string `json:"new"`
	// Pos is where the expectation is written (new file first).
	Pos      model.Position `json:"-"`
	Position string         `json:"position,omitempty"`
	Cause    []Cause        `json:"cause"`
}

// expectations checks the expectations of both files on both sides.
func (c *comparison) expectations(r *Report) {
	seen := map[string]bool{}
	for _, sd := range []*side{c.new, c.old} {
		m := sd.s.Model()
		for i := range m.Expectations {
			e := &m.Expectations[i]
			port, icmp := -1, model.ICMPMatch{Type: -2}
			if e.Port != nil {
				port = int(*e.Port)
			}
			if e.ICMP != nil {
				icmp = *e.ICMP
			}
			// The expectation's ends, named as the comparison names them.
			q := solver.QueryOf(e)
			q.From, q.To = string(sd.id(model.ID(q.From))), string(sd.id(model.ID(q.To)))
			k := fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%v\x00%s", q.From, q.To, e.Protocol, port, icmp, e.Expect)
			if seen[k] {
				continue
			}
			seen[k] = true
			ro, rn := c.old.reach(q), c.new.reach(q)
			held := func(r solver.Result) bool {
				return r.Verdict != solver.VerdictInvalidQuery && r.Reachable() == (e.Expect == model.ExpectReachable)
			}
			if held(ro) == held(rn) {
				continue
			}
			name := e.Name
			if name == "" {
				name = rn.Query.String()
			}
			ec := ExpectationChange{Name: name, From: q.From, To: q.To, Protocol: e.Protocol.String(), Expect: e.Expect.String(),
				Old: ro.Verdict.String(), New: rn.Verdict.String(), Pos: e.Source.Position, Position: posString(e.Source.Position)}
			if e.Port != nil {
				ec.Port = *e.Port
			}
			gained := rn.Reachable()
			ec.Cause = c.causes(q, joint{members: []model.ID{model.ID(e.From)}}, joint{members: []model.ID{model.ID(e.To)}}, gained, nil)
			if ec.Cause == nil {
				ec.Cause = []Cause{}
			}
			if held(ro) {
				r.ExpectationsBroken = append(r.ExpectationsBroken, ec)
			} else {
				r.ExpectationsFixed = append(r.ExpectationsFixed, ec)
			}
		}
	}
}

// OverlapChange is a pair of overlapping address spaces that appears or
// disappears, or whose connection class changes.
type OverlapChange struct {
	A     model.ID `json:"a"`
	B     model.ID `json:"b"`
	Class string   `json:"class"`
	// CIDRs lists the overlapping pairs, as "10.0.0.0/16 ~ 10.0.1.0/24".
	CIDRs   []string   `json:"cidrs"`
	Via     []model.ID `json:"via,omitempty"`
	Message string     `json:"message"`
}

// overlaps compares the overlapping spaces of the two sides; a pair whose
// class changes is removed in its old class and added in its new.
func (c *comparison) overlaps(r *Report) {
	oo, on := overlap.Find(c.old.s.Model()), overlap.Find(c.new.s.Model())
	for i := range oo { // named as the comparison names them
		o := &oo[i]
		o.A.ID, o.B.ID = c.old.id(o.A.ID), c.old.id(o.B.ID)
		if o.B.ID < o.A.ID {
			o.A, o.B = o.B, o.A
		}
		o.Via = slices.Clone(o.Via)
		for j := range o.Via {
			o.Via[j] = c.old.id(o.Via[j])
		}
	}
	key := func(o overlap.Overlap) string { return fmt.Sprintf("%s\x00%s\x00%s", o.A.ID, o.B.ID, o.Class) }
	entry := func(o overlap.Overlap) OverlapChange {
		oc := OverlapChange{A: o.A.ID, B: o.B.ID, Class: o.Class.String(), Via: o.Via, Message: o.Message}
		for _, p := range o.Pairs {
			oc.CIDRs = append(oc.CIDRs, p.A.String()+" ~ "+p.B.String())
		}
		return oc
	}
	ko, kn := map[string]bool{}, map[string]bool{}
	for _, o := range oo {
		ko[key(o)] = true
	}
	for _, o := range on {
		kn[key(o)] = true
		if !ko[key(o)] {
			r.OverlapsAdded = append(r.OverlapsAdded, entry(o))
		}
	}
	for _, o := range oo {
		if !kn[key(o)] {
			r.OverlapsRemoved = append(r.OverlapsRemoved, entry(o))
		}
	}
}
