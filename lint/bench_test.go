package lint_test

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/lint"
)

// BenchmarkRunGenerated runs every rule on a generated estate of 1,000
// VPCs, solver compilation included: the cost of `vpcreach lint` on a large
// estate.
func BenchmarkRunGenerated(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1000, Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lint.Run(m, lint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
