package solver

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
)

// TestVPCOfIPv6IsTheFirstHolder checks the IPv6 block index against its
// definition, the first VPC in the model's order with a block holding the
// address, on a generated dual-stack network to which blocks of other
// lengths are added (one nested in another VPC's block), for addresses in
// and around every block.
func TestVPCOfIPv6IsTheFirstHolder(t *testing.T) {
	m := gen.Generate(gen.Options{VPCs: 30, Seed: 4, DualStack: true, InstancesPerVPC: 3})
	first := m.VPCs[0].IPv6CIDRBlocks[0]
	// A /52 around the first VPC's /56 in a later VPC, and a /64 inside
	// it in another: the first VPC still holds the addresses of its block.
	m.VPCs[5].IPv6CIDRBlocks = append(m.VPCs[5].IPv6CIDRBlocks, netip.PrefixFrom(first.Addr(), 52).Masked())
	m.VPCs[7].IPv6CIDRBlocks = append(m.VPCs[7].IPv6CIDRBlocks, netip.PrefixFrom(first.Addr(), 64))
	s := &Solver{m: m}
	for vi := range m.VPCs {
		s.vpcs = append(s.vpcs, vpcInfo{m: &m.VPCs[vi]})
	}
	linear := func(a netip.Addr) int32 {
		for vi := range s.vpcs {
			if inCIDRs(s.vpcs[vi].m.IPv6CIDRBlocks, a) {
				return int32(vi)
			}
		}
		return -1
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var addrs []netip.Addr
	for _, v := range m.VPCs {
		for _, b := range v.IPv6CIDRBlocks {
			for range 20 {
				bs := b.Addr().As16()
				// Random low bits; one time in four from a byte earlier,
				// which may leave the block.
				start := b.Bits() / 8
				if rng.IntN(4) == 0 {
					start--
				}
				for i := 15; i >= max(0, start); i-- {
					bs[i] = byte(rng.IntN(256))
				}
				addrs = append(addrs, netip.AddrFrom16(bs))
			}
		}
	}
	addrs = append(addrs, netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2600:1f18:ffff::1"))
	held := 0
	for _, a := range addrs {
		want := linear(a)
		require.Equal(t, want, s.vpcOfIPv6(a), "%s", a)
		if want >= 0 {
			held++
		}
	}
	require.Greater(t, held, len(addrs)/2)
	require.Equal(t, int32(0), s.vpcOfIPv6(first.Addr()))
}
