package solver_test

import (
	"fmt"
	"strings"
	"testing"

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
	for _, n := range []int{100, 1000} {
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
