package diff

import (
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// serviceAtoms returns service atoms that both sides' rules leave whole:
// the ranges of either side split at the boundaries of the other's, and
// the protocols either side probes whole.
func serviceAtoms(a, b *solver.Solver) []solver.ServiceAtom {
	bounds := map[model.Protocol][]uint16{}
	var whole []model.Protocol
	for _, s := range []*solver.Solver{a, b} {
		for _, at := range s.ServiceAtoms() {
			if at.Protocol.HasPorts() {
				bounds[at.Protocol] = append(bounds[at.Protocol], at.Ports.First)
			} else {
				whole = append(whole, at.Protocol)
			}
		}
	}
	var out []solver.ServiceAtom
	for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
		starts := bounds[p]
		slices.Sort(starts)
		starts = slices.Compact(starts)
		for i, first := range starts {
			last := uint16(65535)
			if i+1 < len(starts) {
				last = starts[i+1] - 1
			}
			out = append(out, solver.ServiceAtom{Protocol: p, Ports: model.PortRange{First: first, Last: last}})
		}
	}
	slices.Sort(whole)
	for _, p := range slices.Compact(whole) {
		out = append(out, solver.ServiceAtom{Protocol: p})
	}
	return out
}

// outsideFlows compares the flows between interfaces and what lies outside
// the VPCs: from every class to the internet, and to and from every
// external network (the internet's flows in are the exposure sections).
// Only classes in VPCs whose paths the change may alter are asked (see
// touchedVPCs): the others' paths out are those of the old side.
func (c *comparison) outsideFlows(r *Report, js []joint, touched map[model.ID]bool, changed bool) {
	type outside struct {
		e  Endpoints
		id model.ID
		in bool // also flows from it
	}
	targets := []outside{{e: Endpoints{Kind: kindInternet, Members: []model.ID{}, Side: "both"}, id: "internet"}}
	ext := map[model.ID][2]bool{}
	for i, sd := range []*side{c.old, c.new} {
		for _, e := range sd.s.Model().ExternalNetworks {
			x := ext[e.ID]
			x[i] = true
			ext[e.ID] = x
		}
	}
	var extIDs []model.ID
	for id := range ext {
		extIDs = append(extIDs, id)
	}
	slices.Sort(extIDs)
	for _, id := range extIDs {
		sideName := "both"
		switch x := ext[id]; {
		case !x[0]:
			sideName = "new"
		case !x[1]:
			sideName = "old"
		}
		targets = append(targets, outside{e: Endpoints{Kind: kindExternal, Members: []model.ID{id}, Side: sideName}, id: id, in: true})
	}
	atoms := serviceAtoms(c.old.s, c.new.s)
	has := func(sd *side, id model.ID) bool {
		if id == "internet" {
			return true
		}
		for _, e := range sd.s.Model().ExternalNetworks {
			if e.ID == id {
				return true
			}
		}
		return false
	}
	for _, j := range js {
		if !c.touched(j, touched) {
			continue
		}
		e := c.endpoints(j)
		member := j.members[0]
		for _, t := range targets {
			for _, in := range []bool{false, true} {
				if in && !t.in {
					continue
				}
				from, to := member, t.id
				if in {
					from, to = t.id, member
				}
				var gained, lost, both portset.Set
				for _, at := range atoms {
					q := at.Query(string(from), string(to))
					ro := j.old >= 0 && has(c.old, t.id) && c.old.reachable(q)
					rn := j.new >= 0 && has(c.new, t.id) && c.new.reachable(q)
					switch {
					case rn && !ro:
						gained = gained.Union(at.Set())
					case ro && !rn:
						lost = lost.Union(at.Set())
					case ro && rn:
						both = both.Union(at.Set())
					}
				}
				fe, te := e, t.e
				ja, jb := j, joint{members: []model.ID{t.id}, old: -1, new: -1}
				if in {
					fe, te = t.e, e
					ja, jb = jb, ja
				}
				if !gained.IsEmpty() {
					r.Gained = append(r.Gained, c.entries(fe, te, from, to, ja, jb, gained, true, -1)...)
				}
				if !lost.IsEmpty() {
					r.Lost = append(r.Lost, c.entries(fe, te, from, to, ja, jb, lost, false, -1)...)
				}
				if changed && !both.IsEmpty() {
					if f, ok := c.changedBetween(fe, te, from, to, both); ok {
						r.Changed = append(r.Changed, f)
					}
				}
			}
		}
	}
}

// touched reports whether a joint class lies in a touched VPC on either
// side.
func (c *comparison) touched(j joint, touched map[model.ID]bool) bool {
	return (j.old >= 0 && touched[c.old.classes[j.old].VPC]) || (j.new >= 0 && touched[c.new.classes[j.new].VPC])
}
