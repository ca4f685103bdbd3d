package oracle_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/vpcreach/vpcreach/internal/oracle"
)

func TestScanCode(t *testing.T) {
	code := os.Getenv("SCAN_CODE")
	if code == "" {
		t.Skip()
	}
	n := 0
	for seed := uint64(1); seed < 300 && n < 8; seed++ {
		m := oracle.Generate(seed)
		o, _ := oracle.New(m, oracle.Options{})
		for _, q := range oracle.Queries(m, seed, queriesPerModel) {
			a := o.Reach(q)
			if slices.Contains(a.Blockers, code) || slices.Contains(a.Warnings, code) {
				fmt.Printf("seed %d: %s: %v\n", seed, q, oracleOutcome(a))
				n++
				break
			}
		}
	}
}
