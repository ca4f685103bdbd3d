package draw_test

import (
	"os"

	"github.com/vpcreach/vpcreach/draw"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

const exampleNet = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    route_tables: [{id: rtb-a, main: true, routes: [{destination: 10.1.0.0/16, target: pcx-ab}]}]
    instances: [{id: i-a, subnet: sn-a, private_ip: 10.0.1.10}]
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    subnets: [{id: sn-b, az: eu-west-1a, cidr_block: 10.1.1.0/24}]
    route_tables: [{id: rtb-b, main: true, routes: [{destination: 10.0.0.0/16, target: pcx-ab}]}]
    security_groups: [{id: sg-b, description: web, ingress: [{protocol: tcp, ports: 443, sources: [10.0.0.0/16]}]}]
    instances: [{id: i-b, subnet: sn-b, private_ip: 10.1.1.10, security_groups: [sg-b]}]
peering_connections:
  - {id: pcx-ab, requester: vpc-a, accepter: vpc-b}
`

// Two peered VPCs as a Mermaid flowchart.
func ExampleTopology() {
	m, _, err := model.LoadBytes("net.yaml", []byte(exampleNet))
	if err != nil {
		panic(err)
	}
	p, err := draw.Topology(m, draw.TopologyOptions{})
	if err != nil {
		panic(err)
	}
	_ = p.Mermaid(os.Stdout)
	// Output:
	// flowchart LR
	//   subgraph c0["eu-west-1"]
	//     subgraph c1["VPC vpc-a"]
	//       subgraph c2["subnet sn-a<br/>eu-west-1a 10.0.1.0/24"]
	//         n1["instance i-a<br/>10.0.1.10"]
	//       end
	//       n0{{"router<br/>10.0.0.0/16"}}
	//     end
	//     subgraph c3["VPC vpc-b"]
	//       subgraph c4["subnet sn-b<br/>eu-west-1a 10.1.1.0/24"]
	//         n3["instance i-b<br/>10.1.1.10"]
	//       end
	//       n2{{"router<br/>10.1.0.0/16"}}
	//     end
	//   end
	//   n0 ---|"peering pcx-ab"| n2
}

// A reach answer whose request a security group denies, as a Mermaid
// flowchart: the blocking hop is marked.
func ExamplePath() {
	m, _, err := model.LoadBytes("net.yaml", []byte(exampleNet))
	if err != nil {
		panic(err)
	}
	s, err := solver.New(m)
	if err != nil {
		panic(err)
	}
	res := s.Reach(solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolTCP, Port: 22})
	_ = draw.Path(res, draw.PathOptions{}).Mermaid(os.Stdout)
	// Output:
	// flowchart TB
	//   %% unreachable: i-a -> i-b tcp/22
	//   subgraph c0["forward path"]
	//     n0["1. instance<br/>i-a<br/>send"]
	//     n1["2. security-group egress<br/>vpc-a/default-sg<br/>allow"]
	//     n2["3. route-table<br/>rtb-a<br/>route"]
	//     n3["4. network-acl egress<br/>vpc-a/default-acl<br/>allow"]
	//     n4("5. peering-connection<br/>pcx-ab<br/>forward")
	//     n5["6. network-acl ingress<br/>vpc-b/default-acl<br/>allow"]
	//     n6["7. security-group ingress<br/>sg-b<br/>deny"]
	//     n7["8. instance<br/>i-b<br/>deliver<br/>delivered to i-b (10.1.1.10)"]
	//   end
	//   subgraph c1["return path (continuing as if allowed)"]
	//     n8["1. instance<br/>i-b<br/>send"]
	//     n9["2. route-table<br/>rtb-b<br/>route"]
	//     n10["3. network-acl egress<br/>vpc-b/default-acl<br/>allow"]
	//     n11("4. peering-connection<br/>pcx-ab<br/>forward")
	//     n12["5. network-acl ingress<br/>vpc-a/default-acl<br/>allow"]
	//     n13["6. instance<br/>i-a<br/>deliver<br/>delivered to i-a (10.0.1.10)"]
	//   end
	//   n0 -->|"i-a sends tcp/22 from 10.0.1.10 to 10.1.1.10"| n1
	//   n1 -->|"default rule: allow all traffic to 0.0.0.0/0"| n2
	//   n2 -->|"10.1.0.0/16 -#62; pcx-ab"| n3
	//   n3 -->|"rule 100 allow all traffic (implicit default ACL)"| n4
	//   n4 -->|"vpc-a -#62; vpc-b"| n5
	//   n5 -->|"rule 100 allow all traffic (implicit default ACL)"| n6
	//   n6 -.->|"no rule of [sg-b] allows tcp/22 from 10.0.1.10 to 10.1.1.10 (continuing as if allowed)"| n7
	//   n7 -.->|"response"| n8
	//   n8 -->|"i-b sends tcp/1024-65535 from 10.1.1.10 to 10.0.1.10"| n9
	//   n9 -->|"10.0.0.0/16 -#62; pcx-ab"| n10
	//   n10 -->|"rule 100 allow all traffic (implicit default ACL)"| n11
	//   n11 -->|"vpc-b -#62; vpc-a"| n12
	//   n12 -->|"rule 100 allow all traffic (implicit default ACL)"| n13
	//   classDef blocked fill:#fdecea,stroke:#c62828,color:#b71c1c
	//   class n6 blocked
	//   linkStyle 6 stroke:#c62828,color:#b71c1c
}
