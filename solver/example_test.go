package solver_test

import (
	"fmt"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

const exampleTopology = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.2.0/24, network_acl: acl-db}
    network_acls:
      - id: acl-db
        ingress:
          - {rule: 100, protocol: tcp, ports: 5432, cidr: 10.0.1.0/24, action: allow}
        egress:
          - {rule: 100, protocol: tcp, ports: 1024-65535, cidr: 10.0.1.0/24, action: allow}
    security_groups:
      - {id: sg-app, description: app}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-app]}]}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10, security_groups: [sg-app]}
      - {id: i-db, subnet: sn-db, private_ip: 10.0.2.10, security_groups: [sg-db]}
`

func ExampleSolver_Reach() {
	m, _, err := model.LoadBytes("net.yaml", []byte(exampleTopology))
	if err != nil {
		panic(err)
	}
	s, err := solver.New(m)
	if err != nil {
		panic(err)
	}
	for _, port := range []uint16{5432, 22} {
		r := s.Reach(solver.Query{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: port})
		fmt.Println(r.Query, "=", r.Verdict)
		for _, b := range r.Blockers {
			fmt.Println("  ", b.Code, b.Component)
		}
	}
	// Output:
	// i-app -> i-db tcp/5432 = reachable
	// i-app -> i-db tcp/22 = unreachable
	//    SUBNET_ACL_RESTRICTION acl-db
	//    ENI_SG_RULES_MISMATCH i-db
}

// A caller that parses and checks files itself validates through the
// model's index, and NewFromIndex compiles the model without validating
// it a second time.
func ExampleNewFromIndex() {
	m, err := model.Parse("net.yaml", []byte(exampleTopology))
	if err != nil {
		panic(err)
	}
	x, _ := model.NewIndex(m)
	if err := x.Check(nil).Err(); err != nil {
		panic(err)
	}
	s, err := solver.NewFromIndex(x) // x.Validated(): not validated again
	if err != nil {
		panic(err)
	}
	r := s.Reach(solver.Query{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: 5432})
	fmt.Println(x.Validated(), r.Verdict)
	// Output:
	// true reachable
}

// EndHops gives the security group hops at the two ends of plain paths
// without walking them: here, the database's group admits the app's
// members on tcp/5432 and nothing on tcp/22. EndHopsHolding checks only
// the ends that hold given groups, leaving the others zero.
func ExampleSolver_EndHops() {
	m, _, err := model.LoadBytes("net.yaml", []byte(exampleTopology))
	if err != nil {
		panic(err)
	}
	s, err := solver.New(m)
	if err != nil {
		panic(err)
	}
	qs := []solver.Query{
		{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: 5432},
		{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: 22},
	}
	for i, h := range s.EndHops(qs) {
		fmt.Println(qs[i].Port, h.Plain, h.Egress.Component, h.Egress.Decision, "|", h.Ingress.Component, h.Ingress.Decision)
	}
	for i, h := range s.EndHopsHolding(qs, []model.ID{"sg-db"}) {
		fmt.Printf("%d %q %s\n", qs[i].Port, h.Egress.Component, h.Ingress.Decision)
	}
	// Output:
	// 5432 true sg-app allow | sg-db allow
	// 22 true sg-app allow | sg-db deny
	// 5432 "" allow
	// 22 "" deny
}
