package routing

import (
	"cmp"
	"encoding/binary"
	"net/netip"
	"slices"
)

// lpm is a longest-prefix-match table over IPv4 and IPv6 prefixes, one
// family apart from the other (V-04): one hash map per prefix length
// present, probed from the longest length down. With the few distinct
// lengths real tables hold, a lookup is a handful of map probes and
// allocates nothing.
type lpm struct {
	// lens holds the IPv4 prefix lengths present, longest first; maps[i]
	// maps a masked address of length lens[i] to an entry index.
	lens []uint8
	maps []map[uint32]int32
	// lens6, maps6 and half6 are the same for IPv6 prefixes: maps6[i]
	// keyed by the masked address's two halves (see key6Of) for a length
	// beyond 64; half6[i], by its first half, for one up to 64, which is
	// most (VPC and subnet blocks).
	lens6 []uint8
	maps6 []map[key6]int32
	half6 []map[uint64]int32
}

// key6 is a 16-byte address as two words, high first: a map key hashed
// as plain memory, which netip.Addr, with its zone handle, is not.
type key6 struct{ hi, lo uint64 }

// key6Of returns the key of address a (IPv6, or IPv4-mapped IPv6).
func key6Of(a netip.Addr) key6 {
	b := a.As16()
	return key6{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// masked returns k with the bits after the first n cleared.
func (k key6) masked(n uint8) key6 {
	switch {
	case n == 0:
		return key6{}
	case n <= 64:
		return key6{hi: k.hi & (^uint64(0) << (64 - n))}
	case n < 128:
		return key6{hi: k.hi, lo: k.lo & (^uint64(0) << (128 - n))}
	}
	return k
}

func addrBits(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func maskBits(n uint8) uint32 {
	if n == 0 {
		return 0
	}
	return ^uint32(0) << (32 - n)
}

// candidate is one route offered to the table builder.
type candidate struct {
	prefix netip.Prefix
	// rank orders routes of equal prefix: lower wins.
	rank int
	// tie orders routes of equal prefix and rank deterministically; two
	// such routes to different places are an ambiguity.
	tie   string
	entry int32
}

// buildLPM keeps, for each prefix, the best candidate. It returns the table
// and, for each prefix where two candidates of equal rank competed, their
// entries (winner first).
func buildLPM(cands []candidate, sameTarget func(a, b int32) bool) (lpm, [][]int32) {
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.prefix.Bits(), a.prefix.Bits()), a.prefix.Addr().Compare(b.prefix.Addr()),
			cmp.Compare(a.rank, b.rank), cmp.Compare(a.tie, b.tie), cmp.Compare(a.entry, b.entry))
	})
	var t lpm
	var ambiguous [][]int32
	for i := 0; i < len(cands); {
		j := i + 1
		for j < len(cands) && cands[j].prefix == cands[i].prefix {
			j++
		}
		win := cands[i]
		var group []int32
		for k := i + 1; k < j && cands[k].rank == win.rank; k++ {
			if !sameTarget(win.entry, cands[k].entry) {
				group = append(group, cands[k].entry)
			}
		}
		if len(group) > 0 {
			ambiguous = append(ambiguous, append([]int32{win.entry}, group...))
		}
		bits := uint8(win.prefix.Bits())
		if win.prefix.Addr().Is6() {
			if n := len(t.lens6); n == 0 || t.lens6[n-1] != bits {
				t.lens6 = append(t.lens6, bits)
				var full map[key6]int32
				var half map[uint64]int32
				if bits > 64 {
					full = map[key6]int32{}
				} else {
					half = map[uint64]int32{}
				}
				t.maps6, t.half6 = append(t.maps6, full), append(t.half6, half)
			}
			k := key6Of(win.prefix.Addr())
			if bits > 64 {
				t.maps6[len(t.maps6)-1][k] = win.entry
			} else {
				t.half6[len(t.half6)-1][k.hi] = win.entry
			}
			i = j
			continue
		}
		if n := len(t.lens); n == 0 || t.lens[n-1] != bits {
			t.lens = append(t.lens, bits)
			t.maps = append(t.maps, map[uint32]int32{})
		}
		t.maps[len(t.maps)-1][addrBits(win.prefix.Addr())] = win.entry
		i = j
	}
	return t, ambiguous
}

// lookup returns the entry of the longest prefix holding a, or -1.
func (t *lpm) lookup(a netip.Addr) int32 {
	if a.Is6() {
		k := key6Of(a)
		for i, n := range t.lens6 {
			if n <= 64 {
				if e, ok := t.half6[i][k.masked(n).hi]; ok {
					return e
				}
			} else if e, ok := t.maps6[i][k.masked(n)]; ok {
				return e
			}
		}
		return -1
	}
	x := addrBits(a)
	for i, n := range t.lens {
		if e, ok := t.maps[i][x&maskBits(n)]; ok {
			return e
		}
	}
	return -1
}
