package solver_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Resources imported from Terraform are named by their addresses, which
// hold dots (aws_instance.db): as a destination, such an id names its
// resource; only a name no resource has is looked up in DNS.
func TestDestinationIDWithDotsIsNotADNSName(t *testing.T) {
	m, _, err := model.LoadBytes("net.yaml", []byte(`version: 1
vpcs:
  - id: aws_vpc.main
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: aws_subnet.a, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    security_groups:
      - id: aws_security_group.db
        description: db
        ingress:
          - {protocol: tcp, ports: 5432, sources: [10.0.0.0/16]}
    instances:
      - {id: aws_instance.app, subnet: aws_subnet.a, private_ip: 10.0.1.10}
      - {id: 'module.db["a"].aws_instance.db', subnet: aws_subnet.a, private_ip: 10.0.1.11, security_groups: [aws_security_group.db]}
`))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	res := s.Reach(solver.Query{From: "aws_instance.app", To: `module.db["a"].aws_instance.db`, Protocol: model.ProtocolTCP, Port: 5432})
	assert.Equal(t, solver.VerdictReachable, res.Verdict, res.Text())
	res = s.Reach(solver.Query{From: "aws_instance.app", To: "db.example.internal", Protocol: model.ProtocolTCP, Port: 5432})
	assert.NotEqual(t, solver.VerdictReachable, res.Verdict, "a name no resource has is still a DNS name:\n%s", res.Text())
}
