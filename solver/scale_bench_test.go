package solver_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// generatedQueries picks a fixed list of 64 queries over a generated
// enterprise topology (internal/gen): 16 within a VPC, 16 between VPCs
// through transit gateways (within and across regions), 16 to and from
// the internet, and 16 over VPC peerings.
func generatedQueries(m *model.Model) []solver.Query {
	type tiers struct{ web, app, db, public model.ID }
	ts := make([]tiers, len(m.VPCs))
	index := map[model.ID]int{}
	for i, v := range m.VPCs {
		index[v.ID] = i
		for _, in := range v.Instances {
			g := string(in.SecurityGroups[0])
			t := &ts[i]
			switch {
			case strings.HasSuffix(g, "-web") && in.PublicIP.IsValid() && t.public == "":
				t.public = in.ID
			case strings.HasSuffix(g, "-web") && t.web == "":
				t.web = in.ID
			case strings.HasSuffix(g, "-app") && t.app == "":
				t.app = in.ID
			case strings.HasSuffix(g, "-db") && t.db == "":
				t.db = in.ID
			}
		}
	}
	tcp := func(from, to model.ID, port uint16) solver.Query {
		return solver.Query{From: string(from), To: string(to), Protocol: model.ProtocolTCP, Port: port}
	}
	n := len(m.VPCs)
	var qs []solver.Query
	// Within a VPC: web to app, app to db.
	for k := range 16 {
		i := k * n / 16
		if k%2 == 0 {
			qs = append(qs, tcp(ts[i].app, ts[i].db, 5432))
		} else {
			qs = append(qs, tcp(ts[i].web, ts[i].app, 8080))
		}
	}
	// Between VPCs through the transit gateways: neighbours (same region),
	// and VPC i to VPC i + n/3 (the next region, peered or not).
	for k := range 16 {
		i := (k*n/16 + 1) % n
		j := (i + 1) % n
		if k%2 == 1 {
			j = (i + n/3) % n
		}
		qs = append(qs, tcp(ts[i].app, ts[j].app, 8080))
	}
	// The internet: in to public web servers and databases, out from
	// app servers (own NAT or the region's egress hub).
	var public []model.ID
	for _, t := range ts {
		if t.public != "" {
			public = append(public, t.public)
		}
	}
	for k := range 16 {
		i := (k*n/16 + 2) % n
		switch k % 3 {
		case 0:
			qs = append(qs, tcp("internet", public[k*len(public)/16], 443))
		case 1:
			qs = append(qs, tcp(ts[i].app, "internet", 443))
		default:
			qs = append(qs, tcp("internet", ts[i].db, 5432))
		}
	}
	// Over peerings.
	pcx := m.PeeringConnections
	for k := range 16 {
		p := pcx[k*len(pcx)/16]
		a, b := ts[index[p.Requester]], ts[index[p.Accepter]]
		if k%2 == 0 {
			qs = append(qs, tcp(a.app, b.app, 8080))
		} else {
			qs = append(qs, tcp(b.app, a.db, 5432))
		}
	}
	return qs
}

func BenchmarkReachGenerated(b *testing.B) {
	for _, n := range scaleSizes {
		m := gen.Generate(gen.Options{VPCs: n, Seed: 1})
		s, err := solver.New(m)
		if err != nil {
			b.Fatal(err)
		}
		qs := generatedQueries(m)
		reachable := 0
		for _, q := range qs {
			switch r := s.Reach(q); r.Verdict {
			case solver.VerdictInvalidQuery:
				b.Fatalf("%+v: %v", q, r.Err)
			case solver.VerdictReachable:
				reachable++
			}
		}
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				s.Reach(qs[i%len(qs)])
				i++
			}
			b.ReportMetric(float64(reachable)/float64(len(qs)), "reachable-share")
			// The median of the 64 queries, each timed over 20 runs.
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

func BenchmarkNewGenerated(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1000, Seed: 1})
	b.Run("vpcs=1000", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := solver.New(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClassesGenerated measures the equivalence classes of a
// generated network of 1,000 VPCs, the solver built beforehand (every
// whole-network analysis and the diff start with them).
func BenchmarkClassesGenerated(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1000, Seed: 1})
	b.Run("vpcs=1000", func(b *testing.B) {
		b.ReportAllocs()
		var classes int
		for b.Loop() {
			b.StopTimer()
			s, err := solver.New(m)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			classes = len(s.Classes())
		}
		b.ReportMetric(float64(classes), "classes")
	})
}

// scaleSizes are the generated network sizes (VPCs) the whole-network
// benchmarks run on; the README's Performance table reports them.
var scaleSizes = []int{100, 1000, 5000}

var (
	genCache   = map[int]*solver.Solver{}
	genModels  = map[int]*model.Model{}
	genCacheMu = make(chan struct{}, 1)
)

func generatedSolver(b *testing.B, vpcs int) (*model.Model, *solver.Solver) {
	genCacheMu <- struct{}{}
	defer func() { <-genCacheMu }()
	if s, ok := genCache[vpcs]; ok {
		return genModels[vpcs], s
	}
	m := gen.Generate(gen.Options{VPCs: vpcs, Seed: 1})
	s, err := solver.New(m)
	if err != nil {
		b.Fatal(err)
	}
	genCache[vpcs], genModels[vpcs] = s, m
	return m, s
}

// BenchmarkLoadValidateCompile loads a generated topology from YAML,
// validates it and compiles the solver.
func BenchmarkLoadValidateCompile(b *testing.B) {
	for _, n := range scaleSizes {
		data, err := model.Encode(gen.Generate(gen.Options{VPCs: n, Seed: 1}))
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

// firstInstance returns the first instance whose security group ends in
// suffix.
func firstInstance(m *model.Model, suffix string) model.ID {
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			if strings.HasSuffix(string(in.SecurityGroups[0]), suffix) {
				return in.ID
			}
		}
	}
	return ""
}

func BenchmarkWhoCanReachGenerated(b *testing.B) {
	for _, n := range scaleSizes {
		m, s := generatedSolver(b, n)
		q := solver.Query{To: string(firstInstance(m, "-db")), Protocol: model.ProtocolTCP, Port: 5432}
		s.Classes() // computed once per solver, outside the timing
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

func BenchmarkExposureGenerated(b *testing.B) {
	for _, n := range scaleSizes {
		_, s := generatedSolver(b, n)
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

func BenchmarkMatrixSubnetGenerated(b *testing.B) {
	for _, n := range scaleSizes[:2] {
		_, s := generatedSolver(b, n)
		s.Classes()
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 8080}, solver.LevelSubnet, solver.AnalysisOptions{})
			}
		})
	}
}

// BenchmarkMatrixInstancesOneVPC is np-guard's case: one VPC with 480
// instances, the instance-to-instance map.
func BenchmarkMatrixInstancesOneVPC(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1, Seed: 1, InstancesPerVPC: 480})
	s, err := solver.New(m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s2, _ := solver.New(m) // classes are part of the cost
		s2.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 8080}, solver.LevelInstance, solver.AnalysisOptions{})
	}
	_ = s
}
