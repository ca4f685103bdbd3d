package model_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/model"
)

// TestPackageValuesAreTheCallers checks that changing what the package's
// value functions return changes nothing for the next caller.
func TestPackageValuesAreTheCallers(t *testing.T) {
	ex := model.ExampleTopology()
	want := bytes.Clone(ex)
	ex[0] = '!'
	assert.Equal(t, want, model.ExampleTopology(), "ExampleTopology after changing an earlier answer")

	names := model.ServiceShortNames()
	assert.Contains(t, names, "s3")
	names[0] = "changed"
	assert.NotContains(t, model.ServiceShortNames(), "changed")
	assert.True(t, model.IsServiceShortName("s3"))
	assert.False(t, model.IsServiceShortName("changed"))

	assert.Equal(t, model.PortRange{First: 0, Last: 65535}, model.AllPorts())
	assert.Equal(t, "all", model.AllPorts().String())
	assert.Equal(t, model.ICMPMatch{Type: -1, Code: -1}, model.AnyICMP())
	assert.True(t, model.AnyICMP().Matches(3, 4))
}
