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
		ms := []*model.Model{Generate(seed), GenerateDualStack(seed), GenerateWithInspection(seed), GenerateInspectionVPC(seed)}
		if seed <= 500 {
			// The newer kinds on fewer seeds (their comparison tests
			// validate every model they use too): CI time.
			ms = append(ms, GenerateNAT64(seed), GenerateIPv6Services(seed))
		}
		for _, m := range ms {
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
