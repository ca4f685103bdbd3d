package gen_test

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// A dual-stack generated model validates, with no errors and no warnings,
// for every size, seed and overlap option.
func TestDualStackModelsValidate(t *testing.T) {
	for _, n := range sizes {
		for _, seed := range seeds {
			for _, overlap := range []int{0, 4} {
				o := gen.Options{VPCs: n, Seed: seed, OverlapEvery: overlap, DualStack: true}
				d := model.Validate(gen.Generate(o))
				assert.NoError(t, d.Err(), "%+v", o)
				assert.Empty(t, d.Warnings(), "%+v", o)
			}
		}
	}
}

// Dual-stack output is deterministic, and adds IPv6 to the IPv4-only
// network of the same options: the same VPCs, subnets, instances and IPv4
// addresses.
func TestDualStackDeterministicAndSameIPv4(t *testing.T) {
	o := gen.Options{VPCs: 40, Seed: 5, OverlapEvery: 6, DualStack: true}
	a, b := encode(t, gen.Generate(o)), encode(t, gen.Generate(o))
	require.True(t, bytes.Equal(a, b))
	var w bytes.Buffer
	require.NoError(t, gen.Write(&w, o))
	assert.True(t, bytes.Equal(a, w.Bytes()), "Write differs from Build")

	o4 := o
	o4.DualStack = false
	m4, m6 := gen.Generate(o4), gen.Generate(o)
	require.Len(t, m6.VPCs, len(m4.VPCs))
	blocks := map[netip.Prefix]bool{}
	for i := range m4.VPCs {
		v4, v6 := &m4.VPCs[i], &m6.VPCs[i]
		assert.Equal(t, v4.Name, v6.Name)
		assert.Equal(t, v4.CIDRBlocks, v6.CIDRBlocks)
		require.Len(t, v6.IPv6CIDRBlocks, 1)
		p := v6.IPv6CIDRBlocks[0]
		assert.Equal(t, 56, p.Bits(), "Amazon-provided /56 (V-01)")
		assert.False(t, blocks[p], "%s: IPv6 blocks never overlap", v6.ID)
		blocks[p] = true
		assert.NotEmpty(t, v6.EgressOnlyInternetGateway)
		sn6 := map[model.ID]netip.Prefix{}
		for k, sn := range v6.Subnets {
			assert.Equal(t, v4.Subnets[k].CIDRBlock, sn.CIDRBlock)
			assert.Equal(t, 64, sn.IPv6CIDRBlock.Bits())
			assert.True(t, p.Contains(sn.IPv6CIDRBlock.Addr()))
			sn6[sn.ID] = sn.IPv6CIDRBlock
		}
		require.Len(t, v6.Instances, len(v4.Instances))
		for k, in := range v6.Instances {
			assert.Equal(t, v4.Instances[k].ID, in.ID)
			assert.Equal(t, v4.Instances[k].PrivateIP, in.PrivateIP)
			require.Len(t, in.IPv6Addresses, 1)
			assert.True(t, sn6[in.Subnet].Contains(in.IPv6Addresses[0]))
		}
		// Public tiers send ::/0 to the internet gateway, private tiers
		// to the egress-only one.
		for _, rt := range v6.RouteTables {
			for _, r := range rt.Routes {
				if r.Destination.CIDR == netip.MustParsePrefix("::/0") {
					if r.Target != v6.EgressOnlyInternetGateway {
						assert.Equal(t, v6.InternetGateway, r.Target, "%s", rt.ID)
					}
				}
			}
		}
	}
}

// Dual-stack flows behave as designed, over IPv6 too: the internet reaches
// public web servers at their IPv6 address, private tiers reach the
// internet through the egress-only gateway and nothing comes in through
// it, spokes reach each other through the transit gateway (and across
// its peering), and the database stays closed to other VPCs.
func TestDualStackReachAsDesigned(t *testing.T) {
	m := gen.Generate(gen.Options{VPCs: 40, Seed: 9, DualStack: true})
	s, err := solver.New(m)
	require.NoError(t, err)
	for _, e := range m.Expectations {
		r := s.Reach(solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, Port: *e.Port})
		assert.Equal(t, e.Expect == model.ExpectReachable, r.Reachable(), "%s: %s%s", e.Name, r.Verdict, why(r))
	}
	v6 := func(q solver.Query) solver.Result {
		t.Helper()
		r := s.Reach(q)
		require.NotEqual(t, solver.VerdictInvalidQuery, r.Verdict, "%+v: %v", q, r.Err)
		for _, f := range r.Families {
			if f.Family == solver.FamilyIPv6 {
				return f
			}
		}
		require.Equal(t, solver.FamilyIPv6, r.Family, "%+v", q)
		return r
	}
	rs := rolesOf(m)
	byRegion := map[string][]int{}
	for _, r := range rs {
		app, db := r.tiers["app"][0], r.tiers["db"][0]
		assert.True(t, v6(tcp(app, db, 5432)).Reachable())
		assert.False(t, v6(tcp("internet", db, 5432)).Reachable())
		assert.False(t, v6(tcp("internet", app, 8080)).Reachable())
		out := v6(tcp(app, "internet", 443))
		assert.True(t, out.Reachable(), "%s%s", app, why(out))
		assert.True(t, crosses(out, solver.HopEgressOnlyGateway))
		for _, web := range r.tiers["web"] {
			if m.VPCs[r.vpc].InternetGateway != "" {
				in := v6(tcp("internet", web, 443))
				assert.True(t, in.Reachable(), "%s%s", web, why(in))
				assert.True(t, crosses(in, solver.HopInternetGateway))
			}
		}
		if !r.hub {
			byRegion[r.region] = append(byRegion[r.region], r.vpc)
		}
	}
	for _, vs := range byRegion {
		for k := 0; k+1 < len(vs); k += 3 {
			a, b := rs[vs[k]], rs[vs[k+1]]
			assert.True(t, v6(tcp(a.tiers["app"][0], b.tiers["app"][0], 8080)).Reachable())
			assert.False(t, v6(tcp(a.tiers["app"][0], b.tiers["db"][0], 5432)).Reachable())
		}
	}
	r0, r1, r2 := byRegion[gen.DefaultRegions[0]], byRegion[gen.DefaultRegions[1]], byRegion[gen.DefaultRegions[2]]
	for k := range 3 {
		a, b, c := rs[r0[k]], rs[r1[k]], rs[r2[k]]
		r := v6(tcp(a.tiers["app"][0], b.tiers["app"][0], 8080))
		assert.True(t, r.Reachable(), why(r))
		assert.True(t, crosses(r, solver.HopTGWRouteTable))
		assert.False(t, v6(tcp(a.tiers["app"][0], c.tiers["app"][0], 8080)).Reachable())
	}
	vpcIndex := map[model.ID]int{}
	for i, v := range m.VPCs {
		vpcIndex[v.ID] = i
	}
	for _, p := range m.PeeringConnections {
		a, b := rs[vpcIndex[p.Requester]], rs[vpcIndex[p.Accepter]]
		r := v6(tcp(a.tiers["app"][0], b.tiers["app"][0], 8080))
		assert.True(t, r.Reachable(), why(r))
		assert.True(t, crosses(r, solver.HopPeeringConnection))
	}
}
