package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

func TestValidateWarnings(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"S-90 private zone on a VPC without DNS hostnames", `version: 1
vpcs: [{id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}]
hosted_zones: [{id: Z1, name: corp.internal, vpcs: [vpc-a]}]
`, `t.yaml:3:53: hosted_zones[0].vpcs[0]: warning: private zone corp.internal is associated with vpc-a, whose DNS support or DNS hostnames is off: Route 53 needs both for private zones (S-90)`},
		{"S-72 private DNS without DNS flags", `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    endpoints: [{id: vpce-ec2, type: interface, service: com.amazonaws.eu-west-1.ec2, subnets: [sn], private_dns: true}]
`, `t.yaml:7:115: vpcs[0].endpoints[0].private_dns: warning: private DNS needs the VPC's DNS support and DNS hostnames; vpc-a has support=true hostnames=false, so the name will not resolve to the endpoint (S-72)`},
		{"S-10 subnet relies on a missing main table", `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    route_tables: [{id: rtb-x}]
`, `t.yaml:6:15: vpcs[0].subnets[0]: warning: subnet sn has no route_table and vpc-a marks no main table: it gets an implicit main table with only local routes (S-10)`},
		{"S-22 reference to a group of another region", `version: 1
vpcs:
  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16], security_groups: [{id: sg-a, description: a, ingress: [{protocol: tcp, ports: 22, sources: [sg-b]}]}]}
  - {id: vpc-b, region: us-east-1, cidr_blocks: [10.1.0.0/16], security_groups: [{id: sg-b, description: b}]}
`, `t.yaml:3:156: vpcs[0].security_groups[0].ingress[0].sources[0]: warning: sg-a references sg-b, a group of vpc-b in us-east-1; AWS does not allow references to groups in another region (eu-west-1), so the rule matches nothing: use the peer's CIDR blocks (S-22)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warnings, err := model.LoadBytes("t.yaml", []byte(tt.yaml))
			require.NoError(t, err)
			require.Len(t, warnings, 1)
			assert.Equal(t, tt.want, warnings[0].Error())
		})
	}
}

func TestS41FailedPeeringOfOverlappingVPCsIsFaithful(t *testing.T) {
	// AWS creates the peering and moves it to failed when the CIDRs
	// overlap; a topology recording that is not in error.
	_, _, err := model.LoadBytes("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}
  - {id: vpc-b, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}
peering_connections: [{id: pcx-ab, requester: vpc-a, accepter: vpc-b, status: failed}]
`))
	require.NoError(t, err)
}

func TestAccountsRepeatedAcrossFilesMerge(t *testing.T) {
	a, err := model.Parse("a.yaml", []byte("version: 1\naccounts: [{id: \"111111111111\", name: team-a}]\n"))
	require.NoError(t, err)
	b, err := model.Parse("b.yaml", []byte("version: 1\naccounts: [{id: \"111111111111\"}, {id: \"222222222222\"}]\n"))
	require.NoError(t, err)
	m := model.Merge(a, b)
	require.NoError(t, model.Validate(m).Err())
	assert.Len(t, m.Accounts, 2)
	assert.Equal(t, "team-a", m.Accounts[0].Name)
}

func TestAWSCamelCaseStatesAreAccepted(t *testing.T) {
	var s model.AttachmentState
	require.NoError(t, s.UnmarshalText([]byte("pendingAcceptance")))
	assert.Equal(t, model.AttachmentPendingAcceptance, s)
	var e model.EndpointState
	require.NoError(t, e.UnmarshalText([]byte("PendingAcceptance")))
	assert.Equal(t, model.EndpointPendingAcceptance, e)
	var r model.RecordType
	require.NoError(t, r.UnmarshalText([]byte("CNAME")))
	assert.Equal(t, model.RecordCNAME, r)
}
