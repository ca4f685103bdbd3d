package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrawLargeNetworkShowsVPCsAndSaysSo(t *testing.T) {
	code, net, _ := runCLI("generate", "--vpcs", "12", "--seed", "3")
	require.Equal(t, exitOK, code)
	path := filepath.Join(t.TempDir(), "net.yaml")
	require.NoError(t, os.WriteFile(path, []byte(net), 0o644))

	code, out, errOut := runCLI("draw", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "too many to read in one picture: showing the 12 VPCs and their connections only; draw a VPC and its neighbours in full with --vpc ID")
	assert.NotContains(t, out, "subnet ", "the overview draws no subnet")

	// A neighbourhood is drawn in full, without a note.
	code, out, errOut = runCLI("draw", path, "--vpc", "vpc-0001", "--format", "dot")
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "subnet ")
}

func TestPicturesAreDeterministic(t *testing.T) {
	for _, args := range [][]string{
		{"draw", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--format", "dot"},
		{"draw", "../../testdata/seed003-private-eks.yaml"},
		{"reach", "../../testdata/seed002-privatelink.yaml", "--from", "i-cons-app", "--to", "vpce-cons-web", "--port", "80", "--output", "dot"},
		{"reach", "../../testdata/seed002-privatelink.yaml", "--from", "i-cons-app", "--to", "vpce-cons-web", "--port", "80", "--output", "json"},
	} {
		_, first, _ := runCLI(args...)
		for range 5 {
			_, again, _ := runCLI(args...)
			require.Equal(t, first, again, "vpcreach %s", strings.Join(args, " "))
		}
	}
}
