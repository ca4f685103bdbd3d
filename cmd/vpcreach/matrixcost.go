package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// addMatrixCost registers matrix's --cost and --prices.
func addMatrixCost(fs *flag.FlagSet) (*bool, *pricesFlag) {
	withCost := fs.Bool("cost", false, "add what each reachable pair's path costs per GB, request and response (a range when the class pairs of two subnets differ)")
	var prices pricesFlag
	fs.Var(&prices, "prices", "with --cost: a price `file` (YAML or JSON) instead of the embedded us-east-1 list prices")
	return withCost, &prices
}

// writeMatrixCost writes a matrix with each reachable cell's cost per GB.
func writeMatrixCost(out, errOut io.Writer, output outputFlag, s *solver.Solver, m solver.Matrix, prices *pricesFlag) int {
	table, ok := prices.table(errOut, "matrix")
	if !ok {
		return exitInvalid
	}
	cells := cost.PriceMatrix(s, m, table)
	if output == "json" {
		type cellJSON struct {
			To               model.ID   `json:"to"`
			RequestPerGBMin  cost.Money `json:"request_per_gb_min"`
			RequestPerGBMax  cost.Money `json:"request_per_gb_max"`
			ResponsePerGBMin cost.Money `json:"response_per_gb_min"`
			ResponsePerGBMax cost.Money `json:"response_per_gb_max"`
			ClassPairs       int        `json:"class_pairs"`
		}
		doc := struct {
			Level    string                `json:"level"`
			Protocol string                `json:"protocol"`
			Port     uint16                `json:"port,omitempty"`
			Reach    map[string][]model.ID `json:"reach"`
			Cost     struct {
				Prices struct {
					Name string `json:"name"`
					Date string `json:"date"`
					File string `json:"file"`
				} `json:"prices"`
				Cells map[string][]cellJSON `json:"cells"`
			} `json:"cost"`
		}{Level: m.Level.String(), Protocol: m.Query.Protocol.String(), Port: m.Query.Port, Reach: map[string][]model.ID{}}
		doc.Cost.Prices.Name, doc.Cost.Prices.Date, doc.Cost.Prices.File = table.Name(), table.Date(), table.File()
		doc.Cost.Cells = map[string][]cellJSON{}
		for i, row := range m.Reach {
			dsts := []model.ID{}
			cs := []cellJSON{}
			for k, j := range row {
				dsts = append(dsts, m.Nodes[j])
				c := cells[i][k]
				cs = append(cs, cellJSON{m.Nodes[j], c.RequestMin, c.RequestMax, c.ResponseMin, c.ResponseMax, c.Pairs})
			}
			doc.Reach[string(m.Nodes[i])] = dsts
			doc.Cost.Cells[string(m.Nodes[i])] = cs
		}
		writeJSON(out, doc)
		return exitOK
	}
	span := func(lo, hi cost.Money) string {
		if lo == hi {
			return lo.String()
		}
		return lo.String() + "-" + hi.String()
	}
	for i, row := range m.Reach {
		var dsts []string
		for k, j := range row {
			c := cells[i][k]
			dsts = append(dsts, fmt.Sprintf("%s (%s sent, %s answered per GB)", safe(string(m.Nodes[j])), span(c.RequestMin, c.RequestMax), span(c.ResponseMin, c.ResponseMax)))
		}
		fmt.Fprintf(out, "%s -> %s\n", safe(string(m.Nodes[i])), orNone(strings.Join(dsts, ", ")))
	}
	fmt.Fprintf(out, "cost per GB: %s\n", safe(priceSource(table)))
	return exitOK
}

// priceSource names a price table: its file (unless embedded), name and
// date.
func priceSource(t *cost.Table) string {
	s := t.Name()
	if t.File() != "(embedded)" {
		s = t.File() + ": " + s
	}
	if t.Date() != "" {
		s += ", " + t.Date()
	}
	return s
}
