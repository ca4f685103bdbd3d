package reachtest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Load loads, validates and compiles topology files (several are merged
// into one topology, as the CLI does). On bad input it reports every error
// with its file:line:column, stops the test when t has FailNow (as
// *testing.T does), and returns nil; the assertions then fail with "no
// solver". Warnings do not fail the test.
func Load(t TestingT, paths ...string) *solver.Solver {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	m, _, err := model.LoadFiles(paths...)
	return compile(t, m, err)
}

// LoadString is Load for a topology written inline in the test; errors
// name it inline.yaml.
func LoadString(t TestingT, yaml string) *solver.Solver {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	m, _, err := model.LoadBytes("inline.yaml", []byte(yaml))
	return compile(t, m, err)
}

// compile compiles a loaded model, or reports err (the loader's, or the
// compiler's) and stops the test.
func compile(t TestingT, m *model.Model, err error) *solver.Solver {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	var s *solver.Solver
	if err == nil {
		s, err = solver.New(m)
	}
	if err == nil {
		return s
	}
	t.Errorf("%s", loadError(err))
	if f, ok := t.(tFailNow); ok {
		f.FailNow()
	}
	return nil
}

// loadError renders a load error with every diagnostic on its own line.
func loadError(err error) string {
	var ds model.Diagnostics
	if !errors.As(err, &ds) || len(ds) < 2 {
		return fmt.Sprintf("reachtest: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "reachtest: %d errors:", len(ds))
	for _, d := range ds {
		b.WriteString("\n    " + d.Error())
	}
	return b.String()
}
