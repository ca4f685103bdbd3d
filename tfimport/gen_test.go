package tfimport_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// Generated enterprise topologies, written as plans and states, import
// without errors and answer their expectations as the topology does.
func TestGeneratedModelsAsTerraform(t *testing.T) {
	for _, o := range []gen.Options{{VPCs: 12, Seed: 1, InstancesPerVPC: 6}, {VPCs: 40, Seed: 7, InstancesPerVPC: 4}} {
		m := gen.Generate(o)
		want := verdicts(t, m)
		for _, plan := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d-vpcs/plan=%v", o.VPCs, plan), func(t *testing.T) {
				data, addrs := exportTerraform(m, plan)
				im, diags := tfimport.Decode("gen.json", data)
				require.NotNil(t, im, messages(diags))
				require.NoError(t, append(diags, model.Validate(im.Planned)...).Err())
				got := *im.Planned
				got.Expectations = append([]model.Expectation(nil), m.Expectations...)
				for i := range got.Expectations {
					x := &got.Expectations[i]
					if a, ok := addrs[model.ID(x.From)]; ok {
						x.From = a
					}
					if a, ok := addrs[model.ID(x.To)]; ok {
						x.To = a
					}
				}
				assert.Equal(t, want, verdicts(t, &got))
			})
		}
	}
}
