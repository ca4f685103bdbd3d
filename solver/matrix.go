package solver

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// The matrix engine answers "does class a reach class b?" for every pair of
// classes without walking each pair, for one service atom (Matrix) or for
// several atoms of one protocol at once (ClassPorts). A verdict between two
// interfaces whose path is plain (no translation, no appliance, no
// service, delivered to the destination interface itself) factors into:
//
//   - the path: routing both ways, as a path walk (see pathRec) records it:
//     whether routing blocks, which VPC the packet is delivered in, whether
//     group references survive, and the subnet boundaries it crosses. A
//     walk depends on the subnet it starts from only through the subnet's
//     route table, VPC and zone, and on the addresses only through their
//     routing atoms (see routingAtoms), so one walk per (start key, own
//     atom, other atom) serves every interface pair alike: a skeleton. The
//     response's walk is the same kind of walk, from the destination's
//     subnet, so one table of skeletons serves requests and responses. A
//     walk depends on the protocol (a NAT gateway or gateway endpoint
//     carries some protocols only) but not on the port, so one table
//     serves every port atom of a protocol. Most walks between VPCs
//     cross a transit gateway, and what a walk does after the
//     gateway's route table does not depend on where it came from: that
//     tail is walked once per route table, zone and column, and shared
//     (see tailMemo, which says when it is not). A cell of the table is
//     one word (see skelTable);
//   - the network ACLs of the crossed boundaries: those of the two end
//     subnets are checked per pair, the others are decided in the
//     skeleton; each check is memoized by (ACL contents, direction, leg,
//     routing atom);
//   - the running states of both interfaces;
//   - the security groups: the source's egress and the destination's
//     ingress, each the union of a CIDR part (memoized by group set and
//     security group atom of the peer) and, where the path keeps group
//     references, a reference part (memoized by the two group sets).
//
// Every port-dependent check answers with the set of the engine's atoms
// that pass it (see atomsets.go), and a pair's answer is the AND of its
// checks' sets. Anything else (a skeleton that is not plain, a class whose
// id does not resolve to its own interface, a packet delivered in another
// VPC than the destination's) is answered by a verdict-only Reach of the
// class pair, once per atom, so the engine's answers are those of point
// queries.
//
// Each address family has its own atoms, skeleton table and address
// memos (famEngine): a pair of dual-stack classes is answered by each
// family both ends have, and reaches when either family does, as Reach
// answers a query between two interfaces named by id (V-03).

// skel is the skeleton of a path walk from a start key to a routing atom.
type skel struct {
	status uint8
	flags  uint16
	// vpc is the VPC the packet is delivered in.
	vpc int32
	// x is the subnet the first crossing enters (-1 outside any), y the
	// subnet the last crossing leaves; the first crossing leaves the start
	// subnet, the last enters the destination's. With skLocal the walk
	// crosses once, from the start subnet to the destination's.
	x, y int32
}

// Skeleton statuses.
const (
	// skelFallback: not plain, or depending on more than the skeleton's
	// key; pairs that use it ask Reach.
	skelFallback uint8 = iota
	// skelBlocked: routing blocks the walk, whatever the ACLs and groups.
	skelBlocked
	// skelPlain: delivered untranslated to an instance or network
	// interface.
	skelPlain
)

// Skeleton flags. The ACL flags say that some atom passes; their Some
// twins that some atom does not (the pair then reads which from the memo,
// or, for the middle crossings, from the row's middle sets). An engine of
// one atom never sets a Some flag. Nor, today, does a response check: a
// response is addressed to the ephemeral range whatever the request's
// port, so the atoms of one protocol pass it alike; the engine does not
// rely on that.
const (
	skRefOK       uint16 = 1 << iota // group references match at the end
	skEgressRefOK                    // group references match in the source's outbound rules (egressRefs)
	skLocal                          // one crossing, start subnet to destination subnet
	skXFwd                           // x's inbound rules pass the request (or x < 0)
	skXRet                           // ... the response
	skMidFwd                         // the crossings between the first and the last pass the request
	skMidRet                         // ... the response
	skYFwd                           // y's outbound rules pass the request (or y < 0)
	skYRet                           // ... the response
	skXFwdSome
	skXRetSome
	skMidSome // either middle set is partial: see famEngine.mids
	skYFwdSome
	skYRetSome
)

// ACL check kinds, for the memo: direction and leg.
const (
	aclInFwd = iota
	aclOutFwd
	aclInRet
	aclOutRet
)

// matrixLayout is what the matrix engines of one solver share, whatever
// the protocol and port: the classes, their keys and compact atoms, the
// skeleton rows, the network ACLs by contents and the group sets.
type matrixLayout struct {
	s       *Solver
	classes []Class

	// Per class: the interface of its first member; whether its pairs go
	// to Reach (slow), and its own pair, to its second member (slowSelf);
	// running state, subnet and group set.
	src            []int32
	slow, slowSelf []bool
	running        []bool
	subnet         []int32
	gs             []int32 // group set

	// fl holds the per-family parts, IPv4's and IPv6's; nil for a family
	// no class the engine answers for has.
	fl [numFams]*famLayout

	// six and four list the classes the engine answers for whose
	// interfaces are IPv6-only and IPv4-only: a pair of one of each
	// shares no family, and Reach answers it through NAT64 (nat64Plan,
	// V-16), which the skeletons do not follow, so the engine asks Reach.
	// Both are nil when NAT64 can carry nothing in the model (mayNAT64):
	// such pairs are then unreachable.
	six, four []int32
	// nat64End holds, per class, nat64Six or nat64Four for the classes
	// of six and four; nil with them.
	nat64End []uint8

	// Network ACLs by contents, per subnet.
	aclClass []int32
	acls     []*sgeval.ACL

	// Security groups.
	gsGroups [][]*sgeval.SecurityGroup
	gsRefs   [][]sgeval.GroupRef
}

// Address families of the matrix engine: each has its own atoms, skeleton
// table and address-dependent memos. A pair of classes reaches by a
// family when both have addresses of it (V-03), and reaches when it
// reaches by either, as Reach answers (Result.Families).
const (
	fam4 = iota
	fam6
	numFams
)

// famLayout is the part of a matrix layout for one address family: the
// classes' addresses of that family (an interface's primary IPv4 address,
// or its first IPv6 one, as a query by id uses them), their atoms and
// the skeleton rows and columns.
type famLayout struct {
	fam int
	// Per class: whether it has an address of the family (else its other
	// fields are zero), and its compact atoms.
	has []bool
	col []int32 // routing atom of its interfaces (column)
	row []int32 // skeleton row: (start key of its subnet, col)
	sga []int32 // security group atom

	// Routing atoms that hold interfaces (columns), one address each,
	// and the VPC of the interface it is.
	colAddr []netip.Addr
	colVPC  []int32
	// colENI is, per column, the interface whose address colAddr is,
	// and colSubnet its subnet; colEnd says whether it is an instance or
	// network interface. summarize reads them for a walk delivered there
	// instead of the interface's record.
	colENI    []int32
	colSubnet []int32
	colEnd    []bool
	// Skeleton rows: start subnet and own address.
	rowSubnet []int32
	rowAddr   []netip.Addr
	rowCol    []int32
	grouped   []bool // the row's start key stands for several subnets

	// Security group atoms, one address each.
	sgaAddr []netip.Addr
}

// famAddr returns the address of family fam a query by id uses for
// interface e: its primary IPv4 address, or its first IPv6 one; invalid
// when it has none.
func famAddr(e *eniInfo, fam int) netip.Addr {
	if fam == fam6 {
		if len(e.v6) == 0 {
			return netip.Addr{}
		}
		return e.v6[0]
	}
	return e.primary
}

// addrAtoms is an atom index of one family: atoms or atoms6.
type addrAtoms interface{ of(netip.Addr) int }

// probe is one service atom of an engine: its query, and the request and
// response packets as reachQuery and returnWalk build them.
type probe struct {
	q        Query
	fwd, ret sgeval.Packet
}

// matrixEngine holds what the matrix needs for a list of service atoms of
// one protocol (their probes, at most maxEngineAtoms), sharing one
// skeleton table. Its sets of atoms are words: bit k for probe k.
type matrixEngine struct {
	*matrixLayout
	// slow shadows the layout's: the classes this engine answers by
	// Reach. For icmpv6, every class: the fast path evaluates IPv4
	// packets, which icmpv6 never is (V-11).
	slow   []bool
	probes []probe
	eph    model.PortRange
	full   uint64 // every atom
	// fe holds the per-family parts; nil for a family the layout does
	// not have or the protocol does not use (icmp is IPv4's, icmpv6
	// IPv6's: V-11).
	fe [numFams]*famEngine

	eRef lazySets // group set × group set: egress to the second's refs
	iRef lazySets // group set × group set: ingress from the second's refs
}

// famEngine is the part of a matrix engine for one address family.
type famEngine struct {
	*matrixEngine
	*famLayout
	table skelTable
	// walked holds the skeletons walked on demand (see skelOf), by
	// row*nCols + column, while the table is not built; nil but then.
	walkedMu *sync.Mutex
	walked   map[int]skel
	// spare is storage the next build of the table may reuse (see
	// matrixEngine.subnetMatrix).
	spare []uint64
	// mids holds, per row, the partial middle sets of the row's
	// skeletons with skMidSome (engines of several atoms), in pairs: the
	// request's, then the response's; the table gives each such skeleton
	// the index of its pair.
	mids [][]uint64

	aclMemo lazySets // ACL contents × kind × column atom
	eCIDR   lazySets // group set × atom: egress to the atom
	iCIDR   lazySets // group set × atom: ingress from the atom
}

// newMatrixEngine prepares an engine for one query. It does not walk.
func (s *Solver) newMatrixEngine(q Query) *matrixEngine {
	return s.sharedLayout().engine([]Query{q})
}

// engine prepares an engine for the service atoms of qs (1 to
// maxEngineAtoms), which must share their protocol and ephemeral range
// (qs[0]'s): packets, memo tables. It does not walk.
func (l *matrixLayout) engine(qs []Query) *matrixEngine {
	if len(qs) == 0 || len(qs) > maxEngineAtoms {
		panic(fmt.Sprintf("solver: a matrix engine for %d atoms", len(qs)))
	}
	m := &matrixEngine{matrixLayout: l, slow: l.slow, eph: qs[0].Ephemeral}
	if m.eph == (model.PortRange{}) {
		m.eph = DefaultEphemeral()
	}
	for _, q := range qs {
		// The packets, as reachQuery and returnWalk build them.
		p := probe{q: q, fwd: sgeval.Packet{Protocol: q.Protocol, DstPort: q.Port, SrcPort: m.eph.First}}
		if q.Protocol.IsICMP() {
			p.fwd.ICMPType, p.fwd.ICMPCode = echoRequest(q.Protocol), 0
			if q.ICMP != nil {
				p.fwd.ICMPType, p.fwd.ICMPCode = int16(max(q.ICMP.Type, 0)), int16(max(q.ICMP.Code, 0))
			}
		}
		p.ret = p.fwd
		p.ret.DstPort = m.eph.First
		if q.Protocol.IsICMP() {
			p.ret.ICMPType = icmpResponse(q.Protocol, p.fwd.ICMPType)
		}
		m.probes = append(m.probes, p)
	}
	m.full = ^uint64(0) >> (64 - len(qs))
	nGS := len(l.gsGroups)
	m.eRef, m.iRef = newLazySets(nGS*nGS, m.full), newLazySets(nGS*nGS, m.full)
	for f, fl := range l.fl {
		p := qs[0].Protocol
		if fl == nil || (f == fam6 && p == model.ProtocolICMP) || (f == fam4 && p == model.ProtocolICMPv6) {
			continue
		}
		fe := &famEngine{matrixEngine: m, famLayout: fl}
		nCols, nSGA := len(fl.colAddr), len(fl.sgaAddr)
		fe.aclMemo = newLazySets(len(l.acls)*4*nCols, m.full)
		fe.eCIDR, fe.iCIDR = newLazySets(nGS*nSGA, m.full), newLazySets(nGS*nSGA, m.full)
		m.fe[f] = fe
	}
	return m
}

// sharedLayout returns the solver's matrix layout, built once, on first
// use: a layout is read only once built (engines keep their memos and
// skeletons apart), so every analysis and EndHops share it.
func (s *Solver) sharedLayout() *matrixLayout {
	s.layout.once.Do(func() { s.layout.l = s.newMatrixLayout() })
	return s.layout.l
}

// newMatrixLayout prepares what every engine shares: classes, atoms, keys.
func (s *Solver) newMatrixLayout() *matrixLayout {
	classes := s.classData().classes
	m := &matrixLayout{s: s, classes: classes}
	n := len(classes)
	m.src = make([]int32, n)
	m.slow, m.slowSelf, m.running = make([]bool, n), make([]bool, n), make([]bool, n)
	m.subnet, m.gs = make([]int32, n), make([]int32, n)

	// Addresses that network ACLs exempt in some VPC (S-34).
	special := map[netip.Addr]bool{}
	for vi := range s.vpcs {
		for _, a := range s.aclExempt(int32(vi)) {
			special[a] = true
		}
	}
	// plain reports whether interface ei is a query end the engine may
	// stand in for: each of its addresses a query by id uses (famAddr)
	// held by it alone in its VPC, and not one that network ACLs exempt
	// (S-34).
	plain := func(ei int32) bool {
		e := &s.enis[ei]
		for f := range numFams {
			if a := famAddr(e, f); a.IsValid() && (s.vpcs[e.vpc].addrs[a] != ei || special[a]) {
				return false
			}
		}
		return e.primary.IsValid() || len(e.v6) > 0
	}
	// asSource and asDestination return the interface a member's id names
	// in a query, and whether it names just that, as reachQuery resolves
	// it.
	asSource := func(id model.ID) (int32, bool) {
		ei, ok := s.eni[id]
		if !ok {
			return -1, false
		}
		o, err := s.resolve(string(id), false)
		return ei, plain(ei) && err == nil && o.kind == termENI && o.eni == ei && o.addr == s.enis[ei].primary
	}
	asDestination := func(id model.ID, from int32) (int32, bool) {
		ei, ok := s.eni[id]
		if !ok {
			return -1, false
		}
		o, r, err := s.resolveDestination(string(id), origin{kind: termENI, eni: from, ext: -1, addr: s.enis[from].primary})
		return ei, plain(ei) && err == nil && o.kind == termENI && o.eni == ei && o.addr == s.enis[ei].primary &&
			len(r.blockers) == 0 && len(r.answers) == 0 && len(r.hops) == 0 && r.service == ""
	}

	gsOf := map[string]int32{}
	var key []byte
	for ci := range classes {
		c := &classes[ci]
		var ok, ok2 bool
		if m.src[ci], ok = asSource(c.Members[0]); m.src[ci] < 0 {
			m.slow[ci] = true
			continue
		}
		_, ok2 = asDestination(c.Members[0], m.src[ci])
		m.slow[ci] = !ok || !ok2
		e := &s.enis[m.src[ci]]
		m.running[ci] = e.running
		m.subnet[ci] = e.subnet
		key = key[:0]
		for _, g := range e.groups {
			key = strconv.AppendInt(key, int64(g.Ref), 10)
			key = append(key, ',')
		}
		g, ok := gsOf[string(key)]
		if !ok {
			g = int32(len(m.gsGroups))
			gsOf[string(key)] = g
			m.gsGroups = append(m.gsGroups, e.groups)
			m.gsRefs = append(m.gsRefs, e.refs)
		}
		m.gs[ci] = g
	}
	for f := range numFams {
		m.fl[f] = m.famLayoutOf(f, asDestination)
	}
	if s.mayNAT64() {
		m.nat64End = make([]uint8, n)
		for ci := range classes {
			if m.slow[ci] {
				continue
			}
			switch e := &s.enis[m.src[ci]]; {
			case !e.primary.IsValid() && len(e.v6) > 0:
				m.six = append(m.six, int32(ci))
				m.nat64End[ci] = nat64Six
			case e.primary.IsValid() && len(e.v6) == 0:
				m.four = append(m.four, int32(ci))
				m.nat64End[ci] = nat64Four
			}
		}
		if len(m.six) == 0 || len(m.four) == 0 {
			m.six, m.four, m.nat64End = nil, nil, nil
		}
	}

	// Network ACLs by contents.
	m.aclClass = make([]int32, len(s.subnets))
	byContents := map[string]int32{}
	contentsOf := map[*model.NetworkACL]string{}
	modelACL := map[*sgeval.ACL]*model.NetworkACL{}
	for vi := range s.vpcs {
		for ai := range s.vpcs[vi].m.NetworkACLs {
			a := &s.vpcs[vi].m.NetworkACLs[ai]
			modelACL[s.vpcs[vi].acl[a.ID]] = a
		}
	}
	for sn := range s.subnets {
		acl := s.subnets[sn].acl
		// The implicit default ACL (sgeval.DefaultACL) has rule 101 for
		// IPv6 only in a VPC with an IPv6 block (V-12).
		key := "implicit default"
		if s.vpcs[s.subnets[sn].vpc].m.HasIPv6() {
			key += ", with IPv6"
		}
		if a := modelACL[acl]; a != nil {
			// One rendering an ACL, however many subnets use it.
			k, ok := contentsOf[a]
			if !ok {
				k = aclContents(a)
				contentsOf[a] = k
			}
			key = k
		}
		c, ok := byContents[key]
		if !ok {
			c = int32(len(m.acls))
			byContents[key] = c
			m.acls = append(m.acls, acl)
		}
		m.aclClass[sn] = c
	}
	return m
}

// famLayoutOf prepares the part of the layout for family f: the classes'
// atoms of that family, skeleton rows and columns. It returns nil when no
// class the engine answers for has an address of the family. A class
// whose second member lies in other atoms than its first is answered by
// Reach for its own pair (slowSelf).
func (m *matrixLayout) famLayoutOf(f int, asDestination func(model.ID, int32) (int32, bool)) *famLayout {
	s, classes := m.s, m.classes
	n := len(classes)
	l := &famLayout{fam: f, has: make([]bool, n), col: make([]int32, n), row: make([]int32, n), sga: make([]int32, n)}
	var ratoms, sgatoms addrAtoms
	if f == fam6 {
		if !s.hasIPv6() {
			return nil
		}
		r6, g6 := s.routingAtoms6(), s.sgAtoms6()
		ratoms, sgatoms = &r6, &g6
	} else {
		r4, g4 := s.routingAtoms(), s.sgAtoms()
		ratoms, sgatoms = &r4, &g4
	}
	colOf := map[int]int32{}
	sgaOf := map[int]int32{}
	compact := func(idx map[int]int32, a int, addr netip.Addr, reps *[]netip.Addr) int32 {
		c, ok := idx[a]
		if !ok {
			c = int32(len(*reps))
			idx[a] = c
			*reps = append(*reps, addr)
		}
		return c
	}
	any := false
	for ci := range classes {
		if m.slow[ci] {
			continue
		}
		e := &s.enis[m.src[ci]]
		a := famAddr(e, f)
		if !a.IsValid() {
			continue
		}
		l.has[ci], any = true, true
		l.col[ci] = compact(colOf, ratoms.of(a), a, &l.colAddr)
		if len(l.colVPC) < len(l.colAddr) {
			l.colVPC = append(l.colVPC, e.vpc)
			l.colENI = append(l.colENI, m.src[ci])
			l.colSubnet = append(l.colSubnet, e.subnet)
			l.colEnd = append(l.colEnd, e.kind == eniInstance || e.kind == eniNetworkInterface)
		}
		l.sga[ci] = compact(sgaOf, sgatoms.of(a), a, &l.sgaAddr)
		if c := &classes[ci]; len(c.Members) > 1 {
			ei, ok := asDestination(c.Members[1], m.src[ci])
			var b netip.Addr
			if ei >= 0 {
				b = famAddr(&s.enis[ei], f)
			}
			if !ok || !b.IsValid() || ratoms.of(b) != ratoms.of(a) || sgatoms.of(b) != sgatoms.of(a) {
				m.slowSelf[ci] = true
			}
		}
	}
	if !any {
		return nil
	}

	// Start keys: a subnet that is no transit gateway attachment subnet
	// starts walks exactly as every subnet of its VPC with its route table
	// and zone; an attachment subnet, which walks may pass through, stands
	// for itself, and so does a subnet whose table routes part of its own
	// CIDR away from the local route, which traffic within it ignores
	// (S-16).
	attSubnet := make([]bool, len(s.subnets))
	for _, a := range s.atts {
		for _, sn := range a.order {
			attSubnet[sn] = true
		}
	}
	type startKey struct {
		vpc   int32
		table *routing.Table
		az    string
		self  int32 // the subnet, for attachment subnets; else -1
	}
	keyOf := func(sn int32) startKey {
		si := &s.subnets[sn]
		if attSubnet[sn] || si.ownRouted {
			return startKey{vpc: si.vpc, self: sn}
		}
		return startKey{vpc: si.vpc, table: si.table, az: si.zone, self: -1}
	}
	type rowKey struct {
		k   startKey
		col int32
	}
	rowOf := map[rowKey]int32{}
	for ci := range classes {
		if !l.has[ci] {
			continue
		}
		rk := rowKey{keyOf(m.subnet[ci]), l.col[ci]}
		r, ok := rowOf[rk]
		if !ok {
			r = int32(len(l.rowSubnet))
			rowOf[rk] = r
			l.rowSubnet = append(l.rowSubnet, m.subnet[ci])
			l.rowAddr = append(l.rowAddr, famAddr(&s.enis[m.src[ci]], f))
			l.rowCol = append(l.rowCol, l.col[ci])
			l.grouped = append(l.grouped, rk.k.self < 0)
		}
		l.row[ci] = r
	}
	return l
}

// aclContents renders an ACL's rules, so that ACLs with the same rules
// share their memo.
func aclContents(a *model.NetworkACL) string {
	var b strings.Builder
	for d, rules := range [][]model.ACLRule{a.Ingress, a.Egress} {
		fmt.Fprintf(&b, "%d:", d)
		for _, r := range rules {
			fmt.Fprintf(&b, "%d %d %s %v ", r.Rule, int(r.Protocol), r.CIDR, r.Action)
			if r.Ports != nil {
				fmt.Fprintf(&b, "p%d-%d ", r.Ports.First, r.Ports.Last)
			}
			if r.ICMP != nil {
				fmt.Fprintf(&b, "i%d/%d ", r.ICMP.Type, r.ICMP.Code)
			}
			b.WriteByte(';')
		}
	}
	return b.String()
}

// buildTable walks one skeleton per row and column, in parallel, with the
// first atom's packet (a path walk does not depend on the port).
func (m *matrixEngine) buildTable(progress func(int, int)) {
	m.buildTableFor(progress, [numFams][]bool{}, [numFams][]bool{}, false)
}

// buildTableFor is buildTable for the cells of the rows needRow marks and
// the columns needCol marks (every cell when both are nil); with cross,
// only for the cells where such a row meets such a column. The others
// keep the zero skeleton, skelFallback: a pair that reads one asks Reach,
// so an answer never depends on which cells were walked.
func (m *matrixEngine) buildTableFor(progress func(int, int), needRow, needCol [numFams][]bool, cross bool) {
	done := 0
	for f, fe := range m.fe {
		if fe != nil {
			fe.buildTableFor(offsetProgress(progress, done, m.rows()), needRow[f], needCol[f], cross)
			done += len(fe.rowSubnet)
		}
	}
}

// rows returns the number of skeleton rows of the layout's families.
func (m *matrixLayout) rows() int {
	n := 0
	for _, fl := range m.fl {
		if fl != nil {
			n += len(fl.rowSubnet)
		}
	}
	return n
}

// rows returns the number of skeleton rows of the engine's families.
func (m *matrixEngine) rows() int {
	n := 0
	for _, fe := range m.fe {
		if fe != nil {
			n += len(fe.rowSubnet)
		}
	}
	return n
}

// buildTableFor is matrixEngine.buildTableFor for one family.
func (m *famEngine) buildTableFor(progress func(int, int), needRow, needCol []bool, cross bool) {
	nCols := len(m.colAddr)
	all := needRow == nil && needCol == nil
	var colList []int32 // the needed columns
	for c, need := range needCol {
		if need {
			colList = append(colList, int32(c))
		}
	}
	m.table = newSkelTable(len(m.rowSubnet), nCols, needRow, needCol, len(m.probes) > 1, m.colVPC, m.spare)
	m.spare = nil
	if len(m.probes) > 1 {
		m.mids = make([][]uint64, len(m.rowSubnet))
	}
	tails := m.s.newTailMemo(nCols)
	pool := sync.Pool{New: func() any { return &pathWalk{tail: tailHook{memo: tails}} }}
	parallel(len(m.rowSubnet), func(r int) {
		pw := pool.Get().(*pathWalk)
		switch {
		case all || (needRow[r] && !cross):
			for c := range nCols {
				m.table.set(int32(r), int32(c), m.skeleton(&pw.w, &pw.rec, &pw.tail, int32(r), int32(c), &pw.buf))
			}
		case needRow[r] || !cross:
			for _, c := range colList {
				m.table.set(int32(r), c, m.skeleton(&pw.w, &pw.rec, &pw.tail, int32(r), c, &pw.buf))
			}
		}
		pool.Put(pw)
	}, progress)
}

// pathWalk is a skeleton walker, its recorder and their buffers, reused
// from walk to walk.
type pathWalk struct {
	w    walker
	rec  pathRec
	buf  []sgeval.PortDecision
	tail tailHook
}

// skelOf returns the skeleton of cell (r, c): the table's; or, when the
// table is not built (matrixEngine.subnetMatrix builds one family's at a
// time) and walked is set, a walk of it, kept in walked. Its walk is
// buildTableFor's but for the tail memo, which changes no skeleton (see
// tailMemo), and an engine of one atom has no middle sets to keep (see
// mids); for one of several, a cell of no table is skelFallback, which
// asks Reach. The subnet matrix reads another family's cells only for a
// pair that is not plain in its own, which then asks Reach or, for a
// stopped destination, reaches by neither family: the walk saves Reach
// queries and changes no answer.
func (m *famEngine) skelOf(r, c int32) skel {
	if m.table.built || m.walked == nil || len(m.probes) > 1 {
		return m.table.get(r, c)
	}
	i := int(r)*len(m.colAddr) + int(c)
	m.walkedMu.Lock()
	k, ok := m.walked[i]
	m.walkedMu.Unlock()
	if ok {
		return k
	}
	var pw pathWalk
	k = m.skeleton(&pw.w, &pw.rec, nil, r, c, &pw.buf)
	m.walkedMu.Lock()
	m.walked[i] = k
	m.walkedMu.Unlock()
	return k
}

// skeleton walks from row r's start to column c's atom and sums the walk
// up, sharing the walk's tail after a transit gateway through tail (see
// tailMemo; nil: walk it all).
func (m *famEngine) skeleton(w *walker, rec *pathRec, tail *tailHook, r, c int32, buf *[]sgeval.PortDecision) skel {
	s := m.s
	s0 := m.rowSubnet[r]
	pkt := m.probes[0].fwd
	pkt.Src, pkt.Dst = m.rowAddr[r], m.colAddr[c]
	rec.reset()
	if tail != nil {
		tail.col = c
		if term, refIn, refOut, ok := tail.replay(s, rec, s0, r, pkt.Dst); ok {
			return m.summarize(rec, term, refIn, refOut, r, c, buf)
		}
	}
	*w = walker{s: s, leg: LegForward, pkt: pkt, first: pkt, ephemeral: m.eph, srcENI: -1, egressHop: -1,
		rec: rec, visited: w.visited[:0], nat: w.nat[:0], tails: tail}
	term := tail.route(w, s0, r)
	return m.summarize(rec, term, w.refsKept(sgeval.Ingress, 0), w.refsKept(sgeval.Egress, 0), r, c, buf)
}

// summarize sums up the skeleton walk from row r's start to column c's
// atom that recorded rec and ended at term, group references kept for
// inbound rules (refIn) and for the source's outbound rules (refOut) as
// refsKept said at its end.
func (m *famEngine) summarize(rec *pathRec, term terminal, refIn, refOut bool, r, c int32, buf *[]sgeval.PortDecision) skel {
	s := m.s
	s0 := m.rowSubnet[r]
	dst := m.colAddr[c]
	fallback := skel{status: skelFallback}
	switch {
	case rec.blocked && rec.determined:
		return skel{status: skelBlocked}
	case rec.blocked || rec.notPlain || rec.tainted || term.kind != termENI:
		return fallback
	}
	// The interface delivered to: an instance or network interface whose
	// address is dst; most walks end at the column's own.
	eVPC, eSubnet := m.colVPC[c], m.colSubnet[c]
	if term.eni != m.colENI[c] || !m.colEnd[c] {
		e := &s.enis[term.eni]
		if (e.kind != eniInstance && e.kind != eniNetworkInterface) || famAddr(e, m.fam) != dst {
			return fallback
		}
		eVPC, eSubnet = e.vpc, e.subnet
	}
	cr := rec.crossings
	n := len(cr)
	if n == 0 || cr[0].from != s0 || cr[n-1].to != eSubnet {
		return fallback
	}
	if m.grouped[r] {
		// The start subnet must appear only as the first crossing's
		// origin, where the pair's own start subnet takes its place.
		for i, x := range cr {
			if (i > 0 && x.from == s0) || (i < n-1 && x.to == s0) {
				return fallback
			}
		}
	}
	k := skel{status: skelPlain, vpc: eVPC, x: -1, y: -1}
	if refIn {
		k.flags |= skRefOK
	}
	if refOut {
		k.flags |= skEgressRefOK
	}
	if n == 1 {
		k.flags |= skLocal
		return k
	}
	own := m.rowCol[r]
	// flag sets some (and, for a partial set, part too) when subnet sn's
	// check passes some atom, or sn is outside any subnet.
	flag := func(sn int32, kind int, atom int32, some, part uint16) {
		if sn < 0 {
			k.flags |= some
			return
		}
		switch set := m.aclSet(sn, kind, atom, buf); {
		case set == m.full:
			k.flags |= some
		case set != 0:
			k.flags |= some | part
		}
	}
	k.x, k.y = cr[0].to, cr[n-1].from
	flag(k.x, aclInFwd, own, skXFwd, skXFwdSome)
	flag(k.x, aclInRet, own, skXRet, skXRetSome)
	flag(k.y, aclOutFwd, c, skYFwd, skYFwdSome)
	flag(k.y, aclOutRet, c, skYRet, skYRetSome)
	midFwd, midRet := m.full, m.full
	for _, x := range cr[1 : n-1] {
		if x.from == x.to {
			continue
		}
		if x.from >= 0 {
			if midFwd != 0 {
				midFwd &= m.aclSet(x.from, aclOutFwd, c, buf)
			}
			if midRet != 0 {
				midRet &= m.aclSet(x.from, aclOutRet, c, buf)
			}
		}
		if x.to >= 0 {
			if midFwd != 0 {
				midFwd &= m.aclSet(x.to, aclInFwd, own, buf)
			}
			if midRet != 0 {
				midRet &= m.aclSet(x.to, aclInRet, own, buf)
			}
		}
	}
	if midFwd != 0 {
		k.flags |= skMidFwd
	}
	if midRet != 0 {
		k.flags |= skMidRet
	}
	if (midFwd != 0 && midFwd != m.full) || (midRet != 0 && midRet != m.full) {
		// Partial middle sets, kept with the row (this goroutine's).
		k.flags |= skMidSome
		kept := m.mids[r]
		at := -1
		for i := 0; i < len(kept); i += 2 {
			if kept[i] == midFwd && kept[i+1] == midRet {
				at = i
				break
			}
		}
		if at < 0 {
			at = len(kept)
			m.mids[r] = append(kept, midFwd, midRet)
		}
		m.table.setMid(r, c, int32(at))
	}
	return k
}

// aclSet returns the atoms subnet sn's network ACL passes in a check of
// the given kind, when the address on the checked side (the source
// inbound, the destination outbound) lies in column atom's routing atom.
func (m *famEngine) aclSet(sn int32, kind int, atom int32, buf *[]sgeval.PortDecision) uint64 {
	i := (int(m.aclClass[sn])*4+kind)*len(m.colAddr) + int(atom)
	if set, ok := m.aclMemo.known(i); ok {
		return set
	}
	if set, ok := m.aclMemo.load(i); ok {
		return set
	}
	return m.fillACL(i, m.aclClass[sn], kind, atom, buf)
}

// fillACL computes and memoizes cell i of the ACL memo: ACL contents cls,
// check kind, column atom.
func (m *famEngine) fillACL(i int, cls int32, kind int, atom int32, buf *[]sgeval.PortDecision) uint64 {
	leg, dir := LegForward, sgeval.Ingress
	if kind == aclInRet || kind == aclOutRet {
		leg = LegReturn
	}
	if kind == aclOutFwd || kind == aclOutRet {
		dir = sgeval.Egress
	}
	var set uint64
	for k := range m.probes {
		pkt := m.probes[k].fwd
		if leg == LegReturn {
			pkt = m.probes[k].ret
		}
		pkt.Src, pkt.Dst = m.colAddr[atom], m.colAddr[atom]
		var d aclVerdict
		d, *buf = decideACL(m.acls[cls], dir, leg, pkt, m.eph, *buf)
		if d.pass {
			set |= 1 << k
		}
	}
	return m.aclMemo.store(i, set)
}

// midSet returns the request's (ret false) or the response's middle set
// of the skeleton of row r and column c.
func (m *famEngine) midSet(r, c int32, ret bool) uint64 {
	at := int(m.table.mid(r, c))
	if ret {
		at++
	}
	return m.mids[r][at]
}

// fwdOK returns the atoms of set whose request the ACLs let through on
// skeleton f (row fr, column cb), from subnet sa (atom ca) to subnet sb
// (atom cb).
func (m *famEngine) fwdOK(set uint64, f skel, fr, sa, sb, ca, cb int32, buf *[]sgeval.PortDecision) uint64 {
	if f.flags&skLocal != 0 {
		if sa == sb {
			return set
		}
		if set &= m.aclSet(sa, aclOutFwd, cb, buf); set == 0 {
			return 0
		}
		return set & m.aclSet(sb, aclInFwd, ca, buf)
	}
	if f.flags&skMidFwd == 0 {
		return 0
	}
	if f.flags&skMidSome != 0 {
		if set &= m.midSet(fr, cb, false); set == 0 {
			return 0
		}
	}
	if f.x != sa {
		if f.flags&skXFwd == 0 {
			return 0
		}
		if f.flags&skXFwdSome != 0 {
			set &= m.aclSet(f.x, aclInFwd, ca, buf)
		}
		if set == 0 {
			return 0
		}
		if set &= m.aclSet(sa, aclOutFwd, cb, buf); set == 0 {
			return 0
		}
	}
	if f.y != sb {
		if f.flags&skYFwd == 0 {
			return 0
		}
		if f.flags&skYFwdSome != 0 {
			set &= m.aclSet(f.y, aclOutFwd, cb, buf)
		}
		if set == 0 {
			return 0
		}
		set &= m.aclSet(sb, aclInFwd, ca, buf)
	}
	return set
}

// retOK returns the atoms of set whose response the ACLs let through on
// skeleton r (row rr, column ca), from subnet sb (atom cb) back to subnet
// sa (atom ca).
func (m *famEngine) retOK(set uint64, r skel, rr, sb, sa, cb, ca int32, buf *[]sgeval.PortDecision) uint64 {
	if r.flags&skLocal != 0 {
		if sa == sb {
			return set
		}
		if set &= m.aclSet(sb, aclOutRet, ca, buf); set == 0 {
			return 0
		}
		return set & m.aclSet(sa, aclInRet, cb, buf)
	}
	if r.flags&skMidRet == 0 {
		return 0
	}
	if r.flags&skMidSome != 0 {
		if set &= m.midSet(rr, ca, true); set == 0 {
			return 0
		}
	}
	if r.x != sb {
		if r.flags&skXRet == 0 {
			return 0
		}
		if r.flags&skXRetSome != 0 {
			set &= m.aclSet(r.x, aclInRet, cb, buf)
		}
		if set == 0 {
			return 0
		}
		if set &= m.aclSet(sb, aclOutRet, ca, buf); set == 0 {
			return 0
		}
	}
	if r.y != sa {
		if r.flags&skYRet == 0 {
			return 0
		}
		if r.flags&skYRetSome != 0 {
			set &= m.aclSet(r.y, aclOutRet, ca, buf)
		}
		if set == 0 {
			return 0
		}
		set &= m.aclSet(sa, aclInRet, cb, buf)
	}
	return set
}

// sgOK returns the atoms of set that class a's egress and class b's
// ingress allow (S-20..S-23), group references matching when refOK.
func (m *famEngine) sgOK(set uint64, a, b int32, refOK, egressRefOK bool) uint64 {
	ga, gb := m.gs[a], m.gs[b]
	ia := classSG{gs: ga, sga: m.sga[a], groups: len(m.gsGroups[ga]) > 0}
	ib := classSG{gs: gb, sga: m.sga[b], groups: len(m.gsGroups[gb]) > 0}
	return set & m.sgPair(&ia, &ib, refOK, egressRefOK)
}

// classSG is what the subnet matrix's check of groups reads of a class:
// its group set, its security group atom, and whether it has groups.
type classSG struct {
	gs, sga int32
	groups  bool
}

// sgPair is sgOK(m.full, a, b, refOK, egressRefOK) for the classes a
// and b that ia and ib describe, reading inline the memos' cells that
// are known, none or all, and need no reference.
func (m *famEngine) sgPair(ia, ib *classSG, refOK, egressRefOK bool) uint64 {
	set := m.full
	if ia.groups {
		e, ok := m.eCIDR.known(m.cidrCell(sgeval.Egress, ia.gs, ib.sga))
		if !ok || (e != m.full && egressRefOK) {
			e = m.sgSet(&m.eCIDR, &m.eRef, sgeval.Egress, ia.gs, ib.sga, ib.gs, egressRefOK)
		}
		if set &= e; set == 0 {
			return 0
		}
	}
	if ib.groups {
		in, ok := m.iCIDR.known(m.cidrCell(sgeval.Ingress, ib.gs, ia.sga))
		if !ok || (in != m.full && refOK) {
			in = m.sgSet(&m.iCIDR, &m.iRef, sgeval.Ingress, ib.gs, ia.sga, ia.gs, refOK)
		}
		set &= in
	}
	return set
}

// cidrCell returns the cell of the CIDR memo of direction dir (eCIDR,
// iCIDR) for group set g and peer atom atom: egress cells by group set,
// then atom; ingress cells by atom, then group set (see sgSet).
func (m *famEngine) cidrCell(dir sgeval.Direction, g, atom int32) int {
	if dir == sgeval.Ingress {
		return int(atom)*len(m.gsGroups) + int(g)
	}
	return int(g)*len(m.sgaAddr) + int(atom)
}

// sgSet returns the atoms group set g allows to (egress) or from
// (ingress) a peer: by CIDR or prefix list, the peer's address lying in
// security group atom atom (memo cidr), or, when refs, by reference to
// the peer's group set peer (memo ref). The egress memos are kept by
// group set, then peer; the ingress ones by peer, then group set: the
// subnet matrix asks for one source's against every destination in turn,
// which then reads consecutive cells.
func (m *famEngine) sgSet(cidr, ref *lazySets, dir sgeval.Direction, g, atom, peer int32, refs bool) uint64 {
	i := m.cidrCell(dir, g, atom)
	set, ok := cidr.known(i)
	if !ok {
		if set, ok = cidr.load(i); !ok {
			set = m.fillSG(cidr, dir, i, g, sgeval.Peer{Addr: m.sgaAddr[atom]})
		}
	}
	if set == m.full || !refs {
		return set
	}
	nGS := len(m.gsGroups)
	i = int(g)*nGS + int(peer)
	if dir == sgeval.Ingress {
		i = int(peer)*nGS + int(g)
	}
	byRef, ok := ref.known(i)
	if !ok {
		if byRef, ok = ref.load(i); !ok {
			byRef = m.fillSG(ref, dir, i, g, sgeval.Peer{Groups: m.gsRefs[peer]})
		}
	}
	return set | byRef
}

// fillSG computes and memoizes cell i of t: the atoms whose request group
// set g allows to or from peer.
func (m *famEngine) fillSG(t *lazySets, dir sgeval.Direction, i int, g int32, peer sgeval.Peer) uint64 {
	var set uint64
	for k := range m.probes {
		if sgeval.Check(m.gsGroups[g], dir, m.probes[k].fwd, peer).Allowed {
			set |= 1 << k
		}
	}
	return t.store(i, set)
}

// reach returns the atoms by which class a reaches class b, asking Reach
// once per atom.
func (m *matrixEngine) reach(a, b int32) uint64 {
	c := &m.classes[b]
	to := c.Members[0]
	if a == b {
		to = c.Members[1]
	}
	var set uint64
	for k := range m.probes {
		pq := m.probes[k].q
		pq.From, pq.To = string(m.classes[a].Members[0]), string(to)
		if m.s.reachQuery(pq, verdictRec{}).Reachable() {
			set |= 1 << k
		}
	}
	return set
}

// Values of matrixLayout.nat64End.
const (
	nat64Six uint8 = 1 + iota
	nat64Four
)

// nat64Pair reports whether the engine leaves the pair of classes a and
// b to Reach for NAT64: a IPv6-only, b IPv4-only (see matrixLayout.six).
func (m *matrixLayout) nat64Pair(a, b int32) bool {
	return m.nat64End != nil && m.nat64End[a] == nat64Six && m.nat64End[b] == nat64Four
}

// mayNAT64 reports whether NAT64 can carry anything in the model (V-16):
// it has a NAT gateway, the one thing that translates IPv6 to IPv4, and a
// route table of a VPC sends some of 64:ff9b::/96 on to a target other
// than an internet or egress-only internet gateway (the internet does not
// route the prefix) or a blackhole. Otherwise no IPv6-only client reaches
// an IPv4-only end, and the pair is unreachable without asking Reach.
func (s *Solver) mayNAT64() bool {
	nat := false
	for i := range s.enis {
		if s.enis[i].kind == eniNAT {
			nat = true
			break
		}
	}
	if !nat {
		return false
	}
	prefix := model.NAT64Prefix()
	carries := func(t *routing.Table) bool {
		if t == nil {
			return false
		}
		for r := range t.All() {
			if r.Destination.Addr().Is6() && r.Destination.Overlaps(prefix) && !r.Blackhole &&
				r.Kind != routing.TargetInternetGateway && r.Kind != routing.TargetEgressOnlyInternetGateway {
				return true
			}
		}
		return false
	}
	for i := range s.vpcs {
		v := &s.vpcs[i]
		if carries(v.main) {
			return true
		}
		for _, t := range v.tables {
			if carries(t) {
				return true
			}
		}
	}
	return false
}

// pair returns the atoms by which class a reaches class b (b's second
// member when a == b), exactly as reachQuery would answer each atom's
// query.
func (m *matrixEngine) pair(a, b int32, buf *[]sgeval.PortDecision) uint64 {
	if m.slow[a] || m.slow[b] || (a == b && m.slowSelf[a]) || m.nat64Pair(a, b) {
		return m.reach(a, b)
	}
	if !m.running[a] {
		return 0 // S-23: it sends nothing
	}
	var set uint64
	for _, fe := range m.fe {
		if fe == nil || !fe.has[a] || !fe.has[b] {
			continue // not a family both have (V-03)
		}
		got, ok := fe.pair(a, b, buf)
		if !ok {
			return m.reach(a, b)
		}
		set |= got
	}
	return set
}

// pair returns the atoms by which class a reaches class b over the
// family, both having addresses of it, a running; false when the pair
// must ask Reach.
func (m *famEngine) pair(a, b int32, buf *[]sgeval.PortDecision) (uint64, bool) {
	f := m.skelOf(m.row[a], m.col[b])
	switch {
	case f.status == skelBlocked:
		return 0, true
	case f.status == skelFallback:
		return 0, false
	}
	sa, sb := m.subnet[a], m.subnet[b]
	if f.vpc != m.s.subnets[sb].vpc {
		return 0, false
	}
	if !m.running[b] {
		return 0, true
	}
	r := m.skelOf(m.row[b], m.col[a])
	switch {
	case r.status == skelBlocked:
		return 0, true
	case r.status == skelFallback || r.vpc != m.s.subnets[sa].vpc:
		return 0, false
	}
	set := m.fwdOK(m.full, f, m.row[a], sa, sb, m.col[a], m.col[b], buf)
	if set == 0 {
		return 0, true
	}
	if set = m.retOK(set, r, m.row[b], sb, sa, m.col[b], m.col[a], buf); set == 0 {
		return 0, true
	}
	return m.sgOK(set, a, b, f.flags&skRefOK != 0, f.flags&skEgressRefOK != 0), true
}

// classMatrix answers every pair of classes, for an engine of one atom:
// reach[a][b].
func (m *matrixEngine) classMatrix(progress func(int, int)) [][]bool {
	n := len(m.classes)
	total := m.rows() + n
	m.buildTable(offsetProgress(progress, 0, total))
	reach := make([][]bool, n)
	parallel(n, func(a int) {
		row := make([]bool, n)
		var buf []sgeval.PortDecision
		for b := range n {
			if a == b && len(m.classes[a].Members) < 2 {
				continue
			}
			row[b] = m.pair(int32(a), int32(b), &buf) != 0
		}
		reach[a] = row
	}, offsetProgress(progress, m.rows(), total))
	return reach
}

// offsetProgress reports a phase's progress as part of a larger whole.
func offsetProgress(p func(int, int), offset, total int) func(int, int) {
	if p == nil {
		return nil
	}
	return func(done, _ int) { p(offset+done, total) }
}

// subnetMatrix answers, for every pair of subnets (as node indexes of
// nodeOf), whether some class of the first reaches some class of the
// second, on some atom of the engine. It returns one bit set of
// destination nodes per source node.
func (m *matrixEngine) subnetMatrix(nodeOf []int, nNodes int, progress func(int, int)) [][]uint64 {
	words := (nNodes + 63) / 64
	bits := make([][]uint64, nNodes)
	for i := range bits {
		bits[i] = make([]uint64, words)
	}
	var slowClasses []int32
	for ci := range m.classes {
		if m.slow[ci] {
			slowClasses = append(slowClasses, int32(ci))
		}
	}
	total := m.rows()
	for _, fe := range m.fe {
		if fe != nil {
			total += len(fe.colAddr)
		}
	}
	// Each family in turn: its table, then its pairs; a pair of nodes
	// found by one is not asked again. One table is held at a time: a
	// family's is released (its storage reused by the next) once its
	// pairs are done. A pair that is not plain asks matrixEngine.pair,
	// which reads every family's skeletons: those of a table not built,
	// or released, are walked on demand (famEngine.skelOf).
	for _, fe := range m.fe {
		if fe != nil {
			fe.walkedMu, fe.walked = new(sync.Mutex), map[int]skel{}
		}
	}
	done := 0
	var spare []uint64
	for _, fe := range m.fe {
		if fe == nil {
			continue
		}
		fe.spare, spare = spare, nil
		fe.buildTableFor(offsetProgress(progress, done, total), nil, nil, false)
		fe.walked = nil // the table holds them all
		done += len(fe.rowSubnet)
		fe.subnetMatrix(bits, nodeOf, offsetProgress(progress, done, total))
		done += len(fe.colAddr)
		spare = fe.table.dense
		fe.table = skelTable{}
		fe.walked = map[int]skel{}
	}
	set := func(a, b int32) { atomic.OrUint64(&bits[a][b>>6], 1<<(uint(b)&63)) }
	has := func(a, b int32) bool { return atomic.LoadUint64(&bits[a][b>>6])&(1<<(uint(b)&63)) != 0 }
	// Classes the engine does not answer for: their pairs, both ways,
	// through Reach.
	parallel(len(slowClasses), func(i int) {
		x := slowClasses[i]
		for y := range m.classes {
			for _, p := range [2][2]int32{{x, int32(y)}, {int32(y), x}} {
				a, b := p[0], p[1]
				if (a == b && (len(m.classes[a].Members) < 2 || p == [2]int32{int32(y), x})) ||
					(a != x && m.slow[a]) || has(int32(nodeOf[a]), int32(nodeOf[b])) {
					// A class's own pair is asked once; a pair of two
					// slow classes by its source.
					continue
				}
				if m.reach(a, b) != 0 {
					set(int32(nodeOf[a]), int32(nodeOf[b]))
				}
			}
		}
	}, nil)
	// Pairs of an IPv6-only and an IPv4-only class, which no family's
	// skeletons hold: through Reach, for NAT64 (V-16).
	parallel(len(m.six), func(i int) {
		a := m.six[i]
		if m.slow[a] {
			return
		}
		for _, b := range m.four {
			if m.slow[b] || has(int32(nodeOf[a]), int32(nodeOf[b])) {
				continue
			}
			if m.reach(a, b) != 0 {
				set(int32(nodeOf[a]), int32(nodeOf[b]))
			}
		}
	}, nil)
	return bits
}

// subnetMatrix sets the bits of the pairs of nodes that some pair of
// classes with addresses of the family reaches (by either family: a pair
// that is not plain asks matrixEngine.pair). Pairs of a slow class are
// left to the caller, and so are the tables: built beforehand.
func (m *famEngine) subnetMatrix(bits [][]uint64, nodeOf []int, progress func(int, int)) {
	s := m.s
	nCols := len(m.colAddr)
	var groups []subnetGroup
	byGroup := map[[2]int32]int{}
	order := make([]int32, 0, len(m.classes))
	for ci := range m.classes {
		if m.has[ci] {
			order = append(order, int32(ci))
		}
	}
	// Subnet order, so that a source's row is read in order.
	slices.SortStableFunc(order, func(a, b int32) int { return int(m.subnet[a]) - int(m.subnet[b]) })
	for _, ci := range order {
		k := [2]int32{m.subnet[ci], m.col[ci]}
		gi, ok := byGroup[k]
		if !ok {
			gi = len(groups)
			byGroup[k] = gi
			groups = append(groups, subnetGroup{sn: k[0], node: int32(nodeOf[ci]), col: k[1], row: m.row[ci], vpc: s.subnets[k[0]].vpc})
		}
		g := &groups[gi]
		g.all = append(g.all, ci)
		if m.running[ci] {
			g.run = append(g.run, ci)
		}
	}
	// Work units: the source groups of one atom share the response
	// skeletons toward that atom.
	units := make([][]int, nCols)
	for gi := range groups {
		units[groups[gi].col] = append(units[groups[gi].col], gi)
	}
	set := func(a, b int32) { atomic.OrUint64(&bits[a][b>>6], 1<<(uint(b)&63)) }
	nRows := len(m.rowSubnet)
	sgc := make([]classSG, len(m.classes))
	for ci := range m.classes {
		if m.has[ci] {
			sgc[ci] = classSG{gs: m.gs[ci], sga: m.sga[ci], groups: len(m.gsGroups[m.gs[ci]]) > 0}
		}
	}
	sigs := m.groupSignatures(groups, sgc)
	// Work goes by blocks of colBlock atoms, whose columns of responses
	// are read in one pass over the table's rows. A worker's buffers:
	// the block's columns, and a source's row.
	const colBlock = 64
	type rowBufs struct {
		backs [colBlock][]skel
		out   []skel
		buf   []sgeval.PortDecision
	}
	pool := sync.Pool{New: func() any {
		rb := &rowBufs{out: make([]skel, nCols)}
		for i := range rb.backs {
			rb.backs[i] = make([]skel, nRows)
		}
		return rb
	}}
	blockProgress := progress
	if progress != nil {
		blockProgress = func(done, _ int) { progress(min(done*colBlock, nCols), nCols) }
	}
	parallel((nCols+colBlock-1)/colBlock, func(block int) {
		lo, hi := block*colBlock, min(nCols, (block+1)*colBlock)
		rb := pool.Get().(*rowBufs)
		defer pool.Put(rb)
		m.table.columns(int32(lo), int32(hi), rb.backs[:hi-lo])
		for cs := lo; cs < hi; cs++ {
			m.subnetUnit(cs, units[cs], units, groups, sgc, sigs, rb.backs[cs-lo], rb.out, &rb.buf, bits, set)
		}
	}, blockProgress)
}

// subnetUnit sets the bits of the pairs of nodes that the source groups
// unit (those of atom cs) reach, units holding every atom's groups,
// reading the responses' skeletons toward cs from back, each source's row
// into out, the classes' groups from sgc and the groups' signatures from
// sigs.
func (m *famEngine) subnetUnit(cs int, unit []int, units [][]int, groups []subnetGroup, sgc []classSG, sigs *groupSigs, back, out []skel, buf *[]sgeval.PortDecision,
	bits [][]uint64, set func(a, b int32)) {
	{ // one source group after another
		lastRow := int32(-1)
		for _, gi := range unit {
			src := &groups[gi]
			if len(src.run) == 0 {
				continue // S-23: stopped instances send nothing
			}
			if src.row != lastRow {
				m.table.row(src.row, out)
				lastRow = src.row
			}
			srcBits := bits[src.node]
			// The destinations by atom: a request routing blocks toward
			// an atom is blocked toward each of its groups.
			for dc, dsts := range units {
				f := out[dc]
				if f.status == skelBlocked {
					continue
				}
				for _, di := range dsts {
					dst := &groups[di]
					if atomic.LoadUint64(&srcBits[dst.node>>6])&(1<<(uint(dst.node)&63)) != 0 {
						continue // found already
					}
					r := back[dst.row]
					if f.status == skelPlain && (r.status == skelBlocked || len(dst.run) == 0) && f.vpc == dst.vpc {
						continue
					}
					if f.status != skelPlain || r.status != skelPlain || f.vpc != dst.vpc || r.vpc != src.vpc {
						// Not plain: each class pair on its own.
					slow:
						for _, a := range src.run {
							for _, b := range dst.all {
								if a == b && len(m.classes[a].Members) < 2 {
									continue
								}
								if m.matrixEngine.pair(a, b, buf) != 0 {
									set(src.node, dst.node)
									break slow
								}
							}
						}
						continue
					}
					// The pair reaches when the ACLs pass some atoms (path) and
					// some pair of classes' groups pass one of them, or a
					// class's own pair that Reach answers reaches. The groups
					// go first: sgOK(path, ...) is path & sgOK(m.full, ...),
					// and they stop most pairs, which then need no ACL.
					refOK, egressRefOK := f.flags&skRefOK != 0, f.flags&skEgressRefOK != 0
					var groupsPass uint64
					self := false
					switch {
					case gi != di && len(src.run) == 1 && len(dst.run) == 1:
						groupsPass = m.sgPair(&sgc[src.run[0]], &sgc[dst.run[0]], refOK, egressRefOK)
					case gi != di && len(src.run) > 1:
						// No class is in both groups (a class is in the group
						// of its subnet and atom): the OR over the pairs of
						// their classes is that over their signatures'. Only
						// sources of several classes use the memo, whose
						// rows (pages) are allocated as they are used.
						groupsPass = m.sigPass(sigs, src.sig, dst.sig, refOK, egressRefOK)
					default:
					groups:
						for _, a := range src.run {
							for _, b := range dst.run {
								if a == b && (len(m.classes[a].Members) < 2 || m.slowSelf[a]) {
									self = self || len(m.classes[a].Members) > 1
									continue
								}
								if groupsPass |= m.sgPair(&sgc[a], &sgc[b], refOK, egressRefOK); groupsPass == m.full {
									break groups
								}
							}
						}
					}
					if groupsPass == 0 && !self {
						continue
					}
					path := m.fwdOK(m.full, f, src.row, src.sn, dst.sn, src.col, dst.col, buf)
					if path == 0 {
						continue
					}
					if path = m.retOK(path, r, dst.row, dst.sn, src.sn, dst.col, src.col, buf); path == 0 {
						continue
					}
					if path&groupsPass != 0 {
						set(src.node, dst.node)
						continue
					}
					if !self {
						continue
					}
				selfPair:
					for _, a := range src.run {
						for _, b := range dst.run {
							if a == b && len(m.classes[a].Members) > 1 && m.slowSelf[a] && m.reach(a, a) != 0 {
								set(src.node, dst.node)
								break selfPair
							}
						}
					}
				}
			}
		}
	}
}

// groupSigs gives the groups of the subnet matrix signatures: the set of
// the distinct classSG of a group's running classes. The check of groups
// between two groups that share no class is the OR of sgPair over their
// running classes' pairs, which depends on their signatures alone (and
// the path's two reference flags): it is kept by signature pair, in
// memo (4 cells, one per pair of flags, per signature pair).
type groupSigs struct {
	list [][]classSG
	memo lazySets
}

// groupSignatures gives each group of groups its signature, and returns
// the signatures with an empty memo.
func (m *famEngine) groupSignatures(groups []subnetGroup, sgc []classSG) *groupSigs {
	sigs := &groupSigs{}
	byKey := map[string]int32{}
	var key []byte
	var list []classSG
	for gi := range groups {
		g := &groups[gi]
		list = list[:0]
		for _, a := range g.run {
			if !slices.Contains(list, sgc[a]) {
				list = append(list, sgc[a])
			}
		}
		slices.SortFunc(list, func(x, y classSG) int {
			switch {
			case x.gs != y.gs:
				return int(x.gs) - int(y.gs)
			case x.sga != y.sga:
				return int(x.sga) - int(y.sga)
			case x.groups != y.groups:
				if x.groups {
					return 1
				}
				return -1
			}
			return 0
		})
		key = key[:0]
		for _, c := range list {
			key = strconv.AppendInt(key, int64(c.gs), 10)
			key = append(key, ' ')
			key = strconv.AppendInt(key, int64(c.sga), 10)
			key = append(key, ' ')
			key = strconv.AppendBool(key, c.groups)
			key = append(key, ';')
		}
		id, ok := byKey[string(key)]
		if !ok {
			id = int32(len(sigs.list))
			byKey[string(key)] = id
			sigs.list = append(sigs.list, slices.Clone(list))
		}
		g.sig = id
	}
	n := len(sigs.list)
	sigs.memo = newLazySets(n*n*4, m.full)
	return sigs
}

// sigPass returns the atoms the groups of some pair of classes of two
// groups that share none, of signatures a and b, let through: the OR of
// sgPair over the pairs, as subnetUnit's loop over the classes computes
// it.
func (m *famEngine) sigPass(sigs *groupSigs, a, b int32, refOK, egressRefOK bool) uint64 {
	i := (int(a)*len(sigs.list)+int(b))*4 + int(b2i(refOK))*2 + int(b2i(egressRefOK))
	if set, ok := sigs.memo.known(i); ok {
		return set
	}
	if set, ok := sigs.memo.load(i); ok {
		return set
	}
	var set uint64
pairs:
	for x := range sigs.list[a] {
		for y := range sigs.list[b] {
			if set |= m.sgPair(&sigs.list[a][x], &sigs.list[b][y], refOK, egressRefOK); set == m.full {
				break pairs
			}
		}
	}
	return sigs.memo.store(i, set)
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// subnetGroup is a group of the subnet matrix: the classes of one subnet
// in one atom.
type subnetGroup struct {
	sn, node, col, row, vpc int32
	// sig is the group's signature (see groupSigs).
	sig int32
	all []int32 // classes the engine answers for
	run []int32 // ... that are running
}

// atomBuilder collects the boundaries of address ranges.
type atomBuilder struct{ bounds []uint32 }

func (b *atomBuilder) prefix(p netip.Prefix) {
	if !p.IsValid() || !p.Addr().Is4() {
		return
	}
	p = p.Masked()
	lo := addrU32(p.Addr())
	b.bounds = append(b.bounds, lo)
	if p.Bits() > 0 {
		if hi := lo | (uint32(0xffffffff) >> p.Bits()); hi != 0xffffffff {
			b.bounds = append(b.bounds, hi+1)
		}
	}
}

func (b *atomBuilder) addr(a netip.Addr) {
	if a.IsValid() && a.Is4() {
		b.prefix(netip.PrefixFrom(a, 32))
	}
}

func (b *atomBuilder) atoms() atoms {
	bounds := append(b.bounds, 0)
	slices.Sort(bounds)
	return atoms{bounds: slices.Compact(bounds)}
}

// routingAtoms splits the IPv4 space at the boundaries of everything a
// path walk compares an address with: VPC CIDR blocks (local routes,
// peering rules), every route of every compiled VPC and transit gateway
// route table (prefix lists, gateway endpoints and propagations
// expanded), network ACL rules, external networks, the private and special
// ranges, and the addresses network ACLs exempt (S-34). Subnet blocks are
// not boundaries: no route or rule tells a VPC's subnets apart unless it
// names them, so destinations in different subnets share path walks. The
// exception is a subnet whose table routes part of its own block away from
// the local route: within the block that route does not apply (S-16).
func (s *Solver) routingAtoms() atoms {
	var b atomBuilder
	s.routingBounds(b.prefix, b.addr)
	for _, p := range nonPublic {
		b.prefix(p)
	}
	return b.atoms()
}

// routingBounds gives prefix (and addr) every range, of either family, a
// path walk compares a destination with: the VPC blocks, exempt
// addresses (S-34), every compiled route, network ACL rules, the blocks
// of subnets that route part of their own block away (S-16), transit
// gateway routes and external networks. routingAtoms and routingAtoms6
// keep the ranges of their family.
func (s *Solver) routingBounds(prefix func(netip.Prefix), addr func(netip.Addr)) {
	for vi := range s.vpcs {
		v := &s.vpcs[vi]
		for _, c := range v.m.AllCIDRBlocks() {
			prefix(c)
		}
		for _, a := range s.aclExempt(int32(vi)) {
			addr(a)
		}
		for r := range v.main.All() {
			prefix(r.Destination)
		}
		for _, t := range v.tables {
			for r := range t.All() {
				prefix(r.Destination)
			}
		}
		for _, a := range v.m.NetworkACLs {
			for _, r := range a.Ingress {
				prefix(r.CIDR)
			}
			for _, r := range a.Egress {
				prefix(r.CIDR)
			}
		}
	}
	for _, si := range s.subnets {
		if si.ownRouted {
			// Within the subnet its table's routes do not apply (S-16).
			prefix(si.m.CIDRBlock)
			prefix(si.m.IPv6CIDRBlock)
		}
	}
	for _, t := range s.tgws {
		for _, rt := range t.tables {
			for r := range rt.All() {
				prefix(r.Destination)
			}
		}
	}
	for _, e := range s.externals {
		for _, c := range e.CIDRs {
			prefix(c)
		}
	}
}

// sgAtoms splits the IPv4 space at the boundaries of every CIDR a
// security group rule names, directly or through a prefix list: a group's
// CIDR rules treat the addresses of one atom alike.
func (s *Solver) sgAtoms() atoms {
	var b atomBuilder
	s.sgBounds(b.prefix)
	return b.atoms()
}

// sgBounds gives prefix every CIDR, of either family, a security group
// rule names, directly or through a prefix list. sgAtoms and sgAtoms6 keep
// the ranges of their family.
func (s *Solver) sgBounds(prefix func(netip.Prefix)) {
	peers := func(ps []model.Peer) {
		for _, p := range ps {
			switch {
			case p.CIDR.IsValid():
				prefix(p.CIDR)
			case p.Ref != "" && s.resolver().Group(p.Ref) < 0:
				for _, c := range s.resolver().PrefixList(p.Ref) {
					prefix(c)
				}
			}
		}
	}
	for vi := range s.m.VPCs {
		for _, g := range s.m.VPCs[vi].SecurityGroups {
			for _, r := range g.Ingress {
				peers(r.Sources)
			}
			for _, r := range g.Egress {
				peers(r.Destinations)
			}
		}
	}
}
