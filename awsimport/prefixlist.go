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
		pl model.PrefixList
		// family is the list's, from AddressFamily or its first entry.
		family string
		// mixed is set when an entry of the other family was reported.
		mixed bool
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
		// A list holds one address family (V-04).
		pfx, kind := b.block(c, src, field, famAny, "")
		switch kind {
		case cidrIPv4, cidrIPv6:
			fam := "IPv4"
			if kind == cidrIPv6 {
				fam = "IPv6"
			}
			switch {
			case p.family == "":
				p.family = fam
			case p.family != fam:
				if !p.mixed {
					b.errorf(at(src, c.Pos), field, model.ErrInvalidValue, "prefix list %s is of family %s, and this entry %s is %s: AWS keeps a list to one family (V-04)", p.pl.ID, p.family, pfx, fam)
				}
				p.mixed = true
				return
			}
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
		switch a.AddressFamily {
		case "":
		case "IPv4", "IPv6":
			if p.family == "" {
				p.family = a.AddressFamily
			}
		default:
			b.errorf(it.src, "AddressFamily", model.ErrInvalidValue, "address family %q is neither IPv4 nor IPv6", a.AddressFamily)
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
