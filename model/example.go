package model

import _ "embed"

// ExampleTopology returns a small complete topology in the YAML format:
// two accounts, a peering, an internal network load balancer in front of
// Redis, gateway endpoint, NAT and internet gateways, and expectations. The
// CLI prints it with `vpcreach example`; it validates cleanly. The bytes are
// the caller's.
func ExampleTopology() []byte { return []byte(exampleTopology) }

//go:embed example.yaml
var exampleTopology string
