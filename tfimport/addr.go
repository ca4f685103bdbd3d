package tfimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// pendingAddr is a private address unknown until apply, to assign inside
// its subnet once every known address is collected.
type pendingAddr struct {
	e      elem
	key    string
	subnet *model.Subnet
	set    func(netip.Addr)
	what   string
}

// privateAddr reads a private address; one unknown until apply (or not
// given, AWS choosing it) is assigned later.
func (b *builder) privateAddr(e elem, key string, s *model.Subnet, set func(netip.Addr), what string) {
	if t := e.str(key); t != "" {
		a, err := model.ParseAddr(t)
		if err != nil {
			e.errorf(key, model.ErrInvalidValue, "%s", err)
			return
		}
		set(a)
		return
	}
	b.pending = append(b.pending, pendingAddr{e: e, key: key, subnet: s, set: set, what: what})
}

// assignAddresses gives each pending address the lowest free address of
// its subnet, past the four AWS reserves at the start (S-02), never one
// that a resource of the file holds, in file order, so that the result
// is deterministic. Each assignment is a warning.
func (b *builder) assignAddresses() {
	if len(b.pending) == 0 {
		return
	}
	used := map[netip.Addr]bool{}
	mark := func(as ...netip.Addr) {
		for _, a := range as {
			used[a] = true
		}
	}
	for _, i := range b.insts {
		mark(i.PrivateIP)
		mark(i.SecondaryIPs...)
	}
	for _, n := range b.enis {
		mark(n.PrivateIP)
		mark(n.SecondaryIPs...)
	}
	for _, n := range b.nats {
		mark(n.PrivateIP)
	}
	for _, v := range b.vpcs {
		for _, ep := range v.eps {
			mark(ep.PrivateIPs...)
		}
		for _, lb := range v.lbs {
			mark(lb.PrivateIPs...)
		}
	}
	next := map[model.ID]netip.Addr{}
	for _, p := range b.pending {
		pfx := p.subnet.CIDRBlock
		a, ok := next[p.subnet.ID]
		if !ok {
			a = pfx.Addr().Next().Next().Next().Next()
		}
		last := lastAddr(pfx)
		for used[a] && a.Less(last) {
			a = a.Next()
		}
		if !a.Less(last) {
			p.e.errorf(p.key, model.ErrAddress, "%s is unknown until apply, and subnet %s (%s) has no free address left to assume", p.what, p.subnet.ID, pfx)
			continue
		}
		used[a] = true
		next[p.subnet.ID] = a.Next()
		p.set(a)
		b.assumedAddr(a)
		why := "unknown until apply"
		if b.d.kind == KindState {
			why = "which the state does not hold"
		}
		p.e.warnf(p.key, ErrAssumed, "assumed address %s for %s, %s (the first free address of subnet %s)", a, p.what, why, p.subnet.ID)
	}
}

// lastAddr returns the broadcast address of a prefix, which AWS reserves.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n |= 1<<(32-p.Bits()) - 1
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// assumedPublic is the range public addresses unknown until apply are
// taken from: 198.18.0.0/15, reserved for benchmarking (RFC 2544), so
// that no real address is named.
var assumedPublic = netip.MustParsePrefix("198.18.0.0/15")

// assumePublic assumes a public address unknown until apply, with a
// warning, never one the file holds.
func (b *builder) assumePublic(e elem, key, what string) netip.Addr {
	if b.publics == 0 {
		b.knownPublic = map[netip.Addr]bool{}
		for _, r := range b.all {
			for _, k := range []string{"public_ip", "private_ip"} {
				if a, err := netip.ParseAddr(r.values.get(k).strVal()); err == nil && assumedPublic.Contains(a) {
					b.knownPublic[a] = true
				}
			}
		}
	}
	a := b.lastPublic
	if !a.IsValid() {
		a = assumedPublic.Addr()
	}
	a = a.Next()
	for b.knownPublic[a] {
		a = a.Next()
	}
	b.lastPublic = a
	b.publics++
	b.assumedAddr(a)
	e.warnf(key, ErrAssumed, "assumed public address %s for %s, unknown until apply (from 198.18.0.0/15, a range no real host holds)", a, what)
	return a
}

// assumedAddr records an address the importer assumed.
func (b *builder) assumedAddr(a netip.Addr) {
	if b.assumed == nil {
		b.assumed = map[netip.Addr]bool{}
	}
	b.assumed[a] = true
}

// markAssumed lists, in each resource of m, those of its addresses that
// were assumed (assumed_ips), so that answers that depend on one say so.
// Assumed addresses are unique in a file: none is one the file holds.
func (b *builder) markAssumed(m *model.Model) {
	if len(b.assumed) == 0 {
		return
	}
	of := func(as ...netip.Addr) []netip.Addr {
		var out []netip.Addr
		for _, a := range as {
			if b.assumed[a] && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
		return out
	}
	iface := func(in *model.Interface) {
		in.AssumedIPs = of(append(append([]netip.Addr{in.PrivateIP, in.PublicIP, in.ElasticIP}, in.SecondaryIPs...), in.IPv6Addresses...)...)
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for i := range v.Instances {
			iface(&v.Instances[i].Interface)
		}
		for i := range v.NetworkInterfaces {
			iface(&v.NetworkInterfaces[i].Interface)
		}
		for i := range v.NATGateways {
			n := &v.NATGateways[i]
			n.AssumedIPs = of(n.PrivateIP, n.PublicIP)
		}
		for i := range v.Endpoints {
			v.Endpoints[i].AssumedIPs = of(v.Endpoints[i].PrivateIPs...)
		}
		for i := range v.LoadBalancers {
			lb := &v.LoadBalancers[i]
			lb.AssumedIPs = of(append(slices.Clone(lb.PrivateIPs), lb.PublicIPs...)...)
		}
	}
}

// pendingIPv6 is a number of IPv6 addresses unknown until apply, to
// assign inside a subnet's IPv6 block once every known address is
// collected.
type pendingIPv6 struct {
	e      elem
	key    string
	subnet *model.Subnet
	n      int
	set    func([]netip.Addr)
	what   string
}

// ipv6Addrs reads the IPv6 addresses of an interface (key, a list): known
// ones are parsed; when they are unknown until apply, countKey's number
// of them (or one, where the subnet gives every interface one: an
// IPv6-only subnet, or assign_ipv6_address_on_creation) is assumed later.
func (b *builder) ipv6Addrs(e elem, key, countKey string, s *model.Subnet, set func([]netip.Addr), what string) {
	if known := e.strs(key); len(known) > 0 {
		var out []netip.Addr
		for _, t := range known {
			a, err := model.ParseIPv6Addr(t)
			if err != nil {
				e.errorf(key, model.ErrInvalidValue, "%s", err)
				return
			}
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
		set(out)
		return
	}
	n := 0
	if c, ok := e.integer(countKey); ok && c > 0 {
		n = int(c)
	} else if (e.unknown(key) || e.unknown(countKey) || e.val(key) == nil) && (s.IPv6Only || b.ipv6OnCreation[s.ID]) {
		n = 1
	}
	if n == 0 {
		return
	}
	if !s.IPv6CIDRBlock.IsValid() {
		e.warnf(key, ErrUnknownValue, "%s is unknown until apply, and subnet %s has no IPv6 block to assume it in: left out", what, s.ID)
		return
	}
	b.pending6 = append(b.pending6, pendingIPv6{e: e, key: key, subnet: s, n: n, set: set, what: what})
}

// assignIPv6 gives each pending IPv6 address the lowest free address of
// its subnet's IPv6 block past the four AWS reserves (V-02), never one a
// resource of the file holds, in file order. Each assignment is a
// warning.
func (b *builder) assignIPv6() {
	if len(b.pending6) == 0 {
		return
	}
	used := map[netip.Addr]bool{}
	for _, i := range b.insts {
		for _, a := range i.IPv6Addresses {
			used[a] = true
		}
	}
	for _, n := range b.enis {
		for _, a := range n.IPv6Addresses {
			used[a] = true
		}
	}
	for _, p := range b.pending6 {
		a := p.subnet.IPv6CIDRBlock.Addr().Next().Next().Next().Next()
		var out []netip.Addr
		for len(out) < p.n {
			for used[a] {
				a = a.Next()
			}
			used[a] = true
			out = append(out, a)
			b.assumedAddr(a)
		}
		p.set(out)
		why := "unknown until apply"
		if b.d.kind == KindState {
			why = "which the state does not hold"
		}
		p.e.warnf(p.key, ErrAssumed, "assumed IPv6 address(es) %v for %s, %s (the first free addresses of subnet %s's IPv6 block)", out, p.what, why, p.subnet.ID)
	}
}

// assumedIPv6Blocks is the range IPv6 blocks unknown until apply are
// taken from: 2001:db8::/32, reserved for documentation (RFC 3849), so
// that no real address is named.
var assumedIPv6Blocks = netip.MustParsePrefix("2001:db8::/32")

// assumeIPv6Block assumes an IPv6 block of the given length for a VPC
// (Amazon provides a /56) or a subnet (a /64 inside its VPC's first IPv6
// block), never one the file holds or assumed before, with a warning.
func (b *builder) assumeIPv6Block(e elem, key string, within netip.Prefix, bits int, what string) (netip.Prefix, bool) {
	if !within.IsValid() {
		within = assumedIPv6Blocks
	}
	taken := func(p netip.Prefix) bool {
		for _, q := range b.ipv6Blocks {
			if q != within && q.Overlaps(p) {
				return true
			}
		}
		return false
	}
	p := netip.PrefixFrom(within.Addr(), bits)
	if within == assumedIPv6Blocks {
		p = nextPrefix(p) // 2001:db8:0:100::/56 first: clearer than 2001:db8::/56
	}
	for taken(p) {
		p = nextPrefix(p)
		if !within.Contains(p.Addr()) {
			e.errorf(key, model.ErrAddress, "%s is unknown until apply, and %s has no free /%d left to assume", what, within, bits)
			return netip.Prefix{}, false
		}
	}
	b.ipv6Blocks = append(b.ipv6Blocks, p)
	e.warnf(key, ErrAssumed, "assumed IPv6 block %s for %s, unknown until apply (from %s)", p, what, within)
	return p, true
}

// nextPrefix returns the prefix of the same length that follows p.
func nextPrefix(p netip.Prefix) netip.Prefix {
	a := p.Addr().As16()
	bit := p.Bits() - 1
	for i := bit; i >= 0; i-- {
		byteI, mask := i/8, byte(1)<<(7-uint(i%8))
		if a[byteI]&mask == 0 {
			a[byteI] |= mask
			break
		}
		a[byteI] &^= mask
	}
	return netip.PrefixFrom(netip.AddrFrom16(a), p.Bits())
}
