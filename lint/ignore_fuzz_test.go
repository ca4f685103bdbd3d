package lint_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// FuzzParseIgnores: any input gives ignore comments or an error, never a
// panic, and every comment found is a comment of the file that covers
// lines after (or at) its own, or none.
func FuzzParseIgnores(f *testing.F) {
	for _, p := range []string{"testdata/unused-ignore/fires.yaml", "testdata/unused-ignore/clean.yaml"} {
		data, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a: 1 # vpcreach:ignore x\n"))
	f.Add([]byte("- {a: '# vpcreach:ignore x'} # vpcreach:ignore y,z why\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		igs, err := lint.ParseIgnores("f.yaml", data)
		if err != nil {
			return
		}
		for _, ig := range igs {
			if ig.Pos.File != "f.yaml" || ig.Pos.Line < 1 || ig.Pos.Column < 1 {
				t.Fatalf("ignore at %s", ig.Pos)
			}
			if ig.Start != 0 && (ig.Start < ig.Pos.Line || ig.End < ig.Start) {
				t.Fatalf("ignore at %s covers lines %d-%d", ig.Pos, ig.Start, ig.End)
			}
			if ig.Start == 0 && ig.Covers(model.Position{File: "f.yaml", Line: ig.Pos.Line + 1, Column: 1}) {
				t.Fatalf("ignore at %s covers no resource, yet covers a position", ig.Pos)
			}
		}
	})
}
