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

const tfdata = "../../tfimport/testdata/"

func runTF(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// A plan or state given as FILE is recognised by its content; queries name
// resources by address or by the AWS ids the file knows.
func TestTerraformInputsAndQueries(t *testing.T) {
	code, out, stderr := runTF("reach", tfdata+"basic-plan.json", "--from", "aws_instance.app", "--to", "aws_instance.db", "--port", "5432")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "reachable: aws_instance.app -> aws_instance.db tcp/5432")
	assert.Contains(t, stderr, "the input has 4 warnings (vpcreach validate lists them): values unknown until apply were assumed")

	// A state: the AWS ids it knows are accepted too, the address shown
	// with the AWS id beside it (text), or under aws_id (JSON).
	code, out, stderr = runTF("reach", tfdata+"basic-state.json", "--from", "i-0app", "--to", "i-0db", "--port", "5432")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "reachable: aws_instance.app -> aws_instance.db tcp/5432")
	assert.Regexp(t, `\n   1\.  instance +aws_instance\.app \(i-0app\) +send`, out)
	assert.Regexp(t, `security-group ingress +aws_security_group\.db \(sg-0db, db\) +allow`, out)
	code, out, stderr = runTF("reach", tfdata+"basic-state.json", "--from", "i-0app", "--to", "i-0db", "--port", "5432", "--output", "json")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, `"component": "aws_instance.app",
      "aws_id": "i-0app",`)
	code, out, stderr = runTF("lint", tfdata+"basic-state.json", "--output", "json")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, `"component": "aws_vpc.main.default_security_group",
      "aws_id": "sg-0def"`)
	code, _, _ = runTF("reach", tfdata+"basic-state.json", "--from", "aws_instance.db", "--to", "aws_instance.app", "--port", "5432")
	assert.Equal(t, exitFindings, code)

	// Merged with a YAML file that holds only expectations, in AWS ids.
	exp := filepath.Join(t.TempDir(), "expect.yaml")
	require.NoError(t, os.WriteFile(exp, []byte(`version: 1
expectations:
  - {from: i-0app, to: i-0db, protocol: tcp, port: 5432, expect: reachable}
  - {from: aws_instance.db, to: i-0app, protocol: tcp, port: 22, expect: unreachable}
`), 0o644))
	code, out, stderr = runTF("check", tfdata+"basic-state.json", exp)
	assert.Equal(t, exitOK, code, out+stderr)
	assert.Contains(t, out, "2 expectations: 2 hold, 0 fail")
}

// import terraform writes the equivalent topology, which loads back.
func TestImportTerraform(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "net.yaml")
	code, out, stderr := runTF("import", "terraform", tfdata+"basic-plan.json", "--file", dest)
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "vpcreach import terraform: 1 VPC, 3 subnets, 2 instances, 0 peering connections, 0 transit gateways; 4 warnings, 0 notes")
	m, _, err := model.LoadFiles(dest)
	require.NoError(t, err)
	require.Len(t, m.VPCs, 1)
	assert.Equal(t, model.ID("aws_vpc.main"), m.VPCs[0].ID)
	data, err := os.ReadFile(dest)
	require.NoError(t, err)
	assert.Contains(t, string(data), "# Imported by vpcreach import terraform ")

	code, _, stderr = runTF("import", "terraform", tfdata+"basic-plan.json", "--prior")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "has no prior state")
}

// A truncated plan is an error with its position: exit 2.
func TestTruncatedPlan(t *testing.T) {
	data, err := os.ReadFile(tfdata + "basic-plan.json")
	require.NoError(t, err)
	f := filepath.Join(t.TempDir(), "plan.json")
	require.NoError(t, os.WriteFile(f, data[:len(data)/2], 0o644))
	for _, cmd := range []string{"validate", "lint", "check"} {
		code, _, stderr := runTF(cmd, f)
		assert.Equal(t, exitInvalid, code, cmd)
		assert.Regexp(t, `plan.json:\d+:\d+: not valid JSON: .*truncated`, stderr, cmd)
	}
	code, _, stderr := runTF("import", "terraform", f)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "not valid JSON")
}
