package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/solver"
)

// dualStackDNS is one dual-stack subnet with a dual-stack server, a
// dual-stack client and an IPv4-only one, and a private zone whose names
// have A records, AAAA records or both. The server admits 443 over both
// families and 22 over IPv6 only.
const dualStackDNS = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]
    dns: {hostnames: true}
    subnets:
      - {id: s-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: 2600:1f18:a:c01::/64, route_table: rt-a}
    route_tables:
      - {id: rt-a, main: true}
    security_groups:
      - id: sg-server
        ingress:
          - {protocol: tcp, ports: 443, sources: [10.0.0.0/16, 2600:1f18:a:c00::/56]}
          - {protocol: tcp, ports: 22, sources: [2600:1f18:a:c00::/56]}
      - {id: sg-client}
    instances:
      - {id: i-server, subnet: s-a, private_ip: 10.0.1.20, ipv6_addresses: [2600:1f18:a:c01::20], security_groups: [sg-server]}
      - {id: i-client, subnet: s-a, private_ip: 10.0.1.10, ipv6_addresses: [2600:1f18:a:c01::10], security_groups: [sg-client]}
      - {id: i-v4client, subnet: s-a, private_ip: 10.0.1.11, security_groups: [sg-client]}
hosted_zones:
  - id: Z1
    name: corp.internal
    vpcs: [vpc-a]
    records:
      - {name: www, type: A, values: [10.0.1.20]}
      - {name: www, type: AAAA, values: ["2600:1f18:a:c01::20"]}
      - {name: v4, type: A, values: [10.0.1.20]}
      - {name: v6, type: AAAA, values: ["2600:1f18:a:c01::20"]}
      - {name: cn, type: CNAME, values: [www.corp.internal]}
`

func familiesOf(r solver.Result) []string {
	if r.Families == nil {
		return []string{r.Family}
	}
	var out []string
	for _, f := range r.Families {
		out = append(out, f.Family+":"+f.Verdict.String())
	}
	return out
}

// dnsRules returns the rules of the DNS hops of a path.
func dnsRules(hops []solver.Hop) []string {
	var out []string
	for _, h := range hops {
		if h.Kind == solver.HopDNS {
			out = append(out, h.Rule)
		}
	}
	return out
}

// V-15: a name is reached over IPv4 at its A addresses and over IPv6 at
// its AAAA addresses; a name with A records only has no IPv6 address,
// though the instance behind it has one.
func TestAAAARecordsAnswerPerFamily(t *testing.T) {
	s := load(t, dualStackDNS)
	cases := []struct {
		name     string
		q        string
		from     string
		port     uint16
		verdict  solver.Verdict
		families []string
		codes    []string
	}{
		{"A and AAAA: both families", "www.corp.internal", "i-client", 443, solver.VerdictReachable, []string{"ipv4:reachable", "ipv6:reachable"}, nil},
		{"A and AAAA: an IPv6-only rule admits over IPv6", "www.corp.internal", "i-client", 22, solver.VerdictReachable, []string{"ipv4:unreachable", "ipv6:reachable"}, nil},
		{"A only: no IPv6 answer, though the server has an IPv6 address", "v4.corp.internal", "i-client", 22, solver.VerdictUnreachable, []string{"ipv4"}, []string{"ENI_SG_RULES_MISMATCH"}},
		{"AAAA only: IPv6 only", "v6.corp.internal", "i-client", 443, solver.VerdictReachable, []string{"ipv6"}, nil},
		{"AAAA only, from an IPv4-only client: no family in common", "v6.corp.internal", "i-v4client", 443, solver.VerdictUnreachable, []string{""}, []string{"DESTINATION_NOT_FOUND"}},
		{"A and AAAA, from an IPv4-only client: IPv4", "www.corp.internal", "i-v4client", 443, solver.VerdictReachable, []string{"ipv4"}, nil},
		{"CNAME to a name with both: both families", "cn.corp.internal", "i-client", 443, solver.VerdictReachable, []string{"ipv4:reachable", "ipv6:reachable"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.Reach(tcpq(c.from, c.q, c.port))
			assert.Equal(t, c.verdict, r.Verdict, "V-15: Reach(%s -> %s tcp/%d) = %s, want %s\n%s", c.from, c.q, c.port, r.Verdict, c.verdict, r.Text())
			assert.Equal(t, c.families, familiesOf(r), "V-15: families answered")
			assert.Equal(t, c.codes, blockerCodes(r))
		})
	}
}

// V-15: each family's path starts with the records of its own family, and
// goes to the address of that family.
func TestAAAARecordHopsPerFamily(t *testing.T) {
	r := load(t, dualStackDNS).Reach(tcpq("i-client", "cn.corp.internal", 443))
	require.Len(t, r.Families, 2, r.Text())
	v4, v6 := r.Families[0], r.Families[1]
	assert.Equal(t, []string{
		"cn.corp.internal CNAME www.corp.internal (private zone corp.internal)",
		"www.corp.internal A 10.0.1.20 (private zone corp.internal)",
	}, dnsRules(v4.Forward))
	assert.Equal(t, []string{
		"cn.corp.internal CNAME www.corp.internal (private zone corp.internal)",
		"www.corp.internal AAAA 2600:1f18:a:c01::20 (private zone corp.internal)",
	}, dnsRules(v6.Forward))
}

// V-15: the blocker for a name whose records share no family with the
// source says which records it has.
func TestAAAAOnlyNameFromIPv4OnlyClient(t *testing.T) {
	r := load(t, dualStackDNS).Reach(tcpq("i-v4client", "v6.corp.internal", 443))
	require.Len(t, r.Blockers, 1, r.Text())
	assert.True(t, strings.Contains(r.Blockers[0].Message, "AAAA records"), r.Blockers[0].Message)
	assert.Equal(t, []string{"v6.corp.internal AAAA 2600:1f18:a:c01::20 (private zone corp.internal)"}, dnsRules(r.Forward))
}
