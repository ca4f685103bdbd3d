package solver_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestExposedPortsExcept: the internet ranges that do not reach a port are
// the public space minus those that do; with From they make up the whole
// public space, without overlap.
func TestExposedPortsExcept(t *testing.T) {
	pfx := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	assert.Nil(t, solver.ExposedPorts{Anywhere: true}.Except())

	// Everything public but 203.0.113.0/24, as Exposure lists it.
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	b.RemovePrefix(netip.MustParsePrefix("203.0.113.0/24"))
	for _, p := range pfx("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3") {
		b.RemovePrefix(p)
	}
	most, err := b.IPSet()
	require.NoError(t, err)
	ep := solver.ExposedPorts{Ports: model.PortRange{First: 443, Last: 443}, From: most.Prefixes()}
	assert.Greater(t, len(ep.From), 20)
	assert.Equal(t, pfx("203.0.113.0/24"), ep.Except())

	// A few ranges: the complement is the rest of the public space.
	ep = solver.ExposedPorts{From: pfx("198.51.100.0/24", "203.0.113.0/24")}
	except := ep.Except()
	var all, from, ex netipx.IPSetBuilder
	for _, p := range ep.From {
		all.AddPrefix(p)
		from.AddPrefix(p)
	}
	for _, p := range except {
		all.AddPrefix(p)
		ex.AddPrefix(p)
	}
	union, _ := all.IPSet()
	var pub netipx.IPSetBuilder
	pub.AddSet(most)
	pub.AddPrefix(netip.MustParsePrefix("203.0.113.0/24"))
	public, _ := pub.IPSet()
	assert.True(t, union.Equal(public), "From and Except make up the public space")
	fs, _ := from.IPSet()
	es, _ := ex.IPSet()
	assert.False(t, fs.Overlaps(es), "From and Except do not overlap")
}
