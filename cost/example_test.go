package cost_test

import (
	"fmt"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// A private instance in us-east-1b reaches the internet through a NAT
// gateway in us-east-1a: the request pays the move between zones, the NAT
// gateway's processing and internet egress; the response the processing
// and the move back.
func ExamplePricePath() {
	m, _, err := model.LoadBytes("net.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    region: us-east-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-public, az: us-east-1a, cidr_block: 10.0.0.0/24, route_table: rtb-public}
      - {id: sn-app, az: us-east-1b, cidr_block: 10.0.1.0/24}
    route_tables:
      - {id: rtb-main, main: true, routes: [{destination: 0.0.0.0/0, target: nat-a}]}
      - {id: rtb-public, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
    nat_gateways:
      - {id: nat-a, subnet: sn-public, private_ip: 10.0.0.10, public_ip: 203.0.113.10}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10}
`))
	if err != nil {
		panic(err)
	}
	s, err := solver.New(m)
	if err != nil {
		panic(err)
	}
	res := s.Reach(solver.Query{From: "i-app", To: "internet", Protocol: model.ProtocolTCP, Port: 443})
	p := cost.PricePath(s, res, cost.Default())
	fmt.Println("per GB sent:", p.Request.PerGB)
	for _, c := range p.Request.Charges {
		fmt.Printf("  hop %d %s %s: %s\n", c.Hop, c.Component, c.PerGB, c.Detail)
	}
	fmt.Println("per GB answered:", p.Response.PerGB)
	for _, h := range p.Hourly {
		fmt.Printf("hourly: %s %s %s\n", h.Kind, h.Component, h.PerHour)
	}
	// Output:
	// per GB sent: $0.155
	//   hop 6 nat-a $0.02: between zones us-east-1b and us-east-1a ($0.01 out, $0.01 in)
	//   hop 6 nat-a $0.045: NAT gateway data processing
	//   hop 10 internet $0.09: data transfer out to the internet
	// per GB answered: $0.065
	// hourly: nat-gateway nat-a $0.045
}

// A price file prices the regions it names; others get its fallback's
// prices.
func ExampleParseTable() {
	t, err := cost.ParseTable("prices.yaml", []byte(`version: 1
name: my negotiated prices
date: "2026-12-01"
fallback: eu-west-1
regions:
  eu-west-1:
    per_gb: {nat_gateway_processing: 0.048, transit_gateway_processing: 0.02, interface_endpoint_processing: 0.01, cross_az: 0.01, inter_region: 0.02, internet_egress: 0.09}
    per_hour: {nat_gateway: 0.048, interface_endpoint_az: 0.011, transit_gateway_attachment: 0.05}
`))
	if err != nil {
		panic(err)
	}
	p, exact := t.For("eu-central-1")
	fmt.Println(t.Name(), t.Date(), p.Region, exact, p.NATGatewayProcessing)
	// Output: my negotiated prices 2026-12-01 eu-west-1 false $0.048
}
