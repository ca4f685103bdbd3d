package tfimport_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/diff"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// TestReplacedResources checks that a plan's replacements (actions delete
// and create, in either order) are listed for resources both sides hold,
// and not for updates, creations, no-ops or Terraform resources that are
// no resource of the model (a route is part of its table); and that diff
// reports such a resource as removed and added, marked replaced.
func TestReplacedResources(t *testing.T) {
	data, err := os.ReadFile("testdata/handwritten/seed001-peering-endpoints.change.json")
	require.NoError(t, err)
	set := func(addr, actions string) {
		old := []byte(`"address": "` + addr + `",`)
		rc := bytes.Index(data, []byte(`"resource_changes"`))
		require.Positive(t, rc)
		i := bytes.Index(data[rc:], old)
		require.GreaterOrEqual(t, i, 0, addr)
		i += rc
		j := bytes.Index(data[i:], []byte(`"actions": [`))
		require.GreaterOrEqual(t, j, 0, addr)
		k := bytes.IndexByte(data[i+j:], ']')
		data = append(append(append([]byte{}, data[:i+j]...), []byte(`"actions": [`+actions+`]`)...), data[i+j+k+1:]...)
	}
	set("aws_instance.app1", `"delete", "create"`)
	set("aws_security_group.sg_2_app", `"create", "delete"`)
	set("aws_route.vpc2_to_vpc1", `"delete", "create"`) // part of a route table
	set("aws_vpc.vpc1", `"update"`)
	im, diags := tfimport.Decode("change.json", data)
	require.NoError(t, diags.Err())
	require.Equal(t, []model.ID{"aws_instance.app1", "aws_security_group.sg_2_app"}, im.Replaced)

	r, err := diff.Compare(im.Prior, im.Planned, diff.Options{Replaced: im.Replaced})
	require.NoError(t, err)
	var got []string
	for _, res := range r.Resources {
		if res.Replaced {
			got = append(got, string(res.ID)+" "+string(res.Change))
		}
	}
	assert.Equal(t, []string{"aws_instance.app1 added", "aws_instance.app1 removed", "aws_security_group.sg_2_app added", "aws_security_group.sg_2_app removed"}, got)
	for _, res := range r.Resources {
		assert.False(t, res.ID == "aws_instance.app1" && res.Change == diff.Modified, "a replaced resource is not also modified")
	}
	// The change of the plan still shows, with its cause.
	require.NotEmpty(t, r.Gained)

	// Without the replacements, the same resources are unchanged.
	plain, err := diff.Compare(im.Prior, im.Planned, diff.Options{})
	require.NoError(t, err)
	for _, res := range plain.Resources {
		assert.NotEqual(t, model.ID("aws_instance.app1"), res.ID)
	}
}
