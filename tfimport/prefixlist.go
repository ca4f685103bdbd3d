package tfimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildPrefixLists() {
	b.each("aws_ec2_managed_prefix_list", func(e elem) {
		if e.r.mode != "managed" {
			return
		}
		id := model.ID(e.r.addr)
		pl := &model.PrefixList{ID: id, Name: e.str("name"), Source: e.src()}
		if n, ok := e.integer("max_entries"); ok && n > 0 {
			pl.MaxEntries = int(n)
		}
		for _, en := range e.sub("entry") {
			b.prefixListEntry(en, pl)
		}
		b.pls[id] = pl
	})
	// AWS-managed lists, read by data sources: the routes and rules that
	// name them stand for their CIDRs.
	for _, typ := range []string{"aws_prefix_list", "aws_ec2_managed_prefix_list"} {
		b.each(typ, func(e elem) {
			if e.r.mode != "data" {
				return
			}
			id := model.ID(e.r.addr)
			pl := &model.PrefixList{ID: id, Name: e.str("name"), Source: e.src()}
			for _, c := range e.strs("cidr_blocks") {
				b.prefixListEntry(elemWith(e, "cidr", c), pl)
			}
			for _, en := range e.sub("entries") {
				b.prefixListEntry(en, pl)
			}
			if n, ok := e.integer("max_entries"); ok && n > 0 {
				pl.MaxEntries = int(n)
			}
			if len(pl.CIDRs) == 0 {
				e.warnf("cidr_blocks", ErrUnknownValue, "the prefix list's entries are unknown until apply: it is left out")
				return
			}
			b.pls[id] = pl
		})
	}
	b.each("aws_ec2_managed_prefix_list_entry", func(e elem) {
		r := e.ref("prefix_list_id", "aws_ec2_managed_prefix_list")
		pl := b.pls[r.ID]
		if pl == nil {
			if r.ID != "" {
				e.warnf("prefix_list_id", ErrOutsidePlan, "prefix list %s is not in this file: %s is left out", r.ID, e.r.addr)
			}
			return
		}
		b.prefixListEntry(e, pl)
	})
	for _, pl := range b.pls {
		slices.SortFunc(pl.CIDRs, func(x, y netip.Prefix) int { return x.Addr().Compare(y.Addr()) })
	}
}

func (b *builder) prefixListEntry(e elem, pl *model.PrefixList) {
	c := e.str("cidr")
	if c == "" {
		e.warnf("cidr", ErrUnknownValue, "the entry's CIDR is unknown until apply: it is left out")
		return
	}
	p, err := model.ParseAnyCIDR(c) // a list is of one family, IPv4 or IPv6 (V-04)
	if err != nil {
		e.errorf("cidr", model.ErrInvalidValue, "%s", err)
		return
	}
	if !slices.Contains(pl.CIDRs, p) {
		pl.CIDRs = append(pl.CIDRs, p)
	}
}
