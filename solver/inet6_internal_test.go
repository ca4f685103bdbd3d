package solver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// V-06: the IPv6 internet's atoms do not grow with the number of VPCs:
// VPC and subnet blocks split nothing (their addresses are no internet
// hosts), so exposure probes a handful of atoms, and no representative
// lies in a VPC block.
func TestInternetAtoms6DoNotGrowWithVPCs(t *testing.T) {
	count := func(vpcs int, rulesNameBlocks bool) int {
		m := gen.Generate(gen.Options{VPCs: vpcs, Seed: 3, DualStack: true})
		if rulesNameBlocks {
			// Rules naming every other VPC's block (as routes to peers
			// do) split nothing of the internet either.
			for i := range m.VPCs {
				g := &m.VPCs[i].SecurityGroups[0]
				for j := range m.VPCs {
					for _, b := range m.VPCs[j].IPv6CIDRBlocks {
						g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 22, Last: 22}},
							Sources: []model.Peer{{CIDR: b}}})
					}
				}
			}
		}
		s, err := New(m)
		require.NoError(t, err)
		for _, a := range s.internetAtoms6() {
			for _, v := range s.m.VPCs {
				for _, b := range v.IPv6CIDRBlocks {
					assert.False(t, b.Contains(a.rep), "%s is in %s's block", a.rep, v.ID)
					assert.False(t, a.set.OverlapsPrefix(b), "an atom holds %s's block", v.ID)
				}
			}
		}
		return len(s.internetAtoms6())
	}
	small, large, named := count(10, false), count(60, false), count(60, true)
	assert.Positive(t, small)
	assert.Equal(t, small, large, "10 VPCs: %d atoms, 60 VPCs: %d", small, large)
	assert.Equal(t, large, named, "rules naming VPC blocks: %d atoms, else %d", named, large)
}
