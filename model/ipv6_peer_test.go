package model_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// An IPv6 block written as a peer (::/0) is refused as such, not taken for
// the id of an unknown security group.
func TestIPv6PeerIsNotAnUnknownGroup(t *testing.T) {
	for _, peer := range []string{"::/0", "2600:1f18::/56"} {
		_, _, err := model.LoadBytes("net.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    account: "111111111111"
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    security_groups:
      - id: sg-a
        ingress:
          - {protocol: tcp, ports: 22, sources: ["`+peer+`"]}
`))
		require.Error(t, err, peer)
		assert.Contains(t, err.Error(), "net.yaml:10:50: vpcs[0].security_groups[0].ingress[0].sources[0]: \""+peer+"\" is an IPv6 CIDR: IPv6 is not modelled yet")
		assert.False(t, errors.Is(err, model.ErrUnknownRef), "%v", err)
	}
}
