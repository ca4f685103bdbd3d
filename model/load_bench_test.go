package model_test

import (
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// BenchmarkNewIndex indexes a generated network of 1,000 VPCs loaded from
// YAML (so that every resource has its positions).
func BenchmarkNewIndex(b *testing.B) {
	m := loadGenerated(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		model.NewIndex(m)
	}
}

// BenchmarkValidate validates the same network.
func BenchmarkValidate(b *testing.B) {
	m := loadGenerated(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := model.Validate(m).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse decodes the YAML of the same network (10 MB), without
// validating it.
func BenchmarkParse(b *testing.B) {
	data := generatedYAML(b, 1000)
	b.ReportAllocs()
	b.ReportMetric(float64(len(data))/1e6, "MB-yaml")
	for b.Loop() {
		if _, err := model.Parse("gen.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func generatedYAML(b *testing.B, vpcs int) []byte {
	data, err := model.Encode(gen.Generate(gen.Options{VPCs: vpcs, Seed: 7}))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func loadGenerated(b *testing.B, vpcs int) *model.Model {
	data := generatedYAML(b, vpcs)
	m, _, err := model.LoadBytes(fmt.Sprintf("gen-%d.yaml", vpcs), data)
	if err != nil {
		b.Fatal(err)
	}
	return m
}
