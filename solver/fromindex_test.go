package solver_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestNewFromIndexValidates: an index that has not validated its model
// gets it validated, and an invalid model is refused as New refuses it.
func TestNewFromIndexValidates(t *testing.T) {
	m, err := model.Parse("net.yaml", []byte(exampleTopology))
	require.NoError(t, err)
	m.VPCs[0].Instances[1].Subnet = "sn-nowhere"
	_, errNew := solver.New(m)
	require.Error(t, errNew)
	x, _ := model.NewIndex(m)
	_, err = solver.NewFromIndex(x)
	require.Error(t, err, "NewFromIndex of an invalid model")
	assert.Equal(t, errNew.Error(), err.Error())
	assert.False(t, x.Validated())
}

// TestNewFromIndexUsesTheIndex: the solver answers as New's does, and
// keeps the index it was given.
func TestNewFromIndexUsesTheIndex(t *testing.T) {
	m, err := model.Parse("net.yaml", []byte(exampleTopology))
	require.NoError(t, err)
	x, _ := model.NewIndex(m)
	require.NoError(t, x.Validate().Err())
	require.True(t, x.Validated())
	s, err := solver.NewFromIndex(x)
	require.NoError(t, err)
	assert.Same(t, x, s.Index())
	ref, err := solver.New(m)
	require.NoError(t, err)
	for _, port := range []uint16{5432, 22} {
		q := solver.Query{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: port}
		assert.Equal(t, ref.Reach(q).Verdict, s.Reach(q).Verdict, "Reach(%s)", q)
	}
}
