package tfimport

import (
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// tgwParts holds a transit gateway's route tables and attachments while
// they are built.
type tgwParts struct {
	rts  []*model.TGWRouteTable
	atts []*model.TGWAttachment
}

// attFlags are a VPC attachment's default association and propagation
// switches.
type attFlags struct {
	assoc, prop bool
	e           elem
	explicit    bool // an association resource names it
}

var attachmentTypes = []string{"aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_vpc_attachment_accepter",
	"aws_ec2_transit_gateway_peering_attachment", "aws_ec2_transit_gateway_peering_attachment_accepter"}

func (b *builder) buildTransitGateways() {
	parts := map[model.ID]*tgwParts{}
	rtPtr := map[model.ID]*model.TGWRouteTable{}
	attPtr := map[model.ID]*model.TGWAttachment{}
	flags := map[model.ID]*attFlags{}
	peerSide := map[model.ID]model.ID{} // peering attachment accepter -> the peer side's attachment
	b.each("aws_ec2_transit_gateway", func(e elem) {
		id := model.ID(e.r.addr)
		t := &model.TransitGateway{ID: id, Account: b.accountOf(e), Region: b.regionOf(e.r), Source: e.src(),
			SecurityGroupReferencing: e.str("security_group_referencing_support") == "enable"}
		p := &tgwParts{}
		assoc := e.str("default_route_table_association") != "disable"
		prop := e.str("default_route_table_propagation") != "disable"
		if assoc || prop {
			// AWS creates the default route table; Terraform has no
			// resource for it, so it is named after the gateway.
			rt := &model.TGWRouteTable{ID: id + ".default_route_table", Source: model.Source{Position: t.Source.Position, Path: string(id) + ".default_route_table"}}
			p.rts = append(p.rts, rt)
			rtPtr[rt.ID] = rt
			b.tgwRT[rt.ID] = t
			if assoc {
				t.DefaultAssociationRouteTable = rt.ID
			}
			if prop {
				t.DefaultPropagationRouteTable = rt.ID
			}
		}
		b.tgws[id] = t
		parts[id] = p
	})
	gateway := func(e elem, key string) *model.TransitGateway {
		r := e.ref(key, "aws_ec2_transit_gateway")
		if r.ID == "" {
			return nil
		}
		if t := b.tgws[r.ID]; t != nil {
			return t
		}
		e.warnf(key, ErrOutsidePlan, "transit gateway %s is not in this file: %s is left out", r.ID, e.r.addr)
		return nil
	}
	b.each("aws_ec2_transit_gateway_route_table", func(e elem) {
		t := gateway(e, "transit_gateway_id")
		if t == nil {
			return
		}
		rt := &model.TGWRouteTable{ID: model.ID(e.r.addr), Source: e.src()}
		parts[t.ID].rts = append(parts[t.ID].rts, rt)
		rtPtr[rt.ID] = rt
		b.tgwRT[rt.ID] = t
	})
	b.each("aws_ec2_transit_gateway_vpc_attachment", func(e elem) {
		t := gateway(e, "transit_gateway_id")
		v := b.vpcRef(e, "vpc_id")
		if t == nil || v == nil {
			return
		}
		a := &model.TGWAttachment{ID: model.ID(e.r.addr), Type: model.AttachmentVPC, VPC: v.m.ID, Source: e.src(),
			ApplianceMode: e.str("appliance_mode_support") == "enable", IPv6Support: e.str("ipv6_support") == "enable"}
		for _, s := range e.refs("subnet_ids", "aws_subnet") {
			if sn := b.subnetOf(e, "subnet_ids", s); sn != nil {
				a.Subnets = append(a.Subnets, sn.ID)
			}
		}
		if s := e.str("security_group_referencing_support"); s != "" {
			a.SecurityGroupReferencing = boolPtr(s != "disable")
		}
		if v.m.Account != "" && t.Account != "" && v.m.Account != t.Account {
			a.Account = v.m.Account
		}
		parts[t.ID].atts = append(parts[t.ID].atts, a)
		attPtr[a.ID] = a
		b.tgwAtt[a.ID] = t
		flags[a.ID] = &attFlags{assoc: e.boolean("transit_gateway_default_route_table_association", true),
			prop: e.boolean("transit_gateway_default_route_table_propagation", true), e: e}
	})
	b.each("aws_ec2_transit_gateway_vpc_attachment_accepter", func(e elem) {
		r := e.ref("transit_gateway_attachment_id", "aws_ec2_transit_gateway_vpc_attachment")
		if f := flags[r.ID]; f != nil {
			f.assoc = e.boolean("transit_gateway_default_route_table_association", true)
			f.prop = e.boolean("transit_gateway_default_route_table_propagation", true)
		}
	})
	accepters := map[model.ID]model.ID{}
	b.each("aws_ec2_transit_gateway_peering_attachment_accepter", func(e elem) {
		r := e.ref("transit_gateway_attachment_id", "aws_ec2_transit_gateway_peering_attachment")
		if r.ID != "" && !r.outside {
			accepters[r.ID] = model.ID(e.r.addr)
		}
	})
	b.each("aws_ec2_transit_gateway_peering_attachment", func(e elem) {
		t := gateway(e, "transit_gateway_id")
		if t == nil {
			return
		}
		pr := e.ref("peer_transit_gateway_id", "aws_ec2_transit_gateway")
		peer := b.tgws[pr.ID]
		if peer == nil {
			e.warnf("peer_transit_gateway_id", ErrOutsidePlan, "the peer transit gateway %s is not in this file: the peering attachment is left out", pr.ID)
			return
		}
		id := model.ID(e.r.addr)
		other := id + model.ID("@"+string(peer.ID))
		var st model.AttachmentState
		if s := e.str("state"); s != "" {
			_ = st.UnmarshalText([]byte(s))
		} else if accepters[id] == "" {
			st = model.AttachmentPendingAcceptance
			e.warnf("peer_transit_gateway_id", ErrAssumed, "the peering attachment is not accepted in this file (no aws_ec2_transit_gateway_peering_attachment_accepter): it stays pending-acceptance")
		}
		a := &model.TGWAttachment{ID: id, Type: model.AttachmentPeering, Peer: other, State: st, Source: e.src()}
		o := &model.TGWAttachment{ID: other, Type: model.AttachmentPeering, Peer: id, State: st, Source: e.src()}
		parts[t.ID].atts = append(parts[t.ID].atts, a)
		parts[peer.ID].atts = append(parts[peer.ID].atts, o)
		attPtr[id], attPtr[other] = a, o
		b.tgwAtt[id], b.tgwAtt[other] = t, peer
		if acc := accepters[id]; acc != "" {
			peerSide[acc] = other
		}
	})
	// attachment resolves a transit_gateway_attachment_id.
	attachment := func(e elem, key string) *model.TGWAttachment {
		r := e.ref(key, attachmentTypes...)
		id := r.ID
		switch r.typ {
		case "aws_ec2_transit_gateway_vpc_attachment_accepter":
			id = b.top(b.byAddr[string(r.ID)]).ref("transit_gateway_attachment_id", "aws_ec2_transit_gateway_vpc_attachment").ID
		case "aws_ec2_transit_gateway_peering_attachment_accepter":
			id = peerSide[r.ID]
		}
		if a := attPtr[id]; a != nil {
			return a
		}
		if r.ID != "" {
			e.warnf(key, ErrOutsidePlan, "transit gateway attachment %s is not in this file: %s is left out", r.ID, e.r.addr)
		}
		return nil
	}
	table := func(e elem, key string) *model.TGWRouteTable {
		r := e.ref(key, "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway")
		if r.typ == "aws_ec2_transit_gateway" {
			r.ID += ".default_route_table"
		}
		if rt := rtPtr[r.ID]; rt != nil {
			return rt
		}
		if r.ID != "" {
			e.warnf(key, ErrOutsidePlan, "transit gateway route table %s is not in this file: %s is left out", r.ID, e.r.addr)
		}
		return nil
	}
	same := func(e elem, a *model.TGWAttachment, rt *model.TGWRouteTable) bool {
		if b.tgwAtt[a.ID] != b.tgwRT[rt.ID] {
			e.errorf("transit_gateway_route_table_id", model.ErrWrongRef, "route table %s and attachment %s belong to different transit gateways", rt.ID, a.ID)
			return false
		}
		return true
	}
	b.each("aws_ec2_transit_gateway_route_table_association", func(e elem) {
		a, rt := attachment(e, "transit_gateway_attachment_id"), table(e, "transit_gateway_route_table_id")
		if a != nil && rt != nil && same(e, a, rt) {
			a.Association = rt.ID
			if f := flags[a.ID]; f != nil {
				f.explicit = true
			}
		}
	})
	explicitProps := map[model.ID][]model.ID{}
	b.each("aws_ec2_transit_gateway_route_table_propagation", func(e elem) {
		a, rt := attachment(e, "transit_gateway_attachment_id"), table(e, "transit_gateway_route_table_id")
		if a != nil && rt != nil && same(e, a, rt) && !slices.Contains(explicitProps[a.ID], rt.ID) {
			explicitProps[a.ID] = append(explicitProps[a.ID], rt.ID)
		}
	})
	b.each("aws_ec2_transit_gateway_route", func(e elem) {
		rt := table(e, "transit_gateway_route_table_id")
		if rt == nil {
			return
		}
		r := model.TGWRoute{Source: e.src(), Blackhole: e.boolean("blackhole", false)}
		p, err := model.ParseAnyCIDR(e.str("destination_cidr_block")) // IPv4 or IPv6 (V-14)
		if err != nil {
			if e.str("destination_cidr_block") == "" {
				e.warnf("destination_cidr_block", ErrUnknownValue, "the route's destination is unknown until apply: the route is left out")
			} else {
				e.errorf("destination_cidr_block", model.ErrInvalidValue, "%s", err)
			}
			return
		}
		r.Destination.CIDR = p
		if !r.Blackhole {
			a := attachment(e, "transit_gateway_attachment_id")
			if a == nil {
				return
			}
			r.Attachment = a.ID
		}
		rt.Routes = append(rt.Routes, r)
	})
	for id, t := range b.tgws {
		p := parts[id]
		for _, a := range p.atts {
			f := flags[a.ID]
			if a.Type != model.AttachmentVPC || f == nil {
				continue
			}
			props := explicitProps[a.ID]
			if f.prop && t.DefaultPropagationRouteTable != "" && !slices.Contains(props, t.DefaultPropagationRouteTable) {
				props = append(props, t.DefaultPropagationRouteTable)
			}
			a.Propagations = append([]model.ID{}, props...)
			slices.Sort(a.Propagations)
			if !f.assoc && !f.explicit && t.DefaultAssociationRouteTable != "" {
				f.e.warnf("transit_gateway_default_route_table_association", ErrNotModelled,
					"an attachment with no association on a gateway with a default association route table is not modelled: taken as associated with %s", t.DefaultAssociationRouteTable)
			}
		}
		if t.Region == "" {
			for _, a := range p.atts {
				if v := b.vpcs[a.VPC]; v != nil {
					t.Region = v.region
					break
				}
			}
		}
		if t.Region == "" {
			t.Region = DefaultRegion
			b.diag(model.SeverityWarning, b.byAddr[string(id)].node, string(id)+".region", ErrAssumed, "the region is unknown: assumed %s", DefaultRegion)
		}
		for _, rt := range p.rts {
			t.RouteTables = append(t.RouteTables, *rt)
		}
		for _, a := range p.atts {
			t.Attachments = append(t.Attachments, *a)
		}
	}
}
