package diff

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// benchPair builds the solvers of a generated network and of a copy with
// one edit in its middle VPC: a security group rule opened to 10.0.0.0/8
// (in the interface endpoints' group, "rule", or the app tier's,
// "rule-app"), or a route removed.
func benchPairTB(b testing.TB, vpcs int, edit string) (old, next *solver.Solver) {
	b.Helper()
	m, n := gen.Generate(gen.Options{VPCs: vpcs, Seed: 7}), gen.Generate(gen.Options{VPCs: vpcs, Seed: 7})
	v := &n.VPCs[len(n.VPCs)/2]
	switch edit {
	case "rule", "rule-app":
		// The last group (the interface endpoints'), or the app tier's,
		// whose instances gain tcp 2222 from every VPC.
		g := &v.SecurityGroups[len(v.SecurityGroups)-1]
		if edit == "rule-app" {
			for i := range v.SecurityGroups {
				if strings.HasSuffix(string(v.SecurityGroups[i].ID), "-app") {
					g = &v.SecurityGroups[i]
				}
			}
		}
		g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 2222, Last: 2222}},
			Sources: []model.Peer{{CIDR: netipPrefix("10.0.0.0/8")}}})
	case "route":
		for i := range v.RouteTables {
			if t := &v.RouteTables[i]; len(t.Routes) > 0 {
				t.Routes = t.Routes[:len(t.Routes)-1]
				break
			}
		}
	}
	so, err := solver.New(m)
	if err != nil {
		b.Fatal(err)
	}
	sn, err := solver.New(n)
	if err != nil {
		b.Fatal(err)
	}
	return so, sn
}

// BenchmarkDiff measures CompareSolvers (classes included, solvers built
// beforehand) on a generated network with one security group rule or one
// route changed:
//
//	go test ./diff -run XXX -bench Diff -benchtime 3x
func BenchmarkDiff(b *testing.B) {
	for _, vpcs := range []int{10, 30, 100, 1000} {
		for _, edit := range []string{"rule", "rule-app", "route"} {
			b.Run(fmt.Sprintf("vpcs=%d/%s", vpcs, edit), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					so, sn := benchPairTB(b, vpcs, edit)
					// The garbage of building the pair is collected
					// before, not during, the comparison.
					runtime.GC()
					b.StartTimer()
					r := CompareSolvers(so, sn, Options{})
					if r.Summary.ResourcesChanged != 1 {
						b.Fatalf("%d resources changed", r.Summary.ResourcesChanged)
					}
				}
			})
		}
	}
}
