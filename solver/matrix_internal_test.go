package solver

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// TestMatrixEngineAgreesWithReach checks the matrix engine's factored
// verdict (for one atom, or the set of atoms for several) against a
// verdict-only Reach of each atom for every pair of classes, on
// generated topologies with and without planted overlaps, and that the
// engine answers most pairs itself (plain or blocked skeletons).
func TestMatrixEngineAgreesWithReach(t *testing.T) {
	for _, o := range []gen.Options{
		{VPCs: 9, Seed: 1, InstancesPerVPC: 10},
		{VPCs: 12, Seed: 2, InstancesPerVPC: 8, OverlapEvery: 4},
		{VPCs: 14, Seed: 3, InstancesPerVPC: 6, Regions: []string{"eu-west-1", "us-east-1"}},
		{VPCs: 9, Seed: 1, InstancesPerVPC: 10, DualStack: true},
		{VPCs: 12, Seed: 2, InstancesPerVPC: 8, OverlapEvery: 4, DualStack: true},
	} {
		t.Run(fmt.Sprintf("vpcs=%d,seed=%d,dual=%v", o.VPCs, o.Seed, o.DualStack), func(t *testing.T) {
			s, err := New(gen.Generate(o))
			require.NoError(t, err)
			// Single queries, as Matrix asks them, and every tcp port atom
			// at once, as ClassPorts does.
			var tcpAtoms []Query
			for _, a := range s.ServiceAtoms() {
				if a.Protocol == model.ProtocolTCP && len(tcpAtoms) < maxEngineAtoms {
					tcpAtoms = append(tcpAtoms, a.Query("", ""))
				}
			}
			for _, qs := range [][]Query{
				{{Protocol: model.ProtocolTCP, Port: 8080}},
				{{Protocol: model.ProtocolTCP, Port: 5432, Ephemeral: model.PortRange{First: 32768, Last: 60999}}},
				{{Protocol: model.ProtocolICMP}},
				{{Protocol: model.ProtocolICMPv6}},
				{{Protocol: model.ProtocolAll}},
				tcpAtoms,
			} {
				e := s.newMatrixLayout().engine(qs)
				e.buildTable(nil)
				var buf []sgeval.PortDecision
				fast := 0
				for a := range e.classes {
					for b := range e.classes {
						if a == b && len(e.classes[a].Members) < 2 {
							continue
						}
						got := e.pair(int32(a), int32(b), &buf)
						want := e.reach(int32(a), int32(b))
						require.Equal(t, want, got, "%s -> %s %s/%d (and %d more atoms)", e.classes[a].Members[0], e.classes[b].Members[0], qs[0].Protocol, qs[0].Port, len(qs)-1)
					}
				}
				cells := 0
				for _, fe := range e.fe {
					if fe == nil {
						continue
					}
					all := fe.table.all()
					cells += len(all)
					for _, k := range all {
						if k.status != skelFallback {
							fast++
						}
					}
				}
				if cells > 0 {
					require.Greater(t, fast*10, cells*9, "most skeletons are plain or blocked")
				}
				slow := 0
				for ci := range e.classes {
					if e.slow[ci] {
						slow++
					}
				}
				require.Less(t, slow*10, len(e.classes), "the engine answers for most classes")
				if o.DualStack {
					require.NotNil(t, e.fl[fam6], "dual-stack classes have IPv6 atoms")
				}
			}
		})
	}
}

// TestSkeletonsDoNotDependOnPort checks what lets ClassPorts share one
// skeleton table between every port atom of a protocol: a path walk's
// skeleton (status, delivery VPC, crossings, group references) is the
// same whichever port the probe asks for. The ACL flags, which do depend
// on the port, are left out.
func TestSkeletonsDoNotDependOnPort(t *testing.T) {
	models := map[string]*model.Model{
		"generated": gen.Generate(gen.Options{VPCs: 9, Seed: 1, InstancesPerVPC: 6}),
		"regions":   gen.Generate(gen.Options{VPCs: 12, Seed: 3, InstancesPerVPC: 5, Regions: []string{"eu-west-1", "us-east-1"}}),
	}
	for seed := uint64(1); seed <= 60; seed++ {
		models[fmt.Sprintf("oracle/seed=%d", seed)] = oracle.Generate(seed)
	}
	const pathFlags = skRefOK | skEgressRefOK | skLocal
	for name, m := range models {
		s, err := New(m)
		require.NoError(t, err, name)
		layout := s.newMatrixLayout()
		atoms := s.ServiceAtoms()
		for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
			var qs []Query
			for _, a := range atoms {
				if a.Protocol == p && len(qs) < maxEngineAtoms {
					qs = append(qs, a.Query("", ""))
				}
			}
			shared := layout.engine(qs)
			shared.buildTable(nil)
			for _, q := range qs[1:] {
				one := layout.engine([]Query{q})
				one.buildTable(nil)
				for f, fe := range one.fe {
					if fe == nil {
						continue
					}
					sharedCells := shared.fe[f].table.all()
					for i, k := range fe.table.all() {
						g := sharedCells[i]
						if k.status != g.status || k.vpc != g.vpc || k.x != g.x || k.y != g.y || k.flags&pathFlags != g.flags&pathFlags {
							t.Fatalf("%s: family %d skeleton %d for %s/%d is %+v, for %s/%d %+v", name, f, i, p, q.Port, k, p, qs[0].Port, g)
						}
					}
				}
			}
		}
	}
}

// all returns every skeleton of a dense table, row by row.
func (t *skelTable) all() []skel {
	out := make([]skel, t.nRows*t.nCols)
	for r := range t.nRows {
		t.row(int32(r), out[r*t.nCols:(r+1)*t.nCols])
	}
	return out
}
