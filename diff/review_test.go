package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// reviewLoad writes text to a temporary file and loads it.
func reviewLoad(t *testing.T, name, text string) *model.Model {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(f, []byte(text), 0o600))
	m, _, err := model.LoadFiles(f)
	require.NoError(t, err)
	return m
}

// reviewEdit returns text with each old string replaced by its new one,
// each required to occur.
func reviewEdit(t *testing.T, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, text, pairs[i])
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return text
}

// requireDiffIsBruteForce compares old and next with CompareSolvers and
// with point queries between every two interfaces (and the outside), and
// requires the gained, lost and changed flows to agree. It requires that
// the change changes something, so that the test can fail.
func requireDiffIsBruteForce(t *testing.T, old, next *model.Model, what string) {
	t.Helper()
	so, err := solver.New(old)
	require.NoError(t, err)
	sn, err := solver.New(next)
	require.NoError(t, err)
	r := CompareSolvers(so, sn, Options{})
	gained, lost := bruteForce(so, sn)
	bruteForceOutside(so, sn, gained, lost)
	changed := bruteForceChanged(so, sn)
	require.False(t, len(gained)+len(lost)+len(changed) == 0, "the change must change some flow")
	edits := []string{what}
	requireSameFlows(t, "gained", gained, expand(r.Gained), edits)
	requireSameFlows(t, "lost", lost, expand(r.Lost), edits)
	got := map[[2]model.ID]bool{}
	for k := range expand(r.Changed) {
		got[k] = true
	}
	for k := range changed {
		require.True(t, got[k], "changed %s -> %s: not reported (%s)", k[0], k[1], what)
	}
	for k := range got {
		require.True(t, changed[k], "changed %s -> %s: reported, but its path is the same (%s)", k[0], k[1], what)
	}
}

// TestReviewApplianceGroupOnlyChange: S-15/S-18: a routed appliance's own
// security groups judge the traffic it forwards. Opening the firewall
// group sg-fw of the inspection VPC (a change of security groups only)
// gains i-1 -> i-2 on every port, though neither end holds sg-fw: the
// narrowing "only classes holding a changed group" misses it.
func TestReviewApplianceGroupOnlyChange(t *testing.T) {
	data, err := os.ReadFile("../solver/testdata/inspection-vpc.yaml")
	require.NoError(t, err)
	before := string(data)
	after := reviewEdit(t, before, `ingress: [{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}]`+"\n    instances:\n      - {id: i-fw-a",
		`ingress: [{protocol: all, sources: [10.0.0.0/8]}]`+"\n    instances:\n      - {id: i-fw-a")
	requireDiffIsBruteForce(t, reviewLoad(t, "old.yaml", before), reviewLoad(t, "new.yaml", after), "sg-fw opens all")
}
