package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// progress returns a progress callback that draws on standard error when
// it is a terminal, and nil otherwise (quiet in CI and pipes).
func progress(errOut io.Writer, what string) (func(done, total int), func()) {
	f, ok := errOut.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	var mu sync.Mutex
	last := time.Time{}
	return func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(last) < 100*time.Millisecond && done < total {
				return
			}
			last = time.Now()
			fmt.Fprintf(f, "\r%s: %d/%d", what, done, total)
		}, func() {
			fmt.Fprint(f, "\r\033[K")
		}
}

func protocolFlags(fs *flag.FlagSet) (*protocolFlag, *portFlag) {
	proto := &protocolFlag{model.ProtocolTCP}
	fs.Var(proto, "protocol", "the `protocol`: tcp, udp, icmp, icmpv6, all, or a protocol number")
	port := &portFlag{}
	fs.Var(port, "port", "destination `port`, 1-65535 (tcp, udp)")
	return proto, port
}

func prefixesText(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

func idsText(ids []model.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = safe(string(id))
	}
	return strings.Join(s, ", ")
}

func runWhoCanReach(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("who-can-reach", "FILE... --to X", out, errOut, &output)
	to := fs.String("to", "", "the `destination`, as vpcreach reach takes it")
	proto, port := protocolFlags(fs)
	paths := fs.Bool("paths", false, "show one example path per source class")
	prof := addProfiling(fs)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	if *to == "" {
		fmt.Fprintln(errOut, "vpcreach who-can-reach: --to is required")
		return exitInvalid
	}
	if err := checkProtocolFlags(fs, proto.p); err != nil {
		fmt.Fprintf(errOut, "vpcreach who-can-reach: %s\n", err)
		return exitInvalid
	}
	if proto.p.HasPorts() && port.port == 0 {
		fmt.Fprintf(errOut, "vpcreach who-can-reach: %s needs --port\n", proto.p)
		return exitInvalid
	}
	inputs := append(append([]string(nil), files...), fromAWS...)
	if !prof.check(errOut, "who-can-reach", inputs) {
		return exitInvalid
	}
	stop, ok := prof.start(errOut, "who-can-reach", inputs)
	if !ok {
		return exitInvalid
	}
	defer stop()
	s, code := loadSolverFrom(files, fromAWS, errOut, "who-can-reach")
	if s == nil {
		return code
	}
	q := solver.Query{To: tfResolve(files, *to), Protocol: proto.p, Port: port.port}
	prog, clear := progress(errOut, "who-can-reach")
	res, err := s.WhoCanReach(q, solver.AnalysisOptions{Examples: *paths, Progress: prog})
	clear()
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach who-can-reach: %s\n", safe(err.Error()))
		return exitInvalid
	}
	if output == "json" {
		type classJSON struct {
			Members []model.ID     `json:"members"`
			VPC     model.ID       `json:"vpc"`
			Subnet  model.ID       `json:"subnet"`
			Groups  []model.ID     `json:"security_groups"`
			Public  bool           `json:"public"`
			Example *solver.Result `json:"example,omitempty"`
		}
		type extJSON struct {
			ID    model.ID `json:"id"`
			CIDRs []string `json:"cidrs"`
		}
		doc := struct {
			To        string         `json:"to"`
			Protocol  string         `json:"protocol"`
			Port      uint16         `json:"port,omitempty"`
			Instances []model.ID     `json:"instances"`
			Classes   []classJSON    `json:"classes"`
			Internet  []string       `json:"internet"`
			Example   *solver.Result `json:"internet_example,omitempty"`
			External  []extJSON      `json:"external_networks"`
		}{To: *to, Protocol: proto.p.String(), Port: q.Port, Instances: res.Instances(), Classes: []classJSON{}, Internet: []string{},
			Example: res.InternetExample, External: []extJSON{}}
		if doc.Instances == nil {
			doc.Instances = []model.ID{}
		}
		for _, c := range res.Classes {
			doc.Classes = append(doc.Classes, classJSON{c.Class.Members, c.Class.VPC, c.Class.Subnet, c.Class.Groups, c.Class.Public, c.Example})
		}
		for _, p := range res.Internet {
			doc.Internet = append(doc.Internet, p.String())
		}
		for _, e := range res.External {
			var cs []string
			for _, c := range e.CIDRs {
				cs = append(cs, c.String())
			}
			doc.External = append(doc.External, extJSON{e.ID, cs})
		}
		writeJSON(out, doc)
		return exitOK
	}
	svc := proto.p.String()
	if proto.p.HasPorts() {
		svc += fmt.Sprintf("/%d", port.port)
	}
	fmt.Fprintf(out, "who can reach %s on %s:\n", safe(*to), svc)
	fmt.Fprintf(out, "\ninstances (%d, in %s):\n", len(res.Instances()), plural(len(res.Classes), "equivalence class"))
	for _, c := range res.Classes {
		fmt.Fprintf(out, "  %s/%s [%s]: %s\n", safe(string(c.Class.VPC)), safe(string(c.Class.Subnet)), idsText(c.Class.Groups), idsText(c.Class.Members))
		if c.Example != nil {
			fmt.Fprint(out, indentText(c.Example.Text(), "    "))
		}
	}
	fmt.Fprintf(out, "\ninternet: %s\n", orNone(prefixesText(res.Internet)))
	if res.InternetExample != nil {
		fmt.Fprint(out, indentText(res.InternetExample.Text(), "    "))
	}
	for _, e := range res.External {
		fmt.Fprintf(out, "external network %s: %s\n", safe(string(e.ID)), prefixesText(e.CIDRs))
	}
	return exitOK
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func indentText(s, pad string) string {
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad) + "\n"
}

func runExposure(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("exposure", "FILE...", out, errOut, &output)
	var ports listFlag
	fs.Var(&ports, "ports", "`ports` or ranges to check, comma-separated (default: every port)")
	var protos listFlag
	fs.Var(&protos, "protocol", "`protocols` to check: tcp, udp (default both)")
	paths := fs.Bool("paths", false, "show the path that exposes each destination")
	prof := addProfiling(fs)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	var pr []model.PortRange
	for _, p := range ports {
		r, err := model.ParsePortRange(p)
		if err == nil && r.First == 0 {
			err = fmt.Errorf("%q is out of range: ports are 1-65535", p)
		}
		if err != nil {
			fmt.Fprintf(errOut, "vpcreach exposure: --ports: %s\n", err)
			return exitInvalid
		}
		pr = append(pr, r)
	}
	var ps []model.Protocol
	for _, p := range protos {
		v, err := model.ParseProtocol(p)
		if err == nil && !v.HasPorts() {
			err = fmt.Errorf("exposure checks tcp and udp, by port; %s has no ports", v)
		}
		if err != nil {
			fmt.Fprintf(errOut, "vpcreach exposure: --protocol: %s\n", err)
			return exitInvalid
		}
		ps = append(ps, v)
	}
	inputs := append(append([]string(nil), files...), fromAWS...)
	if !prof.check(errOut, "exposure", inputs) {
		return exitInvalid
	}
	stop, ok := prof.start(errOut, "exposure", inputs)
	if !ok {
		return exitInvalid
	}
	defer stop()
	s, code := loadSolverFrom(files, fromAWS, errOut, "exposure")
	if s == nil {
		return code
	}
	prog, clear := progress(errOut, "exposure")
	exposed := s.Exposure(ps, pr, solver.AnalysisOptions{Examples: *paths, Progress: prog})
	clear()
	if output == "json" {
		type portsJSON struct {
			Ports    string   `json:"ports"`
			Anywhere bool     `json:"from_anywhere"`
			From     []string `json:"from"`
		}
		type exposedJSON struct {
			Destination model.ID       `json:"destination"`
			Members     []model.ID     `json:"also"`
			Kind        string         `json:"kind"`
			Protocol    string         `json:"protocol"`
			Family      string         `json:"family,omitempty"`
			Ports       []portsJSON    `json:"ports"`
			Example     *solver.Result `json:"example,omitempty"`
		}
		doc := struct {
			Exposed []exposedJSON `json:"exposed"`
		}{Exposed: []exposedJSON{}}
		for _, e := range exposed {
			j := exposedJSON{Destination: e.Destination, Members: e.Members, Kind: e.Kind.String(), Protocol: e.Protocol.String(), Example: e.Example}
			if e.Family == solver.FamilyIPv6 {
				j.Family = e.Family
			}
			if j.Members == nil {
				j.Members = []model.ID{}
			}
			for _, p := range e.Ports {
				pj := portsJSON{Ports: p.Ports.String(), Anywhere: p.Anywhere, From: []string{}}
				for _, f := range p.From {
					pj.From = append(pj.From, f.String())
				}
				j.Ports = append(j.Ports, pj)
			}
			doc.Exposed = append(doc.Exposed, j)
		}
		writeJSON(out, doc)
	} else {
		for _, e := range exposed {
			also := ""
			if len(e.Members) > 0 {
				also = " (and " + idsText(e.Members) + ")"
			}
			for _, p := range e.Ports {
				from := exposedFrom(p)
				over := ""
				if e.Family == solver.FamilyIPv6 {
					// An IPv6 exposure says so: the instance is reached
					// at its global IPv6 address (V-06).
					over = " over IPv6"
				}
				fmt.Fprintf(out, "%s %s%s: %s %s%s from %s\n", e.Kind, safe(string(e.Destination)), also, e.Protocol, p.Ports, over, from)
			}
			if e.Example != nil {
				fmt.Fprint(out, indentText(e.Example.Text(), "    "))
			}
		}
		fmt.Fprintf(out, "%s exposed to the internet\n", plural(len(exposed), "destination"))
	}
	if len(exposed) > 0 {
		return exitFindings
	}
	return exitOK
}

// exposedFrom says who reaches exposed ports: "anywhere on the internet",
// the ranges that do, or, when fewer, "anywhere except" the ranges that do
// not. The JSON output keeps the exact ranges.
func exposedFrom(p solver.ExposedPorts) string {
	if p.Anywhere {
		return "anywhere on the internet"
	}
	if except := p.Except(); len(except) > 0 && len(except) < len(p.From) {
		return "anywhere except " + prefixesText(except)
	}
	return prefixesText(p.From)
}

func runMatrix(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("matrix", "FILE... --port N | --ports all", out, errOut, &output)
	proto, port := protocolFlags(fs)
	ports := fs.String("ports", "", "`all`: every protocol and port at once, each pair with the flows that pass (instead of --protocol and --port)")
	level := fs.String("level", "subnet", "the `level`: subnet or instance")
	withCost, prices := addMatrixCost(fs)
	listing := listingFlag(listingAuto)
	fs.Var(&listing, "listing", "`auto`, full or summary: every reaching pair, or a line per VPC with counts; auto lists every pair in JSON and in text up to 1000 nodes")
	prof := addProfiling(fs)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	allPorts := given(fs, "ports")
	if allPorts && *ports != "all" {
		fmt.Fprintf(errOut, "vpcreach matrix: --ports takes all (every protocol and port), not %q; for one port, give --port\n", *ports)
		return exitInvalid
	}
	if allPorts && *withCost {
		fmt.Fprintln(errOut, "vpcreach matrix: --cost prices the paths of one port: give --port N with it, not --ports all")
		return exitInvalid
	}
	if *withCost && given(fs, "listing") {
		fmt.Fprintln(errOut, "vpcreach matrix: --cost lists every reaching pair with its price: --listing does not apply")
		return exitInvalid
	}
	for _, name := range []string{"port", "protocol"} {
		if allPorts && given(fs, name) {
			fmt.Fprintf(errOut, "vpcreach matrix: --%s and --ports all exclude each other: --ports all answers for every protocol and port\n", name)
			return exitInvalid
		}
	}
	lv := solver.LevelSubnet
	switch *level {
	case "subnet":
	case "instance":
		lv = solver.LevelInstance
	default:
		fmt.Fprintln(errOut, "vpcreach matrix: --level must be subnet or instance")
		return exitInvalid
	}
	if err := checkProtocolFlags(fs, proto.p); err != nil {
		fmt.Fprintf(errOut, "vpcreach matrix: %s\n", err)
		return exitInvalid
	}
	if proto.p.HasPorts() && port.port == 0 && !allPorts {
		fmt.Fprintf(errOut, "vpcreach matrix: %s needs --port (or --ports all)\n", proto.p)
		return exitInvalid
	}
	inputs := append(append([]string(nil), files...), fromAWS...)
	if !prof.check(errOut, "matrix", inputs) {
		return exitInvalid
	}
	stop, ok := prof.start(errOut, "matrix", inputs)
	if !ok {
		return exitInvalid
	}
	defer stop()
	s, code := loadSolverFrom(files, fromAWS, errOut, "matrix")
	if s == nil {
		return code
	}
	prog, clear := progress(errOut, "matrix")
	asJSON := output == "json"
	if allPorts {
		pm := s.PortMatrix(lv, solver.AnalysisOptions{Progress: prog})
		clear()
		if chooseListing(string(listing), asJSON, len(pm.Nodes), lv, errOut) == listingSummary {
			sum := summarizeMatrix(s.Index(), everyPortRows{pm})
			sum.Level, sum.Protocol, sum.Ports = lv.String(), model.ProtocolAll.String(), "all"
			writeSummary(out, sum, asJSON, "every protocol and port")
			return exitOK
		}
		writePortMatrix(out, pm, asJSON)
		return exitOK
	}
	q := solver.Query{Protocol: proto.p, Port: port.port}
	if *withCost {
		m := s.Matrix(q, lv, solver.AnalysisOptions{Progress: prog})
		clear()
		return writeMatrixCost(out, errOut, output, s, m, prices)
	}
	rows := s.MatrixRows(q, lv, solver.AnalysisOptions{Progress: prog})
	clear()
	switch {
	case chooseListing(string(listing), asJSON, len(rows.Nodes), lv, errOut) == listingSummary:
		sum := summarizeMatrix(s.Index(), onePortRows{rows})
		sum.Level, sum.Protocol, sum.Port = lv.String(), proto.p.String(), port.port
		what := proto.p.String()
		if port.port != 0 {
			what += "/" + strconv.Itoa(int(port.port))
		}
		writeSummary(out, sum, asJSON, what)
	case asJSON:
		writeMatrixJSON(out, rows)
	default:
		writeMatrixText(out, rows)
	}
	return exitOK
}

// writeSummary writes a matrix summary as text or JSON.
func writeSummary(out io.Writer, sum matrixSummary, asJSON bool, what string) {
	if asJSON {
		writeJSON(out, sum)
		return
	}
	writeSummaryText(out, sum, what)
}

// writePortMatrix writes the every-port matrix: in text, a line per
// reaching pair with its flows ("a -> b: tcp 22,443; udp 53"), and
// "a -> none" for a node that reaches nothing; in JSON, the nodes each
// reaches (as for one port) and a cell per reaching pair with its flows,
// as a port set and as text. Nodes and pairs come in the matrix's order.
// Both are written as they go (an instance matrix can have millions of
// cells), the JSON exactly as writeJSON would indent it.
func writePortMatrix(out io.Writer, pm solver.PortMatrix, asJSON bool) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	if !asJSON {
		// Node names, and the flows of a run of equal sets, written once.
		names := make([]string, len(pm.Nodes))
		for i, id := range pm.Nodes {
			names[i] = safe(string(id))
		}
		var last portset.Set
		text := ""
		for i, row := range pm.Reach {
			if len(row) == 0 {
				fmt.Fprintf(w, "%s -> none\n", names[i])
			}
			for _, c := range row {
				if text == "" || !c.Ports.Equal(last) {
					last, text = c.Ports, c.Ports.String()
				}
				w.WriteString(names[i])
				w.WriteString(" -> ")
				w.WriteString(names[c.To])
				w.WriteString(": ")
				w.WriteString(text)
				w.WriteByte('\n')
			}
		}
		return
	}
	head := struct {
		Level    string                `json:"level"`
		Protocol string                `json:"protocol"`
		Ports    string                `json:"ports"`
		Reach    map[string][]model.ID `json:"reach"`
	}{Level: pm.Level.String(), Protocol: model.ProtocolAll.String(), Ports: "all", Reach: map[string][]model.ID{}}
	for i, row := range pm.Reach {
		dsts := make([]model.ID, len(row))
		for k, c := range row {
			dsts[k] = pm.Nodes[c.To]
		}
		head.Reach[string(pm.Nodes[i])] = dsts
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(head)
	// Leave the object open ("\n}\n" off) for the cells.
	w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n}\n")))
	w.WriteString(",\n  \"cells\": [")
	// Each cell as enc would indent it; node names, and the flows of a run
	// of equal sets, encoded once.
	quote := func(v any, prefix string) []byte {
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		_ = enc.Encode(v)
		return bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	names := make([][]byte, len(pm.Nodes))
	for i, id := range pm.Nodes {
		names[i] = quote(id, "")
	}
	var last portset.Set
	var ports, text []byte
	n := 0
	for i, row := range pm.Reach {
		for _, c := range row {
			if ports == nil || !c.Ports.Equal(last) {
				last, ports, text = c.Ports, quote(c.Ports, "      "), quote(c.Ports.String(), "")
			}
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteString("\n    {\n      \"from\": ")
			w.Write(names[i])
			w.WriteString(",\n      \"to\": ")
			w.Write(names[c.To])
			w.WriteString(",\n      \"ports\": ")
			w.Write(ports)
			w.WriteString(",\n      \"text\": ")
			w.Write(text)
			w.WriteString("\n    }")
			n++
		}
	}
	if n > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("]\n}\n")
}
