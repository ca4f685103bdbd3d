package model

import _ "embed"

// ExampleTopology is a small complete topology in the YAML format: two
// accounts, a peering, an internal network load balancer in front of Redis,
// gateway endpoint, NAT and internet gateways, and expectations. The CLI
// prints it with `vpcreach example`; it validates cleanly.
//
//go:embed example.yaml
var ExampleTopology []byte
