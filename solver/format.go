package solver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/model"
)

// Text renders the result for people: a verdict line, the forward and
// return paths as numbered hops, then each blocker and warning with its
// code, component, rule and file:line. A component with a readable name
// shows as "id (name)"; one with an AWS id other than its id (a Terraform
// address's) as "id (aws-id)" or "id (aws-id, name)". After a filter denies a packet the walk goes on as
// if it had passed, to find every blocker: the hops after a deny end with
// "(continuing as if allowed)", and when the request is blocked the return
// path's title says so, since no response exists. The CLI prints it, and
// reachtest failure messages use it. Ids, names, rules and messages are
// printed safely: control characters and other characters unsafe on a
// terminal are escaped (internal/termtext), so an id holding an escape
// sequence or a newline shows as \x1b or \n; MarshalJSON keeps them as
// they are.
func (r Result) Text() string {
	esc := termtext.Escape
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", r.Verdict, esc(r.Query.String()))
	if r.Err != nil {
		fmt.Fprintf(&b, "  %s\n", esc(r.Err.Error()))
		return b.String()
	}
	if len(r.Families) > 1 {
		// One answer per family, each saying which family its paths use.
		for _, f := range r.Families {
			fmt.Fprintf(&b, "\n%s: %s\n", familyWord(f.Family)+translationWord(f.Translation), f.Verdict)
			f.writeBody(&b)
		}
		return b.String()
	}
	r.writeBody(&b)
	return b.String()
}

// familyWord returns "IPv4" or "IPv6".
func familyWord(f string) string {
	if f == FamilyIPv6 {
		return "IPv6"
	}
	return "IPv4"
}

// translationWord returns " (NAT64)" for an answer through NAT64, else "".
func translationWord(t string) string {
	if t == TranslationNAT64 {
		return " (NAT64)"
	}
	return ""
}

// writeBody writes a one-family answer's paths, blockers and warnings;
// the titles of an IPv6 answer's paths say so.
func (r Result) writeBody(b *strings.Builder) {
	esc := termtext.Escape
	suffix := ""
	if r.Family == FamilyIPv6 {
		suffix = " (IPv6)"
	}
	if r.Translation == TranslationNAT64 {
		suffix = " (IPv6, NAT64 to IPv4)"
	}
	writePath := func(title string, hops []Hop) {
		if len(hops) == 0 {
			return
		}
		title += suffix
		fmt.Fprintf(b, "\n%s:\n", title)
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		denied := false
		for i, h := range hops {
			kind := h.Kind.String()
			if h.Direction != "" {
				kind += " " + esc(h.Direction)
			}
			rule := esc(h.Rule)
			if denied {
				rule += " " + asIfAllowed
			}
			pos := ""
			if h.Pos.IsValid() {
				pos = "  (" + esc(h.Pos.String()) + ")"
			}
			fmt.Fprintf(tw, "  %2d.\t%s\t%s\t%s\t%s%s\n", i+1, kind, namedText(h.Component, h.AWSID, h.Name), h.Decision, rule, pos)
			denied = denied || h.Decision == DecisionDeny
		}
		tw.Flush()
	}
	writePath("forward path", r.Forward)
	if slices.ContainsFunc(r.Blockers, func(x Blocker) bool { return x.Leg == LegForward }) {
		// The request does not arrive: its response is walked as if it
		// had, to find the blockers on the way back too.
		writePath("return path "+asIfAllowed, r.Return)
	} else {
		writePath("return path", r.Return)
	}
	if len(r.Blockers) > 0 {
		fmt.Fprintf(b, "\nblockers:\n")
		for _, x := range r.Blockers {
			fmt.Fprintf(b, "  - %s at %s (%s): %s\n", x.Code, namedText(x.Component, x.AWSID, x.Name), x.Leg, esc(x.Message))
			if x.Pos.IsValid() {
				fmt.Fprintf(b, "    at %s\n", esc(x.Pos.String()))
			}
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(b, "\nwarnings:\n")
		for _, x := range r.Warnings {
			fmt.Fprintf(b, "  - %s at %s (%s): %s\n", x.Code, namedText(x.Component, x.AWSID, x.Name), x.Leg, esc(x.Message))
			if x.Pos.IsValid() {
				fmt.Fprintf(b, "    at %s\n", esc(x.Pos.String()))
			}
		}
	}
}

// asIfAllowed marks the hops a packet would take had a filter before them
// let it through.
const asIfAllowed = "(continuing as if allowed)"

// namedText renders a component as "id (name)", "id (aws-id)" or
// "id (aws-id, name)", or "id" with neither, escaped for a terminal.
func namedText(id, awsID model.ID, name string) string {
	var also []string
	if awsID != "" {
		also = append(also, termtext.Escape(string(awsID)))
	}
	if name != "" {
		also = append(also, termtext.Escape(name))
	}
	if len(also) == 0 {
		return termtext.Escape(string(id))
	}
	return termtext.Escape(string(id)) + " (" + strings.Join(also, ", ") + ")"
}

// String returns "i-a -> i-b tcp/443".
func (q Query) String() string {
	s := fmt.Sprintf("%s -> %s %s", q.From, q.To, q.Protocol)
	switch {
	case q.Protocol.HasPorts():
		s += fmt.Sprintf("/%d", q.Port)
	case q.Protocol.IsICMP() && q.ICMP != nil:
		s += " " + q.ICMP.String()
	}
	if q.Family != "" {
		s += " over " + familyName(q.Family)
	}
	return s
}

// The JSON form of a result, documented in the README. Keys are stable.
type (
	resultJSON struct {
		Reachable   bool          `json:"reachable"`
		Verdict     Verdict       `json:"verdict"`
		Query       queryJSON     `json:"query"`
		Error       string        `json:"error,omitempty"`
		ForwardPath []hopJSON     `json:"forward_path"`
		ReturnPath  []hopJSON     `json:"return_path"`
		Blockers    []blockerJSON `json:"blockers"`
		Warnings    []blockerJSON `json:"warnings"`
		// Family is set for an IPv6 answer and for one answered for both
		// families; Families holds the per-family answers then.
		Family string `json:"family,omitempty"`
		// Translation is "nat64" for an answer over IPv6 that a NAT
		// gateway translates to IPv4 (V-16).
		Translation string            `json:"translation,omitempty"`
		Families    []json.RawMessage `json:"families,omitempty"`
	}
	queryJSON struct {
		From      string `json:"from"`
		To        string `json:"to"`
		Protocol  string `json:"protocol"`
		Port      uint16 `json:"port,omitempty"`
		ICMPType  *int   `json:"icmp_type,omitempty"`
		ICMPCode  *int   `json:"icmp_code,omitempty"`
		Ephemeral string `json:"ephemeral"`
		Family    string `json:"family,omitempty"`
	}
	hopJSON struct {
		Component model.ID `json:"component"`
		Name      string   `json:"name,omitempty"`
		AWSID     model.ID `json:"aws_id,omitempty"`
		Kind      HopKind  `json:"kind"`
		Decision  Decision `json:"decision"`
		Direction string   `json:"direction,omitempty"`
		Rule      string   `json:"rule"`
		File      string   `json:"file,omitempty"`
		Line      int      `json:"line,omitempty"`
		Column    int      `json:"column,omitempty"`
		Packet    *struct {
			Src string `json:"src"`
			Dst string `json:"dst"`
		} `json:"packet,omitempty"`
	}
	blockerJSON struct {
		Code        Code     `json:"code"`
		Description string   `json:"description"`
		Component   model.ID `json:"component"`
		Name        string   `json:"name,omitempty"`
		AWSID       model.ID `json:"aws_id,omitempty"`
		Direction   Leg      `json:"direction"`
		Rule        string   `json:"rule,omitempty"`
		Message     string   `json:"message"`
		File        string   `json:"file,omitempty"`
		Line        int      `json:"line,omitempty"`
		Column      int      `json:"column,omitempty"`
	}
)

// MarshalJSON renders the result in the documented JSON form: reachable,
// verdict, query, forward_path and return_path (hops with component, kind,
// decision, rule; name and aws_id when the component has them), blockers
// (code, component, direction, rule, message) and warnings.
func (r Result) MarshalJSON() ([]byte, error) { return r.marshalJSON(false) }

// marshalJSON is MarshalJSON; withFamily writes the family of an IPv4
// answer too, as the per-family answers do.
func (r Result) marshalJSON(withFamily bool) ([]byte, error) {
	eph := r.Query.Ephemeral
	if eph == (model.PortRange{}) {
		eph = DefaultEphemeral()
	}
	out := resultJSON{
		Reachable: r.Reachable(), Verdict: r.Verdict,
		Query:       queryJSON{From: r.Query.From, To: r.Query.To, Protocol: r.Query.Protocol.String(), Port: r.Query.Port, Ephemeral: eph.String(), Family: r.Query.Family},
		ForwardPath: hopsJSON(r.Forward), ReturnPath: hopsJSON(r.Return),
		Blockers: make([]blockerJSON, 0, len(r.Blockers)), Warnings: make([]blockerJSON, 0, len(r.Warnings)),
	}
	if r.Query.ICMP != nil {
		out.Query.ICMPType, out.Query.ICMPCode = &r.Query.ICMP.Type, &r.Query.ICMP.Code
	}
	if r.Err != nil {
		out.Error = r.Err.Error()
	}
	for _, b := range r.Blockers {
		out.Blockers = append(out.Blockers, blockerJSON{b.Code, b.Code.Description(), b.Component, b.Name, b.AWSID, b.Leg, b.Rule, b.Message, b.Pos.File, b.Pos.Line, b.Pos.Column})
	}
	for _, w := range r.Warnings {
		out.Warnings = append(out.Warnings, blockerJSON{w.Code, w.Code.Description(), w.Component, w.Name, w.AWSID, w.Leg, w.Rule, w.Message, w.Pos.File, w.Pos.Line, w.Pos.Column})
	}
	if withFamily || r.Family == FamilyIPv6 || len(r.Families) > 0 {
		out.Family = r.Family
	}
	out.Translation = r.Translation
	for _, f := range r.Families {
		f.Families = nil
		j, err := f.marshalJSON(true)
		if err != nil {
			return nil, err
		}
		out.Families = append(out.Families, j)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func hopsJSON(hops []Hop) []hopJSON {
	out := make([]hopJSON, 0, len(hops))
	for _, h := range hops {
		j := hopJSON{Component: h.Component, Name: h.Name, AWSID: h.AWSID, Kind: h.Kind, Decision: h.Decision, Direction: h.Direction, Rule: h.Rule,
			File: h.Pos.File, Line: h.Pos.Line, Column: h.Pos.Column}
		if h.Packet != nil {
			j.Packet = &struct {
				Src string `json:"src"`
				Dst string `json:"dst"`
			}{h.Packet.Src.String(), h.Packet.Dst.String()}
		}
		out = append(out, j)
	}
	return out
}
