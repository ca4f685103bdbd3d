package solver

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// Whole-network analyses ask about every source or every pair, so they
// group interfaces into equivalence classes that no route or rule can tell
// apart: the same subnet, security groups, kind and running state, and
// addresses (private and public, and IPv6) in the same atom, the
// elementary interval of the address space between consecutive boundaries
// of every CIDR any route, rule or prefix list names (IPv4 and IPv6 atoms
// apart: see atoms6). One representative per class answers
// for all its members. An interface that walks can tell apart by more than
// its atom is a class of its own: one whose private address another VPC's
// interface also holds (overlapping address spaces: which one a packet
// reaches depends on the exact address; so for an IPv6 address), or that
// is a VPC's Route 53 Resolver address or a public address, and one that
// routes target (an
// appliance, which traffic to its classmates passes through).

// Class is a set of interfaces that every route and filter treats alike.
type Class struct {
	// Members are the interfaces' ids (instances and network interfaces),
	// sorted.
	Members []model.ID
	Subnet  model.ID
	VPC     model.ID
	// Groups are the members' security groups.
	Groups []model.ID
	// Public reports whether the members have public addresses.
	Public bool
	// IPv6 reports whether the members have global IPv6 addresses, which
	// the internet reaches as they are (V-06). The members' IPv6
	// addresses lie in the same IPv6 atoms, as their IPv4 ones do.
	IPv6   bool
	rep    int32
	subnet int32
}

// atoms splits the IPv4 space at the boundaries of every CIDR the model's
// routes and rules name.
type atoms struct {
	bounds []uint32 // sorted starts of intervals (0 always present)
}

func (a *atoms) of(addr netip.Addr) int {
	x := addrU32(addr)
	i, found := slices.BinarySearch(a.bounds, x)
	if !found {
		i--
	}
	return i
}

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32Addr(x uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
}

// interval returns the first and last address of atom i.
func (a *atoms) interval(i int) (uint32, uint32) {
	lo := a.bounds[i]
	hi := uint32(0xffffffff)
	if i+1 < len(a.bounds) {
		hi = a.bounds[i+1] - 1
	}
	return lo, hi
}

// classState holds the lazily computed classes of a Solver.
type classState struct {
	once    sync.Once
	atoms   atoms
	classes []Class
	// portBounds holds, per protocol, the sorted starts of the port
	// intervals that rules and listeners distinguish.
	portBounds map[model.Protocol][]uint16
}

func (s *Solver) classData() *classState {
	s.cls.once.Do(s.computeClasses)
	return &s.cls
}

// Classes returns the equivalence classes of the model's instances and
// network interfaces (NAT gateways, endpoints and load balancer nodes are
// not sources), sorted by their first member. They are computed once, on
// first use by any caller; the slices returned are the caller's.
func (s *Solver) Classes() []Class {
	cs := s.classData().classes
	out := make([]Class, len(cs))
	for i := range cs {
		out[i] = cs[i].clone()
	}
	return out
}

// clone returns a copy of c that shares no slice with it.
func (c Class) clone() Class {
	c.Members, c.Groups = slices.Clone(c.Members), slices.Clone(c.Groups)
	return c
}

// ruleBounds gives prefix every CIDR, of either family, that the model's
// own words name: route destinations, network ACL rules, security group
// peers, prefix lists and the drop rules of Gateway Load Balancer
// appliances (V-22); and ports every protocol and port range those rules
// name (the protocol all for an inspection rule without one). It is the
// one list of what splits addresses and ports: classes, the IPv6 atoms
// and the probed protocols all read it.
func (s *Solver) ruleBounds(prefix func(netip.Prefix), ports func(model.Protocol, *model.PortRange)) {
	m := s.x.Model()
	for _, pl := range m.PrefixLists {
		for _, c := range pl.CIDRs {
			prefix(c)
		}
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for _, rt := range v.RouteTables {
			for _, r := range rt.Routes {
				prefix(r.Destination.CIDR)
			}
		}
		for _, a := range v.NetworkACLs {
			for _, rules := range [][]model.ACLRule{a.Ingress, a.Egress} {
				for _, r := range rules {
					prefix(r.CIDR)
					ports(r.Protocol, r.Ports)
				}
			}
		}
		for _, g := range v.SecurityGroups {
			for _, r := range g.Ingress {
				for _, p := range r.Sources {
					prefix(p.CIDR)
				}
				ports(r.Protocol, r.Ports)
			}
			for _, r := range g.Egress {
				for _, p := range r.Destinations {
					prefix(p.CIDR)
				}
				ports(r.Protocol, r.Ports)
			}
		}
		for _, tg := range v.TargetGroups {
			if tg.Inspection == nil {
				continue
			}
			for _, r := range tg.Inspection.Drops {
				prefix(r.SourceCIDR)
				prefix(r.DestinationCIDR)
				p := r.Protocol
				if p == 0 {
					p = model.ProtocolAll
				}
				ports(p, r.Ports)
			}
		}
	}
}

func (s *Solver) computeClasses() {
	// The IPv6 atoms and the shared addresses read what the IPv4 atoms
	// read, and write nothing they do: computed beside them, on a
	// dual-stack network of 5,000 VPCs they are half of the classes' cost
	// (60,000 IPv6 bounds, 300,000 IPv6 addresses held, to sort).
	a6Done, sharedDone := make(chan atoms6, 1), make(chan map[netip.Addr]bool, 1)
	go func() { a6Done <- s.classAtoms6() }()
	go func() { sharedDone <- s.sharedAddrs() }()
	bounds := []uint32{0}
	portSet := map[model.Protocol]map[uint16]bool{model.ProtocolTCP: {0: true}, model.ProtocolUDP: {0: true}}
	addPrefix := func(p netip.Prefix) {
		if !p.IsValid() || !p.Addr().Is4() {
			return
		}
		p = p.Masked()
		lo := addrU32(p.Addr())
		hi := lo | (uint32(0xffffffff) >> p.Bits())
		if p.Bits() == 0 {
			hi = 0xffffffff
		}
		bounds = append(bounds, lo)
		if hi != 0xffffffff {
			bounds = append(bounds, hi+1)
		}
	}
	addPorts := func(p model.Protocol, r *model.PortRange) {
		for _, proto := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
			if (p == proto || p == model.ProtocolAll) && r != nil {
				portSet[proto][r.First] = true
				if r.Last < 65535 {
					portSet[proto][r.Last+1] = true
				}
			}
		}
	}
	for vi := range s.m.VPCs {
		v := &s.m.VPCs[vi]
		for _, c := range v.CIDRBlocks {
			addPrefix(c)
		}
		for _, sn := range v.Subnets {
			addPrefix(sn.CIDRBlock)
		}
		for _, lb := range v.LoadBalancers {
			for _, l := range lb.Listeners {
				for _, p := range l.Protocol.IPProtocols() {
					portSet[p][l.Port] = true
					if l.Port < 65535 {
						portSet[p][l.Port+1] = true
					}
				}
			}
		}
	}
	// Routes, filter and inspection rules, prefix lists.
	s.ruleBounds(addPrefix, func(p model.Protocol, r *model.PortRange) { addPorts(p, r) })
	for _, e := range s.m.ExternalNetworks {
		for _, c := range e.CIDRs {
			addPrefix(c)
		}
	}
	for _, t := range s.m.TransitGateways {
		for _, rt := range t.RouteTables {
			for _, r := range rt.Routes {
				addPrefix(r.Destination.CIDR)
			}
		}
	}
	// Compiled routes add what the model does not write: gateway endpoint
	// prefix lists, propagations.
	routeTargets := map[int32]bool{}
	for vi := range s.vpcs {
		for _, t := range append([]*routing.Table{s.vpcs[vi].main}, slices.Collect(maps.Values(s.vpcs[vi].tables))...) {
			for r := range t.All() {
				addPrefix(r.Destination)
				if r.Kind == routing.TargetNetworkInterface || r.Kind == routing.TargetInstance {
					if ei, ok := s.eni[r.Target]; ok {
						routeTargets[ei] = true
					}
				}
			}
		}
	}
	for _, t := range s.tgws {
		for _, rt := range t.tables {
			for r := range rt.All() {
				addPrefix(r.Destination)
			}
		}
	}
	// Private and special ranges, so that internet atoms stay public.
	for _, p := range nonPublic {
		addPrefix(p)
	}
	slices.Sort(bounds)
	s.cls.atoms = atoms{bounds: slices.Compact(bounds)}
	s.cls.portBounds = map[model.Protocol][]uint16{}
	for p, set := range portSet {
		var ps []uint16
		for port := range set {
			ps = append(ps, port)
		}
		slices.Sort(ps)
		s.cls.portBounds[p] = ps
	}

	type key struct {
		subnet  int32
		groups  string
		kind    eniKind
		running bool
		atom    int
		public  int    // -1 none
		alone   int32  // the interface, for one that is a class of its own; else -1
		atoms6  string // the IPv6 atoms of its IPv6 addresses, in order
	}
	a6, shared := <-a6Done, <-sharedDone
	byKey := map[key]int{}
	var buf []byte
	for i := range s.enis {
		e := &s.enis[i]
		if e.kind != eniInstance && e.kind != eniNetworkInterface {
			continue
		}
		k := key{subnet: e.subnet, kind: e.kind, running: e.running, atom: -1, public: -1, alone: -1}
		if e.primary.IsValid() {
			k.atom = s.cls.atoms.of(e.primary)
		}
		if _, public := s.publicHolder(e.primary); shared[e.primary] || public || routeTargets[int32(i)] ||
			slices.ContainsFunc(e.v6, func(a netip.Addr) bool { return shared[a] }) {
			k.alone = int32(i)
		}
		if len(e.v6) > 0 {
			buf = buf[:0]
			for _, a := range e.v6 {
				buf = strconv.AppendInt(append(buf, ','), int64(a6.of(a)), 10)
			}
			k.atoms6 = string(buf)
		}
		if e.public.IsValid() {
			k.public = s.cls.atoms.of(e.public)
		}
		buf = buf[:0]
		for _, r := range e.refs {
			buf = strconv.AppendInt(append(buf, ','), int64(r), 10)
		}
		k.groups = string(buf)
		ci, ok := byKey[k]
		if !ok {
			ci = len(s.cls.classes)
			byKey[k] = ci
			c := Class{Subnet: s.subnets[e.subnet].m.ID, VPC: s.vpcs[e.vpc].m.ID, Public: e.public.IsValid(), rep: int32(i), subnet: e.subnet}
			c.IPv6 = slices.ContainsFunc(e.v6, s.publicAddress)
			for _, g := range e.groups {
				c.Groups = append(c.Groups, g.ID)
			}
			s.cls.classes = append(s.cls.classes, c)
		}
		s.cls.classes[ci].Members = append(s.cls.classes[ci].Members, e.id)
	}
	for i := range s.cls.classes {
		slices.Sort(s.cls.classes[i].Members)
	}
	slices.SortFunc(s.cls.classes, func(a, b Class) int { return cmp.Compare(a.Members[0], b.Members[0]) })
}

// sharedAddrs returns the addresses held in several VPCs, and those that
// stand for something else (a VPC's Route 53 Resolver, the link-local
// services).
func (s *Solver) sharedAddrs() map[netip.Addr]bool {
	// Found by sorting every VPC's addresses, not by counting them in a
	// map (a network of 1,000 VPCs holds 60,000).
	n := 0
	for vi := range s.vpcs {
		n += len(s.vpcs[vi].addrs)
	}
	held4 := make([]uint32, 0, n)
	var held6 []netip.Addr
	for vi := range s.vpcs {
		for a := range s.vpcs[vi].addrs {
			if a.Is4() {
				held4 = append(held4, addrU32(a))
			} else {
				held6 = append(held6, a)
			}
		}
	}
	slices.Sort(held4)
	sortAddrs(held6)
	shared := map[netip.Addr]bool{}
	for i := 1; i < len(held4); i++ {
		if held4[i] == held4[i-1] {
			shared[u32Addr(held4[i])] = true
		}
	}
	for i := 1; i < len(held6); i++ {
		if held6[i] == held6[i-1] {
			shared[held6[i]] = true
		}
	}
	for vi := range s.vpcs {
		for _, a := range s.aclExempt(int32(vi)) {
			if a.IsValid() {
				shared[a] = true
			}
		}
	}
	return shared
}

// publicAtoms returns a representative address of every public atom of
// the address space (the internet, as the model's rules split it).
func (s *Solver) publicAtoms() []netip.Addr {
	cs := s.classData()
	var out []netip.Addr
	for i := range cs.atoms.bounds {
		lo, hi := cs.atoms.interval(i)
		a := u32Addr(lo)
		if s.publicAddress(a) && s.publicAddress(u32Addr(hi)) {
			// Prefer the internet host as the representative of its atom.
			if ih := addrU32(s.internetHost()); lo <= ih && ih <= hi {
				a = u32Addr(ih)
			}
			out = append(out, a)
		}
	}
	return out
}

// internetHost returns the address "internet" stands for: InternetHost(),
// unless some route or rule names a range around it narrower than the
// whole internet; then the first address of the widest public atom.
func (s *Solver) internetHost() netip.Addr {
	cs := s.classData()
	s.hostOnce.Do(func() {
		s.host = InternetHost()
		lo, hi := cs.atoms.interval(cs.atoms.of(s.host))
		// The atom holding InternetHost, when no rule names it, runs from
		// 198.18.0.0/15's end to 203.0.113.0's start at the narrowest.
		if hi-lo >= 1<<16 {
			return
		}
		best, bestSize := uint32(0), uint32(0)
		for i := range cs.atoms.bounds {
			alo, ahi := cs.atoms.interval(i)
			if s.publicAddress(u32Addr(alo)) && s.publicAddress(u32Addr(ahi)) && ahi-alo > bestSize {
				best, bestSize = alo, ahi-alo
			}
		}
		if bestSize > 0 {
			s.host = u32Addr(best + 1)
		}
	})
	return s.host
}

// atomPrefixes returns the CIDRs that cover an atom.
func (s *Solver) atomRange(a netip.Addr) (netip.Addr, netip.Addr) {
	if a.Is6() {
		return s.atomRange6(a)
	}
	cs := s.classData()
	lo, hi := cs.atoms.interval(cs.atoms.of(a))
	return u32Addr(lo), u32Addr(hi)
}

// portAtoms splits a port range at the boundaries rules and listeners
// draw for a protocol, returning one range per atom.
func (s *Solver) portAtoms(p model.Protocol, r model.PortRange) []model.PortRange {
	bounds := s.classData().portBounds[p]
	var out []model.PortRange
	start := uint32(r.First)
	for start <= uint32(r.Last) {
		end := uint32(r.Last)
		i, _ := slices.BinarySearch(bounds, uint16(start+1))
		if start == 65535 {
			i = len(bounds)
		}
		if i < len(bounds) && uint32(bounds[i])-1 < end && uint32(bounds[i]) > start {
			end = uint32(bounds[i]) - 1
		}
		out = append(out, model.PortRange{First: uint16(start), Last: uint16(end)})
		start = end + 1
	}
	return out
}

var _ = sgeval.Packet{}
