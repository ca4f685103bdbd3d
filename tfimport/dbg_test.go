package tfimport_test

import (
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
	"github.com/vpcreach/vpcreach/tfimport"
)

func TestDbg(t *testing.T) {
	m, _, _ := model.LoadFiles("../testdata/seed003-private-eks.yaml")
	data, _ := exportTerraform(m, false)
	im, diags := tfimport.Decode("x.json", data)
	for _, d := range diags { fmt.Println(d.Error()) }
	got := *im.Planned
	got.Expectations = m.Expectations
	tfimport.RewriteRefs(&got, im)
	s, _ := solver.New(&got)
	o := s.Check()
	fmt.Println(o[7].Result.Text())
	out, _ := model.Encode(im.Planned)
	fmt.Println(string(out))
}
