package solver

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"sync"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/sgeval"
)

// ServiceAtom is one elementary service the model's rules and listeners
// cannot split: a protocol and, for tcp and udp, a range of destination
// ports that every rule and listener treats alike. Every port of an atom
// gets the same verdict between any two endpoints, so one probe answers
// for the whole range.
type ServiceAtom struct {
	Protocol model.Protocol
	// Ports is the range, for tcp and udp; zero otherwise.
	Ports model.PortRange
}

// Query returns the probe for the atom: its first port (at least 1), or
// an echo request for icmp.
func (a ServiceAtom) Query(from, to string) Query {
	return Query{From: from, To: to, Protocol: a.Protocol, Port: probePort(a.Protocol, a.Ports)}
}

// Set returns the atom as a port set.
func (a ServiceAtom) Set() portset.Set { return portset.Ports(a.Protocol, a.Ports) }

// ServiceAtoms returns the model's service atoms, in order: tcp port
// ranges covering 1-65535, udp ditto, icmp (an echo request), then every
// other protocol a rule names by number, and those of also. ICMP types
// other than echo, and protocols no rule names, are not probed: every such
// protocol gets the verdict of any other (only rules for "all" pass it).
// Comparing two models, probe the protocols either names (also).
func (s *Solver) ServiceAtoms(also ...model.Protocol) []ServiceAtom {
	var out []ServiceAtom
	for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
		for _, r := range s.portAtoms(p, model.PortRange{First: 1, Last: 65535}) {
			out = append(out, ServiceAtom{Protocol: p, Ports: r})
		}
	}
	out = append(out, ServiceAtom{Protocol: model.ProtocolICMP})
	for _, p := range s.otherProtocols(also) {
		out = append(out, ServiceAtom{Protocol: p})
	}
	return out
}

// otherProtocols returns the protocols, other than tcp, udp, icmp, icmpv6
// and all, that some security group, network ACL or inspection rule
// names, or that also lists, sorted.
func (s *Solver) otherProtocols(also []model.Protocol) []model.Protocol {
	seen := map[model.Protocol]bool{}
	add := func(p model.Protocol) {
		switch p {
		case 0, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6, model.ProtocolAll:
			return
		}
		seen[p] = true
	}
	for _, p := range also {
		add(p)
	}
	s.ruleBounds(func(netip.Prefix) {}, func(p model.Protocol, _ *model.PortRange) { add(p) })
	out := make([]model.Protocol, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// PortCell is one reaching pair of a port matrix: the destination (an
// index into the matrix's nodes or classes) and the flows that pass both
// ways.
type PortCell struct {
	To    int
	Ports portset.Set
}

// PortMatrix says, for every source and destination, which protocols and
// ports pass, request and response: the matrix of every service at once.
type PortMatrix struct {
	Level MatrixLevel
	Nodes []model.ID
	// Reach[i] lists the nodes node i reaches, sorted by node, each with
	// the flows that pass; pairs where nothing passes are left out.
	Reach [][]PortCell
}

// ClassPorts answers, for every ordered pair of classes (indexes into
// Classes), which flows pass both ways: Reach[a] lists the classes a
// reaches, sorted, with the flows. A class's pair with itself stands for
// two different members (and is absent for a class of one member). Every
// answer is that of Reach on a probe of each service atom (ServiceAtoms)
// between the classes' members; also adds protocols to probe (see
// ServiceAtoms).
//
// It runs the engine of Matrix once per protocol (per 64 port atoms of a
// protocol, when its rules draw more): path walks do not depend on the
// port, so one table of skeletons serves every port atom, and each
// network ACL and security group check answers with the set of atoms
// that pass it, memoized as Matrix memoizes its verdicts; a pair's flows
// are the intersection of its checks' sets. Pairs the engine does not
// answer for ask Reach once per atom. The cost is that of a few
// single-port matrices plus, per memoized check, one evaluation per atom;
// the engines' skeleton tables (usually three or four: tcp, udp, icmp and
// the protocols rules name) are held at once, and each pair is answered
// by all of them in one pass.
//
// Cells may share the slices of their sets: a Set is a value, not to be
// changed in place.
func (s *Solver) ClassPorts(opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPorts(opts, pairSelection{}, also)
}

// ClassPortsTouching is ClassPorts for the pairs with an end in a class
// that touched reports (its row and its column); the other rows and cells
// are left empty. A diff asks it for the classes a change may affect.
func (s *Solver) ClassPortsTouching(touched func(class int) bool, opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPorts(opts, pairSelection{touched: touched}, also)
}

// ClassPortsBetween is ClassPorts for the pairs (a, b) with from(a) and
// to(b), or to(a) and from(b); the other cells are left empty. A diff asks
// it when a change of routes alters the lookups of from's classes'
// traffic only, for addresses only to's classes hold.
func (s *Solver) ClassPortsBetween(from, to func(class int) bool, opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPorts(opts, pairSelection{touched: func(c int) bool { return from(c) || to(c) }, from: from, to: to}, also)
}

// pairSelection says which pairs of classes classPorts answers: those
// with an end that touched reports (all, when it is nil); of those, with
// from and to set, only the pairs of a from class and a to class, either
// way round.
type pairSelection struct {
	touched, from, to func(int) bool
}

// classPorts is ClassPorts, for the pairs sel selects.
func (s *Solver) classPorts(opts AnalysisOptions, sel pairSelection, also []model.Protocol) [][]PortCell {
	touched := sel.touched
	atoms := s.ServiceAtoms(also...)
	layout := s.sharedLayout()
	n := len(layout.classes)
	// Chunks: up to maxEngineAtoms atoms of one protocol, consecutive in
	// atoms, each with its engine.
	var chunks [][]ServiceAtom
	for i := 0; i < len(atoms); {
		j := i + 1
		for j < len(atoms) && j-i < maxEngineAtoms && atoms[j].Protocol == atoms[i].Protocol {
			j++
		}
		chunks = append(chunks, atoms[i:j])
		i = j
	}
	total := len(chunks)*layout.rows() + n
	// With touched, only the skeletons of the touched classes' rows and
	// columns are walked, in each family: a pair with a touched end reads
	// no other.
	var needRow, needCol [numFams][]bool
	if touched != nil {
		for f, fl := range layout.fl {
			if fl == nil {
				continue
			}
			needRow[f], needCol[f] = make([]bool, len(fl.rowSubnet)), make([]bool, len(fl.colAddr))
			for ci := range n {
				if touched(ci) && fl.has[ci] {
					needRow[f][fl.row[ci]], needCol[f][fl.col[ci]] = true, true
				}
			}
		}
	}
	engines := make([]*matrixEngine, len(chunks))
	for ci, ch := range chunks {
		qs := make([]Query, len(ch))
		for k, a := range ch {
			qs[k] = a.Query("", "")
		}
		engines[ci] = layout.engine(qs)
		engines[ci].buildTableFor(offsetProgress(opts.Progress, ci*layout.rows(), total), needRow, needCol, sel.from != nil)
	}
	all := make([]int, n)
	var touchedList, fromList, toList []int
	for b := range n {
		all[b] = b
		if touched != nil && touched(b) {
			touchedList = append(touchedList, b)
		}
		if sel.from != nil && sel.from(b) {
			fromList = append(fromList, b)
		}
		if sel.to != nil && sel.to(b) {
			toList = append(toList, b)
		}
	}
	out := make([][]PortCell, n)
	pool := sync.Pool{New: func() any { return new([]PortCell) }}
	parallel(n, func(a int) {
		var buf []sgeval.PortDecision
		sets := make([]uint64, len(engines))
		key := make([]byte, 0, 8*len(engines))
		// The flows of each combination of the chunks' sets, computed once
		// per row.
		flows := map[string]portset.Set{}
		row := pool.Get().(*[]PortCell)
		*row = (*row)[:0]
		cols := all
		switch {
		case sel.from != nil:
			// A from row reads the to columns, a to row the from ones.
			cols = nil
			if sel.from(a) {
				cols = toList
			}
			if sel.to(a) {
				cols = mergeSorted(cols, fromList)
			}
		case touched != nil && !touched(a):
			cols = touchedList // an untouched row: its touched columns only
		}
		for _, b := range cols {
			if a == b && len(layout.classes[a].Members) < 2 {
				continue
			}
			some := false
			for ci, e := range engines {
				sets[ci] = e.pair(int32(a), int32(b), &buf)
				some = some || sets[ci] != 0
			}
			if !some {
				continue
			}
			key = key[:0]
			for _, x := range sets {
				key = binary.LittleEndian.AppendUint64(key, x)
			}
			set, ok := flows[string(key)]
			if !ok {
				set = chunksFlows(chunks, sets)
				flows[string(key)] = set
			}
			*row = append(*row, PortCell{To: b, Ports: set})
		}
		if len(*row) > 0 {
			out[a] = slices.Clone(*row)
		}
		pool.Put(row)
	}, offsetProgress(opts.Progress, len(chunks)*layout.rows(), total))
	return out
}

// mergeSorted returns the sorted union of two sorted lists of distinct
// classes.
func mergeSorted(x, y []int) []int {
	if len(x) == 0 {
		return y
	}
	out := make([]int, 0, len(x)+len(y))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case j == len(y) || (i < len(x) && x[i] < y[j]):
			out = append(out, x[i])
			i++
		case i == len(x) || y[j] < x[i]:
			out = append(out, y[j])
			j++
		default:
			out = append(out, x[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// chunksFlows returns the flows of the atoms of each chunk whose bits are
// set in the chunk's set.
func chunksFlows(chunks [][]ServiceAtom, sets []uint64) portset.Set {
	var out portset.Set
	for ci, set := range sets {
		if set == 0 {
			continue
		}
		f := atomsFlows(chunks[ci], set)
		if ci > 0 && chunks[ci-1][0].Protocol == chunks[ci][0].Protocol {
			out = out.Union(f) // the same protocol, more ports
		} else {
			out = joinProtocols(out, f)
		}
	}
	return out
}

// atomsFlows returns the flows of the atoms of one protocol whose bits
// are set.
func atomsFlows(atoms []ServiceAtom, set uint64) portset.Set {
	var rs []model.PortRange
	for k, a := range atoms {
		if set&(1<<k) == 0 {
			continue
		}
		if n := len(rs); n > 0 && uint32(rs[n-1].Last)+1 == uint32(a.Ports.First) {
			rs[n-1].Last = a.Ports.Last
			continue
		}
		rs = append(rs, a.Ports)
	}
	return portset.Ports(atoms[0].Protocol, rs...)
}

// joinProtocols returns the union of two sets of different protocols,
// the second's protocols after the first's.
func joinProtocols(x, y portset.Set) portset.Set {
	if len(x.TCP) == 0 {
		x.TCP = y.TCP
	}
	if len(x.UDP) == 0 {
		x.UDP = y.UDP
	}
	x.ICMP = x.ICMP || y.ICMP
	if len(y.Other) > 0 {
		x.Other = append(slices.Clip(x.Other), y.Other...)
	}
	return x
}

// classPortsByAtom is ClassPorts the plain way: one class matrix per
// service atom.
func (s *Solver) classPortsByAtom(opts AnalysisOptions, touched func(int) bool, also []model.Protocol) [][]PortCell {
	n := len(s.classData().classes)
	sets := make([][]portset.Set, n)
	for i := range sets {
		sets[i] = make([]portset.Set, n)
	}
	atoms := s.ServiceAtoms(also...)
	for ai, atom := range atoms {
		e := s.newMatrixEngine(atom.Query("", ""))
		reach := e.classMatrix(offsetProgress(opts.Progress, ai*2*n, len(atoms)*2*n))
		set := atom.Set()
		for a := range n {
			for b := range n {
				if reach[a][b] && (touched == nil || touched(a) || touched(b)) {
					sets[a][b] = sets[a][b].Union(set)
				}
			}
		}
	}
	out := make([][]PortCell, n)
	for a := range n {
		for b := range n {
			if !sets[a][b].IsEmpty() {
				out[a] = append(out[a], PortCell{To: b, Ports: sets[a][b]})
			}
		}
	}
	return out
}

// PortMatrix computes, at the subnet level (the flows by which some
// instance of one subnet reaches some instance of the other) or the
// instance level, which protocols and ports pass both ways between every
// pair. It is ClassPorts spread over the classes' members or subnets.
func (s *Solver) PortMatrix(level MatrixLevel, opts AnalysisOptions) PortMatrix {
	classes := s.classData().classes
	m := PortMatrix{Level: level}
	var classNodes [][]int
	m.Nodes, classNodes = matrixNodes(classes, level)
	m.Reach = make([][]PortCell, len(m.Nodes))
	classPorts := s.ClassPorts(opts)
	if level == LevelInstance {
		// Every instance is in one class: each cell is one class pair's.
		for a, row := range classPorts {
			n := 0
			for _, c := range row {
				n += len(classNodes[c.To])
			}
			for _, x := range classNodes[a] {
				m.Reach[x] = make([]PortCell, 0, n)
			}
		}
		for a, row := range classPorts {
			for _, c := range row {
				for _, x := range classNodes[a] {
					for _, y := range classNodes[c.To] {
						if x != y {
							m.Reach[x] = append(m.Reach[x], PortCell{To: y, Ports: c.Ports})
						}
					}
				}
			}
		}
		for x := range m.Reach {
			slices.SortFunc(m.Reach[x], func(a, b PortCell) int { return a.To - b.To })
		}
		return m
	}
	cells := make([]map[int]portset.Set, len(m.Nodes))
	for a, row := range classPorts {
		for _, c := range row {
			x, y := classNodes[a][0], classNodes[c.To][0]
			if cells[x] == nil {
				cells[x] = map[int]portset.Set{}
			}
			if old, ok := cells[x][y]; ok {
				cells[x][y] = old.Union(c.Ports)
			} else {
				cells[x][y] = c.Ports
			}
		}
	}
	for x, row := range cells {
		for y, set := range row {
			m.Reach[x] = append(m.Reach[x], PortCell{To: y, Ports: set})
		}
		slices.SortFunc(m.Reach[x], func(a, b PortCell) int { return a.To - b.To })
	}
	return m
}
