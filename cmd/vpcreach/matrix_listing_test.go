package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestMatrixSummaryGolden pins the per-VPC summary of a matrix, one port
// and every port, text and JSON.
func TestMatrixSummaryGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"matrix-seed004-summary", []string{"matrix", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--port", "443", "--listing", "summary"}},
		{"matrix-seed004-summary-instances-json", []string{"matrix", "../../testdata/seed004-peering-gateway-tgw-sharing.yaml", "--port", "443", "--level", "instance", "--listing", "summary", "--output", "json"}},
		{"matrix-seed000-all-ports-summary", []string{"matrix", net000, "--ports", "all", "--listing", "summary"}},
	} {
		t.Run(tt.name, func(t *testing.T) { golden(t, tt.name, exitOK, tt.args...) })
	}
}

// TestMatrixListingFlag checks --listing's values and that --cost, which
// prices every pair, refuses it.
func TestMatrixListingFlag(t *testing.T) {
	code, stdout, stderr := runCLI("matrix", net000, "--port", "443", "--cost", "--listing", "full")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "vpcreach matrix: --cost lists every reaching pair with its price: --listing does not apply\n", stderr)
	code, _, stderr = runCLI("matrix", net000, "--port", "443", "--listing", "some")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "must be auto, full or summary")
	// auto: every pair in JSON; in text up to summaryAbove nodes, a
	// summary beyond, said on stderr.
	var note bytes.Buffer
	assert.Equal(t, listingFull, chooseListing(listingAuto, true, summaryAbove+1, solver.LevelSubnet, &note))
	assert.Equal(t, listingFull, chooseListing(listingAuto, false, summaryAbove, solver.LevelSubnet, &note))
	assert.Empty(t, note.String())
	assert.Equal(t, listingSummary, chooseListing(listingAuto, false, summaryAbove+1, solver.LevelSubnet, &note))
	assert.Equal(t, "vpcreach matrix: 1001 subnets: printing a summary per VPC; --listing full prints every pair\n", note.String())
	assert.Equal(t, listingFull, chooseListing(listingFull, false, summaryAbove+1, solver.LevelInstance, &note))
}

// TestMatrixStreamsWhatWriteJSONWrites checks that the streamed text and
// JSON of a one-port matrix are the bytes of the listing built whole, on
// generated networks at both levels, and that the summary's counts are
// those of the whole matrix.
func TestMatrixStreamsWhatWriteJSONWrites(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		s, err := solver.New(gen.Generate(gen.Options{VPCs: 6, Seed: seed, InstancesPerVPC: 12}))
		require.NoError(t, err)
		for _, lv := range []solver.MatrixLevel{solver.LevelSubnet, solver.LevelInstance} {
			q := solver.Query{Protocol: model.ProtocolTCP, Port: 8080}
			m := s.Matrix(q, lv, solver.AnalysisOptions{})
			rows := s.MatrixRows(q, lv, solver.AnalysisOptions{})

			doc := struct {
				Level    string                `json:"level"`
				Protocol string                `json:"protocol"`
				Port     uint16                `json:"port,omitempty"`
				Reach    map[string][]model.ID `json:"reach"`
			}{Level: lv.String(), Protocol: "tcp", Port: 8080, Reach: map[string][]model.ID{}}
			var text strings.Builder
			pairs, reaching := 0, 0
			for i, row := range m.Reach {
				dsts := []model.ID{}
				for _, j := range row {
					dsts = append(dsts, m.Nodes[j])
				}
				doc.Reach[string(m.Nodes[i])] = dsts
				text.WriteString(string(m.Nodes[i]) + " -> " + orNone(idsText(dsts)) + "\n")
				pairs += len(row)
				if len(row) > 0 {
					reaching++
				}
			}
			var whole, streamed, streamedText bytes.Buffer
			writeJSON(&whole, doc)
			writeMatrixJSON(&streamed, rows)
			require.Equal(t, whole.String(), streamed.String(), "seed %d, %s level", seed, lv)
			writeMatrixText(&streamedText, rows)
			require.Equal(t, text.String(), streamedText.String())
			require.Positive(t, pairs, "a matrix where nothing reaches proves little")

			sum := summarizeMatrix(s.Index(), onePortRows{rows})
			assert.Equal(t, len(m.Nodes), sum.Nodes)
			assert.Equal(t, pairs, sum.Pairs)
			assert.Equal(t, reaching, sum.Reaching)
			assert.Equal(t, 6, sum.VPCs)
			for _, v := range sum.Summary {
				// Recount the VPC's row from the whole matrix.
				reached, vpcs := map[int]bool{}, map[model.ID]bool{}
				n := 0
				for i, id := range m.Nodes {
					if s.Index().OwnerVPC(id).ID != v.VPC {
						continue
					}
					n++
					for _, j := range m.Reach[i] {
						reached[j] = true
						vpcs[s.Index().OwnerVPC(m.Nodes[j]).ID] = true
					}
				}
				assert.Equal(t, n, v.Nodes, v.VPC)
				assert.Equal(t, len(reached), v.Reached, v.VPC)
				assert.Equal(t, len(vpcs), v.ReachedVPCs, v.VPC)
			}
		}
	}
}
