package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// loadText writes text to a temporary file named name and loads it, as
// the command loads a file: parsed and validated.
func loadText(t *testing.T, name, text string) *model.Model {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(f, []byte(text), 0o600))
	m, _, err := model.LoadFiles(f)
	require.NoError(t, err)
	return m
}

// reviewEdit returns text with each old string replaced by its new one,
// each required to occur.
func reviewEdit(t *testing.T, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, text, pairs[i])
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return text
}

// requireDiffIsBruteForce compares old and next with CompareSolvers and
// with point queries between every two interfaces (and the outside), and
// requires the gained, lost and changed flows to agree. It requires that
// the change changes something, so that the test can fail.
func requireDiffIsBruteForce(t *testing.T, old, next *model.Model, what string) {
	t.Helper()
	so, err := solver.New(old)
	require.NoError(t, err)
	sn, err := solver.New(next)
	require.NoError(t, err)
	r := CompareSolvers(so, sn, Options{})
	require.NotZero(t, requireFlowsOfPointQueries(t, so, sn, r, []string{what}), "the change must change some flow")
}

// TestReviewApplianceGroupOnlyChange: S-15/S-18: a routed appliance's own
// security groups judge the traffic it forwards. Opening the firewall
// group sg-fw of the inspection VPC (a change of security groups only)
// gains i-1 -> i-2 on every port, though neither end holds sg-fw: the
// narrowing "only classes holding a changed group" misses it.
func TestReviewApplianceGroupOnlyChange(t *testing.T) {
	data, err := os.ReadFile("../solver/testdata/inspection-vpc.yaml")
	require.NoError(t, err)
	before := string(data)
	after := reviewEdit(t, before, `ingress: [{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}]`+"\n    instances:\n      - {id: i-fw-a",
		`ingress: [{protocol: all, sources: [10.0.0.0/8]}]`+"\n    instances:\n      - {id: i-fw-a")
	requireDiffIsBruteForce(t, loadText(t, "old.yaml", before), loadText(t, "new.yaml", after), "sg-fw opens all")
}

// TestReviewGENEVEGroupOnlyChange: V-21: the appliances behind a Gateway
// Load Balancer must allow GENEVE (udp 6081) from its nodes. Removing
// that rule from sg-fw (a change of security groups only) loses every
// flow between the spokes, i-1 <-> i-2, though neither holds sg-fw.
func TestReviewGENEVEGroupOnlyChange(t *testing.T) {
	data, err := os.ReadFile("../solver/testdata/gwlb-inspection-vpc.yaml")
	require.NoError(t, err)
	before := string(data)
	after := reviewEdit(t, before, `ingress: [{protocol: udp, ports: 6081, sources: [10.100.0.0/16]}]`, `ingress: []`)
	requireDiffIsBruteForce(t, loadText(t, "old.yaml", before), loadText(t, "new.yaml", after), "sg-fw drops GENEVE")
}

// reviewPeered is two peered VPCs: i-1 and i-2 in one subnet of vpc-a,
// at 10.0.1.10 and 10.0.1.200 (one class: no CIDR separates them), and
// i-b in vpc-b; every group admits 10.0.0.0/8.
const reviewPeered = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    route_tables:
      - {id: rt-a, main: true, routes: [{destination: 10.1.0.0/16, target: pcx-ab}]}
    security_groups:
      - {id: sg-a, description: a, ingress: [{protocol: all, sources: [10.0.0.0/8]}]}
    instances:
      - {id: i-1, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-a]}
      - {id: i-2, subnet: sn-a, private_ip: 10.0.1.200, security_groups: [sg-a]}
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    subnets:
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.1.1.0/24}
    route_tables:
      - {id: rt-b, main: true, routes: [{destination: 10.0.0.0/16, target: pcx-ab}]}
    security_groups:
      - {id: sg-b, description: b, ingress: [{protocol: all, sources: [10.0.0.0/8]}]}
    instances:
      - {id: i-b, subnet: sn-b, private_ip: 10.1.1.10, security_groups: [sg-b]}
peering_connections:
  - {id: pcx-ab, requester: vpc-a, accepter: vpc-b, status: active}
`

// TestReviewRouteSplitsAClass: a route added to rt-b blackholes
// 10.0.1.128/25, which holds i-2 but not i-1. On the old side i-1 and
// i-2 are one class (no boundary at .128), which holds an address under
// the rerouted range, so its cells are computed; on the new side i-1 is
// a class of its own, under nothing, whose cells are not. The joint
// class {i-1} then has cells on one side only: i-b <-> i-1, which pass
// alike on both sides, must not be reported lost.
func TestReviewRouteSplitsAClass(t *testing.T) {
	after := reviewEdit(t, reviewPeered, `routes: [{destination: 10.0.0.0/16, target: pcx-ab}]`,
		`routes: [{destination: 10.0.0.0/16, target: pcx-ab}, {destination: 10.0.1.128/25, target: pcx-ab, state: blackhole}]`)
	requireDiffIsBruteForce(t, loadText(t, "old.yaml", reviewPeered), loadText(t, "new.yaml", after), "rt-b += 10.0.1.128/25 blackhole")
}

// reviewNoGroups is one VPC whose two instances carry no security group:
// they get the VPC's default group (S-20), here implicit, which admits
// members of the same group (so i-1 <-> i-2 pass on every port).
const reviewNoGroups = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    route_tables:
      - {id: rt-a, main: true}
    security_groups:
      - {id: sg-other, description: unused, ingress: []}
    instances:
      - {id: i-1, subnet: sn-a, private_ip: 10.0.1.10}
      - {id: i-2, subnet: sn-a, private_ip: 10.0.1.20}
`

// TestReviewImplicitDefaultGroupWritten: the change writes the VPC's
// default group (default: true) with no inbound rule, where it was
// implicit: a change of security groups only. The interfaces without
// groups now get the written group: i-1 <-> i-2 are lost. On the old side
// their class holds the implicit group "vpc-a/default-sg", which is no
// changed resource, so the old side's cells are not computed; the new
// side's (empty) are: nothing is reported lost.
func TestReviewImplicitDefaultGroupWritten(t *testing.T) {
	after := reviewEdit(t, reviewNoGroups, `      - {id: sg-other, description: unused, ingress: []}`,
		"      - {id: sg-other, description: unused, ingress: []}\n      - {id: sg-default, description: default, default: true, ingress: []}")
	requireDiffIsBruteForce(t, loadText(t, "old.yaml", reviewNoGroups), loadText(t, "new.yaml", after), "sg-default written, default, no ingress")
}

// TestReviewDefaultGroupEdited: a written default group's rules change;
// the interfaces without groups get it (S-20) and their flows change
// (passes: their class lists the default group).
func TestReviewDefaultGroupEdited(t *testing.T) {
	before := reviewEdit(t, reviewNoGroups, `      - {id: sg-other, description: unused, ingress: []}`,
		"      - {id: sg-other, description: unused, ingress: []}\n      - {id: sg-default, description: default, default: true, ingress: [{protocol: tcp, ports: 22, sources: [10.0.0.0/8]}]}")
	after := reviewEdit(t, before, `ports: 22`, `ports: 443`)
	requireDiffIsBruteForce(t, loadText(t, "old.yaml", before), loadText(t, "new.yaml", after), "sg-default 22 -> 443")
}
