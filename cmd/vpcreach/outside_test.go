package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vpnOutside is the in-repo snapshot of a VPN attachment whose networks
// (learned by BGP), a peering and a group the snapshot does not hold.
const vpnOutside = "../../awsimport/testdata/vpn-outside"

// What the snapshot cannot tell stays visible after import aws --file:
// reach on the YAML names OUTSIDE_SNAPSHOT as on the snapshot, and
// validate on the YAML warns about each such thing; on the snapshot the
// importer's warnings are not doubled by the model's.
func TestImportKeepsOutsideSnapshot(t *testing.T) {
	out := filepath.Join(t.TempDir(), "net.yaml")
	var stdout, stderr bytes.Buffer
	require.Equal(t, exitOK, run([]string{"import", "aws", vpnOutside, "--file", out}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stderr.String(), "; 4 warnings")

	for _, input := range [][]string{{"--from-aws", vpnOutside}, {out}} {
		var o, e bytes.Buffer
		args := append([]string{"reach", "--from", "i-app", "--to", "172.16.5.5", "--port", "22"}, input...)
		assert.Equal(t, exitFindings, run(args, &o, &e), e.String())
		assert.Contains(t, o.String(), "OUTSIDE_SNAPSHOT at tgw-rtb-1 (forward)", "%v", input)
		assert.NotContains(t, o.String(), "TGW_RTB_CANNOT_ROUTE", "%v", input)
	}

	var o, e bytes.Buffer
	require.Equal(t, exitOK, run([]string{"validate", out}, &o, &e), e.String())
	assert.Contains(t, o.String(), "; 3 warnings")
	for _, path := range []string{
		"vpcs[0].route_tables[0].routes[1].state: warning:",
		"vpcs[0].security_groups[2].outside_snapshot: warning:",
		"transit_gateways[0].attachments[1].outside_snapshot: warning: the networks behind vpn attachment tgw-attach-vpn",
	} {
		assert.Contains(t, e.String(), path)
	}
	assert.Equal(t, 3, strings.Count(e.String(), "OUTSIDE_SNAPSHOT"), e.String())

	o.Reset()
	e.Reset()
	require.Equal(t, exitOK, run([]string{"validate", "--from-aws", vpnOutside}, &o, &e), e.String())
	assert.Contains(t, o.String(), "; 4 warnings", "the importer's warnings only, not the model's as well")
}
