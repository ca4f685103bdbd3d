package diff

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// mutate makes one to three random edits to m: security group rules
// added, removed or widened, routes removed, network ACL rules flipped or
// removed, instances stopped, removed or moved to other groups. It
// returns what it did, for failure messages.
func mutate(m *model.Model, r *rand.Rand) []string {
	var did []string
	for range 1 + r.IntN(3) {
		v := &m.VPCs[r.IntN(len(m.VPCs))]
		switch r.IntN(12) {
		case 10, 11: // a route sent another way: internet or NAT gateway, transit gateway, peering
			targets := routeTargets(m, v)
			if len(v.RouteTables) == 0 || len(targets) < 2 {
				continue
			}
			t := &v.RouteTables[r.IntN(len(v.RouteTables))]
			if len(t.Routes) == 0 {
				continue
			}
			rt := &t.Routes[r.IntN(len(t.Routes))]
			if !slices.Contains(targets, rt.Target) {
				continue
			}
			to := targets[r.IntN(len(targets))]
			did = append(did, fmt.Sprintf("%s route %s: %s -> %s", t.ID, rt.Destination, rt.Target, to))
			rt.Target = to
		case 7: // a peering connection goes inactive
			if len(m.PeeringConnections) == 0 {
				continue
			}
			p := &m.PeeringConnections[r.IntN(len(m.PeeringConnections))]
			p.Status = model.PeeringDeleted
			did = append(did, fmt.Sprintf("%s deleted", p.ID))
		case 8: // a transit gateway route removed or blackholed
			if len(m.TransitGateways) == 0 {
				continue
			}
			g := &m.TransitGateways[r.IntN(len(m.TransitGateways))]
			if len(g.RouteTables) == 0 {
				continue
			}
			t := &g.RouteTables[r.IntN(len(g.RouteTables))]
			if len(t.Routes) == 0 {
				continue
			}
			i := r.IntN(len(t.Routes))
			if r.IntN(2) == 0 {
				t.Routes = slices.Delete(t.Routes, i, i+1)
				did = append(did, fmt.Sprintf("%s -= routes[%d]", t.ID, i))
			} else {
				t.Routes[i].Blackhole, t.Routes[i].Attachment = true, ""
				did = append(did, fmt.Sprintf("%s routes[%d] blackholed", t.ID, i))
			}
		case 9: // a transit gateway attachment's propagations dropped
			if len(m.TransitGateways) == 0 {
				continue
			}
			g := &m.TransitGateways[r.IntN(len(m.TransitGateways))]
			if len(g.Attachments) == 0 {
				continue
			}
			a := &g.Attachments[r.IntN(len(g.Attachments))]
			a.Propagations = []model.ID{}
			did = append(did, fmt.Sprintf("%s propagates nowhere", a.ID))
		case 0: // add an ingress rule
			if len(v.SecurityGroups) == 0 {
				continue
			}
			g := &v.SecurityGroups[r.IntN(len(v.SecurityGroups))]
			port := []uint16{22, 80, 443, 5432, 8080}[r.IntN(5)]
			cidr := []string{"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "203.0.113.0/24"}[r.IntN(4)]
			g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: port, Last: port + uint16(r.IntN(3))}},
				Sources: []model.Peer{{CIDR: netipPrefix(cidr)}}})
			did = append(did, fmt.Sprintf("%s += tcp %d from %s", g.ID, port, cidr))
		case 1: // remove an ingress rule
			if len(v.SecurityGroups) == 0 {
				continue
			}
			g := &v.SecurityGroups[r.IntN(len(v.SecurityGroups))]
			if len(g.Ingress) == 0 {
				continue
			}
			i := r.IntN(len(g.Ingress))
			g.Ingress = slices.Delete(g.Ingress, i, i+1)
			did = append(did, fmt.Sprintf("%s -= ingress[%d]", g.ID, i))
		case 2: // widen or narrow a rule's ports
			if len(v.SecurityGroups) == 0 {
				continue
			}
			g := &v.SecurityGroups[r.IntN(len(v.SecurityGroups))]
			if len(g.Egress) == 0 || g.Egress[0].Ports == nil {
				continue
			}
			g.Egress[0].Ports = &model.PortRange{First: 1, Last: uint16(1000 + r.IntN(60000))}
			did = append(did, fmt.Sprintf("%s egress[0] ports %v", g.ID, *g.Egress[0].Ports))
		case 3: // remove a route
			if len(v.RouteTables) == 0 {
				continue
			}
			t := &v.RouteTables[r.IntN(len(v.RouteTables))]
			if len(t.Routes) == 0 {
				continue
			}
			i := r.IntN(len(t.Routes))
			t.Routes = slices.Delete(t.Routes, i, i+1)
			did = append(did, fmt.Sprintf("%s -= routes[%d]", t.ID, i))
		case 4: // flip or remove an ACL rule
			if len(v.NetworkACLs) == 0 {
				continue
			}
			a := &v.NetworkACLs[r.IntN(len(v.NetworkACLs))]
			rules := &a.Ingress
			if r.IntN(2) == 0 {
				rules = &a.Egress
			}
			if len(*rules) == 0 {
				continue
			}
			i := r.IntN(len(*rules))
			if r.IntN(2) == 0 {
				*rules = slices.Delete(*rules, i, i+1)
				did = append(did, fmt.Sprintf("%s -= rule[%d]", a.ID, i))
			} else {
				x := &(*rules)[i]
				x.Action = map[model.ACLAction]model.ACLAction{model.ACLAllow: model.ACLDeny, model.ACLDeny: model.ACLAllow}[x.Action]
				did = append(did, fmt.Sprintf("%s rule[%d] flipped", a.ID, i))
			}
		case 5: // stop or remove an instance
			if len(v.Instances) == 0 {
				continue
			}
			i := r.IntN(len(v.Instances))
			if r.IntN(2) == 0 {
				v.Instances[i].State = model.InstanceStopped
				did = append(did, fmt.Sprintf("%s stopped", v.Instances[i].ID))
			} else {
				did = append(did, fmt.Sprintf("%s removed", v.Instances[i].ID))
				v.Instances = slices.Delete(v.Instances, i, i+1)
			}
		case 6: // move an instance to other groups
			if len(v.Instances) == 0 || len(v.SecurityGroups) == 0 {
				continue
			}
			in := &v.Instances[r.IntN(len(v.Instances))]
			in.SecurityGroups = []model.ID{v.SecurityGroups[r.IntN(len(v.SecurityGroups))].ID}
			did = append(did, fmt.Sprintf("%s groups %v", in.ID, in.SecurityGroups))
		}
	}
	return did
}

// interfaceIDs lists a model's instances and network interfaces.
func interfaceIDs(m *model.Model) []model.ID {
	var out []model.ID
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			out = append(out, in.ID)
		}
		for _, ni := range v.NetworkInterfaces {
			out = append(out, ni.ID)
		}
	}
	return out
}

// refinedAtoms returns service atoms that split at the boundaries of both
// sides' atoms.
func refinedAtoms(a, b *solver.Solver) []solver.ServiceAtom {
	starts := map[model.Protocol]map[uint16]bool{}
	var others []solver.ServiceAtom
	for _, s := range []*solver.Solver{a, b} {
		for _, at := range s.ServiceAtoms() {
			if !at.Protocol.HasPorts() {
				if !slices.Contains(others, at) {
					others = append(others, at)
				}
				continue
			}
			if starts[at.Protocol] == nil {
				starts[at.Protocol] = map[uint16]bool{}
			}
			starts[at.Protocol][at.Ports.First] = true
			if at.Ports.Last < 65535 {
				starts[at.Protocol][at.Ports.Last+1] = true
			}
		}
	}
	var out []solver.ServiceAtom
	for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
		var ss []uint16
		for x := range starts[p] {
			ss = append(ss, x)
		}
		slices.Sort(ss)
		for i, x := range ss {
			last := uint16(65535)
			if i+1 < len(ss) {
				last = ss[i+1] - 1
			}
			out = append(out, solver.ServiceAtom{Protocol: p, Ports: model.PortRange{First: x, Last: last}})
		}
	}
	return append(out, others...)
}

// bruteForce returns, per ordered pair of distinct interfaces, the flows
// that pass on new and not on old (gained) and the reverse (lost), by
// point queries on every refined service atom.
func bruteForce(so, sn *solver.Solver) (gained, lost map[[2]model.ID]portset.Set) {
	gained, lost = map[[2]model.ID]portset.Set{}, map[[2]model.ID]portset.Set{}
	ids := interfaceIDs(so.Model())
	for _, id := range interfaceIDs(sn.Model()) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	has := func(s *solver.Solver, id model.ID) bool { return slices.Contains(interfaceIDs(s.Model()), id) }
	atoms := refinedAtoms(so, sn)
	for _, a := range ids {
		for _, b := range ids {
			if a == b {
				continue
			}
			k := [2]model.ID{a, b}
			for _, at := range atoms {
				q := at.Query(string(a), string(b))
				ro := has(so, a) && has(so, b) && so.Reach(q).Reachable()
				rn := has(sn, a) && has(sn, b) && sn.Reach(q).Reachable()
				switch {
				case rn && !ro:
					gained[k] = gained[k].Union(at.Set())
				case ro && !rn:
					lost[k] = lost[k].Union(at.Set())
				}
			}
		}
	}
	return gained, lost
}

// outsideIDs lists the internet and the external networks of both sides.
func outsideIDs(so, sn *solver.Solver) []model.ID {
	out := []model.ID{"internet"}
	for _, s := range []*solver.Solver{so, sn} {
		for _, e := range s.Model().ExternalNetworks {
			if !slices.Contains(out, e.ID) {
				out = append(out, e.ID)
			}
		}
	}
	return out
}

// bruteForceOutside is bruteForce for the flows from every interface to
// the internet and to and from every external network, whatever the
// change touched.
func bruteForceOutside(so, sn *solver.Solver, gained, lost map[[2]model.ID]portset.Set) {
	ids := interfaceIDs(so.Model())
	for _, id := range interfaceIDs(sn.Model()) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	hasIface := func(s *solver.Solver, id model.ID) bool { return slices.Contains(interfaceIDs(s.Model()), id) }
	hasOutside := func(s *solver.Solver, id model.ID) bool {
		return id == "internet" || slices.ContainsFunc(s.Model().ExternalNetworks, func(e model.ExternalNetwork) bool { return e.ID == id })
	}
	atoms := refinedAtoms(so, sn)
	for _, a := range ids {
		for _, t := range outsideIDs(so, sn) {
			for _, k := range [][2]model.ID{{a, t}, {t, a}} {
				if k[0] == "internet" {
					continue // exposure
				}
				for _, at := range atoms {
					q := at.Query(string(k[0]), string(k[1]))
					ro := hasIface(so, a) && hasOutside(so, t) && so.Reach(q).Reachable()
					rn := hasIface(sn, a) && hasOutside(sn, t) && sn.Reach(q).Reachable()
					switch {
					case rn && !ro:
						gained[k] = gained[k].Union(at.Set())
					case ro && !rn:
						lost[k] = lost[k].Union(at.Set())
					}
				}
			}
		}
	}
}

// bruteForceChanged returns the pairs of interfaces that pass on both
// sides, on the first service atom where they do, along paths that differ
// (hops or warnings), whatever the change touched.
func bruteForceChanged(so, sn *solver.Solver) map[[2]model.ID]bool {
	out := map[[2]model.ID]bool{}
	old, next := interfaceIDs(so.Model()), interfaceIDs(sn.Model())
	atoms := refinedAtoms(so, sn)
	for _, a := range old {
		for _, b := range old {
			if a == b || !slices.Contains(next, a) || !slices.Contains(next, b) {
				continue
			}
			for _, at := range atoms {
				q := at.Query(string(a), string(b))
				ro, rn := so.Reach(q), sn.Reach(q)
				if ro.Reachable() && rn.Reachable() {
					if !slices.Equal(signature(ro), signature(rn)) {
						out[[2]model.ID{a, b}] = true
					}
					break
				}
			}
		}
		for _, t := range outsideIDs(so, sn) {
			if !slices.Contains(next, a) {
				continue
			}
			for _, k := range [][2]model.ID{{a, t}, {t, a}} {
				if k[0] == "internet" {
					continue
				}
				for _, at := range atoms {
					q := at.Query(string(k[0]), string(k[1]))
					ro, rn := so.Reach(q), sn.Reach(q)
					if ro.Reachable() && rn.Reachable() {
						if !slices.Equal(signature(ro), signature(rn)) {
							out[k] = true
						}
						break
					}
				}
			}
		}
	}
	return out
}

// expand spreads report entries over their members' pairs.
func expand(fs []Flow) map[[2]model.ID]portset.Set {
	out := map[[2]model.ID]portset.Set{}
	for _, f := range fs {
		froms, tos := f.From.Members, f.To.Members
		if f.From.Kind == kindInternet {
			froms = []model.ID{"internet"}
		}
		if f.To.Kind == kindInternet {
			tos = []model.ID{"internet"}
		}
		for _, a := range froms {
			for _, b := range tos {
				if a != b {
					k := [2]model.ID{a, b}
					out[k] = out[k].Union(f.set)
				}
			}
		}
	}
	return out
}

func requireSameFlows(t *testing.T, what string, want, got map[[2]model.ID]portset.Set, edits []string) {
	t.Helper()
	for k, w := range want {
		if !got[k].Equal(w) {
			t.Fatalf("%s %s -> %s: diff says %v, point queries say %v (edits %v)", what, k[0], k[1], got[k], w, edits)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Fatalf("%s %s -> %s: diff says %v, point queries say nothing (edits %v)", what, k[0], k[1], g, edits)
		}
	}
}

// TestDiffEqualsDifferenceOfMatrices checks, on hundreds of random model
// pairs (a model and a randomly edited copy; n IPv4 models, then n/2
// dual-stack ones, where Reach answers every family), that the gained and lost
// flows are exactly the difference of point-query verdicts between every
// two interfaces on every service atom; and that a model compared with
// itself changes nothing.
func TestDiffEqualsDifferenceOfMatrices(t *testing.T) {
	n := seedCount(200, 80)
	var mu sync.Mutex
	compared, sawChanged, sawOutside, sawLost := 0, 0, 0, 0
	t.Run("models", func(t *testing.T) {
		for seed := uint64(1); seed <= uint64(n+n/2); seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				// Seeds past n: dual-stack models (IPv6 blocks, addresses,
				// routes and rules beside the IPv4 ones).
				generate := oracle.Generate
				if seed > uint64(n) {
					generate = oracle.GenerateDualStack
				}
				old, next := generate(seed), generate(seed)
				edits := mutate(next, rand.New(rand.NewPCG(seed, 99)))
				so, err := solver.New(old)
				require.NoError(t, err)
				sn, err := solver.New(next)
				if err != nil {
					return // an edit left a dangling reference
				}
				mu.Lock()
				compared++
				mu.Unlock()
				same := CompareSolvers(so, so, Options{})
				require.True(t, same.IsEmpty(), "seed %d: a model against itself: %+v", seed, same.Summary)
				require.Empty(t, same.Resources)
				r := CompareSolvers(so, sn, Options{})
				mu.Lock()
				sawChanged += len(r.Changed)
				sawLost += len(r.Lost)
				for _, f := range append(slices.Clone(r.Gained), r.Lost...) {
					if f.From.Kind != kindInterfaces || f.To.Kind != kindInterfaces {
						sawOutside++
					}
				}
				mu.Unlock()
				gained, lost := bruteForce(so, sn)
				bruteForceOutside(so, sn, gained, lost)
				changed := bruteForceChanged(so, sn)
				exposureGained, exposureLost := bruteForceExposure(so, sn)
				func() {
					requireSameFlows(t, "gained", gained, expand(r.Gained), edits)
					requireSameFlows(t, "lost", lost, expand(r.Lost), edits)
					requireSameChanged(t, changed, r.Changed, edits)
					// Exposure: a port the internet's representative address
					// reaches only on one side is exposure gained (or lost) there.
					exposed := func(es []Exposure) map[model.ID]portset.Set {
						out := map[model.ID]portset.Set{}
						for _, e := range es {
							p, _ := model.ParseProtocol(e.Protocol)
							set := portset.Ports(p)
							if p.HasPorts() {
								set = parsePorts(t, p, e.Ports)
							}
							for _, id := range append([]model.ID{e.Destination}, e.Members...) {
								out[id] = out[id].Union(set)
							}
						}
						return out
					}
					eg, el := exposed(r.ExposureGained), exposed(r.ExposureLost)
					for k, set := range exposureGained {
						require.True(t, set.Minus(eg[k]).IsEmpty(), "exposure of %s: gained %v, reported %v (edits %v)", k, set, eg[k], edits)
					}
					for k, set := range exposureLost {
						require.True(t, set.Minus(el[k]).IsEmpty(), "exposure of %s: lost %v, reported %v (edits %v)", k, set, el[k], edits)
					}
					for _, f := range append(slices.Clone(r.Gained), r.Lost...) {
						require.NotEmpty(t, f.Cause, "seed %d: %s -> %s %s %s has no cause (edits %v)", seed, f.From.Name(), f.To.Name(), f.Protocol, f.Ports, edits)
					}
				}()
			})
		}
	})
	require.Greater(t, compared, n*3/4, "too many edits made invalid models")
	// The edits must exercise every section the test checks.
	t.Logf("%d model pairs: %d changed, %d lost, %d flows to or from outside", compared, sawChanged, sawLost, sawOutside)
	require.Positive(t, sawLost)
	if n == 200 { // the shorter runs' models happen to reroute nothing that passes both ways
		require.Positive(t, sawChanged)
		require.Positive(t, sawOutside)
	}
}

func netipPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// bruteForceExposure returns, per interface, the flows the internet's
// representative address reaches on one side only.
func bruteForceExposure(so, sn *solver.Solver) (gained, lost map[model.ID]portset.Set) {
	gained, lost = map[model.ID]portset.Set{}, map[model.ID]portset.Set{}
	old, next := interfaceIDs(so.Model()), interfaceIDs(sn.Model())
	for _, id := range append(slices.Clone(old), next...) {
		for _, at := range refinedAtoms(so, sn) {
			q := at.Query("internet", string(id))
			ro := slices.Contains(old, id) && so.Reach(q).Reachable()
			rn := slices.Contains(next, id) && sn.Reach(q).Reachable()
			switch {
			case rn && !ro:
				gained[id] = gained[id].Union(at.Set())
			case ro && !rn:
				lost[id] = lost[id].Union(at.Set())
			}
		}
	}
	return gained, lost
}

// parsePorts reads "22,443,8000-8080" or "all".
func parsePorts(t *testing.T, p model.Protocol, s string) portset.Set {
	t.Helper()
	if s == "all" {
		return portset.Ports(p, model.PortRange{First: 1, Last: 65535})
	}
	var rs []model.PortRange
	for _, part := range strings.Split(s, ",") {
		r, err := model.ParsePortRange(part)
		require.NoError(t, err)
		rs = append(rs, r)
	}
	return portset.Ports(p, rs...)
}

// routeTargets lists the targets a route of VPC v may take: its internet
// gateway, its NAT gateways, the transit gateways that attach it and the
// peering connections that join it.
func routeTargets(m *model.Model, v *model.VPC) []model.ID {
	var targets []model.ID
	if v.InternetGateway != "" {
		targets = append(targets, v.InternetGateway)
	}
	for _, n := range v.NATGateways {
		targets = append(targets, n.ID)
	}
	for _, g := range m.TransitGateways {
		for _, a := range g.Attachments {
			if a.VPC == v.ID {
				targets = append(targets, g.ID)
			}
		}
	}
	for _, p := range m.PeeringConnections {
		if p.Joins(v.ID) {
			targets = append(targets, p.ID)
		}
	}
	return targets
}

// requireSameChanged requires the pairs of the changed flows got to be
// the pairs whose paths point queries find changed (want).
func requireSameChanged(t *testing.T, want map[[2]model.ID]bool, got []Flow, edits []string) {
	t.Helper()
	reported := map[[2]model.ID]bool{}
	for k := range expand(got) {
		reported[k] = true
	}
	for k := range want {
		require.True(t, reported[k], "changed %s -> %s: not reported (edits %v)", k[0], k[1], edits)
	}
	for k := range reported {
		require.True(t, want[k], "changed %s -> %s: reported, but its path is the same (edits %v)", k[0], k[1], edits)
	}
}
