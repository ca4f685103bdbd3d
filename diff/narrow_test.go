package diff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// mutateRoutes removes or redirects one or two routes of a random VPC
// route table, and sometimes edits a security group rule too: the changes
// the diff narrows to the classes under the rerouted addresses, or in the
// subnets of the edited tables (see reroutedTables, tableUsers).
func mutateRoutes(m *model.Model, r *rand.Rand) []string {
	var did []string
	want := 1 + r.IntN(2)
	for tries := 0; tries < 50 && len(did) < want; tries++ {
		v := &m.VPCs[r.IntN(len(m.VPCs))]
		if len(v.RouteTables) == 0 {
			continue
		}
		t := &v.RouteTables[r.IntN(len(v.RouteTables))]
		if len(t.Routes) == 0 {
			continue
		}
		i := r.IntN(len(t.Routes))
		if r.IntN(5) == 0 && t.Routes[i].State != model.RouteBlackhole {
			// A route blackholed in place: the same destination and
			// target, another state.
			did = append(did, fmt.Sprintf("%s %s -> %s blackholed", t.ID, t.Routes[i].Destination, t.Routes[i].Target))
			t.Routes[i].State = model.RouteBlackhole
			continue
		}
		if r.IntN(2) == 0 {
			did = append(did, fmt.Sprintf("%s -= %s -> %s", t.ID, t.Routes[i].Destination, t.Routes[i].Target))
			t.Routes = slices.Delete(t.Routes, i, i+1)
			continue
		}
		// Another target of the VPC's.
		var targets []model.ID
		if v.InternetGateway != "" {
			targets = append(targets, v.InternetGateway)
		}
		for _, n := range v.NATGateways {
			targets = append(targets, n.ID)
		}
		for _, p := range m.PeeringConnections {
			if p.Joins(v.ID) {
				targets = append(targets, p.ID)
			}
		}
		for _, g := range m.TransitGateways {
			for _, a := range g.Attachments {
				if a.VPC == v.ID {
					targets = append(targets, g.ID)
				}
			}
		}
		if len(targets) == 0 || !slices.Contains(targets, t.Routes[i].Target) {
			continue
		}
		to := targets[r.IntN(len(targets))]
		did = append(did, fmt.Sprintf("%s %s: %s -> %s", t.ID, t.Routes[i].Destination, t.Routes[i].Target, to))
		t.Routes[i].Target = to
	}
	if r.IntN(4) == 0 && len(m.VPCs[0].SecurityGroups) > 0 {
		g := &m.VPCs[0].SecurityGroups[0]
		g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 8443, Last: 8443}},
			Sources: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}})
		did = append(did, string(g.ID)+" += tcp 8443")
	}
	return did
}

// TestRouteEditsNarrowed checks the diff of route edits (and a group
// edit beside them), which it narrows to fewer classes than the touched
// VPCs', against point queries between every two interfaces, as
// TestDiffEqualsDifferenceOfMatrices does for every kind of edit.
func TestRouteEditsNarrowed(t *testing.T) {
	n := 150
	if testing.Short() || raceEnabled {
		n = 50
	}
	var mu sync.Mutex
	narrowed, byTable := 0, 0
	t.Run("models", func(t *testing.T) {
		for seed := uint64(1); seed <= uint64(n); seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				generate := oracle.Generate
				if seed%3 == 0 {
					generate = oracle.GenerateDualStack
				}
				old, next := generate(seed), generate(seed)
				edits := mutateRoutes(next, rand.New(rand.NewPCG(seed, 7)))
				so, err := solver.New(old)
				require.NoError(t, err)
				sn, err := solver.New(next)
				if err != nil {
					return
				}
				r := CompareSolvers(so, sn, Options{})
				c := &comparison{old: newSide(so, "old", resources(old, nil), nil), new: newSide(sn, "new", resources(next, nil), nil)}
				c.changes = compareResources(c.old.res, c.new.res)
				if set, tables, ok := c.reroutedTables(); ok && !c.old.otherAddresses(set) && !c.new.otherAddresses(set) {
					_, okOld := c.old.tableUsers(tables)
					_, okNew := c.new.tableUsers(tables)
					mu.Lock()
					narrowed++
					if okOld && okNew {
						byTable++
					}
					mu.Unlock()
				}
				gained, lost := bruteForce(so, sn)
				bruteForceOutside(so, sn, gained, lost)
				requireSameFlows(t, "gained", gained, expand(r.Gained), edits)
				requireSameFlows(t, "lost", lost, expand(r.Lost), edits)
				changed := bruteForceChanged(so, sn)
				got := map[[2]model.ID]bool{}
				for k := range expand(r.Changed) {
					got[k] = true
				}
				for k := range changed {
					require.True(t, got[k], "changed %s -> %s: not reported (edits %v)", k[0], k[1], edits)
				}
				for k := range got {
					require.True(t, changed[k], "changed %s -> %s: reported, but its path is the same (edits %v)", k[0], k[1], edits)
				}
			})
		}
	})
	t.Logf("%d model pairs: %d narrowed by rerouted addresses, %d of them by the edited tables' subnets too", n, narrowed, byTable)
	require.Greater(t, narrowed, n/4, "the edits must exercise the narrowing")
	require.Positive(t, byTable)
}
