package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// batfish is where the Batfish AWS snapshots are: shared/ beside the
// repository.
const batfish = "../../../shared/external/batfish-aws/"

// golden runs the CLI and compares its exit code, standard output and
// standard error with testdata/golden/NAME.golden.
func golden(t *testing.T, name string, wantCode int, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	got := fmt.Sprintf("$ vpcreach %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s", strings.Join(args, " "), code, out.String(), errOut.String())
	// SARIF names the repository root, which depends on the checkout.
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	got = strings.ReplaceAll(got, "file://"+filepath.ToSlash(root)+"/", "file:///REPOSITORY/")
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/vpcreach -update to create it")
	assert.Equal(t, string(want), got)
	assert.Equal(t, wantCode, code, "exit code")
}

func TestCLIGolden(t *testing.T) {
	tests := []struct {
		name string
		code int
		args []string
	}{
		{"usage", exitInvalid, nil},
		{"help", exitOK, []string{"help"}},
		{"unknown-command", exitInvalid, []string{"frobnicate"}},
		{"validate-missing-file-arg", exitInvalid, []string{"validate"}},
		{"validate-bad-output", exitInvalid, []string{"validate", "--output", "xml", "../../testdata/seed000-peering-nlb.yaml"}},
		{"validate-seed000", exitOK, []string{"validate", "../../testdata/seed000-peering-nlb.yaml"}},
		{"validate-seed000-json", exitOK, []string{"validate", "../../testdata/seed000-peering-nlb.yaml", "--output", "json"}},
		{"validate-all-seeds", exitOK, []string{"validate", "../../testdata/seed000-peering-nlb.yaml", "../../testdata/seed002-privatelink.yaml"}},
		{"validate-five-mistakes", exitInvalid, []string{"validate", "../../testdata/invalid/five-mistakes.yaml"}},
		{"validate-five-mistakes-json", exitInvalid, []string{"validate", "--output=json", "../../testdata/invalid/five-mistakes.yaml"}},
		{"validate-no-such-file", exitInvalid, []string{"validate", "../../testdata/no-such-file.yaml"}},
		{"overlaps", exitFindings, []string{"overlaps", "../../testdata/overlaps.yaml"}},
		{"overlaps-json", exitFindings, []string{"overlaps", "--output", "json", "../../testdata/overlaps.yaml"}},
		{"overlaps-clean", exitOK, []string{"overlaps", "../../testdata/seed000-peering-nlb.yaml"}},
		{"overlaps-invalid", exitInvalid, []string{"overlaps", "../../testdata/invalid/five-mistakes.yaml"}},
		{"example-extra-arg", exitInvalid, []string{"example", "x"}},
		{"reach-dualstack", exitOK, []string{"reach", "../../testdata/dualstack-bastion.yaml", "--from", "internet", "--to", "i-dualstack-bastion", "--port", "22"}},
		{"reach-dualstack-ipv4", exitFindings, []string{"reach", "../../testdata/dualstack-bastion.yaml", "--from", "internet", "--to", "i-dualstack-bastion", "--port", "22", "--family", "ipv4"}},
		{"reach-dualstack-ipv6-json", exitOK, []string{"reach", "../../testdata/dualstack-bastion.yaml", "--from", "internet", "--to", "i-dualstack-bastion", "--port", "22", "--family", "ipv6", "--output", "json"}},
		{"reach-bad-family", exitInvalid, []string{"reach", "../../testdata/dualstack-bastion.yaml", "--from", "internet", "--to", "i-dualstack-bastion", "--port", "22", "--family", "v6"}},
		{"exposure-dualstack", exitFindings, []string{"exposure", "../../testdata/dualstack-bastion.yaml"}},
		{"reach-dualstack-icmpv6", exitFindings, []string{"reach", "../../testdata/dualstack-bastion.yaml", "--from", "internet", "--to", "i-dualstack-bastion", "--protocol", "icmpv6"}},
		{"check-dualstack", exitOK, []string{"check", "../../testdata/dualstack-bastion.yaml"}},
		{"reach-seed000-ping", exitOK, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-b-redis-1", "--protocol", "icmp"}},
		{"reach-seed000-ping-json", exitOK, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-b-redis-1", "--protocol", "icmp", "--output", "json"}},
		{"reach-seed000-not-transitive", exitFindings, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-c-batch", "--port", "8080"}},
		{"reach-seed000-nodeport-closed", exitFindings, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-b-redis-1", "--port", "30379"}},
		{"reach-acl-deny-and-partial-return", exitFindings, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-a-app2", "--to", "i-a-db", "--port", "5432"}},
		{"reach-acl-deny-json", exitFindings, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-a-app2", "--to", "i-a-db", "--port", "5432", "--output", "json"}},
		{"reach-centralised-egress", exitOK, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-e", "--to", "internet", "--port", "443"}},
		{"reach-unknown-source", exitInvalid, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-a-ap", "--to", "i-b", "--port", "443"}},
		{"reach-missing-to", exitInvalid, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-a-app"}},
		{"reach-tcp-without-port", exitInvalid, []string{"reach", "../../solver/testdata/network.yaml", "--from", "i-a-app", "--to", "i-b"}},
		{"reach-seed001-privatelink", exitOK, []string{"reach", "../../testdata/seed001-peering-endpoints.yaml", "--from", "i-1-app", "--to", "vpce-svc-0f3e1d2c3b4a59687", "--port", "443"}},
		{"reach-seed002-pending", exitFindings, []string{"reach", "../../testdata/seed002-privatelink.yaml", "--from", "i-cons2-app", "--to", "vpce-cons2-web", "--port", "80"}},
		{"reach-seed003-dns-over-peering", exitOK, []string{"reach", "../../testdata/seed003-private-eks.yaml", "--from", "i-ops-tools", "--to", "ec2.ap-southeast-1.amazonaws.com", "--port", "443"}},
		{"reach-seed003-service-name", exitOK, []string{"reach", "../../testdata/seed003-private-eks.yaml", "--from", "i-eks-node-1a", "--to", "ecr.dkr", "--port", "443", "--output", "json"}},
		{"reach-seed004-s3-gateway-endpoint", exitOK, []string{"reach", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--from", "i-a1-app", "--to", "s3", "--port", "443"}},
		{"reach-seed004-nat-cost", exitOK, []string{"reach", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--from", "i-a1-app", "--to", "internet", "--port", "443"}},
		{"reach-seed004-nat-prices-file", exitOK, []string{"reach", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--from", "i-a1-app", "--to", "internet", "--port", "443", "--prices", "testdata/prices-eu.yaml", "--output", "json"}},
		{"reach-prices-broken", exitInvalid, []string{"reach", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--from", "i-a1-app", "--to", "internet", "--port", "443", "--prices", "testdata/prices-broken.yaml"}},
		{"reach-seed004-nat-mermaid", exitOK, []string{"reach", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--from", "i-a1-app", "--to", "internet", "--port", "443", "--output", "mermaid"}},
		{"reach-seed000-not-transitive-dot", exitFindings, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-c-batch", "--port", "8080", "--output", "dot"}},
		{"reach-bad-output", exitInvalid, []string{"reach", "../../testdata/seed000-peering-nlb.yaml", "--from", "i-a-app-1", "--to", "i-c-batch", "--port", "8080", "--output", "svg"}},
		{"draw-seed000", exitOK, []string{"draw", "../../testdata/seed000-peering-nlb.yaml"}},
		{"draw-seed004-dot", exitOK, []string{"draw", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--format", "dot"}},
		{"draw-seed004-neighbourhood", exitOK, []string{"draw", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--vpc", "vpc-spoke-c"}},
		{"draw-unknown-vpc", exitInvalid, []string{"draw", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--vpc", "vpc-spoke"}},
		{"draw-bad-format", exitInvalid, []string{"draw", "../../testdata/seed000-peering-nlb.yaml", "--format", "svg"}},
		{"draw-invalid-input", exitInvalid, []string{"draw", "../../testdata/invalid/five-mistakes.yaml"}},
		{"prices", exitOK, []string{"prices"}},
		{"lint-nlb-cross-zone", exitOK, []string{"lint", "../../lint/testdata/nlb-cross-zone-transfer/fires.yaml"}},
		{"check-seeds", exitOK, []string{"check", "../../testdata/seed000-peering-nlb.yaml", "../../testdata/seed002-privatelink.yaml"}},
		{"check-broken", exitFindings, []string{"check", "testdata/broken-expectations.yaml"}},
		{"check-broken-junit", exitFindings, []string{"check", "--output", "junit", "testdata/broken-expectations.yaml"}},
		{"check-broken-json", exitFindings, []string{"check", "--output", "json", "testdata/broken-expectations.yaml"}},
		{"lint-seed000", exitFindings, []string{"lint", "../../testdata/seed000-peering-nlb.yaml"}},
		{"lint-seed000-errors-only", exitOK, []string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--fail-on", "error", "--disable", "transitive-peering"}},
		{"lint-seed000-sarif", exitFindings, []string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--output", "sarif"}},
		{"lint-seed001-json", exitFindings, []string{"lint", "../../testdata/seed001-peering-endpoints.yaml", "--output", "json"}},
		{"lint-network-junit", exitFindings, []string{"lint", "../../solver/testdata/network.yaml", "--output", "junit", "--fail-on", "note"}},
		{"lint-no-repeated-validation-warning", exitFindings, []string{"lint", "../../lint/testdata/endpoint-private-dns-without-vpc-dns/fires.yaml"}},
		{"who-can-reach-db", exitOK, []string{"who-can-reach", "../../solver/testdata/network.yaml", "--to", "i-a-db", "--port", "5432"}},
		{"who-can-reach-web-json", exitOK, []string{"who-can-reach", "../../solver/testdata/network.yaml", "--to", "i-a-web", "--port", "22", "--output", "json"}},
		{"exposure-network", exitFindings, []string{"exposure", "../../solver/testdata/network.yaml"}},
		{"exposure-blocked-range", exitFindings, []string{"exposure", "testdata/blocked-range.yaml"}},
		{"exposure-blocked-range-json", exitFindings, []string{"exposure", "testdata/blocked-range.yaml", "--output", "json"}},
		{"exposure-seed002-json", exitFindings, []string{"exposure", "../../testdata/seed002-privatelink.yaml", "--ports", "22,80,443", "--output", "json"}},
		{"matrix-seed000", exitOK, []string{"matrix", "../../testdata/seed000-peering-nlb.yaml", "--protocol", "icmp"}},
		{"matrix-seed000-instances-json", exitOK, []string{"matrix", "../../testdata/seed000-peering-nlb.yaml", "--port", "30379", "--level", "instance", "--output", "json"}},
		{"matrix-seed004-cost", exitOK, []string{"matrix", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--port", "443", "--cost"}},
		{"matrix-seed000-cost-instances-json", exitOK, []string{"matrix", "../../testdata/seed000-peering-nlb.yaml", "--protocol", "icmp", "--level", "instance", "--cost", "--output", "json"}},
		{"lint-unknown-rule", exitInvalid, []string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--disable", "sg-missing-descripton"}},
		{"lint-only", exitFindings, []string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--only", "transitive-peering,peering-route-one-sided", "--only", "sg-missing-description"}},
		{"lint-only-unknown-rule", exitInvalid, []string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--only", "transitiv-peering"}},
		{"lint-stale-ignore", exitFindings, []string{"lint", "testdata/stale-ignore.yaml"}},
		{"lint-merged-scenarios", exitInvalid, []string{"lint", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml"}},
		{"lint-each", exitInvalid, []string{"lint", "--each", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml", "../../testdata/invalid/five-mistakes.yaml"}},
		{"lint-each-json", exitInvalid, []string{"lint", "--each", "--output", "json", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml", "../../testdata/invalid/five-mistakes.yaml"}},
		{"lint-each-junit", exitInvalid, []string{"lint", "--each", "--output", "junit", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml", "../../testdata/invalid/five-mistakes.yaml"}},
		{"lint-each-sarif", exitFindings, []string{"lint", "--each", "--output", "sarif", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml"}},
		{"check-each", exitFindings, []string{"check", "--each", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml"}},
		{"check-each-json", exitInvalid, []string{"check", "--each", "--output", "json", "testdata/scenarios/bastion.yaml", "../../testdata/invalid/five-mistakes.yaml"}},
		{"check-each-junit", exitFindings, []string{"check", "--each", "--output", "junit", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml"}},
		{"validate-each", exitInvalid, []string{"validate", "--each", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml", "../../testdata/invalid/five-mistakes.yaml"}},
		{"validate-each-json", exitOK, []string{"validate", "--each", "--output", "json", "testdata/scenarios/bastion.yaml", "testdata/scenarios/database.yaml"}},
		{"generate-4-vpcs", exitOK, []string{"generate", "--vpcs", "4", "--seed", "1", "--instances-per-vpc", "6"}},
		// AWS snapshots (the Batfish ones in shared/ beside the repository).
		{"import-aws-vpc-peering", exitOK, []string{"import", "aws", batfish + "test-vpc-peering"}},
		{"import-missing-source", exitInvalid, []string{"import"}},
		{"reach-aws-tgw-az-restriction", exitFindings, []string{"reach", batfish + "test-transit-gateway", "--from", "i-075e846ed41670385", "--to", "i-0b14080af811fda3d", "--port", "22"}},
		{"reach-from-aws-vpc-peering", exitOK, []string{"reach", "--from-aws", batfish + "test-vpc-peering", "--from", "i-06ba034d88c84ef07", "--to", "i-0b14080af811fda3d", "--port", "22"}},
		{"validate-npguard-bundle", exitOK, []string{"validate", "../../awsimport/testdata/npguard-bundle.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(strings.Join(tt.args, " "), batfish) {
				skipWithoutBatfish(t)
			}
			golden(t, tt.name, tt.code, tt.args...)
		})
	}
}

func TestExampleCommandPrintsTheEmbeddedTopology(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, exitOK, run([]string{"example"}, &out, &errOut))
	assert.Equal(t, string(model.ExampleTopology()), out.String())
	_, _, err := model.LoadBytes("example.yaml", out.Bytes())
	require.NoError(t, err)
}

func TestSchemaCommandPrintsTheSchema(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, exitOK, run([]string{"schema"}, &out, &errOut))
	assert.Equal(t, string(model.JSONSchema()), out.String())
}

func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, exitOK, run([]string{"version"}, &out, &errOut))
	assert.Regexp(t, `^vpcreach \S+ \(topology format 1, go\S+\)\n$`, out.String())
	out.Reset()
	require.Equal(t, exitOK, run([]string{"version", "--output", "json"}, &out, &errOut))
	assert.Contains(t, out.String(), `"format_version": 1`)
}

func TestFlagsAfterFiles(t *testing.T) {
	pos, err := parseArgs(newFlags("x", "", &bytes.Buffer{}, &bytes.Buffer{}, new(outputFlag)), []string{"a.yaml", "--output", "json", "b.yaml", "--", "--c.yaml"})
	require.NoError(t, err)
	assert.Equal(t, []string{"a.yaml", "b.yaml", "--c.yaml"}, pos)
}
