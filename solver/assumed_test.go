package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/solver"
)

// assumedTopology: app's addresses are assumed (a Terraform plan's,
// unknown until apply), db's and peer's are known. DB_SOURCES, DB_ACL,
// PEER_ROUTE and APP_PUBLIC are replaced per case.
const assumedTopology = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rtb-app}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.2.0/24, route_table: rtb-app DB_ACL}
    route_tables:
      - id: rtb-app
        routes: [{destination: 0.0.0.0/0, target: igw-a}, {destination: PEER_ROUTE, target: pcx-ab}]
    network_acls:
      - id: acl-db
        ingress: [{rule: 100, action: deny, protocol: all, cidr: 10.0.1.128/25}, {rule: 200, action: allow, protocol: all, cidr: 0.0.0.0/0}]
        egress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
    security_groups:
      - {id: sg-app, description: app, ingress: [{protocol: tcp, ports: 22, sources: [203.0.113.0/24]}]}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [DB_SOURCES]}]}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.4, APP_PUBLIC security_groups: [sg-app], assumed_ips: [10.0.1.4 APP_ASSUMED]}
      - {id: i-db, subnet: sn-db, private_ip: 10.0.2.20, security_groups: [sg-db]}
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    internet_gateway: igw-b
    subnets: [{id: sn-peer, az: eu-west-1a, cidr_block: 10.1.2.0/24}]
    route_tables: [{id: rtb-b, main: true, routes: [{destination: 10.0.0.0/16, target: pcx-ab}, {destination: 0.0.0.0/0, target: igw-b}]}]
    security_groups:
      - {id: sg-peer, description: peer, ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}, {protocol: tcp, ports: 22, sources: [203.0.113.0/24]}]}
    instances:
      - {id: i-peer, subnet: sn-peer, private_ip: 10.1.2.4, public_ip: 192.0.2.10, security_groups: [sg-peer], assumed_ips: [10.1.2.4]}
peering_connections: [{id: pcx-ab, requester: vpc-a, accepter: vpc-b}]
`

func assumedCase(sources, acl, peerRoute string, appPublic bool) string {
	r := strings.NewReplacer("DB_SOURCES", sources, "PEER_ROUTE", peerRoute, "DB_ACL", acl,
		"APP_PUBLIC", map[bool]string{true: "public_ip: 198.18.0.2,", false: ""}[appPublic],
		"APP_ASSUMED", map[bool]string{true: ", 198.18.0.2", false: ""}[appPublic])
	if acl != "" {
		r = strings.NewReplacer("DB_SOURCES", sources, "PEER_ROUTE", peerRoute, "DB_ACL", ", network_acl: "+acl,
			"APP_PUBLIC", map[bool]string{true: "public_ip: 198.18.0.2,", false: ""}[appPublic],
			"APP_ASSUMED", map[bool]string{true: ", 198.18.0.2", false: ""}[appPublic])
	}
	return r.Replace(assumedTopology)
}

// assumedWarnings returns the ASSUMED_ADDRESS warnings' messages.
func assumedWarnings(r solver.Result) []string {
	var out []string
	for _, w := range r.Warnings {
		if w.Code == solver.AssumedAddress {
			out = append(out, w.Message)
		}
	}
	return out
}

// TestAnswersThatDependOnAnAssumedAddress: an answer says it depends on an
// address the topology assumes (unknown until apply) exactly when a route
// or rule on its path tells that address apart from others its resource
// may get (part, not all, of its subnet; part of the public addresses),
// or when the query names the address itself; decisions by group
// reference, or by prefixes that hold the whole range, say nothing.
func TestAnswersThatDependOnAnAssumedAddress(t *testing.T) {
	const (
		sgSplits   = "the answer depends on 10.0.1.4, the address assumed for i-app, whose real address is not known: the rules of the security groups of i-db treat other addresses of its subnet sn-app (10.0.1.0/24) differently"
		aclSplits  = "the answer depends on 10.0.1.4, the address assumed for i-app, whose real address is not known: the rules of network ACL acl-db treat other addresses of its subnet sn-app (10.0.1.0/24) differently"
		routeSplit = "the answer depends on 10.1.2.4, the address assumed for i-peer, whose real address is not known: the routes of route table rtb-app treat other addresses of its subnet sn-peer (10.1.2.0/24) differently"
		public     = "the answer depends on 198.18.0.2, the address assumed for i-app, whose real address is not known: the rules of the security groups of i-peer treat other public addresses differently"
		named      = "the query names 10.1.2.4, the address assumed for i-peer, whose real address is not known: it may have another address of its subnet sn-peer (10.1.2.0/24)"
	)
	tests := []struct {
		name     string
		topology string
		q        solver.Query
		verdict  solver.Verdict
		want     []string
	}{
		{"a group reference does not depend on the address", assumedCase("sg-app", "", "10.1.0.0/16", false),
			tcp("i-app", "i-db", 5432), solver.VerdictReachable, nil},
		{"a rule for the whole subnet does not", assumedCase("10.0.1.0/24", "", "10.1.0.0/16", false),
			tcp("i-app", "i-db", 5432), solver.VerdictReachable, nil},
		{"a rule for part of the subnet does", assumedCase("10.0.1.0/28", "", "10.1.0.0/16", false),
			tcp("i-app", "i-db", 5432), solver.VerdictReachableWithWarnings, []string{sgSplits}},
		{"an unreachable answer too: another address may pass", assumedCase("10.0.1.128/25", "", "10.1.0.0/16", false),
			tcp("i-app", "i-db", 5432), solver.VerdictUnreachable, []string{sgSplits}},
		{"a network ACL rule for part of the subnet", assumedCase("sg-app", "acl-db", "10.1.0.0/16", false),
			tcp("i-app", "i-db", 5432), solver.VerdictReachableWithWarnings, []string{aclSplits}},
		{"a route for part of the destination's subnet", assumedCase("sg-app", "", "10.1.2.0/25", false),
			tcp("i-app", "i-peer", 443), solver.VerdictReachableWithWarnings, []string{routeSplit}},
		{"a route for the destination's whole VPC does not", assumedCase("sg-app", "", "10.1.0.0/16", false),
			tcp("i-app", "i-peer", 443), solver.VerdictReachable, nil},
		{"a rule for a public range, of an assumed public address", assumedCase("sg-app", "", "10.1.0.0/16", true),
			tcp("i-app", "192.0.2.10", 22), solver.VerdictUnreachable, []string{public}},
		{"0.0.0.0/0 holds every public address", assumedCase("sg-app", "", "10.1.0.0/16", true),
			tcp("i-app", "192.0.2.10", 443), solver.VerdictReachable, nil},
		{"a query that names an assumed address", assumedCase("sg-app", "", "10.1.0.0/16", false),
			tcp("i-app", "10.1.2.4", 443), solver.VerdictReachableWithWarnings, []string{named}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, tt.topology)
			r := s.Reach(tt.q)
			require.NoError(t, r.Err)
			assert.Equal(t, tt.verdict, r.Verdict, "Reach(%s) = %s%s", tt.q, r.Verdict, explain(r))
			assert.Equal(t, tt.want, assumedWarnings(r), "Reach(%s)%s", tt.q, explain(r))
			for _, w := range r.Warnings {
				if w.Code == solver.AssumedAddress {
					assert.Equal(t, solver.LegForward, w.Leg)
					assert.True(t, w.Pos.IsValid(), "the warning points at the resource whose address is assumed")
				}
			}
		})
	}
}

// TestAssumedAddressInText: the warning is printed with the resource
// whose address is assumed, and kept in JSON.
func TestAssumedAddressInText(t *testing.T) {
	s := load(t, assumedCase("10.0.1.0/28", "", "10.1.0.0/16", false))
	r := s.Reach(tcp("i-app", "i-db", 5432))
	assert.Contains(t, r.Text(), "\nwarnings:\n  - ASSUMED_ADDRESS at i-app (forward): the answer depends on 10.0.1.4, the address assumed for i-app, whose real address is not known: ")
	b, err := r.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"code":"ASSUMED_ADDRESS"`)
}

// assumedIPv6 is a dual-stack subnet whose app instance has an assumed IPv6
// address (a Terraform plan's ipv6_address_count); the db admits 5432 from
// SOURCE6.
const assumedIPv6 = `version: 1
vpcs:
  - id: vpc-6
    region: eu-west-1
    cidr_blocks: [10.6.0.0/16]
    ipv6_cidr_blocks: [2001:db8:0:100::/56]
    subnets:
      - {id: sn-6, az: eu-west-1a, cidr_block: 10.6.1.0/24, ipv6_cidr_block: 2001:db8:0:101::/64}
    security_groups:
      - {id: sg-db6, ingress: [{protocol: tcp, ports: 5432, sources: [SOURCE6]}]}
    instances:
      - {id: i-app6, subnet: sn-6, private_ip: 10.6.1.10, ipv6_addresses: ["2001:db8:0:101::4"], assumed_ips: ["2001:db8:0:101::4"]}
      - {id: i-db6, subnet: sn-6, private_ip: 10.6.1.20, ipv6_addresses: ["2001:db8:0:101::20"], security_groups: [sg-db6]}
`

// An assumed IPv6 address (assumed_ips holds either family) stands for any
// address of its subnet's IPv6 block (V-02): a rule that admits part of
// that block decides by the assumed value, and says so (ASSUMED_ADDRESS);
// one that admits the whole block does not depend on it.
func TestAssumedIPv6Address(t *testing.T) {
	for _, c := range []struct {
		source string
		warn   bool
	}{
		{"2001:db8:0:101::/120", true},
		{"2001:db8:0:101::/64", false},
		{"10.6.1.0/24", false}, // IPv4: no IPv6 packet matches it
	} {
		s := load(t, strings.Replace(assumedIPv6, "SOURCE6", `"`+c.source+`"`, 1))
		r := s.Reach(tcpq("2001:db8:0:101::4", "2001:db8:0:101::20", 5432))
		byRule := false
		for _, w := range r.Warnings {
			byRule = byRule || (w.Code.String() == "ASSUMED_ADDRESS" && strings.Contains(w.Message, "security groups of i-db6"))
		}
		assert.Equal(t, c.warn, byRule, "source %s: ASSUMED_ADDRESS for the rules of i-db6\n%s", c.source, r.Text())
	}
}
