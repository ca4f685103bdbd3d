package reachtest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/reachtest"
)

const topology = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-web, az: eu-west-1a, cidr_block: 10.0.0.0/24, route_table: rtb-public}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    route_tables:
      - {id: rtb-main, main: true}
      - {id: rtb-public, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
    security_groups:
      - {id: sg-web, description: web, ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}]}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-web]}]}
    instances:
      - {id: i-web, subnet: sn-web, private_ip: 10.0.0.10, public_ip: 203.0.113.10, security_groups: [sg-web]}
      - {id: i-db, subnet: sn-db, private_ip: 10.0.1.10, security_groups: [sg-db]}
expectations:
  - {name: web reaches the database, from: i-web, to: i-db, protocol: tcp, port: 5432, expect: reachable}
  - {name: the database is not on the internet, from: internet, to: i-db, protocol: tcp, port: 5432, expect: unreachable}
`

// The test a user writes: load the topology, assert flows.
func TestNetwork(t *testing.T) {
	s := reachtest.LoadString(t, topology)
	reachtest.AssertReachable(t, s, "internet", "i-web", "tcp", 443)
	reachtest.AssertReachable(t, s, "i-web", "i-db", "tcp", 5432)
	reachtest.AssertUnreachable(t, s, "internet", "i-db", "tcp", 5432)
	reachtest.AssertUnreachable(t, s, "i-web", "i-db", "tcp", 22)
	reachtest.AssertExpectations(t, s)
}

// testify's assert.TestingT works too, and so does a recorder.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestFailureMessagesShowThePath(t *testing.T) {
	var rec recorder
	s := reachtest.LoadString(t, topology)
	assert.False(t, reachtest.AssertReachable(&rec, s, "i-web", "i-db", "tcp", 22))
	if assert.Len(t, rec.errs, 1) {
		assert.Contains(t, rec.errs[0], "Reach(i-web -> i-db tcp/22) = unreachable [ENI_SG_RULES_MISMATCH], want reachable")
		assert.Contains(t, rec.errs[0], "forward path:")
		assert.Contains(t, rec.errs[0], "no rule of [sg-db] allows tcp/22")
	}
	rec.errs = nil
	assert.False(t, reachtest.AssertUnreachable(&rec, s, "internet", "i-web", "tcp", 443))
	if assert.Len(t, rec.errs, 1) {
		assert.Contains(t, rec.errs[0], "want unreachable")
		assert.Contains(t, rec.errs[0], "internet-gateway")
	}
	rec.errs = nil
	broken := reachtest.LoadString(t, topology+"  - {name: wrong, from: i-web, to: i-db, protocol: tcp, port: 22, expect: reachable}\n")
	assert.False(t, reachtest.AssertExpectations(&rec, broken))
	if assert.Len(t, rec.errs, 1) {
		assert.Contains(t, rec.errs[0], `expectation "wrong" at inline.yaml:22:5`)
	}
	rec.errs = nil
	assert.Nil(t, reachtest.LoadString(&rec, "version: 1\nvpcs: [{id: x}]\n"))
	assert.NotEmpty(t, rec.errs)
}

func Example() {
	var rec recorder
	s := reachtest.LoadString(&rec, topology)
	fmt.Println(reachtest.AssertReachable(&rec, s, "i-web", "i-db", "tcp", 5432))
	fmt.Println(reachtest.AssertUnreachable(&rec, s, "internet", "i-db", "tcp", 5432))
	fmt.Println(reachtest.AssertExpectations(&rec, s), len(rec.errs))
	// Output:
	// true
	// true
	// true 0
}
