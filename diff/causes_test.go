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
)

// editGroupRules makes one to three edits of security group rules, in
// both directions, by CIDR and by group reference (a group of another
// VPC too, which only some paths honour).
func editGroupRules(m *model.Model, r *rand.Rand) []string {
	var groups []model.ID
	for _, v := range m.VPCs {
		for _, g := range v.SecurityGroups {
			groups = append(groups, g.ID)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	var did []string
	want := 1 + r.IntN(3)
	for tries := 0; tries < 50 && len(did) < want; tries++ {
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
			did = append(did, string(g.ID)+" += ingress tcp 443 from 10.0.0.0/8")
		case 1:
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: tcp(22), Sources: []model.Peer{ref}})
			did = append(did, string(g.ID)+" += ingress tcp 22 from "+string(ref.Ref))
		case 2:
			if len(g.Ingress) == 0 {
				continue
			}
			i := r.IntN(len(g.Ingress))
			g.Ingress = slices.Delete(g.Ingress, i, i+1)
			did = append(did, fmt.Sprintf("%s -= ingress[%d]", g.ID, i))
		case 3:
			if len(g.Egress) == 0 {
				continue
			}
			i := r.IntN(len(g.Egress))
			g.Egress = slices.Delete(g.Egress, i, i+1)
			did = append(did, fmt.Sprintf("%s -= egress[%d]", g.ID, i))
		case 4:
			g.Egress = append(g.Egress, model.EgressRule{SGRule: tcp(443), Destinations: []model.Peer{ref}})
			did = append(did, string(g.ID)+" += egress tcp 443 to "+string(ref.Ref))
		case 5:
			g.Egress = []model.EgressRule{{SGRule: tcp(22), Destinations: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}}}
			did = append(did, string(g.ID)+" egress = tcp 22 to 10.0.0.0/8 only")
		}
	}
	return did
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
	n := seedCount(120, 40)
	var mu sync.Mutex
	entries, plain := 0, 0
	generate := func(seed uint64) *model.Model {
		return []func(uint64) *model.Model{oracle.Generate, oracle.GenerateDualStack, oracle.GenerateWithInspection, oracle.GenerateInspectionVPC,
			func(seed uint64) *model.Model {
				return gen.Generate(gen.Options{VPCs: 8, Seed: seed, InstancesPerVPC: 5, Regions: []string{"eu-west-1", "us-east-1"}})
			}}[seed%5](seed)
	}
	forEditedModels(t, n, generate, editGroupRules, 17, func(t *testing.T, p editedPair) {
		fast, c := compareSolvers(p.so, p.sn, Options{NoChanged: true})
		walked := CompareSolvers(p.so, p.sn, Options{NoChanged: true, walkCauses: true})
		require.Equal(t, walked.Gained, fast.Gained, p.edits)
		require.Equal(t, walked.Lost, fast.Lost, p.edits)
		mu.Lock()
		entries += len(fast.Gained) + len(fast.Lost)
		for k := range c.ends.parts[0][0] {
			if _, _, ok := c.ends.at(k); ok {
				plain++
			}
		}
		for k := range c.ends.parts[0][1] {
			if _, _, ok := c.ends.at(c.ends.half + k); ok {
				plain++
			}
		}
		mu.Unlock()
	})
	t.Logf("%d entries, %d cause queries answered from plain ends", entries, plain)
	require.Greater(t, plain, entries/2)
}
