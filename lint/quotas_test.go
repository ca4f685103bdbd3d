package lint_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// TestQuotaMaximumsAreErrors checks that the quota rules report an error,
// not a warning, above AWS's maximum (the fixtures cover the warnings).
func TestQuotaMaximumsAreErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nvpcs:\n")
	// quota-peerings-per-vpc: 126 active peerings.
	b.WriteString("  - {id: vpc-hub, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}\n")
	for i := 1; i <= 126; i++ {
		fmt.Fprintf(&b, "  - {id: vpc-s%d, region: eu-west-1, cidr_blocks: [10.%d.0.0/16]}\n", i, i)
	}
	// quota-routes-per-table, quota-rules-per-security-group: a prefix list
	// of 1000 max entries plus one more route or rule.
	// quota-acl-rules: 41 outbound rules.
	b.WriteString(`  - id: vpc-q
    region: eu-west-1
    cidr_blocks: [172.16.0.0/16]
    internet_gateway: igw-q
    route_tables:
      - id: rtb-q
        main: true
        routes:
          - {destination: pl-big, target: igw-q}
          - {destination: 0.0.0.0/0, target: igw-q}
    security_groups:
      - id: sg-q
        description: big
        ingress:
          - {protocol: tcp, ports: 443, sources: [pl-big, 10.0.0.0/8]}
    network_acls:
      - id: acl-q
        egress:
`)
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&b, "          - {rule: %d, protocol: tcp, ports: %d, cidr: 0.0.0.0/0, action: allow}\n", i, 1000+i)
	}
	b.WriteString("peering_connections:\n")
	for i := 1; i <= 126; i++ {
		fmt.Fprintf(&b, "  - {id: pcx-s%d, requester: vpc-hub, accepter: vpc-s%d}\n", i, i)
	}
	b.WriteString("prefix_lists:\n  - {id: pl-big, cidrs: [192.0.2.0/24], max_entries: 1000}\n")
	m, _, err := model.LoadBytes("quotas.yaml", []byte(b.String()))
	require.NoError(t, err)
	want := map[string]string{
		"quota-peerings-per-vpc":         "vpc-hub has 126 active peering connections, above the maximum of 125 per VPC",
		"quota-routes-per-table":         "route table rtb-q counts 1001 routes",
		"quota-rules-per-security-group": "security group sg-q counts 1001 inbound rules",
		"quota-acl-rules":                "network ACL acl-q has 41 outbound rules, above the maximum of 40 per direction",
	}
	for id, msg := range want {
		fs, err := lint.Run(m, lint.Options{Only: []string{id}})
		require.NoError(t, err)
		require.Len(t, fs, 1, id)
		assert.Equal(t, model.SeverityError, fs[0].Severity, id)
		assert.Contains(t, fs[0].Message, msg, id)
	}
}
