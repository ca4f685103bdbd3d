package tfimport_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// BenchmarkLoad compares loading a network from a Terraform plan (every
// id unknown until apply, references through the configuration) and from
// a state with loading the same network from YAML: read, map and
// validate. The target: a plan loads within 2x of the YAML.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		m := gen.Generate(gen.Options{VPCs: n, Seed: 1})
		yamlData, err := model.Encode(m)
		if err != nil {
			b.Fatal(err)
		}
		// Terraform writes its JSON on one line, without indentation.
		plan, _ := exportTerraform(m, true)
		state, _ := exportTerraform(m, false)
		plan, state = compact(b, plan), compact(b, state)
		b.Run(fmt.Sprintf("%d-vpcs/yaml", n), func(b *testing.B) {
			b.SetBytes(int64(len(yamlData)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, _, err := model.LoadBytes("net.yaml", yamlData); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, c := range []struct {
			name string
			data []byte
		}{{"plan", plan}, {"state", state}} {
			b.Run(fmt.Sprintf("%d-vpcs/%s", n, c.name), func(b *testing.B) {
				b.SetBytes(int64(len(c.data)))
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					im, diags := tfimport.Decode("plan.json", c.data)
					if im == nil {
						b.Fatal(diags.Err())
					}
					if err := model.Validate(im.Planned).Err(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func compact(b *testing.B, data []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, data); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}
