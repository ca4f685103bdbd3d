package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Matrix listings: every reaching pair, or a summary per VPC. Text output
// of more than summaryAbove nodes is a summary unless --listing full asks
// for every pair (an organisation's subnet matrix is hundreds of millions
// of pairs); JSON lists every pair unless --listing summary asks.
const (
	listingAuto    = "auto"
	listingFull    = "full"
	listingSummary = "summary"

	summaryAbove = 1000
)

// chooseListing resolves --listing auto for an output format and a
// matrix size, telling errOut when text becomes a summary.
func chooseListing(listing string, asJSON bool, nodes int, level solver.MatrixLevel, errOut io.Writer) string {
	if listing != listingAuto {
		return listing
	}
	if asJSON || nodes <= summaryAbove {
		return listingFull
	}
	fmt.Fprintf(errOut, "vpcreach matrix: %d %ss: printing a summary per VPC; --listing full prints every pair\n", nodes, level)
	return listingSummary
}

// rowSource is a matrix read row by row: a one-port matrix or an
// every-port one.
type rowSource interface {
	nodes() []model.ID
	row(i int, dst []int) []int
}

type onePortRows struct{ *solver.MatrixRows }

func (r onePortRows) nodes() []model.ID          { return r.Nodes }
func (r onePortRows) row(i int, dst []int) []int { return r.Row(i, dst) }

type everyPortRows struct{ solver.PortMatrix }

func (r everyPortRows) nodes() []model.ID { return r.Nodes }
func (r everyPortRows) row(i int, dst []int) []int {
	for _, c := range r.Reach[i] {
		dst = append(dst, c.To)
	}
	return dst
}

// vpcSummary is what the nodes of one VPC reach.
type vpcSummary struct {
	VPC         model.ID `json:"vpc"`
	Nodes       int      `json:"nodes"`        // its nodes in the matrix
	Reaching    int      `json:"reaching"`     // those that reach some node
	Reached     int      `json:"reached"`      // distinct nodes they reach
	ReachedVPCs int      `json:"reached_vpcs"` // distinct VPCs of those
	Pairs       int      `json:"pairs"`        // reaching pairs from its nodes
}

// matrixSummary is a matrix summed up per source VPC.
type matrixSummary struct {
	Level    string       `json:"level"`
	Protocol string       `json:"protocol"`
	Port     uint16       `json:"port,omitempty"`
	Ports    string       `json:"ports,omitempty"`
	Nodes    int          `json:"nodes"`
	VPCs     int          `json:"vpcs"`
	Reaching int          `json:"reaching"`
	Pairs    int          `json:"pairs"`
	Summary  []vpcSummary `json:"summary"`
}

// summarizeMatrix sums a matrix up per source VPC (sorted by id), reading each
// row once: O(nodes + reaching pairs) time, O(nodes) memory.
func summarizeMatrix(x *model.Index, m rowSource) matrixSummary {
	nodes := m.nodes()
	vpcOf := make([]int, len(nodes))
	var vpcIDs []model.ID
	index := map[model.ID]int{}
	for i, id := range nodes {
		var vid model.ID
		if v := x.OwnerVPC(id); v != nil {
			vid = v.ID
		}
		k, ok := index[vid]
		if !ok {
			k = len(vpcIDs)
			index[vid] = k
			vpcIDs = append(vpcIDs, vid)
		}
		vpcOf[i] = k
	}
	byVPC := make([][]int, len(vpcIDs))
	for i, k := range vpcOf {
		byVPC[k] = append(byVPC[k], i)
	}
	order := make([]int, len(vpcIDs))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return compareIDs(vpcIDs[a], vpcIDs[b]) })
	out := matrixSummary{Nodes: len(nodes), VPCs: len(vpcIDs), Summary: make([]vpcSummary, 0, len(vpcIDs))}
	seenNode := make([]int, len(nodes)) // stamp: 1 + the VPC that reached it last
	seenVPC := make([]int, len(vpcIDs)) // likewise
	var buf []int
	for _, k := range order {
		sum := vpcSummary{VPC: vpcIDs[k], Nodes: len(byVPC[k])}
		for _, i := range byVPC[k] {
			buf = m.row(i, buf[:0])
			if len(buf) > 0 {
				sum.Reaching++
			}
			sum.Pairs += len(buf)
			for _, j := range buf {
				if seenNode[j] != k+1 {
					seenNode[j] = k + 1
					sum.Reached++
					if d := vpcOf[j]; seenVPC[d] != k+1 {
						seenVPC[d] = k + 1
						sum.ReachedVPCs++
					}
				}
			}
		}
		out.Reaching += sum.Reaching
		out.Pairs += sum.Pairs
		out.Summary = append(out.Summary, sum)
	}
	return out
}

// compareIDs orders ids as strings.
func compareIDs(a, b model.ID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeSummaryText writes a summary: a line for the whole matrix, then a
// line per source VPC.
func writeSummaryText(out io.Writer, s matrixSummary, what string) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	fmt.Fprintf(w, "%s matrix, %s: %s in %s; %d reach%s at least one other; %d of %s reach\n",
		s.Level, what, plural(s.Nodes, s.Level), plural(s.VPCs, "VPC"), s.Reaching, verbS(s.Reaching), s.Pairs, plural(s.Nodes*(s.Nodes-1), "ordered pair"))
	for _, v := range s.Summary {
		name := safe(string(v.VPC))
		if v.VPC == "" {
			name = "(no VPC)"
		}
		if v.Reaching == 0 {
			fmt.Fprintf(w, "%s: %s, none reaching another\n", name, plural(v.Nodes, s.Level))
			continue
		}
		fmt.Fprintf(w, "%s: %d of %s reach%s %s in %s (%s)\n", name, v.Reaching, plural(v.Nodes, s.Level), verbS(v.Reaching),
			plural(v.Reached, s.Level), plural(v.ReachedVPCs, "VPC"), plural(v.Pairs, "pair"))
	}
}

// verbS is the ending of a present-tense verb after a count: "1 reaches",
// "2 reach".
func verbS(n int) string {
	if n == 1 {
		return "es"
	}
	return ""
}

// writeMatrixText writes every row of a one-port matrix as it goes:
// "a -> b, c" or "a -> none".
func writeMatrixText(out io.Writer, m *solver.MatrixRows) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	names := make([]string, len(m.Nodes))
	for i, id := range m.Nodes {
		names[i] = safe(string(id))
	}
	var buf []int
	for i := range m.Nodes {
		buf = m.Row(i, buf[:0])
		w.WriteString(names[i])
		w.WriteString(" -> ")
		if len(buf) == 0 {
			w.WriteString("none")
		}
		for k, j := range buf {
			if k > 0 {
				w.WriteString(", ")
			}
			w.WriteString(names[j])
		}
		w.WriteByte('\n')
	}
}

// writeMatrixJSON writes a one-port matrix as writeJSON would write
// {level, protocol, port, reach: {node: [nodes it reaches]}} (keys
// sorted, two-space indent), but row by row, never holding the lists.
func writeMatrixJSON(out io.Writer, m *solver.MatrixRows) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(struct {
		Level    string   `json:"level"`
		Protocol string   `json:"protocol"`
		Port     uint16   `json:"port,omitempty"`
		Reach    struct{} `json:"reach"`
	}{Level: m.Level.String(), Protocol: m.Query.Protocol.String(), Port: m.Query.Port})
	head := bytes.TrimSuffix(buf.Bytes(), []byte("{}\n}\n"))
	w.Write(head)
	names := make([][]byte, len(m.Nodes))
	for i, id := range m.Nodes {
		names[i] = jsonString(string(id))
	}
	// encoding/json writes map keys sorted by their bytes.
	order := make([]int, len(m.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare([]byte(m.Nodes[a]), []byte(m.Nodes[b])) })
	w.WriteByte('{')
	var row []int
	for k, i := range order {
		if k > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n    ")
		w.Write(names[i])
		w.WriteString(": [")
		row = m.Row(i, row[:0])
		for n, j := range row {
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteString("\n      ")
			w.Write(names[j])
		}
		if len(row) > 0 {
			w.WriteString("\n    ")
		}
		w.WriteByte(']')
	}
	if len(order) > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("}\n}\n")
}

// jsonString encodes s as encoding/json does without HTML escaping.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// listingFlag is --listing: auto, full or summary.
type listingFlag string

func (l *listingFlag) String() string { return string(*l) }

func (l *listingFlag) Set(s string) error {
	switch s {
	case listingAuto, listingFull, listingSummary:
		*l = listingFlag(s)
		return nil
	}
	return fmt.Errorf("must be auto, full or summary")
}
