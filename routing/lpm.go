package routing

import (
	"cmp"
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
	// lens6 and maps6 are the same for IPv6 prefixes, keyed by the masked
	// address.
	lens6 []uint8
	maps6 []map[netip.Addr]int32
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
				t.maps6 = append(t.maps6, map[netip.Addr]int32{})
			}
			t.maps6[len(t.maps6)-1][win.prefix.Addr()] = win.entry
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
		for i, n := range t.lens6 {
			p, _ := a.Prefix(int(n))
			if e, ok := t.maps6[i][p.Addr()]; ok {
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
