package cost_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestSeedCostsAgreeWithHandCalculation prices every reachable expectation
// of the seed topologies and compares it with a calculation by hand from
// the embedded table's figures (us-east-1 list prices; the seeds' regions
// are priced as us-east-1). Each case says why the path costs what it
// costs. Every reachable seed expectation must have a case, so a new seed
// path is priced by hand too.
func TestSeedCostsAgreeWithHandCalculation(t *testing.T) {
	pr, _ := cost.Default().For("us-east-1")
	var (
		nat      = pr.NATGatewayProcessing        // 0.045
		tgw      = pr.TransitGatewayProcessing    // 0.02
		endpoint = pr.InterfaceEndpointProcessing // 0.01
		crossAZ  = 2 * pr.CrossAZ                 // 0.01 out + 0.01 in
		internet = pr.InternetEgress              // 0.09
	)
	type want struct{ request, response cost.Money }
	cases := map[string]map[string]want{
		"seed000-peering-nlb.yaml": {
			// 1a -> peering -> NLB node 1a -> target 1a: one zone, the
			// peering free within a zone.
			"i-a-app-1 -> nlb-b-redis tcp/6379": {0, 0},
			// The client in 1b reaches the NLB node in 1a (the other
			// account's 1a, compared by name): one zone crossing each way;
			// node and target share 1a.
			"i-a-app-2 -> nlb-b-redis tcp/6379": {crossAZ, crossAZ},
			// Peered instances in one zone.
			"i-a-app-1 -> i-b-redis-1 icmp type 8 code 0": {0, 0},
			"i-b-redis-2 -> i-a-app-2 icmp type 8 code 0": {0, 0},
			"i-b-redis-1 -> i-c-batch tcp/8080":           {0, 0},
		},
		"seed001-peering-endpoints.yaml": {
			"i-1-app -> i-2-app tcp/443":    {0, 0},
			"i-2-app -> i-3-orders tcp/443": {0, 0},
			// Gateway endpoints are free.
			"i-1-app -> dynamodb tcp/443": {0, 0},
			"i-1-app -> s3 tcp/443":       {0, 0},
			// An interface endpoint processes each direction.
			"i-1-app -> sns.us-east-1.amazonaws.com tcp/443": {endpoint, endpoint},
			// PrivateLink to VPC3's NLB: the endpoint's processing each way;
			// node and target in one zone.
			"i-1-app -> vpce-1-orders tcp/443": {endpoint, endpoint},
		},
		"seed002-privatelink.yaml": {
			"i-prov-bastion -> i-prov-web tcp/80": {0, 0},
			// The consumer's zone apse1-az2 holds the endpoint and, across
			// PrivateLink (free), the provider's NLB node in 1b; the only
			// web server is in 1a, so the NLB crosses zones (cross-zone
			// load balancing on) both ways, plus the endpoint's processing.
			"i-cons-app -> vpce-cons-web tcp/80": {endpoint + crossAZ, endpoint + crossAZ},
		},
		"seed003-private-eks.yaml": {
			// Each AWS API through its interface endpoint: processing each
			// way; the move to the endpoint's interface is free.
			"i-eks-node-1a -> ec2.ap-southeast-1.amazonaws.com tcp/443": {endpoint, endpoint},
			"i-eks-node-1b -> ecr.api tcp/443":                          {endpoint, endpoint},
			"i-eks-node-1c -> ecr.dkr tcp/443":                          {endpoint, endpoint},
			"i-eks-node-1a -> sts tcp/443":                              {endpoint, endpoint},
			"i-eks-node-1a -> logs tcp/443":                             {endpoint, endpoint},
			"i-eks-node-1a -> vpce-03f7e3e94e933f477-jzzbvb9s.ec2.ap-southeast-1.vpce.amazonaws.com tcp/443": {endpoint, endpoint},
			// From the peered ops VPC to the endpoint: the peering hop to a
			// PrivateLink endpoint is free between zones.
			"i-ops-tools -> ec2.ap-southeast-1.amazonaws.com tcp/443": {endpoint, endpoint},
			"i-eks-node-1b -> s3 tcp/443":                             {0, 0},
		},
		"seed004-peering-gateway-tgw-sharing.yaml": {
			// Peered VPCs, both instances in us-west-2a.
			"i-a1-app -> i-default-web tcp/22": {0, 0},
			"i-default-web -> i-a1-app tcp/22": {0, 0},
			// Out through the NAT gateway (same zone as the instance): its
			// processing and internet egress; back: processing only
			// (inbound transfer is free).
			"i-a1-app -> internet tcp/443": {nat + internet, nat},
			"i-a1-app -> s3 tcp/443":       {0, 0},
			// Through the transit gateway: processing on entry from each
			// VPC, once per direction; between zones through it is free.
			"i-a1-app -> i-b-r1 tcp/443": {tgw, tgw},
			"i-c-app -> i-b-r1 tcp/443":  {tgw, tgw},
			// The shared subnet is in 2a, R1 in 2b: one crossing each way.
			"i-b-a-worker -> i-b-r1 tcp/443": {crossAZ, crossAZ},
		},
	}
	files, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	require.Len(t, files, len(cases))
	for _, f := range files {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			m, _, err := model.LoadFiles(f)
			require.NoError(t, err)
			s, err := solver.New(m)
			require.NoError(t, err)
			priced := 0
			for _, e := range m.Expectations {
				q := solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP}
				if e.Port != nil {
					q.Port = *e.Port
				}
				res := s.Reach(q)
				if !res.Reachable() {
					continue
				}
				w, ok := cases[base][q.String()]
				if !assert.True(t, ok, "%s: no hand calculation for %s", base, q) {
					continue
				}
				priced++
				got := cost.PricePath(s, res, nil)
				assert.Equal(t, w.request, got.Request.PerGB, "cost of %s per GB sent = %s, want %s (%v)", q, got.Request.PerGB, w.request, got.Request.Charges)
				assert.Equal(t, w.response, got.Response.PerGB, "cost of %s per GB answered = %s, want %s (%v)", q, got.Response.PerGB, w.response, got.Response.Charges)
			}
			assert.Equal(t, len(cases[base]), priced, "%s: every hand calculation names a reachable expectation", base)
		})
	}
}
