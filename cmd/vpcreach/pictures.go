package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/draw"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// reachOutputFlag is reach's --output: text and json, as every command,
// and the pictures mermaid and dot.
type reachOutputFlag string

func (o *reachOutputFlag) String() string { return string(*o) }

func (o *reachOutputFlag) Set(s string) error {
	switch s {
	case "text", "json", "mermaid", "dot":
		*o = reachOutputFlag(s)
		return nil
	}
	return fmt.Errorf("must be text, json, mermaid or dot")
}

// pricesFlag is --prices FILE: a price table that replaces the embedded
// one.
type pricesFlag struct{ path string }

func (p *pricesFlag) String() string     { return p.path }
func (p *pricesFlag) Set(s string) error { p.path = s; return nil }

// table loads the price table, or returns the embedded one; an error is
// printed and reported as false.
func (p *pricesFlag) table(errOut io.Writer, cmd string) (*cost.Table, bool) {
	if p.path == "" {
		return cost.Default(), true
	}
	t, err := cost.LoadTable(p.path)
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(errOut, "vpcreach %s: --prices: %s\n", cmd, safe(line))
		}
		return nil, false
	}
	return t, true
}

// writeReach writes a reach answer in the chosen output: text and json
// with the path's cost per GB when it is reachable, or a picture.
func writeReach(out io.Writer, output reachOutputFlag, s *solver.Solver, res solver.Result, table *cost.Table) error {
	var price *cost.Path
	if res.Reachable() {
		p := cost.PricePath(s, res, table)
		price = &p
	}
	switch output {
	case "json":
		// MarshalJSON directly: json.Marshal would escape "->" as HTML.
		b, err := res.MarshalJSON()
		if err != nil {
			return err
		}
		if price != nil {
			c, err := price.MarshalJSON()
			if err != nil {
				return err
			}
			b = append(append(append(b[:len(b)-1:len(b)-1], `,"cost":`...), c...), '}')
		}
		writeJSON(out, json.RawMessage(b))
	case "mermaid", "dot":
		f, _ := draw.ParseFormat(string(output))
		return draw.Path(res, draw.PathOptions{Cost: price}).Write(out, f)
	default:
		fmt.Fprint(out, res.Text())
		if price != nil {
			fmt.Fprint(out, price.Text(res))
		}
	}
	return nil
}

// vpcListFlag is draw's repeatable --vpc.
type vpcListFlag []model.ID

func (l *vpcListFlag) String() string {
	s := make([]string, len(*l))
	for i, id := range *l {
		s[i] = string(id)
	}
	return strings.Join(s, ",")
}

func (l *vpcListFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, model.ID(v))
		}
	}
	return nil
}

func (*vpcListFlag) repeatable() {}

// formatFlagDraw is draw's --format.
type drawFormatFlag struct{ f draw.Format }

func (d *drawFormatFlag) String() string { return d.f.String() }
func (d *drawFormatFlag) Set(s string) error {
	f, err := draw.ParseFormat(s)
	if err != nil {
		return fmt.Errorf("must be mermaid or dot")
	}
	d.f = f
	return nil
}

func runDraw(args []string, out, errOut io.Writer) int {
	fs := newFlags("draw", "FILE...", out, errOut, nil)
	format := drawFormatFlag{draw.FormatMermaid}
	fs.Var(&format, "format", "picture `format`: mermaid (GitHub renders it) or dot (Graphviz)")
	var vpcs vpcListFlag
	fs.Var(&vpcs, "vpc", "draw this `VPC` and its neighbours in full (repeatable, or comma-separated); without it a large network shows VPCs and their connections only")
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	m, diags := readInputs(files, fromAWS)
	reportImportWarnings(errOut, "draw", files, fromAWS, diags)
	if errs := diags.Errors(); len(errs) > 0 || m == nil {
		for _, d := range errs {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach draw: invalid input: %s\n", plural(len(errs), "error"))
		return exitInvalid
	}
	p, err := draw.Topology(m, draw.TopologyOptions{VPCs: vpcs})
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach draw: %s\n", safe(err.Error()))
		return exitInvalid
	}
	var b strings.Builder
	if err := p.Write(&b, format.f); err != nil {
		fmt.Fprintf(errOut, "vpcreach draw: %s\n", err)
		return exitInvalid
	}
	fmt.Fprint(out, b.String())
	for _, n := range p.Notes() {
		fmt.Fprintf(errOut, "vpcreach draw: %s\n", n)
	}
	if format.f == draw.FormatMermaid && b.Len() > draw.MermaidMaxText {
		fmt.Fprintf(errOut, "vpcreach draw: the picture is %d characters, more than Mermaid draws by default (%d, GitHub too): draw fewer VPCs with --vpc ID\n", b.Len(), draw.MermaidMaxText)
	}
	return exitOK
}

// runPrices prints the embedded price table, the format --prices reads.
func runPrices(args []string, out, errOut io.Writer) int {
	fs := newFlags("prices", "", out, errOut, nil)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	_, _ = out.Write(cost.DefaultText())
	return exitOK
}
