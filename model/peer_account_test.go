package model_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// peerAccountYAML is two VPCs of two accounts, peered in one region; sg-a
// admits PEER, and vpc-b's subnet is shared with SHARED.
const peerAccountYAML = `version: 1
accounts: [{id: "111111111111"}, {id: "222222222222"}, {id: "333333333333"}]
vpcs:
  - id: vpc-a
    account: "111111111111"
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    security_groups:
      - {id: sg-a, description: a, ingress: [{protocol: tcp, ports: 443, sources: [PEER]}]}
  - id: vpc-b
    account: "222222222222"
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    subnets: [{id: sn-b, az: eu-west-1a, cidr_block: 10.1.1.0/24, shared_with: [SHARED]}]
    security_groups: [{id: sg-b, description: b}]
prefix_lists: [{id: pl-x, cidrs: [10.9.0.0/16]}]
peering_connections: [{id: pcx-ab, requester: vpc-a, accepter: vpc-b}]
`

func loadPeer(t *testing.T, peer, shared string) (*model.Model, error) {
	t.Helper()
	y := strings.NewReplacer("PEER", peer, "SHARED", shared).Replace(peerAccountYAML)
	m, _, err := model.LoadBytes("t.yaml", []byte(y))
	return m, err
}

// TestPeerAccountForm: a security group rule may name a group of another
// account as AWS's UserIdGroupPairs do, ACCOUNT/GROUP-ID; the account is
// checked against the group's (S-22 references across a peering).
func TestPeerAccountForm(t *testing.T) {
	m, err := loadPeer(t, "222222222222/sg-b", `"333333333333"`)
	require.NoError(t, err)
	p := m.VPCs[0].SecurityGroups[0].Ingress[0].Sources[0]
	assert.Equal(t, model.Peer{Ref: "sg-b", Account: "222222222222"}, p)
	assert.Equal(t, "222222222222/sg-b", p.String(), "the peer is written back as it was read")
	text, err := p.MarshalText()
	require.NoError(t, err)
	var back model.Peer
	require.NoError(t, back.UnmarshalText(text))
	assert.Equal(t, p, back)

	// A participant of a shared subnet owns the groups it creates in the
	// owner's VPC.
	_, err = loadPeer(t, "333333333333/sg-b", `"333333333333"`)
	require.NoError(t, err, "a group of a VPC shared with the account")
}

func TestPeerAccountFormErrors(t *testing.T) {
	tests := []struct {
		name, peer string
		sentinel   error
		want       string
	}{
		{"the group belongs to another account", "111111111111/sg-b", model.ErrConflict,
			`t.yaml:9:84: vpcs[0].security_groups[0].ingress[0].sources[0]: security group sg-b belongs to account 222222222222 (its VPC vpc-b), not 111111111111`},
		{"an account the model does not list", "444444444444/sg-b", model.ErrUnknownRef,
			`t.yaml:9:84: vpcs[0].security_groups[0].ingress[0].sources[0]: unknown account "444444444444"`},
		{"a prefix list is not written with an account", "222222222222/pl-x", model.ErrWrongRef,
			`t.yaml:9:84: vpcs[0].security_groups[0].ingress[0].sources[0]: "pl-x" is a prefix list: only a security group is written ACCOUNT/GROUP-ID`},
		{"an unknown group", "222222222222/sg-c", model.ErrUnknownRef,
			`t.yaml:9:84: vpcs[0].security_groups[0].ingress[0].sources[0]: unknown security group or prefix list "sg-c" (did you mean "sg-a"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadPeer(t, tt.peer, `"333333333333"`)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.sentinel), "error %v does not wrap %v", err, tt.sentinel)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}
