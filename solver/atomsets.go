package solver

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"github.com/vpcreach/vpcreach/sgeval"
)

// A matrix engine answers for a list of service atoms at once (one, for
// Matrix; every port atom of a protocol, for ClassPorts). Each
// port-dependent check (a network ACL, a security group) answers with the
// set of atoms that pass: a bit set of the engine's width, bit k for the
// engine's atom k. A pair's answer is the AND of its checks' sets.

// Memo cell states.
const (
	cellUnknown uint32 = iota // not computed yet
	cellNone                  // no atom passes
	cellAll                   // every atom passes
	cellSome                  // some atoms pass, not all: the set is kept aside
)

// setPageSize is the number of cells of a lazySets page of partial sets.
const setPageSize = 256

// setPage holds the partial sets of setPageSize consecutive cells.
type setPage [setPageSize]atomic.Pointer[[]uint64]

// lazySets is a table of atom sets computed on first use, safe for
// concurrent use. Each cell has a state (two bits: unknown, none, all,
// some); the set of a cell in state cellSome is kept on a page of
// pointers, allocated when a cell of the page first needs it. An engine of
// one atom has no partial sets and no pages, so its table costs two bits
// a cell. Two goroutines may compute one cell; they compute the same set
// (and intern it to the same pointer).
type lazySets struct {
	// state holds sixteen cells a word, two bits each.
	state []atomic.Uint32
	// some holds the pages of partial sets; nil for engines of one atom.
	some []atomic.Pointer[setPage]
}

// newLazySets returns a table of n unknown cells; several reports whether
// the engine has more than one atom (so that cells may be partial).
func newLazySets(n int, several bool) lazySets {
	t := lazySets{state: make([]atomic.Uint32, (n+15)/16)}
	if several {
		t.some = make([]atomic.Pointer[setPage], (n+setPageSize-1)/setPageSize)
	}
	return t
}

// load returns cell i's state and, in state cellSome, its set (read only).
func (t *lazySets) load(i int) (uint32, []uint64) {
	st := (t.state[i>>4].Load() >> (uint(i&15) * 2)) & 3
	if st != cellSome {
		return st, nil
	}
	return st, t.set(i)
}

// set returns the set of cell i, in state cellSome.
func (t *lazySets) set(i int) []uint64 {
	return *t.some[i/setPageSize].Load()[i%setPageSize].Load()
}

// store records cell i's set, computed into set (scratch), and returns
// the cell's state and, in state cellSome, the interned set.
func (t *lazySets) store(i int, set, full []uint64, in *setInterner, key *[]byte) (uint32, []uint64) {
	st := setState(set, full)
	var kept []uint64
	if st == cellSome {
		p := in.intern(set, key)
		kept = *p
		pi := i / setPageSize
		page := t.some[pi].Load()
		if page == nil {
			page = new(setPage)
			if !t.some[pi].CompareAndSwap(nil, page) {
				page = t.some[pi].Load()
			}
		}
		// The set is published before the state that says it is there.
		page[i%setPageSize].Store(p)
	}
	t.state[i>>4].Or(st << (uint(i&15) * 2))
	return st, kept
}

// setState classifies a set of atoms against the set of every atom.
func setState(set, full []uint64) uint32 {
	empty, all := true, true
	for i, x := range set {
		if x != 0 {
			empty = false
		}
		if x != full[i] {
			all = false
		}
	}
	switch {
	case empty:
		return cellNone
	case all:
		return cellAll
	}
	return cellSome
}

// andCell narrows out, which must not be empty, to the atoms of a cell
// (its state and, for cellSome, its set), and reports whether any atom is
// left.
func andCell(out []uint64, st uint32, set []uint64) bool {
	switch st {
	case cellAll:
		return true
	case cellSome:
		var left uint64
		for i := range out {
			out[i] &= set[i]
			left |= out[i]
		}
		return left != 0
	}
	clear(out)
	return false
}

// none empties out and reports false: no atom passes.
func none(out []uint64) bool {
	clear(out)
	return false
}

// setInterner keeps one copy of each partial set, so that cells with equal
// sets share it; safe for concurrent use.
type setInterner struct {
	mu   sync.Mutex
	sets map[string]*[]uint64
}

// intern returns the kept copy of set, keeping one if there is none yet.
// key is scratch space.
func (in *setInterner) intern(set []uint64, key *[]byte) *[]uint64 {
	b := (*key)[:0]
	for _, x := range set {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	*key = b
	in.mu.Lock()
	defer in.mu.Unlock()
	if p, ok := in.sets[string(b)]; ok {
		return p
	}
	if in.sets == nil {
		in.sets = map[string]*[]uint64{}
	}
	kept := append([]uint64(nil), set...)
	in.sets[string(b)] = &kept
	return &kept
}

// scratch is one goroutine's working space in a matrix engine.
type scratch struct {
	ports []sgeval.PortDecision
	// cell holds a memo cell being computed; mid a skeleton's middle
	// sets, the request's then the response's; path a pair's set after
	// its path checks; out a pair's set.
	cell, mid, path, out []uint64
	key                  []byte
}

// getScratch returns working space for engine m, to be put back in
// m.scratch.
func (m *matrixEngine) getScratch() *scratch {
	if sc, ok := m.scratch.Get().(*scratch); ok {
		return sc
	}
	return m.newScratch()
}

// newScratch returns working space for engine m.
func (m *matrixEngine) newScratch() *scratch {
	w := make([]uint64, 5*m.words)
	return &scratch{cell: w[:m.words:m.words], mid: w[m.words : 3*m.words : 3*m.words],
		path: w[3*m.words : 4*m.words : 4*m.words], out: w[4*m.words:]}
}
