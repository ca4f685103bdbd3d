package solver

import (
	"sync/atomic"
)

// A matrix engine answers for a list of service atoms at once (one, for
// Matrix; up to maxEngineAtoms port atoms of one protocol, for
// ClassPorts). Each port-dependent check (a network ACL, a security group)
// answers with the set of atoms that pass, one machine word with bit k for
// the engine's atom k, and a pair's answer is the AND of its checks' sets:
// for an engine of one atom, the same few instructions as a boolean.

// maxEngineAtoms is the most atoms one engine answers for: its sets are
// one word.
const maxEngineAtoms = 64

// Memo cell states.
const (
	cellUnknown uint32 = iota // not computed yet
	cellNone                  // no atom passes
	cellAll                   // every atom passes
	cellSome                  // some atoms pass, not all: the set is kept on a page
)

// setPageSize is the number of cells of a lazySets page of partial sets.
const setPageSize = 512

// setPage holds the partial sets of setPageSize consecutive cells.
type setPage [setPageSize]atomic.Uint64

// statePageWords is the number of state words (sixteen cells each) of a
// lazySets state page: 16,384 cells in 4 KB.
const statePageWords = 1024

// statePage holds the states of 16*statePageWords consecutive cells.
type statePage [statePageWords]atomic.Uint32

// lazySets is a table of atom sets computed on first use, safe for
// concurrent use. Each cell has a state (two bits: unknown, none, all,
// some), kept on a page allocated when a cell of the page is first
// stored: an analysis that fills a few rows of a large table (the diff's,
// restricted to the classes a change touches) allocates those rows' pages,
// not the table. The set of a cell in state cellSome is kept on a page of
// its own kind, allocated the same way. An engine of one atom has no
// partial sets and no such pages, so its table costs two bits a cell, as a
// table of booleans would. Two goroutines may compute one cell; they
// compute the same set.
type lazySets struct {
	// state holds the pages of the cells' states, sixteen cells a word,
	// two bits each.
	state []atomic.Pointer[statePage]
	// some holds the pages of partial sets; nil for engines of one atom.
	some []atomic.Pointer[setPage]
	// full is the set of every atom of the engine; sets[st] is the set of
	// a cell in state st, but cellSome (unknown: none).
	full uint64
	sets [4]uint64
}

// newLazySets returns a table of n unknown cells, for an engine whose set
// of every atom is full.
func newLazySets(n int, full uint64) lazySets {
	t := lazySets{state: make([]atomic.Pointer[statePage], (n+16*statePageWords-1)/(16*statePageWords)), full: full}
	t.sets[cellAll] = full
	if full != 1 {
		t.some = make([]atomic.Pointer[setPage], (n+setPageSize-1)/setPageSize)
	}
	return t
}

// load returns cell i's set, and whether it is known.
func (t *lazySets) load(i int) (uint64, bool) {
	w := i >> 4
	page := t.state[w/statePageWords].Load()
	if page == nil {
		return 0, false
	}
	st := (page[w%statePageWords].Load() >> (uint(i&15) * 2)) & 3
	if st == cellSome {
		return t.some[i/setPageSize].Load()[i%setPageSize].Load(), true
	}
	return t.sets[st], st != cellUnknown
}

// known returns cell i's set when its state is none or all, the common
// case, in a call small enough to inline; false for an unknown cell or
// a partial set, which load answers.
func (t *lazySets) known(i int) (uint64, bool) {
	w := i >> 4
	page := t.state[w/statePageWords].Load()
	if page == nil {
		return 0, false
	}
	st := (page[w%statePageWords].Load() >> (uint(i&15) * 2)) & 3
	return t.sets[st], st == cellNone || st == cellAll
}

// pageOf returns the page *p points to, allocating it first if there is
// none: of two goroutines that allocate one, both use the first stored.
func pageOf[P any](p *atomic.Pointer[P]) *P {
	page := p.Load()
	if page == nil {
		page = new(P)
		if !p.CompareAndSwap(nil, page) {
			page = p.Load()
		}
	}
	return page
}

// store records cell i's set and returns it.
func (t *lazySets) store(i int, set uint64) uint64 {
	st := cellSome
	switch set {
	case 0:
		st = cellNone
	case t.full:
		st = cellAll
	default:
		// The set is published before the state that says it is there.
		pageOf(&t.some[i/setPageSize])[i%setPageSize].Store(set)
	}
	w := i >> 4
	pageOf(&t.state[w/statePageWords])[w%statePageWords].Or(st << (uint(i&15) * 2))
	return set
}
