package awsimport

import (
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// awsPrefixList is an element of PrefixLists: describe-prefix-lists (AWS
// service lists, with Cidrs) or describe-managed-prefix-lists (with
// MaxEntries; entries come from get-managed-prefix-list-entries).
type awsPrefixList struct {
	PrefixListId   string
	PrefixListName string
	Cidrs          []string
	MaxEntries     int
	AddressFamily  string
	OwnerId        string
	State          string
}

// awsPrefixListEntries wraps get-managed-prefix-list-entries with the
// list's id: {"ManagedPrefixListEntries": [{"PrefixListId": ..., "Entries":
// [{"Cidr": ..., "Description": ...}]}]}.
type awsPrefixListEntries struct {
	PrefixListId string
	Entries      []struct{ Cidr, Description string }
}

func (b *builder) buildPrefixLists() {
	// The same list may come from both commands: merge by id.
	type plB struct {
		pl   model.PrefixList
		ipv6 bool
	}
	lists := map[string]*plB{}
	var order []string
	get := func(id string, src model.Source) *plB {
		if p := lists[id]; p != nil {
			return p
		}
		p := &plB{pl: model.PrefixList{ID: model.ID(id), Source: src}}
		lists[id] = p
		order = append(order, id)
		return p
	}
	addCIDR := func(p *plB, c string, src model.Source) {
		pfx, ok := parseCIDR(c)
		if !ok {
			p.ipv6 = true
			return
		}
		if !slices.Contains(p.pl.CIDRs, pfx) {
			p.pl.CIDRs = append(p.pl.CIDRs, pfx)
		}
	}
	for _, it := range unique(b.s.prefixLists, func(p *awsPrefixList) string { return p.PrefixListId }) {
		a := &it.v
		p := get(a.PrefixListId, it.src)
		if a.PrefixListName != "" {
			p.pl.Name = a.PrefixListName
		}
		if a.MaxEntries > 0 {
			p.pl.MaxEntries = a.MaxEntries
		}
		if a.AddressFamily == "IPv6" {
			p.ipv6 = true
		}
		for _, c := range a.Cidrs {
			addCIDR(p, c, it.src)
		}
	}
	for i := range b.s.prefixListEntries {
		it := &b.s.prefixListEntries[i]
		p := get(it.v.PrefixListId, it.src)
		for _, e := range it.v.Entries {
			addCIDR(p, e.Cidr, it.src)
		}
	}
	slices.Sort(order)
	for _, id := range order {
		p := lists[id]
		if len(p.pl.CIDRs) == 0 && p.ipv6 {
			b.count("ipv6-pl", p.pl.Source, ErrNotModelled, "IPv6 prefix lists skipped, as vpcreach models IPv4 only: %N")
			continue
		}
		if p.pl.MaxEntries != 0 && p.pl.MaxEntries < len(p.pl.CIDRs) {
			p.pl.MaxEntries = len(p.pl.CIDRs)
		}
		slices.SortFunc(p.pl.CIDRs, comparePrefix)
		if len(p.pl.CIDRs) == 0 {
			b.note(p.pl.Source, "", ErrOutsideSnapshot, "prefix list %s has no entries in the snapshot (collect get-managed-prefix-list-entries): it matches nothing", id)
		}
		b.m.PrefixLists = append(b.m.PrefixLists, p.pl)
		b.place(id, model.KindPrefixList, "")
	}
}
