package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// load builds a solver from an inline topology.
func load(t *testing.T, yaml string) *solver.Solver {
	t.Helper()
	m, _, err := model.LoadBytes("t.yaml", []byte(yaml))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	return s
}

// refsTopology: vpc-x and vpc-y, joined by a transit gateway (or a
// peering); sg-y admits tcp 9000 only from sg-x, by reference.
const refsTopology = `version: 1
vpcs:
  - id: vpc-x
    region: eu-west-1
    cidr_blocks: [10.10.0.0/16]
    subnets: [{id: sn-x, az: eu-west-1a, cidr_block: 10.10.1.0/24}]
    route_tables: [{id: rtb-x, main: true, routes: [{destination: 10.20.0.0/16, target: TARGET_X}]}]
    security_groups: [{id: sg-x, description: x}]
    instances: [{id: i-x, subnet: sn-x, private_ip: 10.10.1.10, security_groups: [sg-x]}]
  - id: vpc-y
    region: REGION_Y
    cidr_blocks: [10.20.0.0/16]
    subnets: [{id: sn-y, az: REGION_Ya, cidr_block: 10.20.1.0/24}]
    route_tables: [{id: rtb-y, main: true, routes: [{destination: 10.10.0.0/16, target: TARGET_Y}]}]
    security_groups:
      - {id: sg-y, description: y, ingress: [{protocol: tcp, ports: 9000, sources: [sg-x]}]}
    instances: [{id: i-y, subnet: sn-y, private_ip: 10.20.1.10, security_groups: [sg-y]}]
`

const refsTGW = `transit_gateways:
  - id: tgw
    region: eu-west-1
    security_group_referencing: REFS
    route_tables: [{id: rtb}]
    attachments:
      - {id: att-x, type: vpc, vpc: vpc-x, subnets: [sn-x], association: rtb, propagations: [rtb]}
      - {id: att-y, type: vpc, vpc: vpc-y, subnets: [sn-y], association: rtb, propagations: [rtb]}
`

func TestSecurityGroupReferencesAcrossConnections(t *testing.T) {
	// S-22: a group reference matches across a peering only within one
	// region, and across a transit gateway only within one region and with
	// security group referencing on.
	tests := []struct {
		name, topology string
		want           solver.Verdict
		codes          []string
	}{
		{"S-22 same-region peering preserves references",
			strings.NewReplacer("TARGET_X", "pcx", "TARGET_Y", "pcx", "REGION_Y", "eu-west-1").Replace(refsTopology) +
				"peering_connections: [{id: pcx, requester: vpc-x, accepter: vpc-y}]\n",
			solver.VerdictReachable, nil},
		{"S-22 inter-region peering does not",
			strings.NewReplacer("TARGET_X", "pcx", "TARGET_Y", "pcx", "REGION_Y", "us-east-1").Replace(refsTopology) +
				"peering_connections: [{id: pcx, requester: vpc-x, accepter: vpc-y}]\n",
			solver.VerdictUnreachable, []string{"forward:SG_REFERENCES_NOT_PRESERVED"}},
		{"S-22 transit gateway with referencing on",
			strings.NewReplacer("TARGET_X", "tgw", "TARGET_Y", "tgw", "REGION_Y", "eu-west-1").Replace(refsTopology) +
				strings.ReplaceAll(refsTGW, "REFS", "true"),
			solver.VerdictReachable, nil},
		{"S-22 transit gateway with referencing off",
			strings.NewReplacer("TARGET_X", "tgw", "TARGET_Y", "tgw", "REGION_Y", "eu-west-1").Replace(refsTopology) +
				strings.ReplaceAll(refsTGW, "REFS", "false"),
			solver.VerdictUnreachable, []string{"forward:SG_REFERENCING_SUPPORT"}},
		{"S-22 transit gateway on, but the destination's attachment turns referencing off",
			strings.NewReplacer("TARGET_X", "tgw", "TARGET_Y", "tgw", "REGION_Y", "eu-west-1").Replace(refsTopology) +
				strings.Replace(strings.ReplaceAll(refsTGW, "REFS", "true"), "subnets: [sn-y],", "subnets: [sn-y], security_group_referencing: false,", 1),
			solver.VerdictUnreachable, []string{"forward:SG_REFERENCING_SUPPORT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, tt.topology).Reach(tcp("i-x", "i-y", 9000))
			require.Equal(t, tt.want, r.Verdict, explain(r))
			require.Equal(t, tt.codes, codes(r))
		})
	}
}

func TestOutsideSnapshotIsUnknownNotNo(t *testing.T) {
	// What an imported snapshot cannot tell gets its own code.
	s := load(t, `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    route_tables: [{id: rtb, main: true, routes: [{destination: 10.50.0.0/16, target: pcx-gone, state: outside-snapshot}]}]
    security_groups:
      - {id: sg-far, outside_snapshot: true, description: another account's group}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-far]}]}
      - {id: sg-app, description: app}
    instances:
      - {id: i-app, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-app]}
      - {id: i-db, subnet: sn-a, private_ip: 10.0.1.11, security_groups: [sg-db]}
      - {id: i-odd, subnet: sn-a, private_ip: 10.0.1.12, security_groups: [sg-far]}
`)
	for _, c := range []struct {
		q    solver.Query
		code string
	}{
		{tcp("i-app", "10.50.1.1", 443), "forward:OUTSIDE_SNAPSHOT"},
		{tcp("i-app", "i-db", 5432), "forward:OUTSIDE_SNAPSHOT"},
		{tcp("i-app", "i-odd", 443), "forward:OUTSIDE_SNAPSHOT"},
	} {
		r := s.Reach(c.q)
		assert.Equal(t, solver.VerdictUnreachable, r.Verdict)
		assert.Equal(t, []string{c.code}, codes(r), "%s%s", c.q, explain(r))
	}
	// A rule the snapshot does not explain is still a plain no.
	assert.Equal(t, []string{"forward:ENI_SG_RULES_MISMATCH"}, codes(s.Reach(tcp("i-app", "i-db", 22))))
}

func TestOutboundReferencesAcrossTransitGateway(t *testing.T) {
	// S-22 (AWS: security group referencing for Transit Gateway): only
	// inbound rules match group references across a transit gateway;
	// outbound rules referencing a group there never match. Over a
	// same-region peering both do.
	base := strings.NewReplacer(
		"security_groups: [{id: sg-x, description: x}]", "security_groups: [{id: sg-x, description: x, egress: [{protocol: tcp, ports: 9000, destinations: [sg-y]}]}]",
		"{id: sg-y, description: y, ingress: [{protocol: tcp, ports: 9000, sources: [sg-x]}]}", "{id: sg-y, description: y, ingress: [{protocol: tcp, ports: 9000, sources: [10.10.0.0/16]}]}",
	).Replace(refsTopology)
	tgw := strings.NewReplacer("TARGET_X", "tgw", "TARGET_Y", "tgw", "REGION_Y", "eu-west-1").Replace(base) + strings.ReplaceAll(refsTGW, "REFS", "true")
	r := load(t, tgw).Reach(tcp("i-x", "i-y", 9000))
	assert.Equal(t, solver.VerdictUnreachable, r.Verdict, explain(r))
	assert.Equal(t, []string{"forward:SG_REFERENCES_NOT_PRESERVED"}, codes(r))
	assert.Contains(t, r.Blockers[0].Message, "outbound rules never match group references across a transit gateway")
	pcx := strings.NewReplacer("TARGET_X", "pcx", "TARGET_Y", "pcx", "REGION_Y", "eu-west-1").Replace(base) +
		"peering_connections: [{id: pcx, requester: vpc-x, accepter: vpc-y}]\n"
	r = load(t, pcx).Reach(tcp("i-x", "i-y", 9000))
	assert.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
}

func TestTransitGatewayKeepsThePhysicalZone(t *testing.T) {
	// S-51: the gateway keeps traffic in its availability zone, which is
	// the zone id: us-east-1a of one account may be us-east-1b of another.
	s := load(t, `version: 1
vpcs:
  - id: vpc-a
    account: "111111111111"
    region: us-east-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: us-east-1a, az_id: use1-az1, cidr_block: 10.0.2.0/24}
      - {id: sn-a-tgw, az: us-east-1a, az_id: use1-az1, cidr_block: 10.0.255.0/28}
    route_tables: [{id: rt-a, main: true, routes: [{destination: 10.1.0.0/16, target: tgw-1}]}]
    instances: [{id: i-a, subnet: sn-a, private_ip: 10.0.2.10}]
  - id: vpc-b
    account: "222222222222"
    region: us-east-1
    cidr_blocks: [10.1.0.0/16]
    subnets:
      - {id: sn-b, az: us-east-1b, az_id: use1-az1, cidr_block: 10.1.2.0/24}
      - {id: sn-b-tgw-1a, az: us-east-1a, az_id: use1-az2, cidr_block: 10.1.255.0/28, network_acl: acl-closed}
      - {id: sn-b-tgw-1b, az: us-east-1b, az_id: use1-az1, cidr_block: 10.1.255.16/28}
    route_tables: [{id: rt-b, main: true, routes: [{destination: 10.0.0.0/16, target: tgw-1}]}]
    network_acls: [{id: acl-closed}]
    security_groups: [{id: sg-b, description: b, ingress: [{protocol: all, sources: [10.0.0.0/8]}]}]
    instances: [{id: i-b, subnet: sn-b, private_ip: 10.1.2.10, security_groups: [sg-b]}]
transit_gateways:
  - id: tgw-1
    account: "111111111111"
    region: us-east-1
    default_association_route_table: tgw-rt
    default_propagation_route_table: tgw-rt
    route_tables: [{id: tgw-rt}]
    attachments:
      - {id: att-a, type: vpc, vpc: vpc-a, subnets: [sn-a-tgw]}
      - {id: att-b, type: vpc, vpc: vpc-b, subnets: [sn-b-tgw-1a, sn-b-tgw-1b], account: "222222222222"}
`)
	r := s.Reach(tcp("i-a", "i-b", 22))
	assert.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
}
