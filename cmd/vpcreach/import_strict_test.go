package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// import aws exits 2 on a snapshot from which nothing is imported, and on
// JSON that is malformed where vpcreach skips it, each with one error
// that says so at its place; stdout stays empty.
func TestImportAWSRejectsEmptyAndMalformedSnapshots(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"a null list", `{"Vpcs": null}`, "snap.json: nothing imported: the resource lists hold no VPC"},
		{"a list of numbers", `[1, 2, 3]`, "snap.json: nothing imported: the file holds no resource list vpcreach reads"},
		{"only unrelated JSON", `{"DBInstances": []}`, "snap.json: nothing imported: the file holds no resource list vpcreach reads"},
		{"a broken value vpcreach skips", `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [], "Unread": [1,2}]}`,
			"snap.json:1:84: Vpcs[0].Unread: JSON: expected ',' or ']' after an array element, found '}'"},
		{"a port AWS never writes", `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1",
 "IpPermissions": [{"IpProtocol": "tcp", "FromPort": -5, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}`,
			"snap.json:2:54: SecurityGroups[0].IpPermissions[0].FromPort: port -5 is outside 0..65535"},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "snap.json")
			require.NoError(t, os.WriteFile(name, []byte(c.text), 0o644))
			var out, errOut bytes.Buffer
			assert.Equal(t, exitInvalid, run([]string{"import", "aws", name}, &out, &errOut), errOut.String())
			assert.Empty(t, out.String())
			assert.Contains(t, errOut.String(), c.want)
			assert.Contains(t, errOut.String(), "vpcreach import aws: invalid input: 1 error\n")
		})
	}
}
