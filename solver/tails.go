package solver

import (
	"net/netip"
	"slices"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// A skeleton walk of the matrix (famEngine.skeleton) that leaves its start
// subnet for a transit gateway makes one lookup in the start subnet's
// route table, crosses into the attachment subnet of its zone and enters
// the attachment's transit gateway route table. Everything it does from
// there (tgwRoute: the transit gateway's lookup, the attachment out, the
// far VPC's tables, the delivery) depends on
//
//   - the route table t the attachment is associated with, its transit
//     gateway, and whether the attachment carries group references
//     (S-22), which is all of the attachment tgwRoute reads;
//   - the zone the packet is in (S-51, S-53);
//   - the destination's routing atom (the skeleton's column: see
//     routingAtoms);
//   - and the walker's state, which at that point (checked by
//     atTailStart) is the same for every skeleton walk but for three
//     things: the source address, the start table's lookup in visited,
//     and the first subnet crossing.
//
// So the tail is walked once per (t, gateway, references, zone, column)
// and its effect on the walker (what skeleton reads of it: the recorder's
// crossings and flags, the group-reference state, the terminal) is
// replayed for every start key that reaches that point: at 5,000
// generated VPCs, one tail walk per spoke route table, zone and column
// instead of one per start key and column. The three things a tail may
// depend on besides its key are handled so:
//
//   - the source address: a tail that looks at it before it is tainted
//     (the peering rule S-42, through walker.srcRead) is not shared; every
//     start key walks it. A tail tainted before reading it is shared: a
//     tainted skeleton is a fallback, or blocked by what came before the
//     taint, whatever the source;
//   - the start table's lookup: a tail that looped on it (S-15, through
//     walker.loopAt) is not shared; a shared tail is not replayed for a
//     start key whose lookup the tail repeats (that walk would loop
//     there), which then walks on its own;
//   - the first crossing: the replay appends the tail's crossings to it.
//
// Appliance mode needs nothing more: its tail is tainted, and the
// response's skeleton is a forward walk from the destination's subnet.
// TestTailMemoSharesOnlyWhatTheSourceDoesNotChange checks the rules
// against walks without the memo, and that dropping the first would give
// wrong answers.
type tailMemo struct {
	keys  map[tailKey]int32
	zones map[string]int32
	nCols int
	// rows holds, per (key, zone), the entries by column; a row is
	// allocated when a walk first reaches it.
	rows []atomic.Pointer[[]atomic.Pointer[tailEntry]]
	// ignoreSource shares tails that read the source address; for the
	// test that shows it would be wrong only.
	ignoreSource bool
}

// tailKey is what a tail depends on of the attachment it entered by.
type tailKey struct {
	t   *routing.TGWTable
	tgw *tgwInfo
	ref bool
}

// tailEntry is one tail walk's effect on the walker.
type tailEntry struct {
	// shared is false when the tail depends on more than its key: every
	// walk that reaches it walks it.
	shared bool
	// term is where the tail ended, without its packet (the first
	// walk's, which skeleton does not read).
	term terminal
	// The recorder's flags after the tail.
	blocked, determined, tainted, notPlain bool
	refsLost                               refLoss
	crossedTGW                             bool
	refBarriers, steps                     int
	// refIn and refOut are refsKept's answers at the tail's end, for
	// inbound rules and for the source's outbound ones: the steps
	// before a tail keep group references.
	refIn, refOut bool
	// crossings are the tail's subnet crossings and visited its lookups,
	// after the start's.
	crossings []crossing
	visited   []visit
}

// tailHook is a walker's view of a tail memo: the memo, and the column
// of the walk.
type tailHook struct {
	memo *tailMemo
	col  int32
	// The last attachment, route table and zone the hook was entered
	// by, and their row of the memo: a row of skeletons enters by one.
	lastAtt *attInfo
	lastT   *routing.TGWTable
	lastAZ  string
	lastRow int
	// entered records where the last walk entered a tail from its
	// start (enter at atTailStart); fast, where the last walk of row
	// fast.row that took route fast.route of its start table did.
	entered bool
	at      tailStart
	fast    tailStart
}

// tailStart is where a skeleton walk from a start subnet enters its
// first transit gateway route table: after route of the start table,
// into attachment att's subnet asn, in zone az, to route table t.
type tailStart struct {
	row   int32
	route *routing.Route
	att   *attInfo
	t     *routing.TGWTable
	az    string
	asn   int32
}

// newTailMemo prepares an empty memo for nCols columns.
func (s *Solver) newTailMemo(nCols int) *tailMemo {
	m := &tailMemo{keys: map[tailKey]int32{}, zones: map[string]int32{}, nCols: nCols}
	for _, a := range s.atts {
		if a == nil || a.assoc == nil {
			continue
		}
		k := tailKey{a.assoc, a.tgw, a.m.ReferencingEnabled()}
		if _, ok := m.keys[k]; !ok {
			m.keys[k] = int32(len(m.keys))
		}
	}
	for i := range s.subnets {
		if z := s.subnets[i].zone; z != "" {
			if _, ok := m.zones[z]; !ok {
				m.zones[z] = int32(len(m.zones))
			}
		}
	}
	m.rows = make([]atomic.Pointer[[]atomic.Pointer[tailEntry]], len(m.keys)*len(m.zones))
	return m
}

// atTailStart reports whether walker w, whose recorder is rec, is where a
// skeleton walk enters its first transit gateway route table straight
// from its start subnet: one step, one lookup and one crossing made, and
// nothing else recorded or changed that a tail could read.
func (w *walker) atTailStart(rec *pathRec) bool {
	return w.leg == LegForward && w.steps == 2 && len(w.visited) == 1 && len(rec.crossings) == 1 &&
		!rec.blocked && !rec.tainted && !rec.notPlain && w.refsLost == 0 && w.refBarriers == 0 && !w.crossedTGW &&
		!w.srcRead && w.loopAt == 0 && w.srcENI < 0 && w.service == "" && !w.lbSource && !w.preservedFrom.IsValid() &&
		len(w.nat) == 0 && len(w.boxes) == 0 && len(w.pins) == 0 && len(w.gwlb) == 0 && len(w.sentOn) == 0 &&
		len(w.egressOnly) == 0 && w.returnVia == ""
}

// enter walks or replays the tail of walker w, which entered transit
// gateway route table t by attachment att in zone az; false when the
// walk must go on by itself (not a skeleton walk at a tail's start, or a
// tail that is not shared with it).
func (h *tailHook) enter(w *walker, att *attInfo, t *routing.TGWTable, az string) (terminal, bool) {
	rec, ok := w.rec.(*pathRec)
	if !ok || !w.atTailStart(rec) {
		return terminal{}, false
	}
	h.entered, h.at = true, tailStart{att: att, t: t, az: az, asn: rec.crossings[0].to}
	m := h.memo
	if att != h.lastAtt || t != h.lastT || az != h.lastAZ {
		ki, ok := m.keys[tailKey{t, att.tgw, att.m.ReferencingEnabled()}]
		zi, ok2 := m.zones[az]
		if !ok || !ok2 {
			return terminal{}, false
		}
		h.lastAtt, h.lastT, h.lastAZ, h.lastRow = att, t, az, int(ki)*len(m.zones)+int(zi)
	}
	row := m.rows[h.lastRow].Load()
	if row == nil {
		r := make([]atomic.Pointer[tailEntry], m.nCols)
		if !m.rows[h.lastRow].CompareAndSwap(nil, &r) {
			r = *m.rows[h.lastRow].Load()
		}
		row = &r
	}
	cell := &(*row)[h.col]
	e := cell.Load()
	if e == nil {
		// Walk it here, for this start, and keep its effect.
		term := w.tgwRoute(att, t, az)
		kept := term
		kept.pkt = sgeval.Packet{}
		cell.CompareAndSwap(nil, &tailEntry{
			shared: (!w.srcRead || m.ignoreSource) && w.loopAt != 1,
			term:   kept, crossedTGW: w.crossedTGW,
			refIn: w.refsKept(sgeval.Ingress, 0), refOut: w.refsKept(sgeval.Egress, 0), blocked: rec.blocked, determined: rec.determined, tainted: rec.tainted, notPlain: rec.notPlain,
			refsLost: w.refsLost, refBarriers: w.refBarriers, steps: w.steps,
			crossings: slices.Clone(rec.crossings[1:]), visited: slices.Clone(w.visited[1:]),
		})
		return term, true
	}
	if !e.shared || slices.Contains(e.visited, w.visited[0]) {
		return terminal{}, false
	}
	rec.crossings = append(rec.crossings, e.crossings...)
	rec.blocked, rec.determined, rec.tainted, rec.notPlain = e.blocked, e.determined, e.tainted, e.notPlain
	w.refsLost, w.refBarriers, w.steps, w.crossedTGW = e.refsLost, e.refBarriers, e.steps, e.crossedTGW
	w.visited = append(w.visited, e.visited...)
	return e.term, true
}

// route walks the skeleton walk w from start subnet s0 (row r), as
// w.route(s0) does, through hook h (nil: none). A walk whose start
// table's route for the destination is the one the last walk of the row
// took into a tail (h.fast) goes there without the walk: every step
// before a tail depends on the destination only through that route
// (walker.route, toTransitGateway, throughTGW), so the hook sets the
// walker as those steps leave it (one step and lookup each, the crossing
// into the attachment subnet) and enters the tail. A tail not shared
// with this start is walked from the start.
func (h *tailHook) route(w *walker, s0, r int32) terminal {
	if h == nil {
		return w.route(s0)
	}
	si := &w.s.subnets[s0]
	d := w.pkt.Dst
	if si.m.CIDRBlock.Contains(d) || si.m.IPv6CIDRBlock.Contains(d) {
		return w.route(s0)
	}
	rt := si.table.Lookup(d)
	if rt != nil && h.fast.route == rt && h.fast.row == r {
		rec := w.rec.(*pathRec)
		if w.visited == nil {
			w.visited = w.visitBuf[:0]
		}
		w.steps, w.visited = 2, append(w.visited, visit{si.table.ID, d})
		rec.crossings = append(rec.crossings, crossing{s0, h.fast.asn})
		f := h.fast
		if term, ok := h.enter(w, f.att, f.t, f.az); ok {
			return term
		}
		w.steps, w.visited, rec.crossings = 0, w.visited[:0], rec.crossings[:0]
	}
	h.entered = false
	term := w.route(s0)
	if h.entered && rt != nil {
		h.fast = h.at
		h.fast.row, h.fast.route = r, rt
	}
	return term
}

// replay sums up, without a walker, the skeleton walk from start subnet
// s0 (row r) to destination d when it would go as the row's last walk
// into a tail (h.fast, see route) and that tail is kept and shared with
// it: it records into rec what the walk would (the crossing into the
// attachment subnet, then the tail's) and returns the tail's end and
// refsKept's answers there. False when the walk must be walked.
func (h *tailHook) replay(s *Solver, rec *pathRec, s0, r int32, d netip.Addr) (term terminal, refIn, refOut, ok bool) {
	f := &h.fast
	if f.route == nil || f.row != r {
		return terminal{}, false, false, false
	}
	si := &s.subnets[s0]
	if si.m.CIDRBlock.Contains(d) || si.m.IPv6CIDRBlock.Contains(d) || si.table.Lookup(d) != f.route ||
		f.att != h.lastAtt || f.t != h.lastT || f.az != h.lastAZ {
		return terminal{}, false, false, false
	}
	row := h.memo.rows[h.lastRow].Load()
	if row == nil {
		return terminal{}, false, false, false
	}
	e := (*row)[h.col].Load()
	if e == nil || !e.shared || slices.Contains(e.visited, visit{si.table.ID, d}) {
		return terminal{}, false, false, false
	}
	rec.crossings = append(append(rec.crossings, crossing{s0, f.asn}), e.crossings...)
	rec.blocked, rec.determined, rec.tainted, rec.notPlain = e.blocked, e.determined, e.tainted, e.notPlain
	return e.term, e.refIn, e.refOut, true
}
