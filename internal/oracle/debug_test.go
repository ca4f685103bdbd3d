package oracle_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

func TestDebugSeed(t *testing.T) {
	s := os.Getenv("DEBUG_SEED")
	if s == "" {
		t.Skip()
	}
	seed, _ := strconv.ParseUint(s, 10, 64)
	m := oracle.Generate(seed)
	y, _ := model.Encode(m)
	if os.Getenv("DEBUG_YAML") != "" {
		fmt.Println(string(y))
	}
	sv, _ := solver.New(m)
	o, _ := oracle.New(m, oracle.Options{})
	want := os.Getenv("DEBUG_QUERY")
	for _, q := range oracle.Queries(m, seed, queriesPerModel) {
		if q.String() != want {
			continue
		}
		r := sv.Reach(toSolver(q))
		fmt.Println(r.Text())
		fmt.Println("oracle:", oracleOutcome(o.Reach(q)))
		if skip := os.Getenv("DEBUG_SKIP"); skip != "" {
			o2, _ := oracle.New(m, oracle.Options{Skip: strings.Split(skip, ",")})
			fmt.Println("oracle skipping", skip+":", oracleOutcome(o2.Reach(q)))
		}
	}
}
