package tfimport

import (
	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildPeerings() {
	accepted := map[model.ID]bool{}
	b.each("aws_vpc_peering_connection_accepter", func(e elem) {
		c := e.ref("vpc_peering_connection_id", "aws_vpc_peering_connection")
		switch {
		case c.ID == "":
		case !c.outside:
			accepted[c.ID] = e.boolean("auto_accept", true) || e.str("accept_status") == "active"
		default:
			// The connection is another configuration's: the accepter
			// stands for it when both VPCs are in this file.
			b.peering(e, "vpc_id", "peer_vpc_id", true)
		}
	})
	b.each("aws_vpc_peering_connection", func(e elem) {
		p := b.peering(e, "vpc_id", "peer_vpc_id", e.boolean("auto_accept", false) || accepted[model.ID(e.r.addr)])
		if p != nil && e.str("accept_status") == "" && p.Status != model.PeeringActive {
			e.warnf("auto_accept", ErrAssumed, "the peering is not accepted in this file (no auto_accept, no aws_vpc_peering_connection_accepter): it stays pending-acceptance and passes no traffic (S-40)")
		}
	})
	for _, typ := range []string{"aws_vpc_peering_connection_options"} {
		b.each(typ, func(e elem) {
			e.notef("", ErrSkipped, "peering options (DNS resolution across the peering) are not read")
		})
	}
}

// peering builds a peering connection between the VPCs of two keys.
func (b *builder) peering(e elem, reqKey, accKey string, accepted bool) *model.PeeringConnection {
	req := b.vpcRef(e, reqKey)
	acc := b.vpcRef(e, accKey)
	if req == nil || acc == nil {
		e.warnf(accKey, ErrOutsidePlan, "the peering joins a VPC outside this file: it is left out, and routes to it lead outside the file")
		return nil
	}
	p := &model.PeeringConnection{ID: model.ID(e.r.addr), Requester: req.m.ID, Accepter: acc.m.ID, Source: e.src()}
	switch st := e.str("accept_status"); {
	case st != "":
		if err := p.Status.UnmarshalText([]byte(st)); err != nil {
			e.errorf("accept_status", model.ErrInvalidValue, "%s", err)
			return nil
		}
	case !accepted:
		p.Status = model.PeeringPendingAcceptance
	}
	if p.Status == model.PeeringDeleted || p.Status == model.PeeringRejected {
		return nil
	}
	b.peers = append(b.peers, p)
	return p
}
