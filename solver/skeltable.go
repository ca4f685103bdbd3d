package solver

import "sync"

// skelTable holds a family's skeletons by row and column: every cell,
// densely; or, for an analysis of the pairs with a touched end (see
// buildTableFor), the cells of the needed rows and columns only, which at
// 1,000 VPCs is a few rows and columns of thousands. A cell it does not
// hold reads as the zero skeleton, skelFallback.
//
// A cell is one word (packCell): the status, the flags, the subnets x and
// y, and whether the packet is delivered in the VPC of the column's
// interface, which is where a plain skeleton delivers it unless
// addresses overlap. A skeleton that does not fit (delivered in another
// VPC, or subnet indexes beyond 23 bits) is kept whole in a map beside
// the cells. At 5,000 generated VPCs (16,000 rows of 5,000 columns) the
// dense table is 640 MB, not the 1.3 GB of skel values.
type skelTable struct {
	// built is false for the zero table, which holds no cell.
	built        bool
	nRows, nCols int
	// colVPC is, per column, the VPC of its interface.
	colVPC []int32
	// dense holds every cell, row by row, when the table is dense.
	dense    []uint64
	denseMid []int32
	// rowSlot and colSlot give the needed rows and columns their place
	// in rows (nCols cells each) and cols (nRows cells each); -1 for
	// the others.
	rowSlot, colSlot []int32
	rows, cols       []uint64
	rowMid, colMid   []int32
	// whole holds the skeletons that do not fit a cell, by row*nCols +
	// column.
	mu    *sync.RWMutex
	whole map[int]skel
}

// Cell layout: bits 0-1 status, 2-15 flags, 16-17 mode, 18-40 x+1,
// 41-63 y+1.
const (
	cellFlagsShift = 2
	cellModeShift  = 16
	cellXShift     = 18
	cellYShift     = 41
	cellSubnetMax  = 1<<23 - 1 // the largest x+1 or y+1 a cell holds
	// cellPlainHere: a plain skeleton delivered in the column's VPC;
	// cellWhole: a skeleton kept in whole. A cell of another status
	// (mode 0) is the bare status.
	cellPlainHere = 1
	cellWhole     = 2
)

// packCell returns the cell of skeleton k in column c, and false when k
// does not fit one.
func (t *skelTable) packCell(k skel, c int32) (uint64, bool) {
	switch {
	case k.status != skelPlain && k == skel{status: k.status}:
		return uint64(k.status), true
	case k.status == skelPlain && k.vpc == t.colVPC[c] && k.flags>>(cellModeShift-cellFlagsShift) == 0 &&
		k.x+1 >= 0 && k.x+1 <= cellSubnetMax && k.y+1 >= 0 && k.y+1 <= cellSubnetMax:
		return uint64(k.status) | uint64(k.flags)<<cellFlagsShift | cellPlainHere<<cellModeShift |
			uint64(k.x+1)<<cellXShift | uint64(k.y+1)<<cellYShift, true
	}
	return uint64(k.status) | cellWhole<<cellModeShift, false
}

// unpack returns the skeleton of cell v in column c; i is the cell's
// index in whole.
func (t *skelTable) unpack(v uint64, c int32, i int) skel {
	switch v >> cellModeShift & 3 {
	case cellPlainHere:
		return skel{status: uint8(v & 3), flags: uint16(v >> cellFlagsShift & (1<<(cellModeShift-cellFlagsShift) - 1)),
			vpc: t.colVPC[c], x: int32(v>>cellXShift&cellSubnetMax) - 1, y: int32(v>>cellYShift&cellSubnetMax) - 1}
	case cellWhole:
		t.mu.RLock()
		k := t.whole[i]
		t.mu.RUnlock()
		return k
	}
	return skel{status: uint8(v & 3)}
}

// newSkelTable returns an empty table of nRows × nCols, holding every cell
// when needRow and needCol are nil, else those of the rows and columns
// they mark; with mids, it holds the middle-set index of each cell too.
// colVPC gives each column's VPC. A dense table keeps its cells in spare
// when it is large enough.
func newSkelTable(nRows, nCols int, needRow, needCol []bool, mids bool, colVPC []int32, spare []uint64) skelTable {
	t := skelTable{built: true, nRows: nRows, nCols: nCols, colVPC: colVPC, mu: new(sync.RWMutex), whole: map[int]skel{}}
	if needRow == nil && needCol == nil {
		if cap(spare) >= nRows*nCols {
			// A released table's cells: the two are not held at once
			// (see matrixEngine.subnetMatrix).
			t.dense = spare[:nRows*nCols]
			clear(t.dense)
		} else {
			t.dense = make([]uint64, nRows*nCols)
		}
		if mids {
			t.denseMid = make([]int32, nRows*nCols)
		}
		return t
	}
	slots := func(need []bool, n int) ([]int32, int) {
		out := make([]int32, n)
		k := 0
		for i := range out {
			out[i] = -1
			if need != nil && need[i] {
				out[i] = int32(k)
				k++
			}
		}
		return out, k
	}
	var nr, nc int
	t.rowSlot, nr = slots(needRow, nRows)
	t.colSlot, nc = slots(needCol, nCols)
	t.rows, t.cols = make([]uint64, nr*nCols), make([]uint64, nc*nRows)
	if mids {
		t.rowMid, t.colMid = make([]int32, nr*nCols), make([]int32, nc*nRows)
	}
	return t
}

// cell returns where the cell (r, c) is kept, and mid where its
// middle-set index is (nil without mids); both nil for a cell the table
// does not hold.
func (t *skelTable) cell(r, c int32) (k *uint64, mid *int32) {
	var ks []uint64
	var ms []int32
	var i int
	switch {
	case t.dense != nil:
		ks, ms, i = t.dense, t.denseMid, int(r)*t.nCols+int(c)
	case t.rowSlot[r] >= 0:
		ks, ms, i = t.rows, t.rowMid, int(t.rowSlot[r])*t.nCols+int(c)
	case t.colSlot[c] >= 0:
		ks, ms, i = t.cols, t.colMid, int(t.colSlot[c])*t.nRows+int(r)
	default:
		return nil, nil
	}
	if ms != nil {
		mid = &ms[i]
	}
	return &ks[i], mid
}

// get returns the skeleton of cell (r, c).
func (t *skelTable) get(r, c int32) skel {
	if !t.built {
		return skel{}
	}
	if k, _ := t.cell(r, c); k != nil {
		return t.unpack(*k, c, int(r)*t.nCols+int(c))
	}
	return skel{}
}

// row writes the skeletons of row r into out (nCols long).
func (t *skelTable) row(r int32, out []skel) {
	if t.dense == nil {
		for c := range out {
			out[c] = t.get(r, int32(c))
		}
		return
	}
	base := int(r) * t.nCols
	for c, v := range t.dense[base : base+t.nCols] {
		out[c] = t.unpack(v, int32(c), base+c)
	}
}

// columns writes the skeletons of columns lo to hi (excluded) into outs
// (one per column, nRows long each), in one pass over the rows.
func (t *skelTable) columns(lo, hi int32, outs [][]skel) {
	for r := range t.nRows {
		if t.dense == nil {
			for c := lo; c < hi; c++ {
				outs[c-lo][r] = t.get(int32(r), c)
			}
			continue
		}
		base := r * t.nCols
		for c := lo; c < hi; c++ {
			outs[c-lo][r] = t.unpack(t.dense[base+int(c)], c, base+int(c))
		}
	}
}

// set stores the skeleton of cell (r, c), which the table holds. Each
// cell is written once, by the goroutine of its row.
func (t *skelTable) set(r, c int32, k skel) {
	p, _ := t.cell(r, c)
	if p == nil {
		return
	}
	v, ok := t.packCell(k, c)
	if !ok {
		t.mu.Lock()
		t.whole[int(r)*t.nCols+int(c)] = k
		t.mu.Unlock()
	}
	*p = v
}

// mid returns the middle-set index of cell (r, c).
func (t *skelTable) mid(r, c int32) int32 {
	if _, m := t.cell(r, c); m != nil {
		return *m
	}
	return 0
}

// setMid stores the middle-set index of cell (r, c).
func (t *skelTable) setMid(r, c int32, at int32) {
	if _, m := t.cell(r, c); m != nil {
		*m = at
	}
}
