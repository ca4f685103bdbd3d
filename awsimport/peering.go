package awsimport

import (
	"github.com/vpcreach/vpcreach/model"
)

// awsPeering is an element of describe-vpc-peering-connections'
// VpcPeeringConnections. Both accounts of a cross-account peering list it.
type awsPeering struct {
	VpcPeeringConnectionId string
	Status                 struct{ Code, Message string }
	RequesterVpcInfo       awsPeeringVpcInfo
	AccepterVpcInfo        awsPeeringVpcInfo
	Tags                   []awsTag
}

type awsPeeringVpcInfo struct {
	VpcId     string
	OwnerId   string
	Region    string
	CidrBlock string
}

func (b *builder) buildPeerings() {
	for _, it := range unique(b.s.peerings, func(p *awsPeering) string { return p.VpcPeeringConnectionId }) {
		a := &it.v
		id := a.VpcPeeringConnectionId
		var status model.PeeringStatus
		if err := status.UnmarshalText([]byte(a.Status.Code)); err != nil {
			b.warn(it.src, "Status.Code", model.ErrInvalidValue, "peering %s: %s: skipped", id, err)
			continue
		}
		if status == model.PeeringDeleted || status == model.PeeringDeleting {
			b.count("peering-deleted", it.src, ErrInactive, "deleted peering connections skipped: %N")
			continue
		}
		req, acc := a.RequesterVpcInfo, a.AccepterVpcInfo
		missing := ""
		for _, side := range []awsPeeringVpcInfo{req, acc} {
			if b.vpcs[side.VpcId] == nil {
				missing = side.VpcId
				if side.OwnerId != "" {
					missing += " of account " + side.OwnerId
				}
				if side.Region != "" {
					missing += " in " + side.Region
				}
				if side.CidrBlock != "" {
					missing += " (" + side.CidrBlock + ")"
				}
				break
			}
		}
		if missing != "" {
			if status == model.PeeringActive {
				b.warn(it.src, "", ErrOutsideSnapshot, "peering %s joins %s and %s, but %s is not in the snapshot: the peering is left out and routes to it are kept as blackholes, so answers through it are unknown, not \"no\" (collect that account and region too)",
					id, req.VpcId, acc.VpcId, missing)
			} else {
				b.note(it.src, "", ErrOutsideSnapshot, "peering %s (%s) joins a VPC that is not in the snapshot, %s: skipped", id, status, missing)
			}
			continue
		}
		if status != model.PeeringActive {
			b.warn(it.src, "Status.Code", ErrInactive, "peering %s is %s: only active peerings carry traffic", id, status)
		}
		b.m.PeeringConnections = append(b.m.PeeringConnections, model.PeeringConnection{ID: model.ID(id),
			Requester: model.ID(req.VpcId), Accepter: model.ID(acc.VpcId), Status: status, Source: it.src})
		b.place(id, model.KindPeeringConnection, "")
	}
}
