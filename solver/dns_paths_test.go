package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDNSAnswerPathIsItsOwn resolves a name through a chain of CNAMEs to
// two addresses and walks each: the path shown for one answer must be
// that answer's, not overwritten by the walk to the other (S-91: the
// resolution steps lead the path of every answer).
func TestDNSAnswerPathIsItsOwn(t *testing.T) {
	s := load(t, `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    dns: {support: true, hostnames: true}
    subnets: [{id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    security_groups: [{id: sg-a, description: a}]
    instances: [{id: i-a, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-a]}]
hosted_zones:
  - id: Z-corp
    name: corp.example
    vpcs: [vpc-a]
    records:
      - {name: a.corp.example, type: CNAME, values: [b.corp.example]}
      - {name: b.corp.example, type: CNAME, values: [c.corp.example]}
      - {name: c.corp.example, type: CNAME, values: [d.corp.example]}
      - {name: d.corp.example, type: CNAME, values: [e.corp.example]}
      - {name: e.corp.example, type: A, values: [10.9.0.10, 10.9.0.11]}
`)
	r := s.Reach(tcp("i-a", "a.corp.example", 443))
	require.NoError(t, r.Err)
	require.Equal(t, unreachable, r.Verdict, explain(r))
	var sends []string
	for _, h := range r.Forward {
		if strings.Contains(h.Rule, " sends ") {
			sends = append(sends, h.Rule)
		}
	}
	require.Len(t, sends, 1, explain(r))
	assert.Contains(t, sends[0], "to 10.9.0.10", "the path shown is the first answer's%s", explain(r))
	for _, b := range r.Blockers {
		assert.NotContains(t, b.Message, "10.9.0.11", "a blocker of the first answer's path names the other answer")
	}
}
