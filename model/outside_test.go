package model_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

const outsideTGW = `version: 1
vpcs:
  - id: vpc-a
    region: us-east-2
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: subnet-a, az: us-east-2a, cidr_block: 10.0.1.0/24}
transit_gateways:
  - id: tgw-1
    region: us-east-2
    route_tables:
      - {id: tgw-rtb-1}
    attachments:
      - {id: tgw-attach-a, type: vpc, vpc: vpc-a, subnets: [subnet-a], association: tgw-rtb-1, outside_snapshot: %s}
      - {id: tgw-attach-vpn, type: vpn, association: tgw-rtb-1, propagations: [tgw-rtb-1], outside_snapshot: true}
`

// outside_snapshot on a vpn attachment loads, and validation warns that
// answers through it are unknown; on a vpc attachment it is an error, as
// a VPC's networks are in the topology.
func TestAttachmentOutsideSnapshot(t *testing.T) {
	m, diags, err := model.LoadBytes("net.yaml", []byte(fmt.Sprintf(outsideTGW, "false")))
	require.NoError(t, err)
	require.True(t, m.TransitGateways[0].Attachments[1].OutsideSnapshot)
	var warned []string
	for _, d := range diags {
		if errors.Is(d, model.ErrOutsideSnapshot) {
			assert.Equal(t, model.SeverityWarning, d.Severity)
			warned = append(warned, d.Error())
		}
	}
	assert.Equal(t, []string{`net.yaml:15:110: transit_gateways[0].attachments[1].outside_snapshot: warning: the networks behind vpn attachment tgw-attach-vpn (learned by BGP) are outside the imported snapshot: traffic its route tables have no route for is unknown (OUTSIDE_SNAPSHOT), not "no"`}, warned)

	_, _, err = model.LoadBytes("net.yaml", []byte(fmt.Sprintf(outsideTGW, "true")))
	require.Error(t, err)
	assert.ErrorIs(t, err, model.ErrConflict)
	assert.Contains(t, err.Error(), "transit_gateways[0].attachments[0].outside_snapshot: only vpn and direct-connect-gateway attachments take outside_snapshot")
}
