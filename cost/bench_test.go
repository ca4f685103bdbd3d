package cost_test

import (
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// BenchmarkPriceMatrix prices the subnet matrix (tcp/443) of generated
// networks: one point query and one PricePath per reaching class pair.
func BenchmarkPriceMatrix(b *testing.B) {
	for _, vpcs := range []int{10, 40} {
		b.Run(fmt.Sprintf("vpcs=%d", vpcs), func(b *testing.B) {
			s, err := solver.New(gen.Generate(gen.Options{VPCs: vpcs, Seed: 1}))
			if err != nil {
				b.Fatal(err)
			}
			m := s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 443}, solver.LevelSubnet, solver.AnalysisOptions{})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				cost.PriceMatrix(s, m, nil)
			}
		})
	}
}

// BenchmarkPricePath prices one path through a NAT gateway to the
// internet.
func BenchmarkPricePath(b *testing.B) {
	m, _, err := model.LoadFiles("testdata/pricing.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s, err := solver.New(m)
	if err != nil {
		b.Fatal(err)
	}
	res := s.Reach(solver.Query{From: "i-a-1b", To: "internet", Protocol: model.ProtocolTCP, Port: 80})
	b.ReportAllocs()
	for b.Loop() {
		cost.PricePath(s, res, nil)
	}
}
