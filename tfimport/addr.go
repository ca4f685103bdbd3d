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
		in.AssumedIPs = of(append([]netip.Addr{in.PrivateIP, in.PublicIP, in.ElasticIP}, in.SecondaryIPs...)...)
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
