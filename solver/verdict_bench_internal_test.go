package solver

import (
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// verdictQueries are point queries over a generated topology: every
// instance of the first VPCs to the next instance, on one port.
func verdictQueries(m *model.Model) []Query {
	var ids []model.ID
	for _, v := range m.VPCs[:4] {
		for _, in := range v.Instances {
			ids = append(ids, in.ID)
		}
	}
	var qs []Query
	for i := range ids {
		qs = append(qs, Query{From: string(ids[i]), To: string(ids[(i+7)%len(ids)]), Protocol: model.ProtocolTCP, Port: 8080})
	}
	qs = append(qs, Query{From: string(ids[0]), To: "internet", Protocol: model.ProtocolTCP, Port: 443},
		Query{From: "internet", To: string(ids[1]), Protocol: model.ProtocolTCP, Port: 443})
	return qs
}

// BenchmarkReachVerdict is the verdict-only point query the whole-network
// analyses ask: no hops, no messages.
func BenchmarkReachVerdict(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 100, Seed: 1})
	s, err := New(m)
	if err != nil {
		b.Fatal(err)
	}
	qs := verdictQueries(m)
	for _, mode := range []struct {
		name string
		rec  recorder
	}{{"explain", explainRec{}}, {"verdict", verdictRec{}}} {
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.reachQuery(qs[i%len(qs)], mode.rec)
				i++
			}
		})
	}
}
