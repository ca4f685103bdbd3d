package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

func skipWithoutBatfish(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(batfish); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI has shared/ beside the repository, but: %v", err)
		}
		t.Skipf("no Batfish snapshots beside the repository (%v)", err)
	}
}

// import aws --file FILE writes a topology that loads back, and that
// validate reads as it reads the snapshot.
func TestImportOutputLoadsBack(t *testing.T) {
	skipWithoutBatfish(t)
	out := filepath.Join(t.TempDir(), "net.yaml")
	var stdout, stderr bytes.Buffer
	require.Equal(t, exitOK, run([]string{"import", "aws", batfish + "test-transit-gateway-peering", "--file", out}, &stdout, &stderr), stderr.String())
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "vpcreach import aws: 3 VPCs")
	m, _, err := model.LoadFiles(out)
	require.NoError(t, err)
	assert.Len(t, m.TransitGateways, 2)

	var a, b bytes.Buffer
	require.Equal(t, exitOK, run([]string{"validate", out}, &a, &bytes.Buffer{}))
	require.Equal(t, exitOK, run([]string{"validate", batfish + "test-transit-gateway-peering"}, &b, &bytes.Buffer{}))
	assert.Equal(t, a.String()[:len("valid: 3 VPCs, 3 subnets, 3 instances")], b.String()[:len("valid: 3 VPCs, 3 subnets, 3 instances")])
}

// Expectations written in YAML check against a snapshot (--from-aws), and
// a snapshot directory is a FILE argument like any other.
func TestExpectationsOverSnapshot(t *testing.T) {
	skipWithoutBatfish(t)
	intents := filepath.Join(t.TempDir(), "intents.yaml")
	require.NoError(t, os.WriteFile(intents, []byte(`version: 1
expectations:
  - {name: A reaches B on ssh, from: i-06ba034d88c84ef07, to: i-0b14080af811fda3d, protocol: tcp, port: 22, expect: reachable}
  - {name: B and C are not peered, from: i-0b14080af811fda3d, to: i-04a292ff83b3aa833, protocol: tcp, port: 22, expect: unreachable}
`), 0o644))
	var out, errOut bytes.Buffer
	require.Equal(t, exitOK, run([]string{"check", intents, "--from-aws", batfish + "test-vpc-peering"}, &out, &errOut), out.String()+errOut.String())
	assert.Contains(t, out.String(), "2 expectations: 2 hold, 0 fail")
	out.Reset()
	require.Equal(t, exitOK, run([]string{"check", intents, batfish + "test-vpc-peering"}, &out, &errOut), out.String()+errOut.String())

	// Without files or snapshots: the usual usage error.
	errOut.Reset()
	assert.Equal(t, exitInvalid, run([]string{"check"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "vpcreach check: missing FILE argument")
}
