package solver

import (
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// EndHops is what Solver.EndHops says of one query: whether its path is
// plain, and if so the security group hops Reach records at its ends.
type EndHops struct {
	// Plain reports whether the query joins two interfaces (instances or
	// network interfaces, named by id) over one address family, both
	// running, along paths that the matrix engine shares as plain
	// skeletons both ways: delivered untranslated, through no load
	// balancer, endpoint, appliance or gateway, nothing assumed. Only
	// then are Egress and Ingress set; otherwise ask Reach.
	Plain bool
	// Egress is the hop of the source's security groups (outbound) and
	// Ingress that of the destination's (inbound), as Reach records them
	// in Result.Forward: component, decision, direction, rule and its
	// position. On a plain path they are its only security group hops.
	Egress, Ingress Hop
}

// EndHops answers, for each query, the security group hops at its ends
// without walking it, where its path is plain (see EndHops.Plain). Paths
// are shared: the skeleton of a path is walked once for every query whose
// ends share a start key and a destination atom, as the matrix does, so
// asking for many queries between classes costs a skeleton walk per
// distinct path and two group checks per query.
//
// What it answers equals what Reach records (TestEndHopsAgreeWithReach):
// a plain path crosses nothing that filters by group but its two ends,
// and whether group references match at each end is what the walk would
// decide, recorded in the skeleton.
func (s *Solver) EndHops(qs []Query) []EndHops {
	return s.endHopsWhere(qs, func(int32) bool { return true })
}

// EndHopsHolding is EndHops that checks only the ends whose interface
// holds one of groups, and leaves the hop of another end zero. Comparing
// two networks that differ only in groups needs no more: the hop of an end
// that holds none of them names no changed group, so it tells nothing of
// what the change did.
func (s *Solver) EndHopsHolding(qs []Query, groups []model.ID) []EndHops {
	holds := map[int32]bool{} // by interface
	return s.endHopsWhere(qs, func(ei int32) bool {
		h, ok := holds[ei]
		if !ok {
			h = slices.ContainsFunc(s.enis[ei].groups, func(g *sgeval.SecurityGroup) bool { return slices.Contains(groups, g.ID) })
			holds[ei] = h
		}
		return h
	})
}

// endHopsWhere is EndHops checking the groups of the interfaces checked
// says.
func (s *Solver) endHopsWhere(qs []Query, checked func(ei int32) bool) []EndHops {
	out := make([]EndHops, len(qs))
	if len(qs) == 0 || s.HasAssumed() {
		return out
	}
	l := s.sharedLayout()
	classOf := s.eniClasses()
	// An engine's probe is the query's packet: protocol, port, ephemeral
	// range and ICMP type and code, where nil (an echo request) is not
	// the type and code 0 written out (an echo reply).
	type engineKey struct {
		p       model.Protocol
		port    uint16
		icmp    model.ICMPMatch
		hasICMP bool
		eph     model.PortRange
	}
	type skelKey struct{ fam, r, c int32 }
	type engineMemo struct {
		m     *matrixEngine
		skels map[skelKey]skel
	}
	engines := map[engineKey]*engineMemo{}

	var (
		pw, ew walker // the path walks', the group checks'
		rec    pathRec
		buf    []sgeval.PortDecision
	)
	// Queries come in runs from one source, often to one destination:
	// each end is looked up once a run.
	var from, to lastENI
	for i, q := range qs {
		if q.Validate() != nil || q.Family != "" {
			continue
		}
		x, okX := from.of(s, q.From)
		y, okY := to.of(s, q.To)
		if !okX || !okY || x == y || classOf[x] < 0 || classOf[y] < 0 {
			continue
		}
		a, b := classOf[x], classOf[y]
		if l.slow[a] || l.slow[b] || (a == b && l.slowSelf[a]) || !l.running[a] || !l.running[b] {
			continue
		}
		k := engineKey{p: q.Protocol, port: q.Port, eph: q.Ephemeral}
		if q.ICMP != nil {
			k.icmp, k.hasICMP = *q.ICMP, true
		}
		em := engines[k]
		if em == nil {
			em = &engineMemo{m: l.engine([]Query{q}), skels: map[skelKey]skel{}}
			engines[k] = em
		}
		m := em.m
		// One address family both ends have (V-03): a query between
		// dual-stack ends is answered per family.
		var fe *famEngine
		n := 0
		for _, f := range m.fe {
			if f != nil && f.has[a] && f.has[b] {
				fe, n = f, n+1
			}
		}
		if n != 1 {
			continue
		}
		sk := func(r, c int32) skel {
			key := skelKey{int32(fe.fam), r, c}
			k, ok := em.skels[key]
			if !ok {
				k = fe.skeleton(&pw, &rec, nil, r, c, &buf)
				em.skels[key] = k
			}
			return k
		}
		f := sk(fe.row[a], fe.col[b])
		if f.status != skelPlain || f.vpc != s.subnets[l.subnet[b]].vpc {
			continue
		}
		if r := sk(fe.row[b], fe.col[a]); r.status != skelPlain || r.vpc != s.subnets[l.subnet[a]].vpc {
			continue
		}
		out[i] = s.endHops(&ew, m, fe.fam, x, y, f.flags&skRefOK != 0, f.flags&skEgressRefOK != 0, checked(x), checked(y))
	}
	return out
}

// eniClasses returns the class of the layout of each interface (-1:
// none), computed once.
func (s *Solver) eniClasses() []int32 {
	s.eniClass.once.Do(func() {
		l := s.sharedLayout()
		classOf := make([]int32, len(s.enis))
		for i := range classOf {
			classOf[i] = -1
		}
		for ci := range l.classes {
			for _, id := range l.classes[ci].Members {
				if ei, ok := s.eni[id]; ok {
					classOf[ei] = int32(ci)
				}
			}
		}
		s.eniClass.of = classOf
	})
	return s.eniClass.of
}

// endHops checks the groups of interface x (outbound) and y (inbound) for
// the engine's probe sent from x to y over family fam, as the walk does
// at either end of a plain path (fromENI and finishEgress, arriveAt),
// group references matching as refOK (inbound) and egressRefOK
// (outbound) say, each end only when checkX or checkY says. w is the
// walker to use, whatever it held.
func (s *Solver) endHops(w *walker, m *matrixEngine, fam int, x, y int32, refOK, egressRefOK, checkX, checkY bool) EndHops {
	pkt := m.probes[0].fwd
	pkt.Src, pkt.Dst = famAddr(&s.enis[x], fam), famAddr(&s.enis[y], fam)
	*w = walker{s: s, leg: LegForward, pkt: pkt, first: pkt, ephemeral: m.eph, srcENI: x, egressHop: -1, rec: endsRec{}, portBuf: w.portBuf[:0]}
	if !refOK {
		// Why references were lost decides only the code and message of
		// a blocker, which EndHops does not return; any reason will do.
		w.refsLost = refsTGWWithout
	}
	if !egressRefOK {
		w.refBarriers = 1
	}
	h := EndHops{Plain: true}
	if checkX {
		peer, peerENI := w.egressPeer(terminal{kind: termENI, eni: y, ext: -1}, 0)
		h.Egress = w.checkSG(x, sgeval.Egress, peer, peerENI)
	}
	if checkY {
		h.Ingress = w.checkSG(y, sgeval.Ingress, w.peerFor(pkt.Src, x), x)
	}
	return h
}

// endsRec is the recorder of Solver.endHops: it keeps the words of the
// hops it is handed back, renders no message, and records nothing.
type endsRec struct{}

func (endsRec) words() bool              { return true }
func (endsRec) messages() bool           { return false }
func (endsRec) filters() bool            { return true }
func (endsRec) hop(*walker, Hop)         {}
func (endsRec) setHop(*walker, int, Hop) {}
func (endsRec) block(*walker, Blocker)   {}
func (endsRec) warn(*walker, Warning)    {}
func (endsRec) cross(from, to int32)     {}
func (endsRec) taint()                   {}

// lastENI remembers the interface of the id looked up last.
type lastENI struct {
	id         string
	ei         int32
	ok, looked bool
}

// of returns the interface of id, as Solver.eni holds it.
func (l *lastENI) of(s *Solver, id string) (int32, bool) {
	if !l.looked || id != l.id {
		l.ei, l.ok = s.eni[model.ID(id)]
		l.id, l.looked = id, true
	}
	return l.ei, l.ok
}
