package awsimport

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsTGW is an element of describe-transit-gateways' TransitGateways.
type awsTGW struct {
	TransitGatewayId  string
	TransitGatewayArn string
	OwnerId           string
	State             string
	Options           struct {
		AssociationDefaultRouteTableId  string
		PropagationDefaultRouteTableId  string
		DefaultRouteTableAssociation    string
		DefaultRouteTablePropagation    string
		SecurityGroupReferencingSupport string
	}
	Tags []awsTag
}

// awsTGWAttachment is an element of describe-transit-gateway-attachments'
// TransitGatewayAttachments: every type, with its association.
type awsTGWAttachment struct {
	TransitGatewayAttachmentId string
	TransitGatewayId           string
	TransitGatewayOwnerId      string
	ResourceId                 string
	ResourceOwnerId            string
	ResourceType               string
	State                      string
	Association                *struct{ TransitGatewayRouteTableId, State string }
	Tags                       []awsTag
}

// awsTGWVpcAttachment is an element of
// describe-transit-gateway-vpc-attachments' TransitGatewayVpcAttachments:
// the subnets of a VPC attachment.
type awsTGWVpcAttachment struct {
	TransitGatewayAttachmentId string
	TransitGatewayId           string
	VpcId                      string
	VpcOwnerId                 string
	State                      string
	SubnetIds                  []string
	Options                    struct{ ApplianceModeSupport, SecurityGroupReferencingSupport, Ipv6Support string }
}

// awsTGWPeeringAttachment is an element of
// describe-transit-gateway-peering-attachments'
// TransitGatewayPeeringAttachments.
type awsTGWPeeringAttachment struct {
	TransitGatewayAttachmentId string
	State                      string
	RequesterTgwInfo           awsTGWInfo
	AccepterTgwInfo            awsTGWInfo
}

type awsTGWInfo struct{ TransitGatewayId, OwnerId, Region string }

// awsTGWRouteTable is an element of describe-transit-gateway-route-tables'
// TransitGatewayRouteTables.
type awsTGWRouteTable struct {
	TransitGatewayRouteTableId   string
	TransitGatewayId             string
	State                        string
	DefaultAssociationRouteTable bool
	DefaultPropagationRouteTable bool
	Tags                         []awsTag
}

// awsTGWRoutesOf wraps search-transit-gateway-routes (type static) with the
// route table's id: {"TransitGatewayStaticRoutes":
// [{"TransitGatewayRouteTableId": ..., "Routes": [...]}]}.
type awsTGWRoutesOf struct {
	TransitGatewayRouteTableId string
	Routes                     []awsTGWRoute
}

// awsTGWRoute is a route of a transit gateway route table.
type awsTGWRoute struct {
	DestinationCidrBlock      jsonText
	PrefixListId              string
	State                     string
	Type                      string
	TransitGatewayAttachments []struct{ TransitGatewayAttachmentId, ResourceId, ResourceType string }
}

// awsTGWPropagationsOf wraps get-transit-gateway-route-table-propagations
// with the route table's id: {"TransitGatewayPropagations":
// [{"TransitGatewayRouteTableId": ..., "TransitGatewayRouteTablePropagations":
// [...]}]}.
type awsTGWPropagationsOf struct {
	TransitGatewayRouteTableId           string
	TransitGatewayRouteTablePropagations []struct {
		TransitGatewayAttachmentId, ResourceId, ResourceType, State string
	}
}

// tgwB is a transit gateway being built.
type tgwB struct {
	t   model.TransitGateway
	src model.Source
	rts map[string]*model.TGWRouteTable
	// atts by model id; awsIDs maps the AWS attachment id to the model id
	// on this gateway (they differ for the second side of a peering).
	atts     map[string]*model.TGWAttachment
	awsIDs   map[string]string
	resource map[string]string // resource id (vpc-, vpn-, tgw-) -> attachment id
	// defaults of the gateway, used where the snapshot lacks associations
	// or propagations.
	defAssoc, defProp string
}

func (t *tgwB) attached(vpc string) bool {
	for _, a := range t.atts {
		if a.Type == model.AttachmentVPC && string(a.VPC) == vpc {
			return true
		}
	}
	return false
}

func (t *tgwB) attachmentOf(resource string) string { return t.resource[resource] }

func (t *tgwB) assemble() model.TransitGateway {
	out := t.t
	out.RouteTables = values(t.rts)
	out.Attachments = values(t.atts)
	return out
}

// attKey names an attachment as one gateway sees it.
type attKey struct{ tgw, id string }

// attInfo gathers what the three attachment lists say about one
// attachment.
type attInfo struct {
	key      attKey
	src      model.Source
	typ      string
	resource string
	owner    string
	state    string
	assoc    string
	// assocKnown: the snapshot shows the association (or its absence).
	assocKnown bool
	subnets    []string
	hasSubnets bool
	peerTGW    string
	// applianceMode, noReferencing and ipv6Support are the VPC attachment's options.
	applianceMode, noReferencing, ipv6Support bool
}

func (b *builder) buildTransitGateways() {
	for _, it := range unique(b.s.tgws, func(t *awsTGW) string { return t.TransitGatewayId }) {
		a := &it.v
		if a.State == "deleted" || a.State == "deleting" {
			continue
		}
		region := regionOfARN(a.TransitGatewayArn)
		if region == "" {
			region = it.sc.region
		}
		t := &tgwB{src: it.src, rts: map[string]*model.TGWRouteTable{}, atts: map[string]*model.TGWAttachment{},
			awsIDs: map[string]string{}, resource: map[string]string{}}
		t.t = model.TransitGateway{ID: model.ID(a.TransitGatewayId), Account: b.ownerOf(a.OwnerId, it.sc), Region: region,
			SecurityGroupReferencing: a.Options.SecurityGroupReferencingSupport == "enable", Source: it.src}
		if a.Options.DefaultRouteTableAssociation == "enable" {
			t.defAssoc = a.Options.AssociationDefaultRouteTableId
		}
		if a.Options.DefaultRouteTablePropagation == "enable" {
			t.defProp = a.Options.PropagationDefaultRouteTableId
		}
		b.tgws[a.TransitGatewayId] = t
		b.place(a.TransitGatewayId, model.KindTransitGateway, "")
	}
	for _, it := range unique(b.s.tgwRouteTables, func(r *awsTGWRouteTable) string { return r.TransitGatewayRouteTableId }) {
		a := &it.v
		if a.State == "deleted" || a.State == "deleting" {
			continue
		}
		t := b.tgws[a.TransitGatewayId]
		if t == nil {
			b.warn(it.src, "TransitGatewayId", ErrOutsideSnapshot, "route table %s is of transit gateway %s, which is not in the snapshot: skipped", a.TransitGatewayRouteTableId, a.TransitGatewayId)
			continue
		}
		t.rts[a.TransitGatewayRouteTableId] = &model.TGWRouteTable{ID: model.ID(a.TransitGatewayRouteTableId), Source: it.src}
		b.place(a.TransitGatewayRouteTableId, model.KindTGWRouteTable, "")
	}
	infos := b.attachmentInfos()
	propagations, covered := b.propagations()
	peers := b.pairPeerings(infos)
	for _, key := range sortedAttKeys(infos) {
		in := infos[key]
		t := b.tgws[key.tgw]
		if in.state == "deleted" || in.state == "rejected" || in.state == "failed" {
			b.count("tgw-att-dead", in.src, ErrInactive, "deleted, rejected or failed transit gateway attachments skipped: %N")
			continue
		}
		if t == nil {
			b.note(in.src, "TransitGatewayId", ErrOutsideSnapshot, "attachment %s is to transit gateway %s, which is not in the snapshot: skipped", key.id, key.tgw)
			continue
		}
		a := &model.TGWAttachment{ID: model.ID(key.id), Source: in.src}
		if err := a.Type.UnmarshalText([]byte(in.typ)); err != nil {
			b.warn(in.src, "ResourceType", ErrNotModelled, "attachment %s of type %q is not modelled: skipped", key.id, in.typ)
			continue
		}
		if in.state != "" {
			if err := a.State.UnmarshalText([]byte(in.state)); err != nil {
				b.warn(in.src, "State", model.ErrInvalidValue, "attachment %s: %s: taken as failed", key.id, err)
				a.State = model.AttachmentFailed
			}
		}
		if a.State != model.AttachmentAvailable {
			b.warn(in.src, "State", ErrInactive, "transit gateway attachment %s is %s: only available attachments carry traffic", key.id, a.State)
		}
		if owner := b.account(in.owner, ""); owner != "" && owner != t.t.Account {
			a.Account = owner
		}
		switch a.Type {
		case model.AttachmentVPC:
			v := b.vpcs[in.resource]
			if v == nil {
				b.warn(in.src, "ResourceId", ErrOutsideSnapshot, "attachment %s attaches %s, which is not in the snapshot: skipped", key.id, in.resource)
				continue
			}
			a.VPC = model.ID(in.resource)
			subnets, inferred := in.subnets, false
			if !in.hasSubnets {
				subnets, inferred = b.attachmentSubnets(key.id), true
			}
			for _, sn := range subnets {
				if v.subnet(sn) == nil {
					b.warn(in.src, "SubnetIds", ErrOutsideSnapshot, "attachment %s has subnet %s, which is not in %s in the snapshot: left out", key.id, sn, in.resource)
					continue
				}
				a.Subnets = append(a.Subnets, model.ID(sn))
			}
			if len(a.Subnets) == 0 {
				b.warn(in.src, "", ErrOutsideSnapshot, "attachment %s of %s: its subnets are not in the snapshot (collect describe-transit-gateway-vpc-attachments): skipped", key.id, in.resource)
				continue
			}
			if inferred {
				b.note(in.src, "", ErrInferred, "subnets of attachment %s taken from its network interfaces (no TransitGatewayVpcAttachments in the snapshot)", key.id)
			}
			a.ApplianceMode = in.applianceMode
			a.IPv6Support = in.ipv6Support
			if in.noReferencing {
				off := false
				a.SecurityGroupReferencing = &off
			}
		case model.AttachmentPeering:
			peer, ok := peers[key]
			if !ok {
				if a.State == model.AttachmentAvailable {
					b.warn(in.src, "ResourceId", ErrOutsideSnapshot, "peering attachment %s joins %s with transit gateway %s, which is not in the snapshot: left out; routes to it are kept as blackholes, so answers through it are unknown, not \"no\"", key.id, key.tgw, in.peerTGW)
				} else {
					b.note(in.src, "ResourceId", ErrOutsideSnapshot, "peering attachment %s (%s) joins transit gateway %s, which is not in the snapshot: skipped", key.id, a.State, in.peerTGW)
				}
				continue
			}
			a.ID = model.ID(peerID(key, peers))
			a.Peer = model.ID(peerID(peer, peers))
		}
		// Association.
		switch {
		case in.assocKnown && in.assoc != "":
			if t.rts[in.assoc] != nil {
				a.Association = model.ID(in.assoc)
			} else {
				b.warn(in.src, "Association", ErrOutsideSnapshot, "attachment %s is associated with route table %s, which is not in the snapshot: taken as not associated", key.id, in.assoc)
			}
		case !in.assocKnown && t.defAssoc != "" && t.rts[t.defAssoc] != nil:
			a.Association = model.ID(t.defAssoc)
			b.note(in.src, "Association", ErrInferred, "association of attachment %s not in the snapshot: taken as the gateway's default route table %s", key.id, t.defAssoc)
		}
		// Propagations: explicit when the snapshot lists the propagations of
		// every route table of the gateway.
		if a.Type != model.AttachmentPeering {
			all := true
			for id := range t.rts {
				all = all && covered[id]
			}
			switch {
			case all && len(t.rts) > 0:
				a.Propagations = []model.ID{}
				for _, rt := range propagations[key.id] {
					if t.rts[rt] != nil {
						a.Propagations = append(a.Propagations, model.ID(rt))
					}
				}
				slices.Sort(a.Propagations)
			case t.defProp != "" && t.rts[t.defProp] != nil:
				a.Propagations = []model.ID{model.ID(t.defProp)}
				for _, rt := range propagations[key.id] {
					if t.rts[rt] != nil && !containsID(a.Propagations, model.ID(rt)) {
						a.Propagations = append(a.Propagations, model.ID(rt))
					}
				}
				slices.Sort(a.Propagations)
				b.note(in.src, "", ErrInferred, "propagations of attachment %s not all in the snapshot: taken as the gateway's default route table %s plus those listed", key.id, t.defProp)
			default:
				a.Propagations = []model.ID{}
				for _, rt := range propagations[key.id] {
					if t.rts[rt] != nil {
						a.Propagations = append(a.Propagations, model.ID(rt))
					}
				}
				slices.Sort(a.Propagations)
			}
		}
		t.atts[string(a.ID)] = a
		t.awsIDs[key.id] = string(a.ID)
		if in.resource != "" {
			t.resource[in.resource] = string(a.ID)
		}
		b.place(string(a.ID), model.KindTGWAttachment, "")
	}
}

func sortedAttKeys(m map[attKey]*attInfo) []attKey {
	keys := make([]attKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b attKey) int { return cmp.Or(cmp.Compare(a.tgw, b.tgw), cmp.Compare(a.id, b.id)) })
	return keys
}

// attachmentInfos merges the three lists of attachments by (gateway,
// attachment id).
func (b *builder) attachmentInfos() map[attKey]*attInfo {
	infos := map[attKey]*attInfo{}
	get := func(tgw, id string, src model.Source) *attInfo {
		k := attKey{tgw, id}
		in := infos[k]
		if in == nil {
			in = &attInfo{key: k, src: src}
			infos[k] = in
		}
		return in
	}
	for _, it := range unique(b.s.tgwAttachments, func(a *awsTGWAttachment) string { return a.TransitGatewayId + "/" + a.TransitGatewayAttachmentId }) {
		a := &it.v
		in := get(a.TransitGatewayId, a.TransitGatewayAttachmentId, it.src)
		in.src = it.src
		in.typ, in.resource, in.owner, in.state = a.ResourceType, a.ResourceId, a.ResourceOwnerId, a.State
		in.assocKnown = true
		if a.Association != nil && (a.Association.State == "associated" || a.Association.State == "") {
			in.assoc = a.Association.TransitGatewayRouteTableId
		}
		if a.ResourceType == "peering" {
			in.peerTGW = a.ResourceId
		}
	}
	for _, it := range unique(b.s.tgwVpcAttachments, func(a *awsTGWVpcAttachment) string { return a.TransitGatewayId + "/" + a.TransitGatewayAttachmentId }) {
		a := &it.v
		in := get(a.TransitGatewayId, a.TransitGatewayAttachmentId, it.src)
		if in.typ == "" {
			in.typ, in.resource, in.owner, in.state = "vpc", a.VpcId, a.VpcOwnerId, a.State
		}
		in.subnets, in.hasSubnets = a.SubnetIds, true
		in.applianceMode = a.Options.ApplianceModeSupport == "enable"
		in.ipv6Support = a.Options.Ipv6Support == "enable"
		in.noReferencing = a.Options.SecurityGroupReferencingSupport == "disable"
	}
	for _, it := range unique(b.s.tgwPeeringAttachments, func(a *awsTGWPeeringAttachment) string { return a.TransitGatewayAttachmentId }) {
		a := &it.v
		req, acc := a.RequesterTgwInfo, a.AccepterTgwInfo
		for _, side := range [][2]awsTGWInfo{{req, acc}, {acc, req}} {
			if side[0].TransitGatewayId == "" {
				continue
			}
			in := get(side[0].TransitGatewayId, a.TransitGatewayAttachmentId, it.src)
			if in.typ == "" {
				in.typ, in.state, in.owner = "peering", a.State, side[1].OwnerId
			}
			in.peerTGW = side[1].TransitGatewayId
			in.resource = side[1].TransitGatewayId
		}
	}
	return infos
}

// propagations returns, by attachment id, the route tables it propagates
// into (enabled propagations), and the route tables whose propagations
// the snapshot lists.
func (b *builder) propagations() (map[string][]string, map[string]bool) {
	out, covered := map[string][]string{}, map[string]bool{}
	for _, it := range unique(b.s.tgwPropagations, func(p *awsTGWPropagationsOf) string { return p.TransitGatewayRouteTableId }) {
		rt := it.v.TransitGatewayRouteTableId
		covered[rt] = true
		for _, p := range it.v.TransitGatewayRouteTablePropagations {
			if p.State == "enabled" || p.State == "" { // enabling, disabling, disabled: not in effect
				out[p.TransitGatewayAttachmentId] = append(out[p.TransitGatewayAttachmentId], rt)
			}
		}
	}
	return out, covered
}

// pairPeerings pairs the two sides of each peering attachment. AWS gives
// both sides one id; an attachment seen from one side only, to a gateway
// of the snapshot, gets its other side made up. The second side (by
// gateway id) takes the id ATTACHMENT@GATEWAY, so that ids stay unique.
func (b *builder) pairPeerings(infos map[attKey]*attInfo) map[attKey]attKey {
	peers := map[attKey]attKey{}
	byPair := map[[2]string][]attKey{}
	for _, k := range sortedAttKeys(infos) {
		in := infos[k]
		if in.typ != "peering" || b.tgws[k.tgw] == nil || b.tgws[in.peerTGW] == nil {
			continue
		}
		other := attKey{in.peerTGW, k.id}
		if _, ok := infos[other]; ok {
			peers[k] = other
			continue
		}
		byPair[[2]string{k.tgw, in.peerTGW}] = append(byPair[[2]string{k.tgw, in.peerTGW}], k)
	}
	// Sides with different ids (as vpcreach's Export writes them): pair one
	// unpaired attachment each way between the same two gateways.
	for _, k := range sortedAttKeys(infos) {
		in := infos[k]
		if in.typ != "peering" || peers[k] != (attKey{}) || b.tgws[in.peerTGW] == nil || b.tgws[k.tgw] == nil {
			continue
		}
		back := byPair[[2]string{in.peerTGW, k.tgw}]
		if len(byPair[[2]string{k.tgw, in.peerTGW}]) == 1 && len(back) == 1 {
			peers[k], peers[back[0]] = back[0], k
			continue
		}
		// Seen from this side only: make up the other.
		other := attKey{in.peerTGW, k.id}
		infos[other] = &attInfo{key: other, src: in.src, typ: "peering", resource: k.tgw, peerTGW: k.tgw, state: in.state,
			owner: string(b.tgws[k.tgw].t.Account), assocKnown: true}
		peers[k], peers[other] = other, k
		b.warn(in.src, "", ErrOutsideSnapshot, "peering attachment %s is in the snapshot for %s only: its side on %s is made up, with no route table association (collect the account of %s)", k.id, k.tgw, in.peerTGW, in.peerTGW)
	}
	return peers
}

// peerID is the model id of one side of a peering attachment: the AWS id,
// or ID@GATEWAY for the side whose gateway sorts second when both sides
// share the AWS id.
func peerID(k attKey, peers map[attKey]attKey) string {
	other := peers[k]
	if other.id == k.id && k.tgw > other.tgw {
		return k.id + "@" + k.tgw
	}
	return k.id
}

// attachmentSubnets returns the subnets of a VPC attachment's interfaces.
func (b *builder) attachmentSubnets(att string) []string {
	var out []string
	for _, id := range sortedKeys(b.enis) {
		e := &b.enis[id].v
		if e.InterfaceType == "transit_gateway" && strings.HasSuffix(e.Description, " "+att) && !slices.Contains(out, e.SubnetId) {
			out = append(out, e.SubnetId)
		}
	}
	return out
}

// buildTGWRoutes maps the static and blackhole routes of the gateways'
// route tables; propagated routes follow from the propagations.
func (b *builder) buildTGWRoutes() {
	for _, it := range unique(b.s.tgwStaticRoutes, func(r *awsTGWRoutesOf) string { return r.TransitGatewayRouteTableId }) {
		rtID := it.v.TransitGatewayRouteTableId
		var t *tgwB
		for _, id := range sortedKeys(b.tgws) {
			if b.tgws[id].rts[rtID] != nil {
				t = b.tgws[id]
				break
			}
		}
		if t == nil {
			continue
		}
		rt := t.rts[rtID]
		seen := map[model.Destination]bool{}
		for k, a := range it.v.Routes {
			src := it.at("Routes", k)
			if a.Type == "propagated" {
				continue // follows from the propagations
			}
			if a.State == "deleted" || a.State == "deleting" || a.State == "pending" {
				continue
			}
			r := model.TGWRoute{Source: src}
			switch {
			case a.DestinationCidrBlock.S != "":
				// Transit gateway routes write both families here.
				p, kind := b.block(a.DestinationCidrBlock, src, "DestinationCidrBlock", famAny, "")
				if kind != cidrIPv4 && kind != cidrIPv6 {
					continue
				}
				r.Destination = model.Destination{CIDR: p}
			case a.PrefixListId != "":
				if b.kind[a.PrefixListId] != model.KindPrefixList {
					b.warn(src, "PrefixListId", ErrOutsideSnapshot, "prefix list %s is not in the snapshot: route left out", a.PrefixListId)
					continue
				}
				r.Destination = model.Destination{PrefixList: model.ID(a.PrefixListId)}
			default:
				continue
			}
			if seen[r.Destination] {
				continue
			}
			seen[r.Destination] = true
			switch {
			case a.State == "blackhole":
				r.Blackhole = true
			case len(a.TransitGatewayAttachments) == 0:
				r.Blackhole = true
				b.warn(src, "TransitGatewayAttachments", ErrOutsideSnapshot, "route %s of %s names no attachment: kept as a blackhole", r.Destination, rtID)
			default:
				att := a.TransitGatewayAttachments[0].TransitGatewayAttachmentId
				if len(a.TransitGatewayAttachments) > 1 {
					b.note(src, "TransitGatewayAttachments", ErrNotModelled, "route %s of %s spreads over %d attachments (ECMP): only %s is modelled", r.Destination, rtID, len(a.TransitGatewayAttachments), att)
				}
				if id, ok := t.awsIDs[att]; ok {
					r.Attachment = model.ID(id)
				} else {
					r.Blackhole = true
					b.warn(src, "TransitGatewayAttachments", ErrOutsideSnapshot, "route %s of %s goes to attachment %s, which is not in the snapshot: kept as a blackhole, so answers through it are unknown, not \"no\"", r.Destination, rtID, att)
				}
			}
			rt.Routes = append(rt.Routes, r)
		}
	}
}
