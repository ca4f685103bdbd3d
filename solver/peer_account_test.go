package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/solver"
)

// TestS22CrossAccountGroupReference: a rule naming a group of another
// account as ACCOUNT/GROUP-ID (AWS's UserIdGroupPairs) matches that
// group's members across a same-region peering, and only them.
func TestS22CrossAccountGroupReference(t *testing.T) {
	topo := strings.NewReplacer("TARGET_X", "pcx", "TARGET_Y", "pcx", "REGION_Y", "eu-west-1",
		"sources: [sg-x]", `sources: ["111111111111/sg-x"]`,
		"  - id: vpc-x\n", "  - id: vpc-x\n    account: \"111111111111\"\n",
		"  - id: vpc-y\n", "  - id: vpc-y\n    account: \"222222222222\"\n",
		"instances: [{id: i-x, subnet: sn-x, private_ip: 10.10.1.10, security_groups: [sg-x]}]",
		"instances: [{id: i-x, subnet: sn-x, private_ip: 10.10.1.10, security_groups: [sg-x]}, {id: i-other, subnet: sn-x, private_ip: 10.10.1.11}]",
	).Replace(refsTopology) + "peering_connections: [{id: pcx, requester: vpc-x, accepter: vpc-y}]\n"
	require.Contains(t, topo, `"111111111111/sg-x"`)
	s := load(t, topo)

	r := s.Reach(tcp("i-x", "i-y", 9000))
	require.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
	assert.Contains(t, r.Text(), "allow tcp 9000 from 111111111111/sg-x", "the rule is shown as written")

	r = s.Reach(tcp("i-other", "i-y", 9000))
	require.Equal(t, solver.VerdictUnreachable, r.Verdict, "i-other does not hold sg-x: %s", explain(r))
	assert.Equal(t, []string{"forward:ENI_SG_RULES_MISMATCH"}, codes(r))
}
