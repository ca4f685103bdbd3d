package tfimport_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
	"github.com/vpcreach/vpcreach/tfimport"
)

// A plan made by real Terraform (0.12.21, JSON output format 0.1, one
// line; see testdata/real/NOTICE) imports without error and answers.
func TestRealTerraformPlan(t *testing.T) {
	im, diags, err := tfimport.Load("testdata/real/terraform-compliance-issue-sgr.plan.json")
	require.NoError(t, err)
	assert.Equal(t, "0.12.21", im.TerraformVersion)
	m := im.Planned
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, model.ID("aws_internet_gateway.gw"), v.InternetGateway, "vpc_id = aws_vpc.fail (Terraform 0.12 lists the resource without .id)")
	require.Len(t, v.SecurityGroups, 1)
	sg := v.SecurityGroups[0]
	require.Len(t, sg.Ingress, 1)
	assert.Equal(t, "tcp 1-3000 from [0.0.0.0/0]", sg.Ingress[0].Protocol.String()+" "+sg.Ingress[0].Ports.String()+" from "+peers(sg.Ingress[0].Sources))
	// The rule of a group outside the plan is left out, said so.
	var outside bool
	for _, d := range diags {
		if errors.Is(d, tfimport.ErrOutsidePlan) && d.Path == "aws_security_group_rule.allow_all.security_group_id" {
			outside = true
			assert.Equal(t, "terraform-compliance-issue-sgr.plan.json:1:1054", d.Pos.String()[len("testdata/real/"):])
		}
	}
	assert.True(t, outside)
	// Queried: the group admits the internet, but nothing holds it.
	s, err := solver.New(m)
	require.NoError(t, err)
	assert.Empty(t, s.Exposure(nil, nil, solver.AnalysisOptions{}), "no instance holds the group")
}

func peers(ps []model.Peer) string {
	s := "["
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += p.String()
	}
	return s + "]"
}
