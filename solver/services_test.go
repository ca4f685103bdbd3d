package solver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// seedVariant loads a seed topology after applying text replacements.
func seedVariant(t *testing.T, seed string, replace ...string) *solver.Solver {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", seed))
	require.NoError(t, err)
	text := string(data)
	for i := 0; i+1 < len(replace); i += 2 {
		require.Contains(t, text, replace[i], "variant edit must apply")
		text = strings.ReplaceAll(text, replace[i], replace[i+1])
	}
	return load(t, text)
}

// TestSeedExpectations checks every expectation written in the seed
// topologies: the scenarios of the documents the project started from.
func TestSeedExpectations(t *testing.T) {
	files, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	require.Len(t, files, 5)
	for _, f := range files {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		for _, e := range m.Expectations {
			t.Run(filepath.Base(f)+"/"+e.Name, func(t *testing.T) {
				q := solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP}
				if e.Port != nil {
					q.Port = *e.Port
				}
				r := s.Reach(q)
				require.NoError(t, r.Err)
				if r.Reachable() != (e.Expect == model.ExpectReachable) {
					t.Errorf("%s = %s %v, want %s%s", describe(q), r.Verdict, codes(r), e.Expect, explain(r))
				}
			})
		}
	}
}

func TestSeed000TighteningTheNLBGroup(t *testing.T) {
	// Seed 000: the NLB's group allows 0.0.0.0/0 by default; tightening it
	// to A's CIDR keeps A working and locks others (C, peered with B) out.
	open := seedVariant(t, "seed000-peering-nlb.yaml")
	tight := seedVariant(t, "seed000-peering-nlb.yaml",
		"{protocol: tcp, ports: 6379, sources: [0.0.0.0/0]", "{protocol: tcp, ports: 6379, sources: [10.0.0.0/16]")
	fromA := tcp("i-a-app-1", "nlb-b-redis", 6379)
	fromC := tcp("i-c-batch", "nlb-b-redis", 6379)
	for _, c := range []struct {
		name string
		s    *solver.Solver
		q    solver.Query
		want solver.Verdict
		code string
	}{
		{"S-80 A reaches the open NLB", open, fromA, reachable, ""},
		{"S-80 C reaches the open NLB", open, fromC, reachable, ""},
		{"S-80 A still reaches the tightened NLB", tight, fromA, reachable, ""},
		{"S-80 C is locked out of the tightened NLB", tight, fromC, unreachable, "forward:ENI_SG_RULES_MISMATCH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.s.Reach(c.q)
			assert.Equal(t, c.want, r.Verdict, explain(r))
			if c.code != "" {
				assert.Contains(t, codes(r), c.code)
			}
		})
	}
}

func TestSeed002PrivateLink(t *testing.T) {
	// Seed 002: the consumer reaches the provider's web server through the
	// endpoint although both VPCs use 10.0.0.0/16 (S-74); a pending
	// connection carries nothing; an account off the allow list neither.
	base := seedVariant(t, "seed002-privatelink.yaml")
	r := base.Reach(tcp("i-cons-app", "vpce-cons-web", 80))
	require.Equal(t, reachable, r.Verdict, explain(r))
	var sawTarget, sawNLBSource bool
	for _, h := range r.Forward {
		if h.Component == "i-prov-web" && h.Decision == solver.DecisionDeliver {
			sawTarget = true
		}
		if h.Kind == solver.HopLoadBalancer && h.Packet != nil && strings.HasPrefix(h.Packet.Src.String(), "10.0.") && h.Packet.Src.String() != "10.0.1.10" {
			sawNLBSource = true
		}
	}
	assert.True(t, sawTarget, "the path ends at the provider's web server")
	assert.True(t, sawNLBSource, "the provider sees the load balancer's address, never the consumer's (S-74)")

	pending := seedVariant(t, "seed002-privatelink.yaml", "{endpoint: vpce-cons-web, state: available}", "{endpoint: vpce-cons-web, state: pending-acceptance}")
	r = pending.Reach(tcp("i-cons-app", "vpce-cons-web", 80))
	assert.Equal(t, unreachable, r.Verdict)
	assert.Equal(t, []string{"forward:VPCE_CONNECTION_NOT_ACCEPTED"}, codes(r))

	// S-73: the allow list is checked when an endpoint is created. An
	// account removed later keeps its available connection (AWS keeps it
	// until the provider rejects it); without a recorded connection the
	// endpoint could not exist.
	noAllow := seedVariant(t, "seed002-privatelink.yaml", "arn:aws:iam::444444444444:root", "arn:aws:iam::999999999999:root")
	r = noAllow.Reach(tcp("i-cons-app", "vpce-cons-web", 80))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:VPCE_PRINCIPAL_NOT_ALLOWED"}, codes(r))
	unrecorded := seedVariant(t, "seed002-privatelink.yaml", "arn:aws:iam::444444444444:root", "arn:aws:iam::999999999999:root",
		"      - {endpoint: vpce-cons-web, state: available}\n", "")
	r = unrecorded.Reach(tcp("i-cons-app", "vpce-cons-web", 80))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Contains(t, codes(r), "forward:VPCE_PRINCIPAL_NOT_ALLOWED")
	// One cause, one blocker: with no connection recorded, the allow list
	// is why there is none, not a pending acceptance.
	assert.Equal(t, []string{"forward:VPCE_PRINCIPAL_NOT_ALLOWED"}, codes(r))

	// By service id: the consumer's endpoint to that service is used.
	r = base.Reach(tcp("i-cons-app", "vpce-svc-0a1b2c3d4e5f60718", 80))
	assert.Equal(t, reachable, r.Verdict, explain(r))
	r = base.Reach(tcp("i-prov-bastion", "vpce-svc-0a1b2c3d4e5f60718", 80))
	assert.Equal(t, []string{"forward:VPCE_NO_ENDPOINT_IN_VPC"}, codes(r))
}

func TestSeed002ZonesMatchByID(t *testing.T) {
	// S-74: the consumer's ap-southeast-1a is zone apse1-az2, where the
	// provider's load balancer has no node.
	s := seedVariant(t, "seed002-privatelink.yaml",
		"subnets: [subnet-prov-private-1a, subnet-prov-private-1b]\n        private_ips: [10.0.1.5, 10.0.2.5]",
		"subnets: [subnet-prov-private-1a]\n        private_ips: [10.0.1.5]")
	r := s.Reach(tcp("i-cons-app", "10.0.1.50@vpc-consumer", 80))
	assert.Equal(t, []string{"forward:VPCE_SERVICE_NOT_INSTALLED_IN_AZ"}, codes(r), explain(r))
	// By the endpoint's id, the interface in the other zone still works,
	// and the failing one is reported.
	r = s.Reach(tcp("i-cons-app", "vpce-cons-web", 80))
	assert.Equal(t, []string{"warning:ALTERNATE_ADDRESS_UNREACHABLE"}, codes(r), explain(r))
	assert.Contains(t, r.Warnings[0].Message, "VPCE_SERVICE_NOT_INSTALLED_IN_AZ")
}

func TestSeed003PrivateEKS(t *testing.T) {
	// Seed 003: from subnets with no internet, each service a private EKS
	// cluster needs is reachable by its default name only where an
	// endpoint exists.
	s := seedVariant(t, "seed003-private-eks.yaml")
	for _, svc := range []string{"ec2", "ecr.api", "ecr.dkr", "s3", "sts", "logs", "elasticloadbalancing"} {
		r := s.Reach(tcp("i-eks-node-1a", svc, 443))
		assert.Equal(t, reachable, r.Verdict, "%s%s", svc, explain(r))
	}
	// A service with no endpoint needs the internet the subnet lacks (S-92).
	r := s.Reach(tcp("i-eks-node-1a", "ssm", 443))
	assert.Equal(t, []string{"forward:NO_ROUTE_TO_DESTINATION"}, codes(r), explain(r))
	// Without the ec2 endpoint's private DNS, the public name needs a path
	// to the internet that the subnet lacks (S-92).
	noDNS := seedVariant(t, "seed003-private-eks.yaml", "security_groups: [sg-vpce, sg-vpce-ops]\n        private_dns: true", "security_groups: [sg-vpce, sg-vpce-ops]\n        private_dns: false")
	r = noDNS.Reach(tcp("i-eks-node-1a", "ec2.ap-southeast-1.amazonaws.com", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
}

func TestSeed004GatewayEndpoint(t *testing.T) {
	// Seed 004: S3 from the private subnet goes through the gateway
	// endpoint, not the NAT gateway; the peered VPC cannot use it (S-70).
	m, _, err := model.LoadFiles("../testdata/seed004-peering-gateway-tgw-sharing.yaml")
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	var private, peered string
	for _, e := range m.Expectations {
		if strings.Contains(e.Name, "S3") {
			private = e.From
		}
	}
	require.NotEmpty(t, private)
	r := s.Reach(tcp(private, "s3", 443))
	require.Equal(t, reachable, r.Verdict, explain(r))
	kinds := map[solver.HopKind]bool{}
	for _, h := range r.Forward {
		kinds[h.Kind] = true
	}
	assert.True(t, kinds[solver.HopGatewayEndpoint], "through the gateway endpoint")
	assert.False(t, kinds[solver.HopNATGateway], "not through the NAT gateway")
	for _, v := range m.VPCs {
		if strings.Contains(string(v.ID), "default") && len(v.Instances) > 0 {
			peered = string(v.Instances[0].ID)
		}
	}
	require.NotEmpty(t, peered)
	// The default VPC reaches S3 over its own internet gateway, never
	// through its peer's gateway endpoint.
	r = s.Reach(tcp(peered, "s3", 443))
	for _, h := range r.Forward {
		assert.NotEqual(t, solver.HopGatewayEndpoint, h.Kind, "the peer's gateway endpoint is not usable (S-70)")
	}
}
