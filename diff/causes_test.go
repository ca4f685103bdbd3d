package diff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// editGroupRules makes one to three edits of security group rules, in
// both directions, by CIDR and by group reference (a group of another
// VPC too, which only some paths honour).
func editGroupRules(m *model.Model, r *rand.Rand) {
	var groups []model.ID
	for _, v := range m.VPCs {
		for _, g := range v.SecurityGroups {
			groups = append(groups, g.ID)
		}
	}
	if len(groups) == 0 {
		return
	}
	want := 1 + r.IntN(3)
	for did, tries := 0, 0; tries < 50 && did < want; tries++ {
		v := &m.VPCs[r.IntN(len(m.VPCs))]
		if len(v.SecurityGroups) == 0 {
			continue
		}
		g := &v.SecurityGroups[r.IntN(len(v.SecurityGroups))]
		tcp := func(port uint16) model.SGRule {
			return model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: port, Last: port}}
		}
		ref := model.Peer{Ref: groups[r.IntN(len(groups))]}
		switch r.IntN(6) {
		case 0:
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: tcp(443), Sources: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}})
		case 1:
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: tcp(22), Sources: []model.Peer{ref}})
		case 2:
			if len(g.Ingress) == 0 {
				continue
			}
			i := r.IntN(len(g.Ingress))
			g.Ingress = slices.Delete(g.Ingress, i, i+1)
		case 3:
			if len(g.Egress) == 0 {
				continue
			}
			i := r.IntN(len(g.Egress))
			g.Egress = slices.Delete(g.Egress, i, i+1)
		case 4:
			g.Egress = append(g.Egress, model.EgressRule{SGRule: tcp(443), Destinations: []model.Peer{ref}})
		case 5:
			g.Egress = []model.EgressRule{{SGRule: tcp(22), Destinations: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}}}
		}
		did++
	}
}

// TestPlainEndCausesAgreeWithWalks checks the causes that plainEnds gives
// flows gained and lost by a change of security groups, from the hops at
// the ends of plain paths, against the causes walked on both sides
// (Options.walkCauses): the whole reports must be equal, on the oracle's
// networks of every kind and on generated organisations over two regions,
// with random edits of rules in both directions, by CIDR and by group
// reference. It requires that most entries took the shortcut, so that it
// cannot pass by never taking it.
func TestPlainEndCausesAgreeWithWalks(t *testing.T) {
	n := 120
	if testing.Short() || raceEnabled {
		n = 40
	}
	var mu sync.Mutex
	entries, plain := 0, 0
	t.Run("models", func(t *testing.T) {
		for seed := uint64(1); seed <= uint64(n); seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				generate := []func(uint64) *model.Model{oracle.Generate, oracle.GenerateDualStack, oracle.GenerateWithInspection, oracle.GenerateInspectionVPC,
					func(seed uint64) *model.Model {
						return gen.Generate(gen.Options{VPCs: 8, Seed: seed, InstancesPerVPC: 5, Regions: []string{"eu-west-1", "us-east-1"}})
					}}[seed%5]
				old, next := generate(seed), generate(seed)
				editGroupRules(next, rand.New(rand.NewPCG(seed, 17)))
				so, err := solver.New(old)
				require.NoError(t, err)
				sn, err := solver.New(next)
				if err != nil {
					return
				}
				fast, c := compareSolvers(so, sn, Options{NoChanged: true})
				walked := CompareSolvers(so, sn, Options{NoChanged: true, walkCauses: true})
				require.Equal(t, walked.Gained, fast.Gained)
				require.Equal(t, walked.Lost, fast.Lost)
				mu.Lock()
				entries += len(fast.Gained) + len(fast.Lost)
				plain += len(c.ends)
				mu.Unlock()
			})
		}
	})
	t.Logf("%d entries, %d cause queries answered from plain ends", entries, plain)
	require.Greater(t, plain, entries/2)
}
