package diff

import (
	"slices"
	"strings"
)

// groupFlows merges entries that say the same thing about classes of one
// VPC: the same source, protocol, ports and causes to destinations in one
// VPC become one entry whose destination lists them all (and the same the
// other way round), as people read a change: "i-ops-tools -> the EKS nodes
// tcp 22", not one line per node's subnet. Order is kept: an entry takes
// the place of the first it merges.
func groupFlows(fs []Flow) []Flow {
	fs = mergeBy(fs, func(f Flow) bool { return f.To.Kind == kindInterfaces }, func(f Flow) string {
		return endKey(f.From) + "\x00" + f.To.Kind + "\x00" + string(f.To.VPC) + "\x00" + f.To.Side + "\x00" + flowKey(f)
	},
		func(into *Flow, f Flow) { into.To = mergeEnds(into.To, f.To) })
	return mergeBy(fs, func(f Flow) bool { return f.From.Kind == kindInterfaces }, func(f Flow) string {
		return endKey(f.To) + "\x00" + f.From.Kind + "\x00" + string(f.From.VPC) + "\x00" + f.From.Side + "\x00" + flowKey(f)
	},
		func(into *Flow, f Flow) { into.From = mergeEnds(into.From, f.From) })
}

// mergeBy folds the flows with equal keys into the first of them; only
// flows whose merged end is a class of interfaces (mergeable) take part.
func mergeBy(fs []Flow, mergeable func(Flow) bool, key func(Flow) string, merge func(into *Flow, f Flow)) []Flow {
	var out []Flow
	at := map[string]int{}
	for _, f := range fs {
		if f.Detail != "" || !mergeable(f) {
			out = append(out, f)
			continue
		}
		k := key(f)
		if i, ok := at[k]; ok {
			merge(&out[i], f)
			continue
		}
		at[k] = len(out)
		out = append(out, f)
	}
	return out
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

// mergeEnds joins two ends of one VPC: members sorted, the subnet kept
// only when both share it.
func mergeEnds(a, b Endpoints) Endpoints {
	out := a
	out.Members = slices.Clone(a.Members)
	for _, id := range b.Members {
		if !slices.Contains(out.Members, id) {
			out.Members = append(out.Members, id)
		}
	}
	slices.Sort(out.Members)
	if a.Subnet != b.Subnet {
		out.Subnet = ""
	}
	return out
}
