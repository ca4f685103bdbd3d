package reachtest

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/solver"
)

// failure renders a failed assertion in domain words, so that it is useful
// without rerunning the CLI:
//
//	Reach(i-web -> i-app tcp/22) = unreachable [ENI_SG_RULES_MISMATCH: i-app], want reachable
//	    forward: i-web -> sg-web -> rtb-public -> vpc-shop/default-acl -> sg-app (denied) -> i-app
//	    return:  i-app -> rtb-app -> vpc-shop/default-acl -> i-web
//
//	    forward path:
//	       1.  instance                i-web                 send     i-web sends tcp/22 ...
//	    ...
//	    blockers:
//	      - ENI_SG_RULES_MISMATCH at i-app (forward): ...
//
// The first line names the query, the verdict with each blocker (or, when
// reachable with warnings, each warning) as CODE: component, and what was
// wanted; then one line per path with the components it passes; then the
// paths hop by hop and every blocker with its file:line, as `vpcreach
// reach` prints them.
func failure(r solver.Result, want string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reach(%s) = %s%s, want %s", r.Query, r.Verdict, findings(r), want)
	width := len("forward")
	for _, p := range []struct {
		name string
		hops []solver.Hop
	}{{"forward", r.Forward}, {"return", r.Return}} {
		if len(p.hops) > 0 {
			fmt.Fprintf(&b, "\n    %-*s %s", width+1, p.name+":", pathSummary(p.hops))
		}
	}
	detail := r.Text()
	if i := strings.IndexByte(detail, '\n'); i >= 0 {
		detail = strings.TrimLeft(detail[i+1:], "\n") // the verdict line repeats the first line
	}
	if detail = strings.TrimRight(detail, "\n"); detail != "" {
		b.WriteString("\n\n")
		for i, line := range strings.Split(detail, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			if line != "" {
				b.WriteString("    " + line)
			}
		}
	}
	return b.String()
}

// findings lists the blockers of an unreachable result, or the warnings of
// a reachable one, as " [CODE: component, ...]", each pair once, in order.
func findings(r solver.Result) string {
	type finding struct{ code, component string }
	var fs []finding
	add := func(f finding) {
		for _, g := range fs {
			if g == f {
				return
			}
		}
		fs = append(fs, f)
	}
	for _, x := range r.Blockers {
		add(finding{x.Code.String(), string(x.Component)})
	}
	if len(r.Blockers) == 0 {
		for _, x := range r.Warnings {
			add(finding{x.Code.String(), string(x.Component)})
		}
	}
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.code
		if f.component != "" {
			parts[i] += ": " + f.component
		}
	}
	return " [" + strings.Join(parts, ", ") + "]"
}

// pathSummary names the components a path passes, in order, marking where
// the packet is denied or dropped. A component that decides twice in a row
// (a network ACL on the way out of one subnet and into another) is named
// once.
func pathSummary(hops []solver.Hop) string {
	var parts []string
	last := ""
	for _, h := range hops {
		p := string(h.Component)
		switch h.Decision {
		case solver.DecisionDeny:
			p += " (denied)"
		case solver.DecisionDrop:
			p += " (dropped)"
		}
		if p != last {
			parts = append(parts, p)
		}
		last = p
	}
	return strings.Join(parts, " -> ")
}
