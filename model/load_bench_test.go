package model_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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

// BenchmarkLoadGenerated is what `vpcreach validate FILE` does with a
// generated network: read and decode the file (in pieces, in parallel),
// index the model and validate it, at 1,000 and 5,000 VPCs (10 and 50 MB
// of YAML).
func BenchmarkLoadGenerated(b *testing.B) {
	for _, vpcs := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("vpcs=%d", vpcs), func(b *testing.B) {
			// The text `vpcreach generate --vpcs N --seed 7` writes.
			var buf bytes.Buffer
			if err := gen.Write(&buf, gen.Options{VPCs: vpcs, Seed: 7}); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			path := filepath.Join(b.TempDir(), "gen.yaml")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ReportMetric(float64(len(data))/1e6, "MB-yaml")
			for b.Loop() {
				models, decoding := model.ParseFiles(path)
				if len(models) != 1 {
					b.Fatal(decoding)
				}
				x, _ := model.NewIndex(models[0])
				if err := x.Check(decoding).Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
