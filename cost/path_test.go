package cost_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// pricingSolver loads cost/testdata/pricing.yaml.
func pricingSolver(t *testing.T) *solver.Solver {
	t.Helper()
	m, _, err := model.LoadFiles("testdata/pricing.yaml")
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	return s
}

// TestPricingRules prices one path per rule of PricePath on the pricing
// test network, against figures computed by hand from the embedded
// table (eu-west-1 is priced as us-east-1).
func TestPricingRules(t *testing.T) {
	s := pricingSolver(t)
	pr, _ := cost.Default().For("us-east-1")
	var (
		nat      = pr.NATGatewayProcessing
		tgw      = pr.TransitGatewayProcessing
		crossAZ  = 2 * pr.CrossAZ
		region   = pr.InterRegion
		internet = pr.InternetEgress
	)
	cases := []struct {
		name, from, to    string
		request, response cost.Money
		kinds             []cost.ChargeKind // request's charges, in order
		hourly            []model.ID
		note              string
	}{
		{"a NAT gateway in another zone: the move to it, its processing and internet egress; back: processing and the move",
			"i-a-1b", "internet", crossAZ + nat + internet, nat + crossAZ,
			[]cost.ChargeKind{cost.ChargeCrossAZ, cost.ChargeNATProcessing, cost.ChargeInternetEgress}, []model.ID{"nat-a"}, ""},
		{"S3 of the same region through a NAT gateway: processing only, the service's public address is not the internet",
			"i-a-1a", "com.amazonaws.us-east-1.s3", nat, nat,
			[]cost.ChargeKind{cost.ChargeNATProcessing}, []model.ID{"nat-a"}, ""},
		{"S3 of another region through a NAT gateway: processing and transfer between regions, both ways",
			"i-a-1a", "com.amazonaws.eu-west-1.s3", nat + region, region + nat,
			[]cost.ChargeKind{cost.ChargeNATProcessing, cost.ChargeInterRegion}, []model.ID{"nat-a"}, "eu-west-1 is not in the price table: priced as us-east-1"},
		{"from the internet: inbound is free, the response pays internet egress",
			"internet", "i-web", 0, internet, nil, nil, ""},
		{"a peering across regions: transfer between regions, charged by each sender",
			"i-a-1a", "i-e", region, region,
			[]cost.ChargeKind{cost.ChargeInterRegion}, nil, "eu-west-1 is not in the price table: priced as us-east-1"},
		{"transit gateway peering across regions: processing on entry from the VPC, transfer between regions; the peer gateway does not process again",
			"i-a-1a", "i-f", tgw + region, tgw + region,
			[]cost.ChargeKind{cost.ChargeTGWProcessing, cost.ChargeInterRegion},
			[]model.ID{"tgw-attach-a", "tgw-attach-use1-peer", "tgw-attach-euw1-peer", "tgw-attach-f"}, ""},
		{"a network load balancer sends across zones to its target: charged both ways",
			"i-a-1a", "nlb-a", crossAZ, crossAZ, []cost.ChargeKind{cost.ChargeCrossAZ}, nil, "load balancer hours and capacity units (LCU) are not priced"},
		{"an application load balancer and its target in another zone: free",
			"i-a-1a", "alb-a", 0, 0, nil, nil, "load balancer hours and capacity units (LCU) are not priced"},
		{"an external network behind a VPN: not priced, and said so",
			"i-a-1a", "onprem", 0, 0, nil, nil, "data transfer to and from external networks (VPN, Direct Connect) is not priced"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := solver.Query{From: c.from, To: c.to, Protocol: model.ProtocolTCP, Port: 80}
			res := s.Reach(q)
			require.True(t, res.Reachable(), "Reach(%s) = %s, want reachable:\n%s", q, res.Verdict, res.Text())
			p := cost.PricePath(s, res, nil)
			assert.Equal(t, c.request, p.Request.PerGB, "cost of %s per GB sent = %s, want %s (%v)", q, p.Request.PerGB, c.request, p.Request.Charges)
			assert.Equal(t, c.response, p.Response.PerGB, "cost of %s per GB answered = %s, want %s (%v)", q, p.Response.PerGB, c.response, p.Response.Charges)
			var kinds []cost.ChargeKind
			sum := cost.Money(0)
			for _, ch := range p.Request.Charges {
				kinds = append(kinds, ch.Kind)
				sum += ch.PerGB
				assert.Positive(t, ch.Hop, "a charge names its hop")
				assert.LessOrEqual(t, ch.Hop, len(res.Forward))
			}
			assert.Equal(t, c.kinds, kinds, "charges of %s", q)
			assert.Equal(t, p.Request.PerGB, sum, "the request's cost is the sum of its charges")
			var hourly []model.ID
			for _, h := range p.Hourly {
				hourly = append(hourly, h.Component)
			}
			assert.Equal(t, c.hourly, hourly, "hourly charges of %s", q)
			if c.note != "" {
				assert.Contains(t, p.Notes, c.note)
			}
		})
	}
}

// TestTableOfTheRegionIsUsed: a table that prices eu-west-1 prices its
// hops with its own figures, and the fallback note goes away.
func TestTableOfTheRegionIsUsed(t *testing.T) {
	s := pricingSolver(t)
	table, err := cost.ParseTable("prices.yaml", []byte(`version: 1
fallback: us-east-1
regions:
  us-east-1:
    per_gb: {nat_gateway_processing: 0.045, transit_gateway_processing: 0.02, interface_endpoint_processing: 0.01, cross_az: 0.01, inter_region: 0.02, internet_egress: 0.09}
    per_hour: {nat_gateway: 0.045, interface_endpoint_az: 0.01, transit_gateway_attachment: 0.05}
  eu-west-1:
    per_gb: {nat_gateway_processing: 0.048, transit_gateway_processing: 0.025, interface_endpoint_processing: 0.01, cross_az: 0.01, inter_region: 0.03, internet_egress: 0.09}
    per_hour: {nat_gateway: 0.048, interface_endpoint_az: 0.011, transit_gateway_attachment: 0.06}
`))
	require.NoError(t, err)
	res := s.Reach(solver.Query{From: "i-a-1a", To: "i-f", Protocol: model.ProtocolTCP, Port: 80})
	p := cost.PricePath(s, res, table)
	// Request: us-east-1's processing and transfer; response: eu-west-1's.
	assert.Equal(t, cost.Money(40_000), p.Request.PerGB)
	assert.Equal(t, cost.Money(55_000), p.Response.PerGB)
	assert.Empty(t, p.Notes)
	want := []cost.Hourly{
		{Kind: cost.HourlyTGWAttachment, Component: "tgw-attach-a", Units: 1, PerHour: 50_000, Region: "us-east-1"},
		{Kind: cost.HourlyTGWAttachment, Component: "tgw-attach-use1-peer", Units: 1, PerHour: 50_000, Region: "us-east-1"},
		{Kind: cost.HourlyTGWAttachment, Component: "tgw-attach-euw1-peer", Units: 1, PerHour: 60_000, Region: "eu-west-1"},
		{Kind: cost.HourlyTGWAttachment, Component: "tgw-attach-f", Units: 1, PerHour: 60_000, Region: "eu-west-1"},
	}
	assert.Equal(t, want, p.Hourly)
}

// TestEndpointHoursCountItsZones: an interface endpoint is charged per
// hour for each zone it is in.
func TestEndpointHoursCountItsZones(t *testing.T) {
	m, _, err := model.LoadFiles("../testdata/seed003-private-eks.yaml")
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	res := s.Reach(solver.Query{From: "i-eks-node-1a", To: "sts", Protocol: model.ProtocolTCP, Port: 443})
	require.True(t, res.Reachable())
	p := cost.PricePath(s, res, nil)
	pr, _ := cost.Default().For("us-east-1")
	require.Len(t, p.Hourly, 1)
	assert.Equal(t, cost.HourlyInterfaceEndpoint, p.Hourly[0].Kind)
	assert.Equal(t, 3, p.Hourly[0].Units, "the STS endpoint is in three zones")
	assert.Equal(t, 3*pr.InterfaceEndpointAZHour, p.Hourly[0].PerHour)
}

// TestPricePathIsDeterministic: the same answer prices the same every
// time.
func TestPricePathIsDeterministic(t *testing.T) {
	s := pricingSolver(t)
	res := s.Reach(solver.Query{From: "i-a-1b", To: "internet", Protocol: model.ProtocolTCP, Port: 80})
	first := cost.PricePath(s, res, nil)
	for range 20 {
		assert.Equal(t, first, cost.PricePath(s, res, nil))
	}
}
