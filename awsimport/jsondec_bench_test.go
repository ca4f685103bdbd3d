package awsimport

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
)

// jsonFiles reads every .json file under dir into memory.
func jsonFiles(tb testing.TB, dir string) (names []string, data [][]byte, size int64) {
	tb.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		names, data, size = append(names, p), append(data, b), size+int64(len(b))
		return err
	})
	require.NoError(tb, err)
	return names, data, size
}

// scaled repeats the elements of every top-level list of each file n
// times, written as the AWS CLI writes (indented by four spaces): large
// files of real AWS objects, most of whose fields vpcreach skips.
func scaled(tb testing.TB, data [][]byte, n int) [][]byte {
	out := make([][]byte, len(data))
	for k, d := range data {
		var top map[string]json.RawMessage
		if json.Unmarshal(d, &top) != nil {
			out[k] = d
			continue
		}
		big := map[string]any{}
		for key, v := range top {
			var list []json.RawMessage
			if json.Unmarshal(v, &list) != nil {
				big[key] = v
				continue
			}
			var rep []json.RawMessage
			for range n {
				rep = append(rep, list...)
			}
			big[key] = rep
		}
		b, err := json.MarshalIndent(big, "", "    ")
		require.NoError(tb, err)
		out[k] = b
	}
	return out
}

// BenchmarkDecodeSnapshot measures the JSON decoder alone (no model is
// built, nothing is validated): every file of a 1,000-VPC exported
// snapshot; of the Batfish snapshots beside the repository, whose objects
// hold many fields vpcreach skips (214 small files); and of these with
// every list 50 times longer. Files are in memory; MB/s is the decoder's
// throughput.
func BenchmarkDecodeSnapshot(b *testing.B) {
	const batfish = "../../shared/external/batfish-aws"
	inputs := []struct {
		name  string
		files func(b *testing.B) ([]string, [][]byte)
	}{
		{"export-1000-vpcs", func(b *testing.B) ([]string, [][]byte) {
			dir := b.TempDir()
			require.NoError(b, Export(gen.Generate(gen.Options{VPCs: 1000, Seed: 1}), dir))
			names, data, _ := jsonFiles(b, dir)
			return names, data
		}},
		{"batfish", func(b *testing.B) ([]string, [][]byte) {
			names, data, _ := jsonFiles(b, batfish)
			return names, data
		}},
		{"batfish-x50", func(b *testing.B) ([]string, [][]byte) {
			names, data, _ := jsonFiles(b, batfish)
			return names, scaled(b, data, 50)
		}},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			if _, err := os.Stat(batfish); err != nil && strings.HasPrefix(in.name, "batfish") {
				b.Skip(err)
			}
			names, data := in.files(b)
			size := int64(0)
			for _, d := range data {
				size += int64(len(d))
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				r := &reader{}
				for k := range names {
					r.decodeFile(names[k], data[k], &scope{evidence: map[string]int{}})
				}
				if err := r.diags.Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
