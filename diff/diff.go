package diff

import (
	"cmp"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// Report is what a change does to reachability. Its JSON keys are a
// public contract.
type Report struct {
	// Gained and Lost are the flows between interfaces that pass only in
	// the new network, or only in the old one.
	Gained []Flow `json:"gained"`
	Lost   []Flow `json:"lost"`
	// Changed are flows that pass on both sides along a different path, or
	// with different warnings.
	Changed []Flow `json:"changed"`
	// ExposureGained and ExposureLost are destinations and ports the
	// internet reaches only in the new network, or only in the old.
	ExposureGained []Exposure `json:"exposure_gained"`
	ExposureLost   []Exposure `json:"exposure_lost"`
	// ExpectationsBroken held on the old network and fail on the new;
	// ExpectationsFixed the reverse. The expectations of both files are
	// checked on both sides.
	ExpectationsBroken []ExpectationChange `json:"expectations_broken"`
	ExpectationsFixed  []ExpectationChange `json:"expectations_fixed"`
	// OverlapsAdded and OverlapsRemoved are overlapping address spaces
	// between connected networks that appear or disappear.
	OverlapsAdded   []OverlapChange `json:"overlaps_added"`
	OverlapsRemoved []OverlapChange `json:"overlaps_removed"`
	// Resources lists every resource added, removed or modified.
	Resources []Resource `json:"resources"`
	Summary   Summary    `json:"summary"`
}

// Summary counts the entries of each section.
type Summary struct {
	Gained             int `json:"gained"`
	Lost               int `json:"lost"`
	Changed            int `json:"changed"`
	ExposureGained     int `json:"exposure_gained"`
	ExposureLost       int `json:"exposure_lost"`
	ExpectationsBroken int `json:"expectations_broken"`
	ExpectationsFixed  int `json:"expectations_fixed"`
	OverlapsAdded      int `json:"overlaps_added"`
	OverlapsRemoved    int `json:"overlaps_removed"`
	ResourcesChanged   int `json:"resources_changed"`
}

// IsEmpty reports whether the change changes no reachability: no flow,
// exposure, expectation or overlap differs (resources may).
func (r *Report) IsEmpty() bool {
	s := r.Summary
	return s.Gained+s.Lost+s.Changed+s.ExposureGained+s.ExposureLost+s.ExpectationsBroken+
		s.ExpectationsFixed+s.OverlapsAdded+s.OverlapsRemoved == 0
}

// Endpoints is one end of a flow: a class of interfaces that every route
// and rule treats alike on both sides, named by its members; the
// internet; or an external network.
type Endpoints struct {
	// Kind is "interfaces", "internet" or "external-network".
	Kind string `json:"kind"`
	// Members are the instances and network interfaces, sorted; or the
	// external network's id.
	Members []model.ID `json:"members"`
	// Subnet and VPC hold them (on the new side, or the old side for
	// interfaces that are gone); Subnet is empty when they are in several.
	Subnet model.ID `json:"subnet,omitempty"`
	VPC    model.ID `json:"vpc"`
	// Side is "both", "old" (removed in the new network) or "new"
	// (added).
	Side string `json:"side"`
}

// Name returns the endpoints in words: "i-app-1", "i-app-1, i-app-2" (up
// to three), or "i-app-1 and 3 more in subnet-a" (or in the VPC).
func (e Endpoints) Name() string {
	if e.Kind == kindInternet {
		return "the internet"
	}
	if len(e.Members) <= 3 {
		ids := make([]string, len(e.Members))
		for i, id := range e.Members {
			ids[i] = string(id)
		}
		return strings.Join(ids, ", ")
	}
	where := e.Subnet
	if where == "" {
		where = e.VPC
	}
	return fmt.Sprintf("%s and %d more in %s", e.Members[0], len(e.Members)-1, where)
}

// Flow is a set of flows between two classes on one protocol.
type Flow struct {
	From     Endpoints `json:"from"`
	To       Endpoints `json:"to"`
	Protocol string    `json:"protocol"`
	// Ports are the destination ports, as ranges ("22,443,8000-8080",
	// "all"); empty for protocols without ports.
	Ports string `json:"ports"`
	// Cause lists the added, removed or modified resources on the flow's
	// old or new path that made the difference.
	Cause []Cause `json:"cause"`
	// Before and After are the paths, for changed flows: the hops in
	// order, as "kind id".
	Before []string `json:"before,omitempty"`
	After  []string `json:"after,omitempty"`
	// Detail says what changed, for changed flows.
	Detail string `json:"detail,omitempty"`

	set portset.Set // the flows, for tests
}

// Cause is a resource change that decides a flow: a rule or route on its
// path (new side) or among its blockers (old side).
type Cause struct {
	Resource model.ID `json:"resource"`
	Kind     string   `json:"kind"`
	Change   Change   `json:"change"`
	// Rule is the deciding rule or route in words, when one is.
	Rule string `json:"rule,omitempty"`
	// Side is "new" when the rule or route is on the new side's path,
	// "old" when it blocked on the old side (or is gone).
	Side string `json:"side"`
	// Pos is where it is written; Position the same as "file:line:col".
	Pos      model.Position `json:"-"`
	Position string         `json:"position,omitempty"`
}

// Options tune Compare.
type Options struct {
	// Progress, when set, is called from time to time with the work done
	// and the total.
	Progress func(done, total int)
	// NoChanged skips the search for flows whose path changed.
	NoChanged bool
	// walkCauses makes every cause come from walks of both sides, for
	// the tests that check the shortcut of plainEnds against them.
	walkCauses bool
	// Replaced lists resources, present on both sides under one id, that
	// the change replaces (a Terraform plan's delete-and-create, see
	// tfimport.Import.Replaced): each is reported as removed and added,
	// both marked Replaced, whether or not its contents change.
	Replaced []model.ID
}

// Compare builds solvers for two models and compares them.
func Compare(old, new *model.Model, opts Options) (*Report, error) {
	so, err := solver.New(old)
	if err != nil {
		return nil, fmt.Errorf("old network: %w", err)
	}
	sn, err := solver.New(new)
	if err != nil {
		return nil, fmt.Errorf("new network: %w", err)
	}
	return CompareSolvers(so, sn, opts), nil
}

// CompareSolvers says what changes from the network of old to that of
// new: the flows between interfaces on every protocol and port (exactly
// those whose Reach verdicts differ, found over equivalence classes of
// both sides refined together, not pair by pair), internet exposure,
// expectations and overlapping address spaces, each with its cause.
func CompareSolvers(old, new *solver.Solver, opts Options) *Report {
	r, _ := compareSolvers(old, new, opts)
	return r
}

// compareSolvers is CompareSolvers, with the comparison for tests to look into.
func compareSolvers(old, new *solver.Solver, opts Options) (*Report, *comparison) {
	// VPCs equal on both sides, as written, hold no change: their
	// resources are neither listed nor fingerprinted. Ids written through
	// aliases may differ where the text does not, so with aliases every
	// resource is compared (the aliases of the VPCs left are those of all:
	// see equalVPCs).
	same := equalVPCs(old.Model(), new.Model(), opts.Replaced, func(id model.ID) model.ID {
		for _, s := range []*solver.Solver{old, new} {
			if v := s.Index().OwnerVPC(id); v != nil {
				return v.ID
			}
		}
		return ""
	})
	oldRes, newRes := resources(old.Model(), same), resources(new.Model(), same)
	alias := aliases(oldRes, newRes)
	if len(alias) > 0 && len(same) > 0 {
		oldRes, newRes = resources(old.Model(), nil), resources(new.Model(), nil)
		alias = aliases(oldRes, newRes)
	}
	c := &comparison{}
	inParallel(2, func(i int) {
		if i == 0 {
			c.old = newSide(old, "old", oldRes, alias)
		} else {
			c.new = newSide(new, "new", newRes, nil)
		}
	})
	c.changes = replaceResources(compareResources(c.old.res, c.new.res), c.old.res, c.new.res, opts.Replaced)
	c.changeOf = map[model.ID]Resource{}
	c.renamed = map[model.ID]model.ID{}
	for _, r := range c.changes {
		if r.Replaced {
			if r.Change == Removed {
				continue // the addition stands for both, at its new position
			}
			r.Change = Replaced
		}
		c.changeOf[r.ID] = r
		if r.RenamedFrom != "" {
			c.renamed[r.RenamedFrom] = r.ID
		}
	}
	r := &Report{Resources: c.changes}
	c.flows(r, opts)
	// Grouping reads the flows alone; the sections, the comparison.
	inParallel(3, func(i int) {
		switch i {
		case 0:
			r.Gained = groupFlows(r.Gained)
		case 1:
			r.Lost = groupFlows(r.Lost)
		default:
			c.exposure(r)
			c.expectations(r)
			c.overlaps(r)
		}
	})
	for _, p := range []*[]Flow{&r.Gained, &r.Lost, &r.Changed} {
		if *p == nil {
			*p = []Flow{}
		}
	}
	if r.ExposureGained == nil {
		r.ExposureGained = []Exposure{}
	}
	if r.ExposureLost == nil {
		r.ExposureLost = []Exposure{}
	}
	if r.ExpectationsBroken == nil {
		r.ExpectationsBroken = []ExpectationChange{}
	}
	if r.ExpectationsFixed == nil {
		r.ExpectationsFixed = []ExpectationChange{}
	}
	if r.OverlapsAdded == nil {
		r.OverlapsAdded = []OverlapChange{}
	}
	if r.OverlapsRemoved == nil {
		r.OverlapsRemoved = []OverlapChange{}
	}
	if r.Resources == nil {
		r.Resources = []Resource{}
	}
	r.Summary = Summary{
		Gained: len(r.Gained), Lost: len(r.Lost), Changed: len(r.Changed),
		ExposureGained: len(r.ExposureGained), ExposureLost: len(r.ExposureLost),
		ExpectationsBroken: len(r.ExpectationsBroken), ExpectationsFixed: len(r.ExpectationsFixed),
		OverlapsAdded: len(r.OverlapsAdded), OverlapsRemoved: len(r.OverlapsRemoved),
		ResourcesChanged: len(r.Resources),
	}
	return r, c
}

// side is one network of the comparison.
type side struct {
	name    string
	s       *solver.Solver
	res     map[model.ID]resource
	classes []solver.Class
	classOf map[model.ID]int // member -> class
	// owner maps a network interface attached to an instance to the
	// instance, whose state and removal it follows.
	owner map[model.ID]model.ID
	// global maps the side's ids to the ids the comparison uses (the new
	// side's, for resources both sides hold under different ids); local is
	// the reverse.
	global, local map[model.ID]model.ID
}

// newSide prepares one side. Its resources are named by global ids: those
// of the new side, through alias for the old side (see aliases).
func newSide(s *solver.Solver, name string, res map[model.ID]resource, alias map[model.ID]model.ID) *side {
	classes := s.Classes()
	members := 0
	for _, c := range classes {
		members += len(c.Members)
	}
	sd := &side{name: name, s: s, res: fingerprintAll(res, alias), classes: classes, classOf: make(map[model.ID]int, members),
		owner: map[model.ID]model.ID{}, global: alias, local: map[model.ID]model.ID{}}
	for from, to := range alias {
		sd.local[to] = from
	}
	for _, v := range s.Model().VPCs {
		for _, ni := range v.NetworkInterfaces {
			if ni.Instance != "" {
				sd.owner[sd.id(ni.ID)] = sd.id(ni.Instance)
			}
		}
	}
	for ci := range sd.classes {
		c := &sd.classes[ci]
		if len(alias) > 0 {
			// Named by global ids, and sorted again.
			for i, id := range c.Members {
				c.Members[i] = sd.id(id)
			}
			slices.Sort(c.Members)
			c.Subnet, c.VPC = sd.id(c.Subnet), sd.id(c.VPC)
		}
		for _, id := range c.Members {
			sd.classOf[id] = ci
		}
	}
	return sd
}

// id returns the global id of one of the side's resources.
func (sd *side) id(local model.ID) model.ID {
	if g, ok := sd.global[local]; ok {
		return g
	}
	return local
}

// reach answers a query whose ends are global ids on this side, and
// returns the answer with its components named by global ids.
func (sd *side) reach(q solver.Query) solver.Result { return sd.answer(q, sd.s.Reach) }

// trace is reach with solver.Trace: the path without words.
func (sd *side) trace(q solver.Query) solver.Result { return sd.answer(q, sd.s.Trace) }

// reachable reports whether a query whose ends are global ids on this
// side passes (solver.Reachable).
func (sd *side) reachable(q solver.Query) bool {
	q.From, q.To = string(sd.localID(model.ID(q.From))), string(sd.localID(model.ID(q.To)))
	return sd.s.Reachable(q)
}

// localID returns the side's own id for a global id.
func (sd *side) localID(id model.ID) model.ID {
	if l, ok := sd.local[id]; ok {
		return l
	}
	return id
}

// answer asks query q, whose ends are global ids on this side, of ask
// (the side's Reach or Trace), and returns the answer with its
// components named by global ids.
func (sd *side) answer(q solver.Query, ask func(solver.Query) solver.Result) solver.Result {
	if l, ok := sd.local[model.ID(q.From)]; ok {
		q.From = string(l)
	}
	if l, ok := sd.local[model.ID(q.To)]; ok {
		q.To = string(l)
	}
	r := ask(q)
	if len(sd.global) == 0 {
		return r
	}
	name := func(xs []solver.Hop) []solver.Hop {
		out := slices.Clone(xs)
		for i := range out {
			out[i].Component = sd.id(out[i].Component)
		}
		return out
	}
	r.Forward, r.Return = name(r.Forward), name(r.Return)
	r.Blockers = slices.Clone(r.Blockers)
	for i := range r.Blockers {
		r.Blockers[i].Component = sd.id(r.Blockers[i].Component)
	}
	r.Warnings = slices.Clone(r.Warnings)
	for i := range r.Warnings {
		r.Warnings[i].Component = sd.id(r.Warnings[i].Component)
	}
	return r
}

// comparison holds the two sides and what differs between their
// resources.
type comparison struct {
	old, new *side
	changes  []Resource
	changeOf map[model.ID]Resource
	// renamed maps the old id of a renamed resource to its new one.
	renamed map[model.ID]model.ID
	// touchedSet holds touchedVPCs, once computed.
	touchedSet map[model.ID]bool
	// groupsAtEnds is groupsActAtEnds of the changed groups, once
	// selectClasses has asked.
	groupsAtEnds bool
	// ends holds, for the queries of flow entries whose causes need no
	// walk, the end hops of each side: see plainEnds.
	ends endHopsTable
}

// endHopsTable holds the end hops of each side for a list of cause
// queries, by the query's index in the list, as plainEnds asked them: in
// two parts a side, cut at half.
type endHopsTable struct {
	half  int
	parts [2][2][]solver.EndHops // side (old, new), part
}

// at returns the end hops of query k on the old and new side, and
// whether its path is plain on both (only then are the hops set).
func (t *endHopsTable) at(k int) (*solver.EndHops, *solver.EndHops, bool) {
	part, i := 0, k
	if k >= t.half {
		part, i = 1, k-t.half
	}
	if i >= len(t.parts[0][part]) {
		return nil, nil, false
	}
	o, n := &t.parts[0][part][i], &t.parts[1][part][i]
	return o, n, o.Plain && n.Plain
}

// joint is a class of the two sides refined together: interfaces in the
// same class on the old side and on the new (-1 where absent).
type joint struct {
	members  []model.ID
	old, new int
}

// jointClasses refines the classes of both sides together, in the order
// of their first members. Each joint class takes its members from one
// class of a side, sorted there, so they stay sorted.
func (c *comparison) jointClasses() []joint {
	var out []joint
	idx := map[[2]int]int{}
	add := func(id model.ID, o, n int) {
		k := [2]int{o, n}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, joint{old: o, new: n})
		}
		out[i].members = append(out[i].members, id)
	}
	// Most classes have the same members on both sides: one lookup tells.
	whole := make([]bool, len(c.old.classes))
	for ni := range c.new.classes {
		ms := c.new.classes[ni].Members
		if o, ok := c.old.classOf[ms[0]]; ok && slices.Equal(c.old.classes[o].Members, ms) {
			whole[o] = true
			out = append(out, joint{members: slices.Clip(ms), old: o, new: ni})
			continue
		}
		for _, id := range ms {
			o, ok := c.old.classOf[id]
			if !ok {
				o = -1
			}
			add(id, o, ni)
		}
	}
	for oi := range c.old.classes {
		if whole[oi] {
			continue
		}
		for _, id := range c.old.classes[oi].Members {
			if _, ok := c.new.classOf[id]; !ok {
				add(id, oi, -1)
			}
		}
	}
	slices.SortFunc(out, func(a, b joint) int { return cmp.Compare(a.members[0], b.members[0]) })
	return out
}

// Endpoints kinds.
const (
	kindInterfaces = "interfaces"
	kindInternet   = "internet"
	kindExternal   = "external-network"
)

// endpoints names joint class j.
func (c *comparison) endpoints(j joint) Endpoints {
	e := Endpoints{Kind: kindInterfaces, Members: j.members, Side: "both"}
	cl := (*solver.Class)(nil)
	switch {
	case j.new >= 0:
		cl = &c.new.classes[j.new]
		if j.old < 0 {
			e.Side = "new"
		}
	case j.old >= 0:
		cl = &c.old.classes[j.old]
		e.Side = "old"
	}
	if cl != nil {
		e.Subnet, e.VPC = cl.Subnet, cl.VPC
	}
	return e
}

// cell returns the flows of a class port matrix from class a to class
// b: rows are sorted by destination, as ClassPorts returns them.
func cell(rows [][]solver.PortCell, a, b int) portset.Set {
	row := rows[a]
	i, ok := slices.BinarySearchFunc(row, b, func(c solver.PortCell, b int) int { return cmp.Compare(c.To, b) })
	if !ok {
		return portset.Set{}
	}
	return row[i].Ports
}

// flows fills the gained, lost and changed flows.
func (c *comparison) flows(r *Report, opts Options) {
	// Each side probes the protocols either side's rules name: one that
	// only the other names passes where rules for "all" pass.
	var protocols []model.Protocol
	for _, sd := range []*side{c.old, c.new} {
		for _, a := range sd.s.ServiceAtoms() {
			if !a.Protocol.HasPorts() {
				protocols = append(protocols, a.Protocol)
			}
		}
	}
	// Only pairs with an end in a VPC the change touches can differ (see
	// touchedVPCs).
	touched := c.touchedVPCs()
	sel := c.selectClasses(touched)
	var oldCells, newCells [][]solver.PortCell
	inParallel(2, func(i int) {
		sd, out := c.old, &oldCells
		if i == 1 {
			sd, out = c.new, &newCells
		}
		if sel.from[i] != nil {
			from, to := sel.from[i], sel.to[i]
			*out = sd.s.ClassPortsBetween(func(ci int) bool { return from[ci] }, func(ci int) bool { return to[ci] }, solver.AnalysisOptions{}, protocols...)
			return
		}
		is := sel.touched[i]
		*out = sd.s.ClassPortsTouching(func(ci int) bool { return is[ci] }, solver.AnalysisOptions{}, protocols...)
	})
	js := c.jointClasses()
	// The joint classes of each class of a side.
	byOld, byNew := make([][]int, len(c.old.classes)), make([][]int, len(c.new.classes))
	for i, j := range js {
		if j.old >= 0 {
			byOld[j.old] = append(byOld[j.old], i)
		}
		if j.new >= 0 {
			byNew[j.new] = append(byNew[j.new], i)
		}
	}
	// set returns the flows from joint class a to joint class b on one
	// side: the class cell, where a pair of distinct members exists.
	set := func(cs [][]solver.PortCell, ca, cb int, a, b int) portset.Set {
		if ca < 0 || cb < 0 {
			return portset.Set{}
		}
		if a == b && len(js[a].members) < 2 {
			return portset.Set{}
		}
		return cell(cs, ca, cb)
	}
	type pair struct{ a, b int }
	var both []pair
	// entryTask is a set of flows gained or lost from joint class a to b.
	type entryTask struct {
		a, b   int
		set    portset.Set
		gained bool
	}
	// The cells of each joint class with a cell on either side, compared
	// in parallel by runs of joint classes, and gathered in order.
	const run = 256
	type runCells struct {
		both    []pair
		entries []entryTask
	}
	runs := make([]runCells, (len(js)+run-1)/run)
	scratch := sync.Pool{New: func() any { b := make([]bool, len(js)); return &b }}
	inParallel(len(runs), func(ri int) {
		isCand := *scratch.Get().(*[]bool) // the joint classes in bs
		defer scratch.Put(&isCand)
		out := &runs[ri]
		var bs []int
		for a := ri * run; a < min(len(js), (ri+1)*run); a++ {
			ja := js[a]
			bs = bs[:0]
			for _, side := range []struct {
				rows [][]solver.PortCell
				ca   int
				by   [][]int
			}{{oldCells, ja.old, byOld}, {newCells, ja.new, byNew}} {
				if side.ca < 0 {
					continue
				}
				for _, pc := range side.rows[side.ca] {
					for _, b := range side.by[pc.To] {
						if !isCand[b] {
							isCand[b] = true
							bs = append(bs, b)
						}
					}
				}
			}
			slices.Sort(bs)
			for _, b := range bs {
				isCand[b] = false
			}
			for _, b := range bs {
				jb := js[b]
				os := set(oldCells, ja.old, jb.old, a, b)
				ns := set(newCells, ja.new, jb.new, a, b)
				if os.Equal(ns) { // most cells: nothing gained or lost
					if !os.IsEmpty() {
						out.both = append(out.both, pair{a, b})
					}
					continue
				}
				if gained := ns.Minus(os); !gained.IsEmpty() {
					out.entries = append(out.entries, entryTask{a, b, gained, true})
				}
				if lost := os.Minus(ns); !lost.IsEmpty() {
					out.entries = append(out.entries, entryTask{a, b, lost, false})
				}
				if os.Overlaps(ns) {
					out.both = append(out.both, pair{a, b})
				}
			}
		}
	})
	nBoth, nEntries := 0, 0
	for _, f := range runs {
		nBoth, nEntries = nBoth+len(f.both), nEntries+len(f.entries)
	}
	both = make([]pair, 0, nBoth)
	entries := make([]entryTask, 0, nEntries)
	for _, f := range runs {
		both, entries = append(both, f.both...), append(entries, f.entries...)
	}
	// The entries and their causes, in parallel, in order: first the
	// cause queries, one an entry's protocol (entry i's are those from
	// first[i] on), whose end hops plainEnds gives when it can (the
	// others walk both sides).
	first := make([]int, len(entries))
	var qs []solver.Query
	if !opts.walkCauses {
		n := 0
		for _, t := range entries {
			n += t.set.NumProtocols()
		}
		qs = make([]solver.Query, 0, n)
	}
	for i, t := range entries {
		first[i] = len(qs)
		if opts.walkCauses {
			continue
		}
		from, to := ends(js, t.a, t.b)
		for _, p := range t.set.Protocols() {
			qs = append(qs, causeQuery(from, to, t.set, p))
		}
	}
	c.plainEnds(qs)
	// Each entry's flows, one a protocol, in their places in r.Gained or
	// r.Lost.
	at := make([]int, len(entries))
	nGained, nLost := len(r.Gained), len(r.Lost)
	for i, t := range entries {
		n := &nLost
		if t.gained {
			n = &nGained
		}
		at[i] = *n
		*n += t.set.NumProtocols()
	}
	r.Gained, r.Lost = slices.Grow(r.Gained, nGained-len(r.Gained))[:nGained], slices.Grow(r.Lost, nLost-len(r.Lost))[:nLost]
	inParallel(len(entries), func(i int) {
		t := entries[i]
		out := r.Lost
		if t.gained {
			out = r.Gained
		}
		c.flowEntries(out[at[i]:at[i]+t.set.NumProtocols()], js, t.a, t.b, t.set, t.gained, first[i])
	})
	c.outsideFlows(r, js, touched, !opts.NoChanged)
	if opts.NoChanged {
		return
	}
	// A change of security groups that act at the ends of flows alone (see
	// groupsActAtEnds) moves no hop and changes no warning, but for those
	// that read addresses assumed (ASSUMED_ADDRESS); what it can change of
	// a flow that passes on both sides is the answer of one family of a
	// pair of dual-stack ends. When the change also edits routes, a path
	// can change only where a lookup does: for pairs with an end address
	// under a route that one side has and the other lacks.
	groups := slices.ContainsFunc(c.changes, func(r Resource) bool { return r.Kind == model.KindSecurityGroup.String() })
	keepGroups := func(pair) bool { return false }
	if groups {
		keepGroups = func(pair) bool { return true }
		if c.groupsAtEnds && !c.old.s.HasAssumed() && !c.new.s.HasAssumed() {
			keepGroups = func(p pair) bool {
				from, to := ends(js, p.a, p.b)
				return c.dualStack(from) && c.dualStack(to)
			}
		}
	}
	under := func(pair) bool { return true }
	if c.onlyGroupsChanged() {
		under = func(pair) bool { return false }
	} else if set, ok := c.rerouted(); ok && !c.old.otherAddresses(set) && !c.new.otherAddresses(set) {
		hits := map[model.ID]bool{}
		hit := func(id model.ID) bool {
			h, ok := hits[id]
			if !ok {
				h = c.old.hasAddressIn(id, set) || c.new.hasAddressIn(id, set)
				hits[id] = h
			}
			return h
		}
		under = func(p pair) bool {
			from, to := ends(js, p.a, p.b)
			return hit(from) || hit(to)
		}
	}
	var todo []pair
	for _, p := range both {
		if (c.touched(js[p.a], touched) || c.touched(js[p.b], touched)) && (under(p) || keepGroups(p)) {
			todo = append(todo, p)
		}
	}
	found := make([]*Flow, len(todo))
	inParallel(len(todo), func(i int) {
		p := todo[i]
		ja, jb := js[p.a], js[p.b]
		common := set(oldCells, ja.old, jb.old, p.a, p.b).Intersect(set(newCells, ja.new, jb.new, p.a, p.b))
		if f, ok := c.changedFlow(js, p.a, p.b, common); ok {
			found[i] = &f
		}
	})
	for _, f := range found {
		if f != nil {
			r.Changed = append(r.Changed, *f)
		}
	}
}

// onlyGroupsChanged reports whether every changed resource is a security
// group: its rules decide whether a flow passes, never which way it goes,
// so a flow that passes on both sides passes along the same hops (see
// signature) with the same warnings.
func (c *comparison) onlyGroupsChanged() bool {
	for _, ch := range c.changes {
		if ch.Kind != model.KindSecurityGroup.String() {
			return false
		}
	}
	return true
}

// inParallel runs f(i) for i in [0, n) on every processor.
func inParallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// ends returns the representative query ends of a joint class pair: the
// first member of each (the second of b's when a is b).
func ends(js []joint, a, b int) (model.ID, model.ID) {
	from, to := js[a].members[0], js[b].members[0]
	if a == b {
		to = js[b].members[1]
	}
	return from, to
}

// flowEntries splits a set of flows from joint class a to b into one
// entry per protocol, each with its cause, written to out (one a
// protocol); the cause queries of its protocols are c.ends's from first
// on.
func (c *comparison) flowEntries(out []Flow, js []joint, a, b int, set portset.Set, gained bool, first int) {
	from, to := ends(js, a, b)
	c.fillEntries(out, c.endpoints(js[a]), c.endpoints(js[b]), from, to, js[a], js[b], set, gained, first)
}

// entries splits a set of flows between two ends (queried as from and
// to) into one entry per protocol, each with its cause. The cause queries
// of its protocols are c.ends's from first on, or not there (first < 0).
func (c *comparison) entries(fromE, toE Endpoints, from, to model.ID, ja, jb joint, set portset.Set, gained bool, first int) []Flow {
	out := make([]Flow, set.NumProtocols())
	c.fillEntries(out, fromE, toE, from, to, ja, jb, set, gained, first)
	return out
}

// fillEntries is entries, written to out (one a protocol).
func (c *comparison) fillEntries(out []Flow, fromE, toE Endpoints, from, to model.ID, ja, jb joint, set portset.Set, gained bool, first int) {
	for pi, p := range set.Protocols() {
		f := Flow{From: fromE, To: toE, Protocol: p.String(), set: onlyProtocol(set, p)}
		if p.HasPorts() {
			f.Ports = portset.RangesString(set.Ranges(p))
		}
		var ends *[2]*solver.EndHops
		if first >= 0 {
			if o, n, ok := c.ends.at(first + pi); ok {
				ends = &[2]*solver.EndHops{o, n}
			}
		}
		f.Cause = c.causes(causeQuery(from, to, set, p), ja, jb, gained, ends)
		if f.Cause == nil {
			f.Cause = []Cause{}
		}
		out[pi] = f
	}
}

// causeQuery is the query whose answers on either side explain the flows
// of set between two ends on protocol p: its first port.
func causeQuery(from, to model.ID, set portset.Set, p model.Protocol) solver.Query {
	var port uint16
	if p.HasPorts() {
		port = set.Ranges(p)[0].First
	}
	return solver.Query{From: string(from), To: string(to), Protocol: p, Port: port}
}

// plainEnds fills c.ends for the cause queries qs, when only security
// groups changed: a change of groups moves no hop, so on a path that is
// plain on both sides (solver.EndHops) the walks that causes compares
// differ only in the hops of the groups at the two ends, and their
// blockers only in those groups' interfaces, which no change names.
// EndHops gives those hops without walking, a path's skeleton shared by
// every pair of classes that takes it. Queries whose path is not plain on
// either side are left to the walks.
func (c *comparison) plainEnds(qs []solver.Query) {
	if !c.onlyGroupsChanged() || len(qs) == 0 {
		return
	}
	// Each side's queries in two halves, cut between runs from one
	// source: the old side's group checks, which deny and say why, cost
	// more than the new side's, and four tasks keep both cores busy.
	half := len(qs) / 2
	for half > 0 && half < len(qs) && qs[half].From == qs[half-1].From {
		half++
	}
	parts := [][2]int{{0, half}, {half, len(qs)}}
	var local [2][]solver.Query
	var groups [2][]model.ID
	for i, sd := range [2]*side{c.old, c.new} {
		local[i] = qs
		if len(sd.local) > 0 { // ids the side writes otherwise
			local[i] = make([]solver.Query, len(qs))
			for k, q := range qs {
				q.From, q.To = string(sd.localID(model.ID(q.From))), string(sd.localID(model.ID(q.To)))
				local[i][k] = q
			}
		}
		// Only groups changed: the hop of an end that holds none of them
		// names no changed group, so it adds no cause and excludes none.
		groups[i] = []model.ID{}
		for _, ch := range c.changes {
			groups[i] = append(groups[i], sd.localID(ch.ID))
			if ch.RenamedFrom != "" {
				groups[i] = append(groups[i], sd.localID(ch.RenamedFrom))
			}
		}
	}
	t := &c.ends
	t.half = half
	inParallel(2*len(parts), func(k int) {
		i, p := k%2, parts[k/2]
		if p[0] < p[1] {
			t.parts[i][k/2] = [2]*side{c.old, c.new}[i].s.EndHopsHolding(local[i][p[0]:p[1]], groups[i])
		}
	})
}

// causes finds the resource changes behind a flow that passes on one side
// only: the changed components on the path where it passes and among the
// blockers where it does not, and interfaces that exist on one side only.
//
// ends, where set, are the query's end hops on the old and new side, for
// a path plain on both (see plainEnds).
func (c *comparison) causes(q solver.Query, ja, jb joint, gained bool, ends *[2]*solver.EndHops) []Cause {
	var out []Cause // few: a linear search finds a resource's
	var add func(id model.ID, rule, sideName string, pos model.Position)
	add = func(id model.ID, rule, sideName string, pos model.Position) {
		for _, sd := range []*side{c.old, c.new} {
			if o, ok := sd.owner[id]; ok {
				add(o, "", sd.name, model.Position{})
			}
		}
		ch, ok := c.changeOf[id]
		if !ok {
			return
		}
		if i := slices.IndexFunc(out, func(c Cause) bool { return c.Resource == id }); i >= 0 {
			// One cause a resource: the first rule or route that names
			// it wins over a mention without one.
			if out[i].Rule == "" && rule != "" {
				out[i].Rule, out[i].Side = rule, sideName
				if pos.IsValid() {
					out[i].Pos, out[i].Position = pos, posString(pos)
				}
			}
			return
		}
		if !pos.IsValid() {
			pos = ch.Pos
		}
		out = append(out, Cause{Resource: id, Kind: ch.Kind, Change: ch.Change, Rule: rule, Side: sideName, Pos: pos, Position: posString(pos)})
	}
	for _, id := range []model.ID{model.ID(q.From), model.ID(q.To)} {
		add(id, "", c.sideOf(id), model.Position{})
	}
	passing, blocked := c.new, c.old
	if !gained {
		passing, blocked = c.old, c.new
	}
	// The hops each side records and the blocked side's blockers: from
	// the end hops where both paths are plain and only groups changed
	// (see plainEnds), else from a walk of each side.
	var blockedHops, passingHops [][]solver.Hop
	var blockers []solver.Blocker
	blockedOK := true
	if ends != nil {
		endHopsOf := func(sd *side) []solver.Hop {
			h := *ends[sideIndex([2]*side{c.old, c.new}, sd)]
			h.Egress.Component, h.Ingress.Component = sd.id(h.Egress.Component), sd.id(h.Ingress.Component)
			return []solver.Hop{h.Egress, h.Ingress}
		}
		blockedHops, passingHops = [][]solver.Hop{endHopsOf(blocked)}, [][]solver.Hop{endHopsOf(passing)}
	} else {
		rb := blocked.reach(q)
		blockedOK = rb.Verdict != solver.VerdictInvalidQuery
		blockedHops, blockers = [][]solver.Hop{rb.Forward, rb.Return}, rb.Blockers
		rp := passing.reach(q)
		passingHops = [][]solver.Hop{rp.Forward, rp.Return}
	}
	// The hops the blocked side passes alike are no cause: a cause is a
	// rule or route on the passing path that the blocked side's walk does
	// not pass the same way, or a blocker.
	type passed struct {
		component model.ID
		rule      string
	}
	var same []passed // a path's hops: few
	if blockedOK {
		for _, hops := range blockedHops {
			for _, h := range hops {
				if h.Decision != solver.DecisionDeny && h.Decision != solver.DecisionDrop {
					same = append(same, passed{c.renamedTo(h.Component), hopRule(h)})
				}
			}
		}
		for _, b := range blockers {
			add(b.Component, b.Rule, blocked.name, b.Pos)
		}
	}
	var onPath []solver.Hop
	for _, hops := range passingHops {
		for _, h := range hops {
			if _, changed := c.changeOf[h.Component]; changed {
				onPath = append(onPath, h)
			}
			if !slices.Contains(same, passed{h.Component, hopRule(h)}) {
				add(h.Component, hopRule(h), passing.name, h.Pos)
			}
		}
	}
	if len(out) == 0 {
		// Every changed component passes alike: name them all.
		for _, h := range onPath {
			add(h.Component, hopRule(h), passing.name, h.Pos)
		}
	}
	if len(out) == 0 {
		// No component on either path changed: the difference lies in
		// what the path depends on (an association, a subnet's table).
		for _, id := range []model.ID{ja.members[0], jb.members[0]} {
			for _, sd := range []*side{c.new, c.old} {
				if ci, ok := sd.classOf[id]; ok {
					cl := sd.classes[ci]
					add(cl.Subnet, "", sd.name, model.Position{})
					add(cl.VPC, "", sd.name, model.Position{})
				}
			}
		}
	}
	return out
}

// renamedTo returns the new id of a renamed resource, else id.
func (c *comparison) renamedTo(id model.ID) model.ID {
	if n, ok := c.renamed[id]; ok {
		return n
	}
	return id
}

// hopRule returns the rule or route that decided a hop, for a cause: that
// of a filter or a route table; other hops (an interface sending, a
// gateway forwarding) name no rule.
func hopRule(h solver.Hop) string {
	switch h.Kind {
	case solver.HopSecurityGroup, solver.HopNetworkACL, solver.HopRouteTable, solver.HopTGWRouteTable:
		return h.Rule
	}
	return ""
}

// sideOf names the side a resource is on: "new" unless it was removed.
func (c *comparison) sideOf(id model.ID) string {
	if ch, ok := c.changeOf[id]; ok && ch.Change == Removed {
		return "old"
	}
	return "new"
}

// step is one element of a path's signature: the start of an address
// family's answer, a hop (leg, kind, component, decision) or a warning
// (code, component, leg).
type step struct {
	// family and reachable open the steps of one family's answer.
	family    string
	reachable bool
	leg       solver.Leg
	kind      solver.HopKind
	component model.ID
	decision  solver.Decision
	warning   solver.Code
}

// signature sums a path up for comparison: its hops (kind, component,
// decision) and its warnings.
func signature(r solver.Result) []step { return signatureRenamed(r, nil) }

// signatureRenamed is signature with the components that renamed maps
// written by their new ids, so that a path through a renamed resource
// compares equal to the same path through its new name. Security group
// hops are left out: which of an interface's groups allowed a flow is not
// a different path.
func signatureRenamed(r solver.Result, renamed map[model.ID]model.ID) []step {
	id := func(x model.ID) model.ID {
		if n, ok := renamed[x]; ok {
			return n
		}
		return x
	}
	// A query between dual-stack ends is answered per family: the path of
	// each family counts, in the order of Families.
	answers := r.Families
	if len(answers) == 0 {
		answers = []solver.Result{r}
	}
	var out []step
	for _, a := range answers {
		out = append(out, step{family: a.Family, reachable: a.Reachable()})
		for i, hops := range [][]solver.Hop{a.Forward, a.Return} {
			for _, h := range hops {
				if h.Kind == solver.HopSecurityGroup {
					continue
				}
				out = append(out, step{leg: solver.Leg(i + 1), kind: h.Kind, component: id(h.Component), decision: h.Decision})
			}
		}
		for _, w := range a.Warnings {
			out = append(out, step{leg: w.Leg, component: id(w.Component), warning: w.Code})
		}
	}
	return out
}

// path renders a path's hops, request then response, for a changed flow.
func path(r solver.Result) []string {
	var out []string
	for _, h := range r.Forward {
		out = append(out, fmt.Sprintf("%s %s", h.Kind, h.Component))
	}
	if len(r.Return) > 0 {
		out = append(out, "(response)")
	}
	for _, h := range r.Return {
		out = append(out, fmt.Sprintf("%s %s", h.Kind, h.Component))
	}
	for _, w := range r.Warnings {
		out = append(out, fmt.Sprintf("warning %s at %s", w.Code, w.Component))
	}
	return out
}

// changedFlow compares the paths of a flow that passes on both sides, on
// the first protocol and port they share.
func (c *comparison) changedFlow(js []joint, a, b int, common portset.Set) (Flow, bool) {
	from, to := ends(js, a, b)
	return c.changedBetween(c.endpoints(js[a]), c.endpoints(js[b]), from, to, common)
}

// changedBetween compares the paths between two ends on the first
// protocol and port of common, where both sides pass.
func (c *comparison) changedBetween(fromE, toE Endpoints, from, to model.ID, common portset.Set) (Flow, bool) {
	p := common.Protocols()[0]
	var port uint16
	if p.HasPorts() {
		port = common.Ranges(p)[0].First
	}
	q := solver.Query{From: string(from), To: string(to), Protocol: p, Port: port}
	// Trace finds the paths that differ; Reach then explains them.
	if slices.Equal(signatureRenamed(c.old.trace(q), c.renamed), signature(c.new.trace(q))) {
		return Flow{}, false
	}
	ro, rn := c.old.reach(q), c.new.reach(q)
	// Between dual-stack ends, the family whose path changed: IPv4's
	// unless only IPv6's did.
	over := ""
	if len(ro.Families) == 2 && len(rn.Families) == 2 &&
		slices.Equal(signatureRenamed(ro.Families[0], c.renamed), signature(rn.Families[0])) {
		ro, rn, over = ro.Families[1], rn.Families[1], "over IPv6: "
	}
	f := Flow{From: fromE, To: toE, Protocol: p.String(), Before: path(ro), After: path(rn), set: onlyProtocol(common, p)}
	if p.HasPorts() {
		f.Ports = portset.RangesString(common.Ranges(p))
	}
	f.Detail = over + changeDetail(ro, rn)
	seen := map[model.ID]bool{}
	for i, r := range []solver.Result{rn, ro} {
		name := []string{"new", "old"}[i]
		for _, hops := range [][]solver.Hop{r.Forward, r.Return} {
			for _, h := range hops {
				if ch, ok := c.changeOf[h.Component]; ok && !seen[h.Component] {
					seen[h.Component] = true
					f.Cause = append(f.Cause, Cause{Resource: h.Component, Kind: ch.Kind, Change: ch.Change, Rule: hopRule(h), Side: name,
						Pos: cmp.Or(h.Pos, ch.Pos), Position: posString(cmp.Or(h.Pos, ch.Pos))})
				}
			}
		}
	}
	if f.Cause == nil {
		f.Cause = []Cause{}
	}
	return f, true
}

// changeDetail says in words how a path changed.
func changeDetail(ro, rn solver.Result) string {
	kinds := func(r solver.Result) map[solver.HopKind]bool {
		m := map[solver.HopKind]bool{}
		for _, h := range r.Forward {
			switch h.Kind {
			case solver.HopTGWAttachment, solver.HopTGWRouteTable:
				m[solver.HopTransitGateway] = true // its attachments and tables are the gateway
			default:
				m[h.Kind] = true
			}
		}
		return m
	}
	ko, kn := kinds(ro), kinds(rn)
	var via, notVia []string
	for _, k := range []solver.HopKind{solver.HopNATGateway, solver.HopPeeringConnection, solver.HopTransitGateway,
		solver.HopInternetGateway, solver.HopGatewayEndpoint, solver.HopInterfaceEndpoint, solver.HopLoadBalancer,
		solver.HopNetworkInterface, solver.HopVPNGateway} {
		switch {
		case kn[k] && !ko[k]:
			via = append(via, k.String())
		case ko[k] && !kn[k]:
			notVia = append(notVia, k.String())
		}
	}
	var parts []string
	if len(via) > 0 {
		parts = append(parts, "now via "+strings.Join(via, ", "))
	}
	if len(notVia) > 0 {
		parts = append(parts, "no longer via "+strings.Join(notVia, ", "))
	}
	if len(ro.Warnings) != len(rn.Warnings) || !slices.EqualFunc(ro.Warnings, rn.Warnings, func(a, b solver.Warning) bool { return a.Code == b.Code }) {
		parts = append(parts, fmt.Sprintf("warnings %d -> %d", len(ro.Warnings), len(rn.Warnings)))
	}
	if len(parts) == 0 {
		parts = append(parts, "different hops")
	}
	return strings.Join(parts, "; ")
}

// carriesOthers reports whether a static route of transit gateway g sends
// addresses outside attachment a's VPC to a.
func carriesOthers(m *model.Model, a model.TGWAttachment, g model.TransitGateway) bool {
	var cidrs []netip.Prefix
	for _, v := range m.VPCs {
		if v.ID == a.VPC {
			cidrs = v.CIDRBlocks
		}
	}
	for _, rt := range g.RouteTables {
		for _, r := range rt.Routes {
			if r.Attachment != a.ID {
				continue
			}
			d := r.Destination.CIDR
			if !d.IsValid() {
				return true // a prefix list: take it as foreign
			}
			inside := false
			for _, c := range cidrs {
				if c.Bits() <= d.Bits() && c.Contains(d.Addr()) {
					inside = true
				}
			}
			if !inside {
				return true
			}
		}
	}
	return false
}

// touchedVPCs returns the VPCs whose paths a change may alter (see the
// package documentation): those that hold a changed resource, both ends of
// a changed peering connection, the VPCs of a transit gateway that changed
// or that attaches a touched VPC carrying other VPCs' traffic, the VPCs
// with an endpoint to a service whose load balancer is in a touched VPC,
// and every VPC when a prefix list, endpoint service, hosted zone,
// external network or account changed.
func (c *comparison) touchedVPCs() map[model.ID]bool {
	if c.touchedSet != nil {
		return c.touchedSet
	}
	t := map[model.ID]bool{}
	c.touchedSet = t
	all := false
	tgws := map[model.ID]bool{}
	for _, ch := range c.changes {
		if ch.VPC != "" {
			t[ch.VPC] = true
			continue
		}
		switch ch.Kind {
		case model.KindPeeringConnection.String():
			for _, sd := range []*side{c.old, c.new} {
				for _, p := range sd.s.Model().PeeringConnections {
					if sd.id(p.ID) == ch.ID {
						t[sd.id(p.Requester)], t[sd.id(p.Accepter)] = true, true
					}
				}
			}
		case model.KindTransitGateway.String(), model.KindTGWRouteTable.String(), model.KindTGWAttachment.String():
			tgws[ch.ID] = true
		default:
			all = true
		}
	}
	if all {
		for _, sd := range []*side{c.old, c.new} {
			for _, v := range sd.s.Model().VPCs {
				t[sd.id(v.ID)] = true
			}
		}
		return t
	}
	// A transit gateway network is touched when the gateway, a route
	// table or an attachment of it changed, or it attaches a touched VPC
	// that carries other VPCs' traffic (a static route of the gateway
	// sends addresses outside the VPC to its attachment: an inspection or
	// egress VPC); all its VPCs then are. Until nothing more is touched:
	// one gateway's VPCs may carry another's traffic.
	for grew := true; grew; {
		grew = false
		for _, sd := range []*side{c.old, c.new} {
			for _, g := range sd.s.Model().TransitGateways {
				hit := tgws[sd.id(g.ID)]
				for _, rt := range g.RouteTables {
					hit = hit || tgws[sd.id(rt.ID)]
				}
				transit := map[model.ID]bool{} // attachments static routes send traffic to
				for _, rt := range g.RouteTables {
					for _, r := range rt.Routes {
						if r.Attachment != "" {
							transit[r.Attachment] = true
						}
					}
				}
				for _, a := range g.Attachments {
					hit = hit || tgws[sd.id(a.ID)] || (t[sd.id(a.VPC)] && transit[a.ID] && carriesOthers(sd.s.Model(), a, g))
				}
				if !hit {
					continue
				}
				for _, a := range g.Attachments {
					if v := sd.id(a.VPC); a.VPC != "" && !t[v] {
						t[v], grew = true, true
					}
				}
			}
			// A load balancer behind an endpoint service in a touched VPC
			// touches the VPCs of the service's endpoints: their paths
			// through a Gateway Load Balancer endpoint pass its appliances
			// (V-20, V-21), and what a PrivateLink endpoint reaches is
			// behind the load balancer.
			x := sd.s.Index()
			for _, v := range sd.s.Model().VPCs {
				for _, e := range v.Endpoints {
					if e.Service == "" || t[sd.id(v.ID)] {
						continue
					}
					es := x.EndpointServiceFor(e.Service)
					if es == nil {
						continue
					}
					if slices.ContainsFunc(es.LoadBalancers, func(lb model.ID) bool {
						owner := x.OwnerVPC(lb)
						return owner != nil && t[sd.id(owner.ID)]
					}) {
						t[sd.id(v.ID)], grew = true, true
					}
				}
			}
		}
	}
	return t
}

// onlyProtocol returns the flows of set on protocol p.
func onlyProtocol(set portset.Set, p model.Protocol) portset.Set {
	if p.HasPorts() {
		return portset.Ports(p, set.Ranges(p)...)
	}
	return portset.Ports(p)
}
