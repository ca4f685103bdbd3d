package tfimport

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildRoute53() {
	zones := map[model.ID]*model.HostedZone{}
	b.each("aws_route53_zone", func(e elem) {
		id := model.ID(e.r.addr)
		z := &model.HostedZone{ID: id, Name: strings.TrimSuffix(e.str("name"), "."), Source: e.src()}
		vpcs := e.sub("vpc")
		z.Private = boolPtr(len(vpcs) > 0)
		for _, ve := range vpcs {
			if v := b.vpcRef(ve, "vpc_id"); v != nil && !slices.Contains(z.VPCs, v.m.ID) {
				z.VPCs = append(z.VPCs, v.m.ID)
			}
		}
		zones[id] = z
		b.zones = append(b.zones, z)
	})
	zoneRef := func(e elem) *model.HostedZone {
		r := e.ref("zone_id", "aws_route53_zone")
		if z := zones[r.ID]; z != nil {
			return z
		}
		if r.ID != "" {
			e.warnf("zone_id", ErrOutsidePlan, "hosted zone %s is not in this file: %s is left out", r.ID, e.r.addr)
		}
		return nil
	}
	b.each("aws_route53_zone_association", func(e elem) {
		z := zoneRef(e)
		v := b.vpcRef(e, "vpc_id")
		if z != nil && v != nil && !slices.Contains(z.VPCs, v.m.ID) {
			z.VPCs = append(z.VPCs, v.m.ID)
			z.Private = boolPtr(true)
		}
	})
	b.each("aws_route53_record", func(e elem) {
		z := zoneRef(e)
		if z == nil {
			return
		}
		rec := model.Record{Name: strings.TrimSuffix(e.str("name"), "."), Source: e.src()}
		if rec.Name == "" {
			e.warnf("name", ErrUnknownValue, "the record's name is unknown until apply: it is left out")
			return
		}
		if al := e.sub("alias"); len(al) > 0 {
			rec.Type = model.RecordAlias
			t := al[0].ref("name", "aws_lb", "aws_alb", "aws_vpc_endpoint")
			switch {
			case t.ID == "":
				return
			case t.outside:
				rec.Target = strings.TrimSuffix(string(t.ID), ".")
			default:
				rec.Target = string(t.ID)
			}
			// An ALIAS answers for both families (V-15): the A and AAAA
			// alias records of one name and target are one.
			if slices.ContainsFunc(z.Records, func(r model.Record) bool {
				return r.Type == model.RecordAlias && strings.EqualFold(r.Name, rec.Name) && r.Target == rec.Target
			}) {
				return
			}
			z.Records = append(z.Records, rec)
			return
		}
		switch strings.ToUpper(e.str("type")) {
		case "A":
			rec.Type = model.RecordA
			rec.Values = e.strs("records")
		case "AAAA":
			rec.Type = model.RecordAAAA
			rec.Values = e.strs("records")
		case "CNAME":
			rec.Type = model.RecordCNAME
			rec.Values = e.strs("records")
		default:
			return // other types do not route traffic
		}
		if len(rec.Values) == 0 {
			e.warnf("records", ErrUnknownValue, "the record's values are unknown until apply: it is left out")
			return
		}
		z.Records = append(z.Records, rec)
	})
}
