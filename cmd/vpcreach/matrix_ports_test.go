package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
)

// TestMatrixAllPortsGolden pins the text and JSON of `matrix --ports
// all` at both levels.
func TestMatrixAllPortsGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"matrix-seed000-all-ports", []string{"matrix", net000, "--ports", "all"}},
		{"matrix-seed000-all-ports-instances-json", []string{"matrix", net000, "--ports", "all", "--level", "instance", "--output", "json"}},
		{"matrix-network-all-ports-instances", []string{"matrix", "../../solver/testdata/network.yaml", "--ports", "all", "--level", "instance"}},
	} {
		t.Run(tt.name, func(t *testing.T) { golden(t, tt.name, exitOK, tt.args...) })
	}
}

// TestMatrixAllPortsRefusesOnePort checks that --ports all and the flags
// of a one-port matrix exclude each other, and that --ports takes all
// only.
func TestMatrixAllPortsRefusesOnePort(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"port and ports all", []string{"matrix", net000, "--ports", "all", "--port", "22"},
			"vpcreach matrix: --port and --ports all exclude each other: --ports all answers for every protocol and port\n"},
		{"ports all and port", []string{"matrix", net000, "--port", "22", "--ports", "all"},
			"vpcreach matrix: --port and --ports all exclude each other: --ports all answers for every protocol and port\n"},
		{"protocol and ports all", []string{"matrix", net000, "--protocol", "udp", "--ports", "all"},
			"vpcreach matrix: --protocol and --ports all exclude each other: --ports all answers for every protocol and port\n"},
		{"ports not all", []string{"matrix", net000, "--ports", "22,443"},
			"vpcreach matrix: --ports takes all (every protocol and port), not \"22,443\"; for one port, give --port\n"},
		{"cost and ports all", []string{"matrix", net000, "--ports", "all", "--cost"},
			"vpcreach matrix: --cost prices the paths of one port: give --port N with it, not --ports all\n"},
		{"neither", []string{"matrix", net000},
			"vpcreach matrix: tcp needs --port (or --ports all)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			assert.Equal(t, exitInvalid, code, "exit code")
			assert.Empty(t, stdout)
			assert.Equal(t, tt.msg, stderr)
		})
	}
}

// TestMatrixAllPortsAgreesWithOnePort checks the JSON of `matrix --ports
// all` against one-port matrices: a pair's cell holds a flow exactly when
// the matrix of that flow has the pair, at both levels.
func TestMatrixAllPortsAgreesWithOnePort(t *testing.T) {
	for _, file := range []string{net000, "../../solver/testdata/network.yaml"} {
		for _, level := range []string{"subnet", "instance"} {
			code, stdout, stderr := runCLI("matrix", file, "--ports", "all", "--level", level, "--output", "json")
			require.Equal(t, exitOK, code, stderr)
			var all struct {
				Reach map[string][]model.ID `json:"reach"`
				Cells []struct {
					From, To model.ID
					Ports    portset.Set
					Text     string
				} `json:"cells"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &all))
			cells := map[[2]model.ID]portset.Set{}
			for _, c := range all.Cells {
				assert.Equal(t, c.Ports.String(), c.Text, "%s -> %s: text and ports", c.From, c.To)
				assert.Contains(t, all.Reach[string(c.From)], c.To, "%s -> %s: a cell not in reach", c.From, c.To)
				cells[[2]model.ID{c.From, c.To}] = c.Ports
			}
			flows := []struct {
				p    model.Protocol
				port uint16
			}{{model.ProtocolTCP, 22}, {model.ProtocolTCP, 443}, {model.ProtocolTCP, 5432}, {model.ProtocolTCP, 8080},
				{model.ProtocolTCP, 30379}, {model.ProtocolUDP, 53}, {model.ProtocolICMP, 0}}
			for _, f := range flows {
				args := []string{"matrix", file, "--protocol", f.p.String(), "--level", level, "--output", "json"}
				if f.port != 0 {
					args = append(args, "--port", fmt.Sprint(f.port))
				}
				code, stdout, stderr := runCLI(args...)
				require.Equal(t, exitOK, code, stderr)
				var one struct {
					Reach map[string][]model.ID `json:"reach"`
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &one))
				for from := range all.Reach {
					for to := range all.Reach {
						want := slices.Contains(one.Reach[from], model.ID(to))
						got := cells[[2]model.ID{model.ID(from), model.ID(to)}].Contains(f.p, f.port)
						if got != want {
							t.Errorf("%s %s level, %s -> %s %s/%d: --ports all says %v, --port says %v", file, level, from, to, f.p, f.port, got, want)
						}
					}
				}
			}
		}
	}
}
