package awsimport

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsHostedZone is an element of route53 list-hosted-zones' HostedZones.
type awsHostedZone struct {
	Id     string
	Name   string
	Config struct {
		PrivateZone bool
		Comment     string
	}
}

// awsHostedZoneDetail is the output of route53 get-hosted-zone (the zone
// and, for a private zone, its VPCs), gathered in a HostedZoneDetails list
// by the collection script.
type awsHostedZoneDetail struct {
	HostedZone awsHostedZone
	VPCs       []struct{ VPCRegion, VPCId string }
}

// awsRecordSetsOf wraps route53 list-resource-record-sets with the zone's
// id: {"HostedZoneRecordSets": [{"HostedZoneId": ..., "ResourceRecordSets":
// [...]}]}.
type awsRecordSetsOf struct {
	HostedZoneId       string
	ResourceRecordSets []awsRecordSet
}

// awsRecordSet is an element of list-resource-record-sets'
// ResourceRecordSets.
type awsRecordSet struct {
	Name            string
	Type            string
	SetIdentifier   string
	ResourceRecords []struct{ Value string }
	AliasTarget     *awsAliasTarget
}

// awsAliasTarget is a record set's AliasTarget.
type awsAliasTarget struct {
	DNSName      string
	HostedZoneId string
}

// zoneID strips the /hostedzone/ prefix Route 53 puts on ids.
func zoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }

// dnsName undoes Route 53's escapes (\052 is *) and drops the final dot.
func dnsName(s string) string {
	s = strings.ReplaceAll(s, `\052`, "*")
	s = strings.ReplaceAll(s, `\100`, "@")
	return strings.TrimSuffix(s, ".")
}

func (b *builder) buildHostedZones() {
	type zoneB struct {
		z       model.HostedZone
		records bool
	}
	zones := map[string]*zoneB{}
	get := func(z *awsHostedZone, it model.Source, acct model.ID) *zoneB {
		id := zoneID(z.Id)
		zb := zones[id]
		if zb == nil {
			zb = &zoneB{z: model.HostedZone{ID: model.ID(id), Name: dnsName(z.Name), Account: acct, Source: it}}
			if !z.Config.PrivateZone {
				zb.z.Private = ptr(false)
			}
			zones[id] = zb
		}
		return zb
	}
	for _, it := range unique(b.s.hostedZones, func(z *awsHostedZone) string { return zoneID(z.Id) }) {
		get(&it.v, it.src, b.account(it.sc.account, ""))
	}
	for _, it := range unique(b.s.hostedZoneDetails, func(z *awsHostedZoneDetail) string { return zoneID(z.HostedZone.Id) }) {
		zb := get(&it.v.HostedZone, it.src, b.account(it.sc.account, ""))
		for _, v := range it.v.VPCs {
			if b.vpcs[v.VPCId] == nil {
				b.note(it.src, "VPCs", ErrOutsideSnapshot, "zone %s is associated with %s (%s), which is not in the snapshot", zb.z.Name, v.VPCId, v.VPCRegion)
				continue
			}
			if !containsID(zb.z.VPCs, model.ID(v.VPCId)) {
				zb.z.VPCs = append(zb.z.VPCs, model.ID(v.VPCId))
			}
		}
	}
	for _, it := range unique(b.s.recordSets, func(r *awsRecordSetsOf) string { return zoneID(r.HostedZoneId) }) {
		zb := zones[zoneID(it.v.HostedZoneId)]
		if zb == nil {
			b.note(it.src, "HostedZoneId", ErrOutsideSnapshot, "records of zone %s, which is not in the snapshot: skipped", it.v.HostedZoneId)
			continue
		}
		zb.records = true
		for k, rs := range it.v.ResourceRecordSets {
			src := it.at("ResourceRecordSets", k)
			rec := model.Record{Name: dnsName(rs.Name) + ".", Source: src}
			switch {
			case rs.AliasTarget != nil && (rs.Type == "A" || rs.Type == "AAAA"):
				// An ALIAS answers for both families (V-15): the A and
				// AAAA alias records of one name and target are one.
				rec.Type = model.RecordAlias
				rec.Target = strings.TrimPrefix(strings.ToLower(dnsName(rs.AliasTarget.DNSName)), "dualstack.")
				if slices.ContainsFunc(zb.z.Records, func(r model.Record) bool {
					return r.Type == model.RecordAlias && strings.EqualFold(r.Name, rec.Name) && r.Target == rec.Target
				}) {
					continue
				}
			case rs.AliasTarget != nil:
				b.count("dns-type", src, ErrNotModelled, "records of types other than A, AAAA, CNAME and alias (MX, TXT, ...) skipped: %N")
				continue
			case rs.Type == "A" || rs.Type == "AAAA":
				rec.Type = model.RecordA
				if rs.Type == "AAAA" {
					rec.Type = model.RecordAAAA
				}
				for _, v := range rs.ResourceRecords {
					rec.Values = append(rec.Values, v.Value)
				}
			case rs.Type == "CNAME":
				rec.Type = model.RecordCNAME
				for _, v := range rs.ResourceRecords {
					rec.Values = append(rec.Values, dnsName(v.Value))
				}
			case rs.Type == "NS" || rs.Type == "SOA":
				continue
			default:
				b.count("dns-type", src, ErrNotModelled, "records of types other than A, AAAA, CNAME and alias (MX, TXT, ...) skipped: %N")
				continue
			}
			zb.z.Records = append(zb.z.Records, rec)
		}
	}
	for _, id := range sortedKeys(zones) {
		zb := zones[id]
		if zb.z.IsPrivate() && !zb.records {
			b.warn(zb.z.Source, "", ErrOutsideSnapshot, "the records of private zone %s are not in the snapshot (collect list-resource-record-sets): names under it answer NXDOMAIN here", zb.z.Name)
		}
		if zb.z.IsPrivate() && len(zb.z.VPCs) == 0 && len(b.s.hostedZoneDetails) == 0 {
			b.note(zb.z.Source, "", ErrOutsideSnapshot, "the VPCs of private zone %s are not in the snapshot (collect get-hosted-zone): it answers nowhere here", zb.z.Name)
		}
		b.m.HostedZones = append(b.m.HostedZones, zb.z)
		b.place(id, model.KindHostedZone, "")
	}
}
