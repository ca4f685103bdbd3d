package solver_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// checkPortMatrixByBruteForce compares the instance-level port matrix with
// point queries between every two interfaces, on every service atom: its
// probe port and a random port inside it, which must agree (an atom is a
// range no rule splits).
func checkPortMatrixByBruteForce(t *testing.T, m *model.Model, s *solver.Solver, r *rand.Rand) {
	t.Helper()
	ifs := interfaces(m)
	pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
	got := map[[2]model.ID]portset.Set{}
	for a, row := range pm.Reach {
		for i, c := range row {
			require.False(t, c.Ports.IsEmpty(), "an empty cell is listed")
			if i > 0 {
				require.Less(t, row[i-1].To, c.To, "cells are not sorted")
			}
			got[[2]model.ID{pm.Nodes[a], pm.Nodes[c.To]}] = c.Ports
		}
	}
	atoms := s.ServiceAtoms()
	for _, a := range ifs {
		for _, b := range ifs {
			if a.id == b.id {
				continue
			}
			cell := got[[2]model.ID{a.id, b.id}]
			for _, atom := range atoms {
				q := atom.Query(string(a.id), string(b.id))
				want := s.Reach(q).Reachable()
				if atom.Protocol.HasPorts() && atom.Ports.First < atom.Ports.Last {
					q.Port = atom.Ports.First + uint16(r.IntN(int(atom.Ports.Last-atom.Ports.First)+1))
					require.Equal(t, want, s.Reach(q).Reachable(), "%s -> %s: port %d disagrees with its atom %v", a.id, b.id, q.Port, atom)
				}
				if cell.Contains(atom.Protocol, q.Port) != want {
					t.Fatalf("%s -> %s %s/%d: port matrix says %v (%v), Reach says %v", a.id, b.id, atom.Protocol, q.Port, !want, cell, want)
				}
			}
		}
	}
	// The subnet level is the instance level grouped by subnet.
	subnetOf := map[model.ID]model.ID{}
	for _, f := range ifs {
		subnetOf[f.id] = f.subnet
	}
	want := map[[2]model.ID]portset.Set{}
	for k, v := range got {
		sk := [2]model.ID{subnetOf[k[0]], subnetOf[k[1]]}
		want[sk] = want[sk].Union(v)
	}
	sm := s.PortMatrix(solver.LevelSubnet, solver.AnalysisOptions{})
	n := 0
	for a, row := range sm.Reach {
		for _, c := range row {
			k := [2]model.ID{sm.Nodes[a], sm.Nodes[c.To]}
			require.True(t, want[k].Equal(c.Ports), "subnet %s -> %s: %v, want %v", k[0], k[1], c.Ports, want[k])
			n++
		}
	}
	require.Equal(t, len(want), n, "subnet cells")
}

// TestPortMatrixByBruteForce checks the every-port matrix against point
// queries on generated topologies, the oracle's random models and the
// seed topologies.
func TestPortMatrixByBruteForce(t *testing.T) {
	type tc struct {
		name string
		m    *model.Model
	}
	var cases []tc
	for seed := uint64(1); seed <= 2; seed++ {
		cases = append(cases, tc{fmt.Sprintf("generated/seed=%d", seed),
			gen.Generate(gen.Options{VPCs: 5 + 2*int(seed), Seed: seed, InstancesPerVPC: 5})})
	}
	cases = append(cases, tc{"planted/seed=4", plantOddCases(t, gen.Generate(gen.Options{VPCs: 8, Seed: 4, InstancesPerVPC: 5}))})
	for seed := uint64(1); seed <= 40; seed++ {
		cases = append(cases, tc{fmt.Sprintf("oracle/seed=%d", seed), oracle.Generate(seed)})
	}
	seeds, _ := filepath.Glob("../testdata/seed*.yaml")
	for _, f := range seeds {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		cases = append(cases, tc{filepath.Base(f), m})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := solver.New(c.m)
			require.NoError(t, err)
			checkPortMatrixByBruteForce(t, c.m, s, rand.New(rand.NewPCG(7, 11)))
		})
	}
}
