package awsimport_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// outsideQueries are flows of testdata/vpn-outside whose answer depends
// on what the snapshot does not hold: a VPN attachment's BGP routes, a
// route to a peering of another account, a group of another account.
var outsideQueries = []struct {
	name string
	q    solver.Query
}{
	{"vpn learned by BGP", tcp("i-app", "172.16.5.5", 22)},
	{"route to a missing peering", tcp("i-app", "10.99.1.1", 22)},
	{"group of another account", tcp("i-app", "i-db", 5432)},
}

func importOutside(t *testing.T) *model.Model {
	t.Helper()
	m, _, err := awsimport.ImportDir(filepath.Join("testdata", "vpn-outside"))
	require.NoError(t, err)
	return m
}

// The importer keeps the VPN attachment whose networks the snapshot does
// not hold, marked outside_snapshot.
func TestVPNAttachmentWithoutNetworksIsMarkedOutsideSnapshot(t *testing.T) {
	m := importOutside(t)
	require.Len(t, m.TransitGateways, 1)
	marked := map[model.ID]bool{}
	for _, a := range m.TransitGateways[0].Attachments {
		marked[a.ID] = a.OutsideSnapshot
	}
	assert.Equal(t, map[model.ID]bool{"tgw-attach-vpc": false, "tgw-attach-vpn": true}, marked)
}

// A packet the gateway's route table has no route for, in a table a VPN
// attachment without known networks propagates into, is unknown
// (OUTSIDE_SNAPSHOT), not a plain TGW_RTB_CANNOT_ROUTE; and so are the
// other flows that depend on what the snapshot lacks. The YAML the import
// writes answers the same, with the same code.
func TestOutsideSnapshotSurvivesExport(t *testing.T) {
	m := importOutside(t)
	direct, err := solver.New(m)
	require.NoError(t, err)
	data, err := model.Encode(m)
	require.NoError(t, err)
	loaded, _, err := model.LoadBytes("out.yaml", data)
	require.NoError(t, err, "%s", data)
	back, err := solver.New(loaded)
	require.NoError(t, err)
	for _, c := range outsideQueries {
		t.Run(c.name, func(t *testing.T) {
			r := direct.Reach(c.q)
			assert.Equal(t, solver.VerdictUnreachable, r.Verdict, "%s", r.Text())
			assert.Equal(t, []string{"forward:OUTSIDE_SNAPSHOT"}, blockerCodes(r), "%s", r.Text())
			rb := back.Reach(c.q)
			assert.Equal(t, r.Verdict, rb.Verdict, "after export: %s", rb.Text())
			assert.Equal(t, blockerCodes(r), blockerCodes(rb), "after export: %s", rb.Text())
		})
	}
	// A flow that leaves through a known route still is a plain answer.
	r := direct.Reach(tcp("i-app", "i-db", 22))
	assert.NotContains(t, blockerCodes(r), "forward:OUTSIDE_SNAPSHOT", "%s", r.Text())
}

// Validating the exported YAML warns about each thing outside the
// snapshot, at its place in the YAML.
func TestExportedOutsideSnapshotWarns(t *testing.T) {
	data, err := model.Encode(importOutside(t))
	require.NoError(t, err)
	_, diags, err := model.LoadBytes("out.yaml", data)
	require.NoError(t, err)
	var paths []string
	for _, d := range diags {
		if d.Severity == model.SeverityWarning && errors.Is(d, model.ErrOutsideSnapshot) {
			assert.Equal(t, "out.yaml", d.Pos.File)
			assert.Contains(t, d.Message, "OUTSIDE_SNAPSHOT")
			paths = append(paths, d.Path)
		}
	}
	assert.ElementsMatch(t, []string{
		"vpcs[0].route_tables[0].routes[1].state",
		"vpcs[0].security_groups[2].outside_snapshot",
		"transit_gateways[0].attachments[1].outside_snapshot",
	}, paths, "%s", data)
}

// The same VPN case in Batfish's hybrid-cloud snapshot, when it is
// beside the repository.
func TestBatfishHybridCloudVPNIsOutsideSnapshot(t *testing.T) {
	dir := filepath.Join(batfishDir, "pybatfish-hybrid-cloud")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no Batfish hybrid-cloud snapshot beside the repository (%v)", err)
	}
	m, _, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	data, err := model.Encode(m)
	require.NoError(t, err)
	loaded, _, err := model.LoadBytes("out.yaml", data)
	require.NoError(t, err)
	for name, mm := range map[string]*model.Model{"snapshot": m, "exported": loaded} {
		s, err := solver.New(mm)
		require.NoError(t, err)
		r := s.Reach(tcp("i-04cd3db5124a05ee6", "203.0.113.5", 22))
		assert.Equal(t, []string{"forward:OUTSIDE_SNAPSHOT"}, blockerCodes(r), "%s: %s", name, r.Text())
	}
}

// Export writes an AWS snapshot that imports back with the same marks,
// so it answers as the model does.
func TestExportKeepsOutsideSnapshot(t *testing.T) {
	m := importOutside(t)
	dir := t.TempDir()
	require.NoError(t, awsimport.Export(m, dir))
	again, _, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	s, err := solver.New(again)
	require.NoError(t, err)
	for _, c := range outsideQueries {
		r := s.Reach(c.q)
		assert.Equal(t, []string{"forward:OUTSIDE_SNAPSHOT"}, blockerCodes(r), "%s: %s", c.name, r.Text())
	}
}
