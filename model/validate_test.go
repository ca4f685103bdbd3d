package model_test

import (
	"fmt"
	"net/netip"
	"strings"
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

// TestOneRootCauseOneError: a VPC block that does not decode is reported
// once; the checks that compare other addresses with the VPC's blocks
// (subnets inside a block, S-01; local routes, S-11; ip targets, S-81)
// would only repeat it, and are left out.
func TestOneRootCauseOneError(t *testing.T) {
	rest := `    subnets: [{id: s, az: r1, cidr_block: 10.1.1.0/24}]
    route_tables: [{id: rt, main: true, routes: [{destination: 10.1.0.0/16, target: local}]}]
    target_groups: [{id: tg, target_type: ip, protocol: tcp, port: 80, targets: [{ip: 10.1.1.9}]}]
`
	tests := []struct {
		name, blocks, want string
	}{
		{"host bits", "    cidr_blocks: [10.1.0.1/16]\n",
			`t.yaml:5:19: vpcs[0].cidr_blocks[0]: "10.1.0.1/16" has host bits set (did you mean 10.1.0.0/16?)`},
		{"one bad block of three", "    cidr_blocks: [10.0.0.0/16, 10.1.0.0/33, 10.2.0.0/16]\n",
			`t.yaml:5:32: vpcs[0].cidr_blocks[1]: "10.1.0.0/33" is not a CIDR`},
		{"a scalar for the list", "    cidr_blocks: 10.1.0.0/16\n",
			`t.yaml:5:18: vpcs[0].cidr_blocks: expected a list, got "10.1.0.0/16"`},
		{"missing", "",
			`t.yaml:3:5: vpcs[0].cidr_blocks: required field is missing`},
		{"IPv6", "    cidr_blocks: [\"2001:db8::/56\"]\n",
			`t.yaml:5:19: vpcs[0].cidr_blocks[0]: "2001:db8::/56" is an IPv6 CIDR, not IPv4; write IPv6 values under ipv6_cidr_blocks`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nvpcs:\n  - id: v\n    region: r\n" + tt.blocks + rest
			_, _, err := model.LoadBytes("t.yaml", []byte(src))
			require.Error(t, err)
			var got []string
			for _, d := range err.(model.Diagnostics) {
				got = append(got, d.Error())
			}
			assert.Equal(t, []string{tt.want}, got)
		})
	}
}

// TestVPCWithoutBlocks: a VPC built in Go with no CIDR block is an error
// (S-01), not a source of "subnet not inside any block" errors.
func TestVPCWithoutBlocks(t *testing.T) {
	m := &model.Model{Version: 1, VPCs: []model.VPC{{ID: "v", Region: "r",
		Subnets: []model.Subnet{{ID: "s", AZ: "r1", CIDRBlock: mustPrefix("10.0.1.0/24")}}}}}
	var got []string
	for _, d := range model.Validate(m).Errors() {
		got = append(got, d.Error())
	}
	assert.Equal(t, []string{"-: cidr_blocks: v has no CIDR block; a VPC has at least one (S-01)"}, got)
}

// TestRouteTableAboveTheMaximum: a route table with more routes than AWS's
// hard maximum is refused; at the maximum it is not.
func TestRouteTableAboveTheMaximum(t *testing.T) {
	table := func(n int) string {
		var b strings.Builder
		b.WriteString("version: 1\nvpcs:\n  - id: v\n    region: r\n    cidr_blocks: [10.0.0.0/16]\n    internet_gateway: igw\n    route_tables:\n      - id: rt\n        routes:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "          - {destination: 172.%d.%d.0/24, target: igw}\n", 16+i/256, i%256)
		}
		return b.String()
	}
	_, _, err := model.LoadBytes("t.yaml", []byte(table(model.MaxRoutesPerTable)))
	require.NoError(t, err)
	_, _, err = model.LoadBytes("t.yaml", []byte(table(model.MaxRoutesPerTable+1)))
	require.Error(t, err)
	ds := err.(model.Diagnostics)
	require.Len(t, ds, 1)
	assert.Equal(t, "t.yaml:10:11: vpcs[0].route_tables[0].routes: route table rt lists 1001 routes; AWS allows at most 1000 in a table", ds[0].Error())
	assert.ErrorIs(t, ds[0], model.ErrQuota)
}

// TestRequiredValuesOfAModelBuiltInGo: Validate refuses a required value
// left blank and a blank id in a list of ids in a model built in Go too,
// naming each field by its path, so that nothing downstream meets one.
func TestRequiredValuesOfAModelBuiltInGo(t *testing.T) {
	m := &model.Model{Version: 1,
		VPCs: []model.VPC{{ID: "v", Region: " ", CIDRBlocks: []netip.Prefix{mustPrefix("10.0.0.0/16")},
			Subnets:   []model.Subnet{{ID: "s", AZ: "r1", CIDRBlock: mustPrefix("10.0.1.0/24")}},
			Instances: []model.Instance{{ID: "i", Interface: model.Interface{Subnet: "", PrivateIP: netip.MustParseAddr("10.0.1.10")}}}}},
		TransitGateways: []model.TransitGateway{{ID: "tgw", Region: "r",
			Attachments: []model.TGWAttachment{{ID: "att", Type: model.AttachmentVPC, VPC: "v", Subnets: []model.ID{"s", ""}}}}},
		ExternalNetworks: []model.ExternalNetwork{{ID: "x", Via: "tgw"}},
	}
	var got []string
	for _, d := range model.Validate(m).Errors() {
		got = append(got, d.Error())
	}
	for _, want := range []string{
		"-: vpcs[0].region: required field is empty",
		"-: vpcs[0].instances[0].subnet: required field is empty",
		"-: transit_gateways[0].attachments[0].subnets[1]: empty id",
		"-: external_networks[0].cidrs: required field is empty",
	} {
		assert.Contains(t, got, want)
	}
}

// assumed_ips lists some of a resource's own addresses, each once.
func TestAssumedIPsAreOwnAddresses(t *testing.T) {
	_, _, err := model.LoadBytes("t.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    instances:
      - {id: i-a, subnet: sn, private_ip: 10.0.1.10, public_ip: 198.18.0.2, assumed_ips: [10.0.1.10, 198.18.0.2]}
      - {id: i-b, subnet: sn, private_ip: 10.0.1.11, assumed_ips: [10.0.1.12, 10.0.1.11, 10.0.1.11]}
    nat_gateways: [{id: nat-a, subnet: sn, private_ip: 10.0.1.4, public_ip: 198.18.0.1, assumed_ips: [198.18.0.1, 10.0.1.5]}]
    load_balancers: [{id: nlb-a, type: network, scheme: internal, subnets: [sn], private_ips: [10.0.1.20], assumed_ips: [10.0.1.20]}]
`))
	var ds model.Diagnostics
	require.ErrorAs(t, err, &ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	assert.Equal(t, []string{
		`t.yaml:9:68: vpcs[0].instances[1].assumed_ips[0]: 10.0.1.12 is not an address of i-b: assumed_ips lists some of its own addresses`,
		`t.yaml:9:90: vpcs[0].instances[1].assumed_ips[2]: 10.0.1.11 is listed twice`,
		`t.yaml:10:115: vpcs[0].nat_gateways[0].assumed_ips[1]: 10.0.1.5 is not an address of nat-a: assumed_ips lists some of its own addresses`,
	}, got)
}
