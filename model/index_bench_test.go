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

func loadGenerated(b *testing.B, vpcs int) *model.Model {
	data, err := model.Encode(gen.Generate(gen.Options{VPCs: vpcs, Seed: 7}))
	if err != nil {
		b.Fatal(err)
	}
	m, _, err := model.LoadBytes(fmt.Sprintf("gen-%d.yaml", vpcs), data)
	if err != nil {
		b.Fatal(err)
	}
	return m
}
