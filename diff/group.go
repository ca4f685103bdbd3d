package diff

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// groupFlows merges entries that say the same thing about classes of one
// VPC: the same source, protocol, ports and causes to destinations in one
// VPC become one entry whose destination lists them all (and the same the
// other way round), as people read a change: "i-ops-tools -> the EKS nodes
// tcp 22", not one line per node's subnet. Order is kept: an entry takes
// the place of the first it merges. The result reuses fs's storage.
func groupFlows(fs []Flow) []Flow {
	if len(fs) < 2 {
		return fs
	}
	// What each entry says is interned once: merging changes ends, never
	// protocol, ports or causes.
	says := make([]int32, len(fs))
	ids := map[flowSays]int32{}
	for i := range fs {
		k := saysOf(&fs[i])
		id, ok := ids[k]
		if !ok {
			id = int32(len(ids))
			ids[k] = id
		}
		says[i] = id
	}
	ends := endIDs{byRef: map[endRef]int32{}, byHash: map[uint64][]int32{}, seed: maphash.MakeSeed()}
	fs, says = mergeBy(fs, says, func(f *Flow) *Endpoints { return &f.To }, func(f *Flow) *Endpoints { return &f.From }, &ends)
	fs, _ = mergeBy(fs, says, func(f *Flow) *Endpoints { return &f.From }, func(f *Flow) *Endpoints { return &f.To }, &ends)
	return fs
}

// mergeKey is what flows merged by one end share: the other end, the
// merged end's kind, VPC and side, and what they say.
type mergeKey struct {
	other int32
	kind  string
	vpc   model.ID
	side  string
	says  int32
}

// mergeBy folds the flows with equal keys (the other end, what they say,
// and the merged end's kind, VPC and side) into the first of them,
// joining the ends that end selects (see mergeEnds); only flows whose such
// end is a class of interfaces take part. It compacts fs and says in
// place and returns what is left of them.
func mergeBy(fs []Flow, says []int32, end, other func(*Flow) *Endpoints, ends *endIDs) ([]Flow, []int32) {
	var more [][]Endpoints // the ends merged into each flow kept, by its index
	var moreIDs [][]int32  // and their numbers, with the kept flow's own
	at := make(map[mergeKey]int, len(fs))
	n := 0
	for i := range fs {
		f := &fs[i]
		if e := end(f); f.Detail == "" && e.Kind == kindInterfaces {
			k := mergeKey{other: ends.of(other(f)), kind: e.Kind, vpc: e.VPC, side: e.Side, says: says[i]}
			if j, ok := at[k]; ok {
				if more == nil {
					more, moreIDs = make([][]Endpoints, len(fs)), make([][]int32, len(fs))
				}
				if moreIDs[j] == nil {
					moreIDs[j] = []int32{ends.of(end(&fs[j]))}
				}
				more[j], moreIDs[j] = append(more[j], *e), append(moreIDs[j], ends.of(e))
				continue
			}
			at[k] = n
		}
		fs[n], says[n] = *f, says[i]
		n++
	}
	// Ends merged from the same ends are one end: merged once, and
	// sharing their members, which later look-ups find by reference.
	merged := map[string]Endpoints{}
	var key []byte
	for i := range more {
		if len(more[i]) == 0 {
			continue
		}
		ids := moreIDs[i]
		slices.Sort(ids)
		key = key[:0]
		for _, id := range ids {
			key = binary.LittleEndian.AppendUint32(key, uint32(id))
		}
		e := end(&fs[i])
		m, ok := merged[string(key)]
		if !ok {
			m = mergeEnds(*e, more[i])
			merged[string(key)] = m
		}
		*e = m
	}
	clear(fs[n:])
	return fs[:n], says[:n]
}

// endIDs numbers ends by their kind and members, memoized for ends that
// share their members' slice, as the entries of one class do.
type endIDs struct {
	byRef  map[endRef]int32
	byHash map[uint64][]int32 // the ids of ends whose kind and members hash alike
	ends   []Endpoints        // an end of each id (its members are never changed)
	seed   maphash.Seed
}

// endRef identifies an end by its kind and its members' slice.
type endRef struct {
	kind  string
	first *model.ID
	n     int
}

// of returns the number of e's kind and members.
func (k *endIDs) of(e *Endpoints) int32 {
	var r endRef
	if len(e.Members) > 0 {
		r = endRef{e.Kind, &e.Members[0], len(e.Members)}
		if id, ok := k.byRef[r]; ok {
			return id
		}
	}
	var h maphash.Hash
	h.SetSeed(k.seed)
	h.WriteString(e.Kind)
	for _, m := range e.Members {
		h.WriteByte(0)
		h.WriteString(string(m))
	}
	sum := h.Sum64()
	id := int32(-1)
	for _, c := range k.byHash[sum] {
		if o := &k.ends[c]; o.Kind == e.Kind && slices.Equal(o.Members, e.Members) {
			id = c
			break
		}
	}
	if id < 0 {
		id = int32(len(k.ends))
		k.ends = append(k.ends, *e)
		k.byHash[sum] = append(k.byHash[sum], id)
	}
	if len(e.Members) > 0 {
		k.byRef[r] = id
	}
	return id
}

// flowSays is what an entry says: protocol, ports and causes (each by
// resource, change, rule and position); causes beyond the first two are
// joined into more.
type flowSays struct {
	protocol, ports string
	n               int
	first, second   causeSays
	more            string
}

// causeSays is what flowSays keeps of a cause.
type causeSays struct {
	resource       model.ID
	change         Change
	rule, position string
}

// saysOf returns what f says.
func saysOf(f *Flow) flowSays {
	k := flowSays{protocol: f.Protocol, ports: f.Ports, n: len(f.Cause)}
	for i, c := range f.Cause {
		cs := causeSays{c.Resource, c.Change, c.Rule, c.Position}
		switch i {
		case 0:
			k.first = cs
		case 1:
			k.second = cs
		default:
			k.more += "\x00" + string(c.Resource) + "|" + string(c.Change) + "|" + c.Rule + "|" + c.Position
		}
	}
	return k
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
