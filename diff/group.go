package diff

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// groupFlows merges entries that say the same thing about classes of one
// VPC: the same source, protocol, ports and causes to destinations in one
// VPC become one entry whose destination lists them all (and the same the
// other way round), as people read a change: "i-ops-tools -> the EKS nodes
// tcp 22", not one line per node's subnet. Order is kept: an entry takes
// the place of the first it merges.
func groupFlows(fs []Flow) []Flow {
	keys := endKeys{}
	fs = mergeBy(fs, func(f *Flow) *Endpoints { return &f.To }, func(f Flow) string {
		return keys.of(f.From) + "\x00" + f.To.Kind + "\x00" + string(f.To.VPC) + "\x00" + f.To.Side + "\x00" + flowKey(f)
	})
	return mergeBy(fs, func(f *Flow) *Endpoints { return &f.From }, func(f Flow) string {
		return keys.of(f.To) + "\x00" + f.From.Kind + "\x00" + string(f.From.VPC) + "\x00" + f.From.Side + "\x00" + flowKey(f)
	})
}

// mergeBy folds the flows with equal keys into the first of them, joining
// the ends that end selects (see mergeEnds); only flows whose such end is
// a class of interfaces take part.
func mergeBy(fs []Flow, end func(*Flow) *Endpoints, key func(Flow) string) []Flow {
	var out []Flow
	var more [][]Endpoints // the ends merged into each of out
	at := map[string]int{}
	for _, f := range fs {
		if f.Detail != "" || end(&f).Kind != kindInterfaces {
			out, more = append(out, f), append(more, nil)
			continue
		}
		k := key(f)
		if i, ok := at[k]; ok {
			more[i] = append(more[i], *end(&f))
			continue
		}
		at[k] = len(out)
		out, more = append(out, f), append(more, nil)
	}
	for i := range out {
		if len(more[i]) > 0 {
			e := end(&out[i])
			*e = mergeEnds(*e, more[i])
		}
	}
	return out
}

// endKeys memoizes endKey for ends that share their members' slice, as
// the entries of one class do.
type endKeys map[endRef]string

// endRef identifies an end by its kind and its members' slice.
type endRef struct {
	kind  string
	first *model.ID
	n     int
}

// of returns endKey(e).
func (k endKeys) of(e Endpoints) string {
	if len(e.Members) == 0 {
		return endKey(e)
	}
	r := endRef{e.Kind, &e.Members[0], len(e.Members)}
	s, ok := k[r]
	if !ok {
		s = endKey(e)
		k[r] = s
	}
	return s
}

// endKey identifies an end by its kind and members.
func endKey(e Endpoints) string {
	ids := make([]string, len(e.Members))
	for i, id := range e.Members {
		ids[i] = string(id)
	}
	return e.Kind + "\x00" + strings.Join(ids, ",")
}

// flowKey identifies what an entry says: protocol, ports and causes.
func flowKey(f Flow) string {
	var b strings.Builder
	b.WriteString(f.Protocol + "\x00" + f.Ports)
	for _, c := range f.Cause {
		b.WriteString("\x00" + string(c.Resource) + "|" + string(c.Change) + "|" + c.Rule + "|" + c.Position)
	}
	return b.String()
}

// mergeEnds joins ends of one VPC into a: members sorted, the subnet
// kept only when all share it.
func mergeEnds(a Endpoints, others []Endpoints) Endpoints {
	out := a
	n := len(a.Members)
	for _, b := range others {
		n += len(b.Members)
	}
	out.Members = append(make([]model.ID, 0, n), a.Members...)
	for _, b := range others {
		out.Members = append(out.Members, b.Members...)
		if b.Subnet != out.Subnet {
			out.Subnet = ""
		}
	}
	slices.Sort(out.Members)
	out.Members = slices.Compact(out.Members)
	return out
}
