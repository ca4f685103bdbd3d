package solver

import (
	"math/bits"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// MatrixRows is a reachability matrix (see Matrix) that lists each row
// only when asked: a subnet matrix keeps one bit per pair of subnets, an
// instance matrix the verdicts of its classes. It is what a caller that
// writes or counts rows one at a time wants at organisation scale, where
// Matrix's lists of indexes take gigabytes (28,000 subnets at 5,000
// generated VPCs: 100 MB of bits, up to 6 GB of lists). Its rows equal
// Matrix's. A MatrixRows is read-only and safe for concurrent use.
type MatrixRows struct {
	Level MatrixLevel
	Query Query
	Nodes []model.ID

	bits       [][]uint64 // subnet level: destination nodes per node
	classReach [][]bool   // instance level: class verdicts
	classNodes [][]int    // instance level: the nodes of each class
	nodeClass  [][]int    // instance level: the classes of each node
}

// MatrixRows computes the matrix of Matrix without listing its rows.
func (s *Solver) MatrixRows(q Query, level MatrixLevel, opts AnalysisOptions) *MatrixRows {
	classes := s.classData().classes
	m := &MatrixRows{Level: level, Query: q}
	m.Nodes, m.classNodes = matrixNodes(classes, level)
	if q.Protocol == 0 || (q.Protocol.HasPorts() && q.Port == 0) {
		// An invalid query reaches nothing, as Reach answers it.
		m.classNodes = nil
		return m
	}
	e := s.newMatrixEngine(q)
	if level == LevelSubnet {
		nodeOf := make([]int, len(classes))
		for ci := range classes {
			nodeOf[ci] = m.classNodes[ci][0]
		}
		m.classNodes = nil
		m.bits = e.subnetMatrix(nodeOf, len(m.Nodes), opts.Progress)
		return m
	}
	m.classReach = e.classMatrix(opts.Progress)
	m.nodeClass = make([][]int, len(m.Nodes))
	for ci, nodes := range m.classNodes {
		for _, a := range nodes {
			m.nodeClass[a] = append(m.nodeClass[a], ci)
		}
	}
	return m
}

// Count returns the number of nodes that node i reaches.
func (m *MatrixRows) Count(i int) int {
	if m.bits != nil {
		n := 0
		for _, x := range m.bits[i] {
			n += bits.OnesCount64(x)
		}
		return n
	}
	return len(m.Row(i, nil))
}

// Reaches reports whether node i reaches node j.
func (m *MatrixRows) Reaches(i, j int) bool {
	if m.bits != nil {
		return m.bits[i][j/64]&(1<<(j%64)) != 0
	}
	if i == j || m.classReach == nil {
		return false
	}
	for _, a := range m.nodeClass[i] {
		for _, b := range m.nodeClass[j] {
			if m.classReach[a][b] {
				return true
			}
		}
	}
	return false
}

// Row appends to dst the indexes into Nodes that node i reaches, in
// ascending order, and returns the extended slice (nil for a node that
// reaches nothing and a nil dst).
func (m *MatrixRows) Row(i int, dst []int) []int {
	if m.bits != nil {
		for w, x := range m.bits[i] {
			for x != 0 {
				dst = append(dst, w*64+bits.TrailingZeros64(x))
				x &= x - 1
			}
		}
		return dst
	}
	if m.classReach == nil {
		return dst
	}
	start := len(dst)
	for _, a := range m.nodeClass[i] {
		for b, ok := range m.classReach[a] {
			if !ok {
				continue
			}
			for _, j := range m.classNodes[b] {
				if j != i {
					dst = append(dst, j)
				}
			}
		}
	}
	slices.Sort(dst[start:])
	return dst[:start+len(slices.Compact(dst[start:]))]
}
