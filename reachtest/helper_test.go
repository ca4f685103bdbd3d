package reachtest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/reachtest"
	reachrequire "github.com/vpcreach/vpcreach/reachtest/require"
	"github.com/vpcreach/vpcreach/solver"
)

// Every function between the caller's test and t.Errorf calls t.Helper
// before the report, so the report is attributed to the caller's line (as
// testing.T attributes it, which fakeT copies), never to a line of
// reachtest. Non-fatal forms let the test go on; fatal ones stop it.
func TestFailuresNameTheCallersLine(t *testing.T) {
	s := shop(t)
	yaml, err := readFile("testdata/shop.yaml")
	require.NoError(t, err)
	broken := reachtest.LoadString(t, yaml+"  - {from: i-app, to: i-db, protocol: tcp, port: 22, expect: reachable}\n")
	bad := reachtest.TCP("i-app", "i-db", 22)
	good := reachtest.TCP("i-app", "i-db", 5432)
	cases := []struct {
		name  string
		fatal bool
		// call makes the assertion on the line after it sets *line.
		call func(ft *fakeT, line *int)
	}{
		{"Reachable", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.Reachable(ft, s, bad)
		}},
		{"Reachable/no solver", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.Reachable(ft, nil, bad)
		}},
		{"Reachable/invalid query", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.Reachable(ft, s, reachtest.TCP("i-app", "i-nope", 1))
		}},
		{"ReachableWithoutWarnings", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.ReachableWithoutWarnings(ft, s, bad)
		}},
		{"Unreachable", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.Unreachable(ft, s, good)
		}},
		{"BlockedByCode", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.BlockedByCode(ft, s, good, solver.NoRouteToDestination)
		}},
		{"BlockedByComponent", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.BlockedByComponent(ft, s, good, "acl-db")
		}},
		{"PassesThrough", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.PassesThrough(ft, s, good, "nat-shop")
		}},
		{"ExpectationsHold", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.ExpectationsHold(ft, broken)
		}},
		{"AssertReachable", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.AssertReachable(ft, s, "i-app", "i-db", "tcp", 22)
		}},
		{"AssertReachable/unknown protocol", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.AssertReachable(ft, s, "i-app", "i-db", "tpc", 22)
		}},
		{"AssertUnreachable", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.AssertUnreachable(ft, s, "i-app", "i-db", "tcp", 5432)
		}},
		{"AssertExpectations", false, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.AssertExpectations(ft, broken)
		}},
		{"Load", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.Load(ft, "testdata/nope.yaml")
		}},
		{"LoadString", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachtest.LoadString(ft, "version: 1\nvpcs: [{id: x}]\n")
		}},
		{"require.Reachable", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.Reachable(ft, s, bad)
		}},
		{"require.ReachableWithoutWarnings", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.ReachableWithoutWarnings(ft, s, bad)
		}},
		{"require.Unreachable", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.Unreachable(ft, s, good)
		}},
		{"require.BlockedByCode", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.BlockedByCode(ft, s, good, solver.NoRouteToDestination)
		}},
		{"require.BlockedByComponent", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.BlockedByComponent(ft, s, good, "acl-db")
		}},
		{"require.PassesThrough", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.PassesThrough(ft, s, good, "nat-shop")
		}},
		{"require.ExpectationsHold", true, func(ft *fakeT, line *int) {
			*line = thisLine() + 1
			reachrequire.ExpectationsHold(ft, broken)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ft := newFakeT()
			var line int
			finished := stops(func() { c.call(ft, &line) })
			require.Len(t, ft.errors, 1)
			require.Len(t, ft.at, 1)
			at := ft.at[0]
			assert.Equal(t, "helper_test.go", filepath.Base(at.File), "reported in %s (%s)", at.File, at.Function)
			assert.Equal(t, line, at.Line, "reported at %s:%d", at.File, at.Line)
			assert.True(t, strings.HasPrefix(at.Function, "github.com/vpcreach/vpcreach/reachtest_test."), "reported in %s", at.Function)
			var marked []string
			for name := range ft.helpers {
				if strings.HasPrefix(name, "github.com/vpcreach/vpcreach/reachtest.") || strings.HasPrefix(name, "github.com/vpcreach/vpcreach/reachtest/require.") {
					marked = append(marked, name)
				}
			}
			assert.NotEmpty(t, marked, "no reachtest function called Helper")
			assert.Equal(t, c.fatal, ft.stopped, "FailNow called")
			assert.Equal(t, !c.fatal, finished, "the test went on")
		})
	}
}

// The fatal forms call FailNow only when the assertion fails.
func TestRequireHolds(t *testing.T) {
	s := shop(t)
	good := reachtest.TCP("i-app", "i-db", 5432)
	bad := reachtest.TCP("i-app", "i-db", 22)
	ft := newFakeT()
	finished := stops(func() {
		reachrequire.Reachable(ft, s, good)
		reachrequire.ReachableWithoutWarnings(ft, s, good)
		reachrequire.Unreachable(ft, s, bad)
		reachrequire.BlockedByCode(ft, s, bad, solver.SubnetACLRestriction)
		reachrequire.BlockedByComponent(ft, s, bad, "acl-db")
		reachrequire.PassesThrough(ft, s, reachtest.TCP("i-app", "internet", 443), "nat-shop")
		reachrequire.ExpectationsHold(ft, s)
	})
	assert.True(t, finished)
	assert.False(t, ft.stopped)
	assert.Empty(t, ft.errors)
}

// A TestingT without Helper (testify's assert.TestingT) still works; the
// report is then attributed wherever the test double says.
func TestWithoutHelper(t *testing.T) {
	s := shop(t)
	var e errorsOnly
	assert.False(t, reachtest.Reachable(&e, s, reachtest.TCP("i-app", "i-db", 22)))
	require.Len(t, e.errors, 1)
	assert.True(t, strings.HasPrefix(e.errors[0], "Reach(i-app -> i-db tcp/22) = unreachable ["))
}
