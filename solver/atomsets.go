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

// lazySets is a table of atom sets computed on first use, safe for
// concurrent use. Each cell has a state (two bits: unknown, none, all,
// some); the set of a cell in state cellSome is kept on a page, allocated
// when a cell of the page first needs it. An engine of one atom has no
// partial sets and no pages, so its table costs two bits a cell, as a
// table of booleans would. Two goroutines may compute one cell; they
// compute the same set.
type lazySets struct {
	// state holds sixteen cells a word, two bits each.
	state []atomic.Uint32
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
	t := lazySets{state: make([]atomic.Uint32, (n+15)/16), full: full}
	t.sets[cellAll] = full
	if full != 1 {
		t.some = make([]atomic.Pointer[setPage], (n+setPageSize-1)/setPageSize)
	}
	return t
}

// load returns cell i's set, and whether it is known.
func (t *lazySets) load(i int) (uint64, bool) {
	st := (t.state[i>>4].Load() >> (uint(i&15) * 2)) & 3
	if st == cellSome {
		return t.some[i/setPageSize].Load()[i%setPageSize].Load(), true
	}
	return t.sets[st], st != cellUnknown
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
		pi := i / setPageSize
		page := t.some[pi].Load()
		if page == nil {
			page = new(setPage)
			if !t.some[pi].CompareAndSwap(nil, page) {
				page = t.some[pi].Load()
			}
		}
		// The set is published before the state that says it is there.
		page[i%setPageSize].Store(set)
	}
	t.state[i>>4].Or(st << (uint(i&15) * 2))
	return set
}
