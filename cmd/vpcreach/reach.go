package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// protocolFlag is a flag.Value for a protocol.
type protocolFlag struct{ p model.Protocol }

func (f *protocolFlag) String() string { return f.p.String() }
func (f *protocolFlag) Set(s string) error {
	p, err := model.ParseProtocol(s)
	f.p = p
	return err
}

// portRangeFlag is a flag.Value for a port range.
type portRangeFlag struct{ r model.PortRange }

func (f *portRangeFlag) String() string { return f.r.String() }
func (f *portRangeFlag) Set(s string) error {
	r, err := model.ParsePortRange(s)
	if err == nil && r.First == 0 {
		err = fmt.Errorf("out of range: ephemeral ports are 1-65535")
	}
	f.r = r
	return err
}

func runReach(args []string, out, errOut io.Writer) int {
	output := reachOutputFlag("text")
	fs := newFlags("reach", "FILE... --from A --to B", out, errOut, nil)
	fs.Var(&output, "output", "output `format`: text, json, mermaid or dot (a picture of both paths)")
	var prices pricesFlag
	fs.Var(&prices, "prices", "a price `file` (YAML or JSON) instead of the embedded us-east-1 list prices")
	from := fs.String("from", "", "the `source`: instance or interface id or name, address (ADDRESS@VPC when spaces overlap), internet, or external network id")
	to := fs.String("to", "", "the `destination`, in the same forms")
	proto := protocolFlag{model.ProtocolTCP}
	fs.Var(&proto, "protocol", "the `protocol`: tcp, udp, icmp, icmpv6, all, or a protocol number")
	var port portFlag
	fs.Var(&port, "port", "destination `port`, 1-65535 (tcp, udp)")
	icmpType := icmpFlag{8, "an ICMP type"}
	fs.Var(&icmpType, "icmp-type", "ICMP `type`, 0-255 (icmp, icmpv6; default an echo request: 8, or 128 for icmpv6)")
	icmpCode := icmpFlag{0, "an ICMP code"}
	fs.Var(&icmpCode, "icmp-code", "ICMP `code`, 0-255 (icmp, icmpv6)")
	eph := portRangeFlag{solver.DefaultEphemeral()}
	fs.Var(&eph, "ephemeral", "the client's ephemeral port `range`, which responses return to")
	family := fs.String("family", "", "answer for one address `family` only: ipv4 or ipv6 (default: every family both ends have)")
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	if *from == "" || *to == "" {
		fmt.Fprintln(errOut, "vpcreach reach: --from and --to are required")
		fs.Usage()
		return exitInvalid
	}
	if err := checkProtocolFlags(fs, proto.p); err != nil {
		fmt.Fprintf(errOut, "vpcreach reach: %s\n", err)
		return exitInvalid
	}
	q := solver.Query{From: *from, To: *to, Protocol: proto.p, Port: port.port, Family: *family}
	if *family != "" && *family != solver.FamilyIPv4 && *family != solver.FamilyIPv6 {
		fmt.Fprintf(errOut, "vpcreach reach: --family must be ipv4 or ipv6, not %q\n", safe(*family))
		return exitInvalid
	}
	if proto.p.HasPorts() {
		q.Ephemeral = eph.r
	}
	if proto.p.IsICMP() {
		q.ICMP = &model.ICMPMatch{Type: icmpType.v, Code: icmpCode.v}
		if proto.p == model.ProtocolICMPv6 && !given(fs, "icmp-type") {
			q.ICMP.Type = 128 // an ICMPv6 echo request (V-11)
		}
	}
	table, ok := prices.table(errOut, "reach")
	if !ok {
		return exitInvalid
	}
	s, code := loadSolverFrom(files, fromAWS, errOut, "reach")
	if s == nil {
		return code
	}
	q.From, q.To = tfResolve(files, q.From), tfResolve(files, q.To)
	res := s.Reach(q)
	if output == "json" || res.Verdict != solver.VerdictInvalidQuery {
		if err := writeReach(out, output, s, res, table); err != nil {
			fmt.Fprintf(errOut, "vpcreach reach: %s\n", err)
			return exitInvalid
		}
	}
	switch {
	case res.Verdict == solver.VerdictInvalidQuery:
		fmt.Fprintf(errOut, "vpcreach reach: %s\n", safe(res.Err.Error()))
		return exitInvalid
	case res.Reachable():
		return exitOK
	}
	return exitFindings
}

// loadSolverFrom reads topology files and AWS snapshots (--from-aws),
// validates and compiles them, printing errors; it returns nil and the
// exit code when that fails.
func loadSolverFrom(files, fromAWS []string, errOut io.Writer, cmd string) (*solver.Solver, int) {
	x, diags := readIndexed(files, fromAWS)
	reportImportWarnings(errOut, cmd, files, fromAWS, diags)
	if errs := diags.Errors(); len(errs) > 0 || x == nil {
		for _, d := range errs {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach %s: invalid input: %s\n", cmd, plural(len(errs), "error"))
		return nil, exitInvalid
	}
	s, err := solver.NewFromIndex(x)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach %s: %s\n", cmd, safe(err.Error()))
		return nil, exitInvalid
	}
	return s, exitOK
}

var _ flag.Value = (*protocolFlag)(nil)
