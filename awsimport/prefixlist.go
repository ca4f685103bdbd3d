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
	Cidrs          []jsonText
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
	Entries      []struct {
		Cidr        jsonText
		Description string
	}
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
	addCIDR := func(p *plB, c jsonText, src model.Source, field string) {
		// A list holds one address family: IPv6 lists are skipped as a
		// whole, and rules and routes that use them say so.
		pfx, kind := b.ipv4CIDR(c, src, field, "")
		switch kind {
		case cidrIPv6:
			p.ipv6 = true
			return
		case cidrAbsent:
			b.errorf(at(src, c.Pos), field, model.ErrMissingField, "an empty CIDR block in prefix list %s", p.pl.ID)
			return
		case cidrBad:
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
		for k, c := range a.Cidrs {
			addCIDR(p, c, it.src, "Cidrs["+itoa(k)+"]")
		}
	}
	for i := range b.s.prefixListEntries {
		it := &b.s.prefixListEntries[i]
		p := get(it.v.PrefixListId, it.src)
		for k, e := range it.v.Entries {
			addCIDR(p, e.Cidr, it.src, "Entries["+itoa(k)+"].Cidr")
		}
	}
	slices.Sort(order)
	for _, id := range order {
		p := lists[id]
		if len(p.pl.CIDRs) == 0 && p.ipv6 {
			b.count("ipv6-pl", p.pl.Source, ErrNotModelled, "IPv6 is not modelled yet: IPv6 prefix lists skipped (rules and routes that use them say so): %N")
			b.ipv6Lists[id] = true
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
