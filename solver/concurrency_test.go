package solver_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// freshSolver compiles a topology of testdata, not shared with other
// tests, so that its lazily built state (classes, the internet host, the
// DNS index) is still to be built.
func freshSolver(t *testing.T, file string) *solver.Solver {
	t.Helper()
	m, _, err := model.LoadFiles(file)
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	return s
}

// solverCalls are the Solver's entry points, each rendering its answer as
// text to compare.
var solverCalls = []struct {
	name string
	call func(s *solver.Solver) string
}{
	{"Reach from the internet", func(s *solver.Solver) string { return s.Reach(tcp("internet", "nlb-pub", 443)).Text() }},
	{"Reach by private DNS name", func(s *solver.Solver) string { return s.Reach(tcp("i-c", "www.corp.example", 443)).Text() }},
	{"Reach by public DNS name", func(s *solver.Solver) string {
		return s.Reach(tcp("i-c", "sts.eu-west-1.amazonaws.com", 443)).Text()
	}},
	{"Reach by service", func(s *solver.Solver) string { return s.Reach(tcp("i-c", "s3", 443)).Text() }},
	{"Classes", func(s *solver.Solver) string { return fmt.Sprint(s.Classes()) }},
	{"WhoCanReach", func(s *solver.Solver) string {
		r, err := s.WhoCanReach(solver.Query{To: "nlb-int", Protocol: model.ProtocolTCP, Port: 443}, solver.AnalysisOptions{})
		return fmt.Sprint(r.Instances(), r.Internet, r.External, err)
	}},
	{"Exposure", func(s *solver.Solver) string {
		var b strings.Builder
		for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
			fmt.Fprintln(&b, e.Destination, e.Members, e.Ports)
		}
		return b.String()
	}},
	{"Matrix", func(s *solver.Solver) string {
		return fmt.Sprint(s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 443}, solver.LevelSubnet, solver.AnalysisOptions{}))
	}},
	{"PortMatrix", func(s *solver.Solver) string {
		return fmt.Sprint(s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{}))
	}},
	{"Check", func(s *solver.Solver) string { return fmt.Sprint(s.Check()) }},
	{"compiled view", func(s *solver.Solver) string {
		return fmt.Sprint(s.SubnetRouteTable("sn-c-1a").ID, s.SubnetACL("sn-c-1a").ID, groupIDs(s.InterfaceGroups("i-c")))
	}},
}

// TestSolverIsSafeForConcurrentUseFromTheStart calls every entry point of a
// fresh Solver from many goroutines at once, so that they race to build
// its lazy state, and checks each answer against a Solver used by one
// goroutine. Run it with -race.
func TestSolverIsSafeForConcurrentUseFromTheStart(t *testing.T) {
	const file = "testdata/services.yaml"
	ref := freshSolver(t, file)
	want := make([]string, len(solverCalls))
	for i, c := range solverCalls {
		want[i] = c.call(ref)
	}
	s := freshSolver(t, file)
	var wg sync.WaitGroup
	for g := range 2 * len(solverCalls) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine starts at a different entry point.
			for k := range len(solverCalls) {
				i := (g + k) % len(solverCalls)
				if got := solverCalls[i].call(s); got != want[i] {
					t.Errorf("concurrent %s differs from a solver used by one goroutine:\n%s\nwant:\n%s", solverCalls[i].name, got, want[i])
				}
			}
		}()
	}
	wg.Wait()
}

// TestResultsShareNothingWithTheSolver changes what Classes, WhoCanReach
// and Exposure return, and checks that the next answers are unchanged.
func TestResultsShareNothingWithTheSolver(t *testing.T) {
	s := freshSolver(t, "testdata/network.yaml")
	classes := fmt.Sprint(s.Classes())
	exposure := func() string {
		var b strings.Builder
		for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
			fmt.Fprintln(&b, e.Destination, e.Members, e.Ports)
		}
		return b.String()
	}
	exposed := exposure()

	for _, c := range s.Classes() {
		c.Members[0], c.Groups = "changed", append(c.Groups[:0], "changed")
	}
	who, err := s.WhoCanReach(solver.Query{To: "i-a-web", Protocol: model.ProtocolTCP, Port: 443}, solver.AnalysisOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, who.Classes)
	for _, c := range who.Classes {
		c.Class.Members[0] = "changed"
	}
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		for i := range e.Members {
			e.Members[i] = "changed"
		}
	}
	assert.Equal(t, classes, fmt.Sprint(s.Classes()), "Classes after changing earlier answers")
	assert.Equal(t, exposed, exposure(), "Exposure after changing earlier answers")
	assert.NotContains(t, classes, "changed")
}
