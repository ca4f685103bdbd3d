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
		targets := routeTargets(m, v)
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
	n := seedCount(150, 50)
	var mu sync.Mutex
	narrowed, byTable := 0, 0
	generate := func(seed uint64) *model.Model {
		if seed%3 == 0 {
			return oracle.GenerateDualStack(seed)
		}
		return oracle.Generate(seed)
	}
	forEditedModels(t, n, generate, mutateRoutes, 7, func(t *testing.T, p editedPair) {
		r := CompareSolvers(p.so, p.sn, Options{})
		c := &comparison{old: newSide(p.so, "old", resources(p.old, nil), nil), new: newSide(p.sn, "new", resources(p.next, nil), nil)}
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
		requireFlowsOfPointQueries(t, p.so, p.sn, r, p.edits)
	})
	t.Logf("%d model pairs: %d narrowed by rerouted addresses, %d of them by the edited tables' subnets too", n, narrowed, byTable)
	require.Greater(t, narrowed, n/4, "the edits must exercise the narrowing")
	require.Positive(t, byTable)
}

// seedCount returns how many random models a test checks: full, or short
// under -short and the race detector, which is several times slower.
func seedCount(full, short int) int {
	if testing.Short() || raceEnabled {
		return short
	}
	return full
}

// editedPair is a generated model, a copy of it with random edits, the
// edits in words and the solvers of both.
type editedPair struct {
	old, next *model.Model
	edits     []string
	so, sn    *solver.Solver
}

// forEditedModels runs check, in parallel subtests, on n pairs of a model
// generate gives for seeds 1..n and a copy edit changes (with the random
// stream stream of the seed). A pair whose edits leave the new model
// invalid is skipped.
func forEditedModels(t *testing.T, n int, generate func(seed uint64) *model.Model, edit func(*model.Model, *rand.Rand) []string, stream uint64, check func(*testing.T, editedPair)) {
	t.Run("models", func(t *testing.T) {
		for seed := uint64(1); seed <= uint64(n); seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				p := editedPair{old: generate(seed), next: generate(seed)}
				p.edits = edit(p.next, rand.New(rand.NewPCG(seed, stream)))
				var err error
				p.so, err = solver.New(p.old)
				require.NoError(t, err)
				if p.sn, err = solver.New(p.next); err != nil {
					return
				}
				check(t, p)
			})
		}
	})
}

// requireFlowsOfPointQueries requires the gained, lost and changed flows
// of r, the comparison of so and sn, to be those of point queries between
// every two interfaces (and the outside), and returns how many flows the
// point queries found gained, lost or changed.
func requireFlowsOfPointQueries(t *testing.T, so, sn *solver.Solver, r *Report, edits []string) int {
	t.Helper()
	gained, lost := bruteForce(so, sn)
	bruteForceOutside(so, sn, gained, lost)
	requireSameFlows(t, "gained", gained, expand(r.Gained), edits)
	requireSameFlows(t, "lost", lost, expand(r.Lost), edits)
	changed := bruteForceChanged(so, sn)
	requireSameChanged(t, changed, r.Changed, edits)
	return len(gained) + len(lost) + len(changed)
}

// mutateGroups edits one or two security groups of a random VPC: a rule
// added (tcp, or udp 6081, GENEVE) or removed, or the default flag set.
func mutateGroups(m *model.Model, r *rand.Rand) []string {
	var did []string
	want := 1 + r.IntN(2)
	for tries := 0; tries < 50 && len(did) < want; tries++ {
		v := &m.VPCs[r.IntN(len(m.VPCs))]
		if len(v.SecurityGroups) == 0 {
			continue
		}
		g := &v.SecurityGroups[r.IntN(len(v.SecurityGroups))]
		switch r.IntN(4) {
		case 0:
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 443, Last: 443}},
				Sources: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}})
			did = append(did, string(g.ID)+" += tcp 443 from 10.0.0.0/8")
		case 1:
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolUDP, Ports: &model.PortRange{First: 6081, Last: 6081}},
				Sources: []model.Peer{{CIDR: netipPrefix("0.0.0.0/0")}}})
			did = append(did, string(g.ID)+" += udp 6081")
		case 2:
			if len(g.Ingress) == 0 {
				continue
			}
			i := r.IntN(len(g.Ingress))
			g.Ingress = slices.Delete(g.Ingress, i, i+1)
			did = append(did, fmt.Sprintf("%s -= ingress[%d]", g.ID, i))
		case 3:
			if slices.ContainsFunc(v.SecurityGroups, func(g model.SecurityGroup) bool { return g.Default }) {
				continue
			}
			g.Default = true
			did = append(did, string(g.ID)+" is the default group")
		}
	}
	return did
}

// TestGroupEditsNarrowed checks the diff of security group edits, which
// it narrows to the classes holding a changed group unless an appliance
// (a route target, a Gateway Load Balancer's target) or a default group
// is involved, against point queries, on the oracle's networks with
// middleboxes and Gateway Load Balancers (at the internet edge, and in an
// inspection VPC behind a transit gateway).
func TestGroupEditsNarrowed(t *testing.T) {
	n := seedCount(120, 40)
	var mu sync.Mutex
	compared, changes := 0, 0
	generate := func(seed uint64) *model.Model {
		return []func(uint64) *model.Model{oracle.Generate, oracle.GenerateWithInspection, oracle.GenerateInspectionVPC}[seed%3](seed)
	}
	forEditedModels(t, n, generate, mutateGroups, 11, func(t *testing.T, p editedPair) {
		r := CompareSolvers(p.so, p.sn, Options{})
		mu.Lock()
		compared++
		if !r.IsEmpty() {
			changes++
		}
		mu.Unlock()
		requireFlowsOfPointQueries(t, p.so, p.sn, r, p.edits)
	})
	t.Logf("%d model pairs compared, %d with a change of reachability", compared, changes)
	require.Greater(t, compared, n/2)
	require.Greater(t, changes, n/4, "the edits must change reachability often enough to test something")
}
