package oracle

import (
	"testing"

	"github.com/vpcreach/vpcreach/model"
)

// TestGeneratedModelsAreValid checks that the generators' models (IPv4,
// dual-stack, with inspection appliances, with an inspection VPC behind a
// transit gateway, with NAT64, with IPv6 on services) pass validation and that the walker accepts them: a
// model validation rejects is a generator bug.
func TestGeneratedModelsAreValid(t *testing.T) {
	for seed := uint64(1); seed <= 2000; seed++ {
		for _, m := range []*model.Model{Generate(seed), GenerateDualStack(seed), GenerateWithInspection(seed), GenerateInspectionVPC(seed), GenerateNAT64(seed), GenerateIPv6Services(seed)} {
			if err := model.Validate(m).Err(); err != nil {
				y, _ := model.Encode(m)
				t.Fatalf("seed %d: generated model is invalid: %v\n%s", seed, err, y)
			}
			if _, err := New(m, Options{}); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
	}
}
