package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
)

type spaceJSON struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

type pairJSON struct {
	A    string `json:"a"`
	B    string `json:"b"`
	APos string `json:"a_pos"`
	BPos string `json:"b_pos"`
}

type overlapJSON struct {
	Severity string     `json:"severity"`
	Class    string     `json:"class"`
	A        spaceJSON  `json:"a"`
	B        spaceJSON  `json:"b"`
	Pairs    []pairJSON `json:"pairs"`
	Via      []string   `json:"via"`
	Rule     string     `json:"rule,omitempty"`
	Message  string     `json:"message"`
}

type overlapsJSON struct {
	Overlaps []overlapJSON `json:"overlaps"`
	Counts   countsJSON    `json:"counts"`
}

type countsJSON struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Note    int `json:"note"`
}

func runOverlaps(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("overlaps", "FILE...", out, errOut, &output)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	m, diags := readInputs(files, fromAWS)
	// A peering between overlapping VPCs is a validation error (S-41), and
	// exactly what this command reports as an overlap: it does not make the
	// input unusable here. Every other error does.
	var blocking model.Diagnostics
	for _, d := range diags.Errors() {
		if !(d.Rule == "S-41" && errors.Is(d, model.ErrAddress)) {
			blocking = append(blocking, d)
		}
	}
	if len(blocking) > 0 || m == nil {
		for _, d := range blocking {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach overlaps: invalid input: %s\n", plural(len(blocking), "error"))
		return exitInvalid
	}
	overlaps := overlap.Find(m)
	var counts countsJSON
	for _, o := range overlaps {
		switch o.Severity() {
		case model.SeverityError:
			counts.Error++
		case model.SeverityWarning:
			counts.Warning++
		default:
			counts.Note++
		}
	}
	if output == "json" {
		res := overlapsJSON{Overlaps: make([]overlapJSON, 0, len(overlaps)), Counts: counts}
		for _, o := range overlaps {
			oj := overlapJSON{
				Severity: o.Severity().String(), Class: o.Class.String(),
				A: spaceJSON{o.A.Kind.String(), string(o.A.ID)}, B: spaceJSON{o.B.Kind.String(), string(o.B.ID)},
				Via: make([]string, 0, len(o.Via)), Rule: o.Rule, Message: o.Message,
			}
			for _, p := range o.Pairs {
				oj.Pairs = append(oj.Pairs, pairJSON{p.A.String(), p.B.String(), p.APos.String(), p.BPos.String()})
			}
			for _, v := range o.Via {
				oj.Via = append(oj.Via, string(v))
			}
			res.Overlaps = append(res.Overlaps, oj)
		}
		writeJSON(out, res)
	} else {
		for _, o := range overlaps {
			rule := ""
			if o.Rule != "" {
				rule = " (" + o.Rule + ")"
			}
			fmt.Fprintf(out, "%s: %s: %s: %s%s\n", safe(o.Pairs[0].BPos.String()), o.Severity(), o.Class, safe(o.Message), rule)
		}
		fmt.Fprintf(out, "%s: %s\n", plural(len(overlaps), "overlap"), severityCounts(counts.Error, counts.Warning, counts.Note))
	}
	if counts.Error+counts.Warning > 0 {
		return exitFindings
	}
	return exitOK
}
