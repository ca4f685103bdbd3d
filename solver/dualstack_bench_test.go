package solver_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

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

// BenchmarkLoadValidateCompileDualStack is BenchmarkLoadValidateCompile on
// the dual-stack networks.
func BenchmarkLoadValidateCompileDualStack(b *testing.B) {
	for _, n := range dualSizes {
		data, err := model.Encode(gen.Generate(gen.Options{VPCs: n, Seed: 1, DualStack: true}))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(data))/1e6, "MB-yaml")
			for b.Loop() {
				m, _, err := model.LoadBytes("gen.yaml", data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := solver.New(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReachDualStack is BenchmarkReachGenerated's 64 queries on the
// dual-stack networks, where a query between instances by id is answered
// for both families.
func BenchmarkReachDualStack(b *testing.B) {
	for _, n := range dualSizes {
		m, s := dualSolver(b, n)
		qs := generatedQueries(m)
		for _, q := range qs {
			if r := s.Reach(q); r.Verdict == solver.VerdictInvalidQuery {
				b.Fatalf("%+v: %v", q, r.Err)
			}
		}
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Reach(qs[i%len(qs)])
				i++
			}
			per := make([]float64, len(qs))
			for k, q := range qs {
				start := time.Now()
				for range 20 {
					s.Reach(q)
				}
				per[k] = float64(time.Since(start).Nanoseconds()) / 20
			}
			slices.Sort(per)
			b.ReportMetric(per[len(per)/2], "median-ns/query")
		})
	}
}

// BenchmarkAnalysesFromIndexDualStack measures what the exposure and
// who-can-reach commands pay once the network is loaded and validated:
// compiling it (NewFromIndex), its classes, the analysis, and the one-time
// lookups it starts (the owners of the internet atoms' addresses), on a
// fresh solver each time; the benchmarks above reuse one solver and its
// classes.
func BenchmarkAnalysesFromIndexDualStack(b *testing.B) {
	for _, n := range dualSizes {
		m, _ := dualSolver(b, n)
		x, _ := model.NewIndex(m)
		if err := x.Validate().Err(); err != nil {
			b.Fatal(err)
		}
		db := firstInstance(m, "-db")
		for _, analysis := range []string{"exposure", "who-can-reach"} {
			b.Run(fmt.Sprintf("%s/vpcs=%d", analysis, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s, err := solver.NewFromIndex(x)
					if err != nil {
						b.Fatal(err)
					}
					if analysis == "exposure" {
						s.Exposure(nil, nil, solver.AnalysisOptions{})
					} else if _, err := s.WhoCanReach(solver.Query{To: string(db), Protocol: model.ProtocolTCP, Port: 5432}, solver.AnalysisOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
