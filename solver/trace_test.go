package solver_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// namedNetwork is a named model of the tests that run over many networks.
type namedNetwork struct {
	name string
	m    *model.Model
}

// testNetworks loads every valid topology of the repository's testdata and
// the solver's own (seeds, Gateway Load Balancer, dual-stack and service
// networks), named by file.
func testNetworks(t *testing.T) []namedNetwork {
	t.Helper()
	files, err := filepath.Glob("../testdata/*.yaml")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/*.yaml")
	require.NoError(t, err)
	var nets []namedNetwork
	for _, f := range append(files, more...) {
		m, _, err := model.LoadFiles(f)
		if err != nil {
			continue // the invalid examples
		}
		nets = append(nets, namedNetwork{filepath.Base(f), m})
	}
	require.GreaterOrEqual(t, len(nets), 8)
	return nets
}

// traceSummary is what Trace promises to share with Reach.
func traceSummary(r solver.Result) string {
	out := fmt.Sprintf("%s %s err=%v\n", r.Verdict, r.Family, r.Err != nil)
	for _, f := range r.Families {
		out += "family " + traceSummary(f)
	}
	for i, hops := range [][]solver.Hop{r.Forward, r.Return} {
		for _, h := range hops {
			out += fmt.Sprintf("%d %s %s %s %s\n", i, h.Kind, h.Component, h.Decision, h.Direction)
		}
	}
	for _, b := range r.Blockers {
		out += fmt.Sprintf("blocker %s %s %s\n", b.Code, b.Component, b.Leg)
	}
	for _, w := range r.Warnings {
		out += fmt.Sprintf("warning %s %s %s\n", w.Code, w.Component, w.Leg)
	}
	return out
}

// TestTraceAgreesWithReach checks that Trace answers every query with the
// verdict, hops, blockers and warnings of Reach, without the words, and
// Reachable with its verdict, on
// the seed topologies, the Gateway Load Balancer and dual-stack test
// networks and a generated dual-stack organisation.
func TestTraceAgreesWithReach(t *testing.T) {
	nets := testNetworks(t)
	nets = append(nets, namedNetwork{"generated", gen.Generate(gen.Options{VPCs: 12, Seed: 3, DualStack: true, InstancesPerVPC: 6})})
	queries := 0
	for _, n := range nets {
		s, err := solver.New(n.m)
		require.NoError(t, err, n.name)
		var ends []string
		for _, x := range interfaces(n.m) {
			ends = append(ends, string(x.id))
		}
		ends = append(ends, "internet")
		step := max(1, len(ends)/40) // about 40 x 40 pairs a network
		for i := 0; i < len(ends); i += step {
			for j := 0; j < len(ends); j += step {
				for _, p := range []struct {
					proto model.Protocol
					port  uint16
				}{{model.ProtocolTCP, 443}, {model.ProtocolTCP, 22}, {model.ProtocolUDP, 53}, {model.ProtocolICMP, 0}, {model.ProtocolICMPv6, 0}} {
					for _, fam := range []string{"", solver.FamilyIPv6} {
						q := solver.Query{From: ends[i], To: ends[j], Protocol: p.proto, Port: p.port, Family: fam}
						queries++
						r := s.Reach(q)
						if want, got := traceSummary(r), traceSummary(s.Trace(q)); want != got {
							t.Fatalf("%s: %+v\nReach:\n%s\nTrace:\n%s", n.name, q, want, got)
						}
						if s.Reachable(q) != r.Reachable() {
							t.Fatalf("%s: %+v: Reachable says %v, Reach %s", n.name, q, !r.Reachable(), r.Verdict)
						}
					}
				}
			}
		}
	}
	t.Logf("%d networks, %d queries", len(nets), queries)
}
