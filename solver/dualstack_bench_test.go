package solver_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// The whole-network benchmarks of scale_bench_test.go on dual-stack
// generated networks (gen.Options.DualStack: an IPv6 address on every
// instance, IPv6 routes and rules beside the IPv4 ones):
//
//	go test ./solver -run XXX -bench 'DualStack' -benchtime 3x -benchmem

var dualSizes = []int{100, 1000}

var (
	dualMu     sync.Mutex
	dualCache  = map[int]*solver.Solver{}
	dualModels = map[int]*model.Model{}
)

func dualSolver(b *testing.B, vpcs int) (*model.Model, *solver.Solver) {
	dualMu.Lock()
	defer dualMu.Unlock()
	if s, ok := dualCache[vpcs]; ok {
		return dualModels[vpcs], s
	}
	m := gen.Generate(gen.Options{VPCs: vpcs, Seed: 1, DualStack: true})
	s, err := solver.New(m)
	if err != nil {
		b.Fatal(err)
	}
	dualCache[vpcs], dualModels[vpcs] = s, m
	return m, s
}

func BenchmarkClassesDualStack(b *testing.B) {
	for _, n := range dualSizes {
		m, _ := dualSolver(b, n)
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var classes int
			for b.Loop() {
				s, err := solver.New(m)
				if err != nil {
					b.Fatal(err)
				}
				classes = len(s.Classes())
			}
			b.ReportMetric(float64(classes), "classes")
		})
	}
}

func BenchmarkWhoCanReachDualStack(b *testing.B) {
	for _, n := range dualSizes {
		m, s := dualSolver(b, n)
		q := solver.Query{To: string(firstInstance(m, "-db")), Protocol: model.ProtocolTCP, Port: 5432}
		s.Classes()
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(s.Classes())), "classes")
			for b.Loop() {
				if _, err := s.WhoCanReach(q, solver.AnalysisOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExposureDualStack(b *testing.B) {
	for _, n := range dualSizes {
		_, s := dualSolver(b, n)
		s.Classes()
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var found int
			for b.Loop() {
				found = len(s.Exposure(nil, nil, solver.AnalysisOptions{}))
			}
			b.ReportMetric(float64(found), "exposed")
		})
	}
}

func BenchmarkMatrixSubnetDualStack(b *testing.B) {
	for _, n := range dualSizes {
		_, s := dualSolver(b, n)
		s.Classes()
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 8080}, solver.LevelSubnet, solver.AnalysisOptions{})
			}
		})
	}
}

// BenchmarkMatrixInstancesOneVPCDualStack is BenchmarkMatrixInstancesOneVPC
// on the dual-stack VPC.
func BenchmarkMatrixInstancesOneVPCDualStack(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1, Seed: 1, InstancesPerVPC: 480, DualStack: true})
	b.ReportAllocs()
	for b.Loop() {
		s, err := solver.New(m) // classes are part of the cost
		if err != nil {
			b.Fatal(err)
		}
		s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 8080}, solver.LevelInstance, solver.AnalysisOptions{})
	}
}
