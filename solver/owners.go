package solver

import (
	"net/netip"
	"sync"
	"sync/atomic"
)

// addrOwners answers which interface holds an address when no VPC is
// named: the one that holds it when exactly one VPC does.
//
// An index of every address the VPCs hold costs a map entry per address,
// and a dual-stack network holds twice as many as an IPv4 one, 600,000 at
// 5,000 generated VPCs, though the whole-network analyses look up a few
// dozen (the internet atoms, as sources). So the first lookups scan the
// VPCs' own address maps, a probe per VPC each, and the index is built
// only once the scans have cost about what building it does (a lookup per
// address held, per VPC): a few lookups never pay for it, and many pay
// for it at most twice.
type addrOwners struct {
	lookups atomic.Int64
	// limit is the number of lookups answered by scanning.
	limit     int64
	limitOnce sync.Once
	once      sync.Once
	index     map[netip.Addr]int32
}

// owner returns the interface that holds a, or -1 when several VPCs hold
// it; ok is false when none does.
func (s *Solver) owner(a netip.Addr) (e int32, ok bool) {
	o := &s.owners
	o.limitOnce.Do(func() {
		n := 0
		for vi := range s.vpcs {
			n += len(s.vpcs[vi].addrs)
		}
		o.limit = int64(n / max(len(s.vpcs), 1))
	})
	if o.lookups.Add(1) > o.limit {
		o.once.Do(func() { o.index = s.ownerIndex() })
		e, ok := o.index[a]
		return e, ok
	}
	e = -2
	for vi := range s.vpcs {
		if ei, held := s.vpcs[vi].addrs[a]; held {
			if e != -2 {
				return -1, true
			}
			e = ei
		}
	}
	if e == -2 {
		return 0, false
	}
	return e, true
}

// ownerIndex maps every address the VPCs hold to its interface, or to -1
// when several VPCs hold it.
func (s *Solver) ownerIndex() map[netip.Addr]int32 {
	n := 0
	for vi := range s.vpcs {
		n += len(s.vpcs[vi].addrs)
	}
	idx := make(map[netip.Addr]int32, n)
	for vi := range s.vpcs {
		for a, e := range s.vpcs[vi].addrs {
			if _, dup := idx[a]; dup {
				idx[a] = -1
			} else {
				idx[a] = e
			}
		}
	}
	return idx
}
