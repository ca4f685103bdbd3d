package tfimport_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// FuzzDecode: any input is read without a panic; a file that is not read
// says why, with a position; what is read maps to a model.
func FuzzDecode(f *testing.F) {
	for _, glob := range []string{"testdata/*.json", "testdata/fuzz/seed/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"format_version": "1.0", "values": {"root_module": {"child_modules": [{"child_modules": [{}]}]}}}`))
	f.Add([]byte(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_vpc.a", "type": "aws_vpc", "name": "a", "values": {"cidr_block": "10.0.0.0/16"}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = tfimport.Sniff(data)
		im, diags := tfimport.Decode("f.json", data)
		if im == nil {
			if diags.Err() == nil {
				t.Fatalf("not read, but no error")
			}
			for _, d := range diags.Errors() {
				if !d.Pos.IsValid() {
					t.Fatalf("an error without a position: %s", d.Error())
				}
			}
			return
		}
		if im.Planned == nil {
			t.Fatal("no planned model")
		}
		_ = model.Validate(im.Planned)
	})
}
