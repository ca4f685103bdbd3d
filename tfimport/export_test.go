package tfimport_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// tfExport writes a model as Terraform would show it: a state (every id
// known, inline blocks) or a plan of a new configuration (every id
// unknown until apply, separate rule and route resources, references in
// the configuration), for the tests that check that the import answers as
// the topology does, and for benchmarks. It is a test helper: it knows the
// resources the seed topologies and the generator use.
type tfExport struct {
	plan bool
	// known tells the resources whose ids the file knows: all in a state,
	// none in a plan of a new configuration, the existing ones in a plan
	// that changes a network.
	known func(model.ID) bool
	// prior is the state before a change, when the plan has one.
	prior map[string]any
	x     *model.Index
	res   []*tfRes
	// addr maps model ids to addresses.
	addr map[model.ID]string
	// names counts the names given per type, to keep them unique.
	names     map[string]bool
	providers map[string]map[string]any // key -> expressions
	// dataIDs are the ids read by data sources, known at plan time.
	dataIDs map[model.ID]bool
	byID    map[model.ID]*tfRes
	made    map[string]int
}

// tfRes is one resource being written.
type tfRes struct {
	typ, name string
	data      bool // a data source
	values    map[string]any
	unknown   map[string]any
	exprs     map[string]any
	provider  string
}

func (r *tfRes) address() string {
	if r.data {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9_]`)

// newRes adds a resource for model id (or a made-up one) of a type.
func (x *tfExport) newRes(typ string, id model.ID, provider string) *tfRes {
	name := nonName.ReplaceAllString(string(id), "_")
	if id == "" {
		// Resources the model has no id for (rules, routes, associations):
		// numbered per type.
		x.made[typ]++
		name = fmt.Sprintf("r%d", x.made[typ])
	} else if name[0] >= '0' && name[0] <= '9' {
		name = "r_" + name
	}
	for x.names[typ+"."+name] {
		name += "_"
	}
	x.names[typ+"."+name] = true
	r := &tfRes{typ: typ, name: name, values: map[string]any{}, unknown: map[string]any{}, exprs: map[string]any{}, provider: provider}
	if id != "" && x.known(id) {
		r.values["id"] = string(id)
	} else {
		r.unknown["id"] = true
	}
	x.res = append(x.res, r)
	if id != "" {
		if _, ok := x.addr[id]; !ok {
			x.addr[id] = r.address()
			x.byID[id] = r
		}
	}
	return r
}

// ref sets an attribute naming another resource: its id (state), or a
// reference to it (plan). attr names the referenced attribute.
func (x *tfExport) ref(r *tfRes, key string, id model.ID, attr string) {
	a, ok := x.addr[id]
	if !ok || x.known(id) || x.dataIDs[id] {
		r.values[key] = string(id)
		return
	}
	r.unknown[key] = true
	r.exprs[key] = map[string]any{"references": []string{a + "." + attr, a}}
}

// refs sets a list attribute of ids: known ones as values, unknown ones
// as null elements with references in the configuration.
func (x *tfExport) refs(r *tfRes, key string, ids []model.ID) {
	var vals, unk []any
	var refs []string
	for _, id := range ids {
		if a, ok := x.addr[id]; ok && !x.known(id) && !x.dataIDs[id] {
			refs = append(refs, a+".id", a)
			vals = append(vals, nil)
			unk = append(unk, true)
		} else {
			vals = append(vals, string(id))
			unk = append(unk, false)
		}
	}
	r.values[key] = nonNilAny(vals)
	if len(refs) > 0 {
		r.unknown[key] = unk
		r.exprs[key] = map[string]any{"references": refs}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// provider returns the provider key of an account and region.
func (x *tfExport) provider(account model.ID, region string) string {
	key := "aws"
	if len(x.providers) > 0 {
		for k, e := range x.providers {
			if e["region"].(map[string]any)["constant_value"] == region && e["account"] == string(account) {
				return k
			}
		}
		key = fmt.Sprintf("aws.p%d", len(x.providers))
	}
	e := map[string]any{"region": map[string]any{"constant_value": region}, "account": string(account)}
	x.providers[key] = e
	return key
}

// exportTerraform writes m as a plan (unknown ids) or a state, and
// returns the address of each model id.
func exportTerraform(m *model.Model, plan bool) ([]byte, map[model.ID]string) {
	x := newExport(m, plan, func(model.ID) bool { return !plan })
	x.build(m)
	return x.render(), x.addr
}

func newExport(m *model.Model, plan bool, known func(model.ID) bool) *tfExport {
	idx, _ := model.NewIndex(m)
	return &tfExport{plan: plan, known: known, x: idx, addr: map[model.ID]string{}, names: map[string]bool{}, providers: map[string]map[string]any{}, dataIDs: map[model.ID]bool{}, byID: map[model.ID]*tfRes{}, made: map[string]int{}}
}

// exportChange writes a plan that adds m's instances (and what names
// them) to the network of m without instances, which is its prior state.
func exportChange(m *model.Model) ([]byte, map[model.ID]string) {
	prior := *m
	prior.VPCs = slices.Clone(m.VPCs)
	for i := range prior.VPCs {
		prior.VPCs[i].Instances = nil
		prior.VPCs[i].NetworkInterfaces = nil
		prior.VPCs[i].TargetGroups = slices.Clone(prior.VPCs[i].TargetGroups)
		for j := range prior.VPCs[i].TargetGroups {
			prior.VPCs[i].TargetGroups[j].Targets = nil
		}
	}
	idx, _ := model.NewIndex(m)
	isNew := func(id model.ID) bool {
		k := idx.Kind(id)
		return k == model.KindInstance || k == model.KindNetworkInterface
	}
	px := newExport(&prior, false, func(model.ID) bool { return true })
	px.build(&prior)
	var doc map[string]any
	if err := json.Unmarshal(px.render(), &doc); err != nil {
		panic(err)
	}
	x := newExport(m, true, func(id model.ID) bool { return !isNew(id) && !strings.HasPrefix(string(id), "eipalloc-i") })
	x.prior = map[string]any{"format_version": "1.0", "terraform_version": "1.9.5", "values": doc["values"]}
	x.build(m)
	return x.render(), x.addr
}

func (x *tfExport) build(m *model.Model) {
	for _, v := range m.VPCs {
		p := x.provider(v.Account, v.Region)
		r := x.newRes("aws_vpc", v.ID, p)
		r.values["cidr_block"] = v.CIDRBlocks[0].String()
		if len(v.IPv6CIDRBlocks) > 0 {
			r.values["ipv6_cidr_block"] = v.IPv6CIDRBlocks[0].String()
		}
		r.values["tags"] = map[string]any{"Name": v.Name}
		if v.DNS.Support != nil {
			r.values["enable_dns_support"] = *v.DNS.Support
		}
		if v.DNS.Hostnames != nil {
			r.values["enable_dns_hostnames"] = *v.DNS.Hostnames
		}
		if !x.plan {
			r.values["arn"] = fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", v.Region, v.Account, v.ID)
			if v.Account != "" {
				r.values["owner_id"] = string(v.Account)
			}
		}
	}
	for _, v := range m.VPCs {
		p := x.provider(v.Account, v.Region)
		for _, c := range v.CIDRBlocks[1:] {
			r := x.newRes("aws_vpc_ipv4_cidr_block_association", "", p)
			x.ref(r, "vpc_id", v.ID, "id")
			r.values["cidr_block"] = c.String()
		}
		for _, c := range v.IPv6CIDRBlocks[min(1, len(v.IPv6CIDRBlocks)):] {
			r := x.newRes("aws_vpc_ipv6_cidr_block_association", "", p)
			x.ref(r, "vpc_id", v.ID, "id")
			r.values["ipv6_cidr_block"] = c.String()
			if slices.Contains(v.PrivateIPv6CIDRBlocks, c) {
				// Computed by the provider, from DescribeVpcs (V-01).
				r.values["ipv6_address_attribute"] = "private"
			}
		}
		if v.InternetGateway != "" {
			r := x.newRes("aws_internet_gateway", v.InternetGateway, p)
			x.ref(r, "vpc_id", v.ID, "id")
		}
		if v.VPNGateway != "" {
			r := x.newRes("aws_vpn_gateway", v.VPNGateway, p)
			x.ref(r, "vpc_id", v.ID, "id")
		}
		if v.EgressOnlyInternetGateway != "" {
			r := x.newRes("aws_egress_only_internet_gateway", v.EgressOnlyInternetGateway, p)
			x.ref(r, "vpc_id", v.ID, "id")
		}
		for _, s := range v.Subnets {
			r := x.newRes("aws_subnet", s.ID, p)
			x.ref(r, "vpc_id", v.ID, "id")
			if s.CIDRBlock.IsValid() {
				r.values["cidr_block"] = s.CIDRBlock.String()
			}
			if s.IPv6CIDRBlock.IsValid() {
				r.values["ipv6_cidr_block"] = s.IPv6CIDRBlock.String()
			}
			if s.IPv6Only {
				r.values["ipv6_native"] = true
			}
			if s.EnableDNS64 {
				r.values["enable_dns64"] = true
			}
			r.values["availability_zone"] = s.AZ
			if s.AZID != "" {
				r.values["availability_zone_id"] = s.AZID
			}
			r.values["map_public_ip_on_launch"] = false
		}
		for _, rt := range v.RouteTables {
			typ := "aws_route_table"
			if rt.Main {
				typ = "aws_default_route_table"
			}
			x.newRes(typ, rt.ID, p)
		}
		for _, sg := range v.SecurityGroups {
			if sg.OutsideSnapshot {
				continue
			}
			typ := "aws_security_group"
			if sg.Default {
				typ = "aws_default_security_group"
			}
			x.newRes(typ, sg.ID, p)
		}
		for _, a := range v.NetworkACLs {
			typ := "aws_network_acl"
			if a.Default {
				typ = "aws_default_network_acl"
			}
			x.newRes(typ, a.ID, p)
		}
		for _, n := range v.NATGateways {
			x.newRes("aws_nat_gateway", n.ID, p)
		}
		for _, in := range v.Instances {
			x.newRes("aws_instance", in.ID, p)
		}
		for _, n := range v.NetworkInterfaces {
			x.newRes("aws_network_interface", n.ID, p)
		}
		for _, lb := range v.LoadBalancers {
			x.newRes("aws_lb", lb.ID, p)
		}
		for _, tg := range v.TargetGroups {
			x.newRes("aws_lb_target_group", tg.ID, p)
		}
		for _, ep := range v.Endpoints {
			x.newRes("aws_vpc_endpoint", ep.ID, p)
		}
	}
	for _, pc := range m.PeeringConnections {
		v := x.x.VPC(pc.Requester)
		x.newRes("aws_vpc_peering_connection", pc.ID, x.provider(v.Account, v.Region))
	}
	for _, t := range m.TransitGateways {
		p := x.provider(t.Account, t.Region)
		x.newRes("aws_ec2_transit_gateway", t.ID, p)
		for _, rt := range t.RouteTables {
			x.newRes("aws_ec2_transit_gateway_route_table", rt.ID, p)
		}
		for _, a := range t.Attachments {
			if a.Type == model.AttachmentVPC {
				x.newRes("aws_ec2_transit_gateway_vpc_attachment", a.ID, p)
			}
		}
	}
	// A peering attachment is one resource on the side whose id sorts
	// first, and an accepter that stands for the other side.
	for _, t := range m.TransitGateways {
		for _, a := range t.Attachments {
			if a.Type == model.AttachmentPeering && a.ID < a.Peer {
				x.newRes("aws_ec2_transit_gateway_peering_attachment", a.ID, x.provider(t.Account, t.Region))
				peer := x.x.OwnerTransitGateway(a.Peer)
				x.newRes("aws_ec2_transit_gateway_peering_attachment_accepter", a.Peer, x.provider(peer.Account, peer.Region))
			}
		}
	}
	for _, pl := range m.PrefixLists {
		if strings.HasPrefix(pl.Name, "com.amazonaws.") {
			// AWS-managed: read by a data source, known at plan time.
			r := x.newRes("aws_prefix_list", pl.ID, "aws")
			r.data = true
			x.addr[pl.ID] = r.address()
			r.values["id"] = string(pl.ID)
			delete(r.unknown, "id")
			r.values["name"] = pl.Name
			var cidrs []string
			for _, c := range pl.CIDRs {
				cidrs = append(cidrs, c.String())
			}
			r.values["cidr_blocks"] = cidrs
			x.dataIDs[pl.ID] = true
			continue
		}
		x.newRes("aws_ec2_managed_prefix_list", pl.ID, "aws")
	}
	for _, s := range m.EndpointServices {
		x.newRes("aws_vpc_endpoint_service", s.ID, x.provider(s.Account, s.Region))
	}
	for _, z := range m.HostedZones {
		x.newRes("aws_route53_zone", z.ID, "aws")
	}
	x.fill(m)
}

// get returns the resource written for a model id.
func (x *tfExport) get(id model.ID) *tfRes {
	if r := x.byID[id]; r != nil {
		return r
	}
	panic("tfExport: no resource for " + id)
}

// fill writes the attributes, now that every resource has an address.
func (x *tfExport) fill(m *model.Model) {
	for _, v := range m.VPCs {
		p := x.provider(v.Account, v.Region)
		for _, s := range v.Subnets {
			if s.RouteTable != "" {
				r := x.newRes("aws_route_table_association", "", p)
				x.ref(r, "subnet_id", s.ID, "id")
				x.ref(r, "route_table_id", s.RouteTable, "id")
			}
		}
		for _, rt := range v.RouteTables {
			for _, g := range rt.EdgeAssociations {
				r := x.newRes("aws_route_table_association", "", p)
				x.ref(r, "gateway_id", g, "id")
				x.ref(r, "route_table_id", rt.ID, "id")
			}
		}
		for _, s := range v.Subnets {
			if s.NetworkACL != "" {
				r := x.newRes("aws_network_acl_association", "", p)
				x.ref(r, "subnet_id", s.ID, "id")
				x.ref(r, "network_acl_id", s.NetworkACL, "id")
			}
		}
		for _, rt := range v.RouteTables {
			r := x.get(rt.ID)
			if rt.Main {
				if x.plan {
					x.ref(r, "default_route_table_id", v.ID, "default_route_table_id")
				} else {
					r.values["default_route_table_id"] = string(rt.ID)
					r.values["vpc_id"] = string(v.ID)
				}
			} else {
				x.ref(r, "vpc_id", v.ID, "id")
			}
			if len(rt.Propagations) > 0 {
				x.refs(r, "propagating_vgws", rt.Propagations)
			}
			var inline []any
			for _, route := range rt.Routes {
				if route.State == model.RouteOutsideSnapshot {
					continue
				}
				key := x.targetKey(route.Target)
				if x.plan {
					rr := x.newRes("aws_route", "", p)
					x.ref(rr, "route_table_id", rt.ID, "id")
					x.destination(rr.values, route.Destination, "destination_cidr_block")
					attr := "id"
					if key == "network_interface_id" && x.x.Kind(route.Target) == model.KindInstance {
						attr = "primary_network_interface_id"
					}
					x.ref(rr, key, route.Target, attr)
					continue
				}
				b := map[string]any{key: string(route.Target)}
				x.destination(b, route.Destination, "cidr_block")
				inline = append(inline, b)
			}
			if !x.plan {
				r.values["route"] = nonNilAny(inline)
			}
		}
		for _, sg := range v.SecurityGroups {
			if sg.OutsideSnapshot {
				continue
			}
			x.group(v, sg, p)
		}
		for _, a := range v.NetworkACLs {
			r := x.get(a.ID)
			if a.Default {
				if x.plan {
					x.ref(r, "default_network_acl_id", v.ID, "default_network_acl_id")
				} else {
					r.values["default_network_acl_id"] = string(a.ID)
					r.values["vpc_id"] = string(v.ID)
				}
			} else {
				x.ref(r, "vpc_id", v.ID, "id")
			}
			for _, dir := range []string{"ingress", "egress"} {
				rules := a.Ingress
				if dir == "egress" {
					rules = a.Egress
				}
				var out []any
				for _, rule := range rules {
					b := map[string]any{"rule_no": rule.Rule, "action": rule.Action.String(), "protocol": protoText(rule.Protocol), "cidr_block": rule.CIDR.String(), "from_port": 0, "to_port": 0}
					if rule.Ports != nil {
						b["from_port"], b["to_port"] = rule.Ports.First, rule.Ports.Last
					}
					if rule.ICMP != nil {
						b["icmp_type"], b["icmp_code"] = rule.ICMP.Type, rule.ICMP.Code
					}
					out = append(out, b)
				}
				r.values[dir] = nonNilAny(out)
			}
		}
		for _, n := range v.NATGateways {
			r := x.get(n.ID)
			x.ref(r, "subnet_id", n.Subnet, "id")
			r.values["connectivity_type"] = n.Connectivity.String()
			if x.plan {
				r.unknown["private_ip"] = true
			} else {
				r.values["private_ip"] = n.PrivateIP.String()
			}
			if n.Connectivity == model.NATPublic {
				e := x.newRes("aws_eip", model.ID("eipalloc-"+string(n.ID)), p)
				x.eipValue(e, n.PublicIP)
				x.ref(r, "allocation_id", model.ID("eipalloc-"+string(n.ID)), "id")
			}
		}
		for _, in := range v.Instances {
			r := x.get(in.ID)
			x.iface(r, in.Interface, "vpc_security_group_ids")
			r.values["tags"] = map[string]any{"Name": in.Name}
			r.values["instance_state"] = in.State.String()
			if in.PublicIP.IsValid() {
				if x.plan {
					r.values["associate_public_ip_address"] = true
				} else {
					r.values["public_ip"] = in.PublicIP.String()
				}
			} else {
				r.values["associate_public_ip_address"] = false
			}
			if in.ElasticIP.IsValid() {
				e := x.newRes("aws_eip", model.ID("eipalloc-"+string(in.ID)), p)
				x.eipValue(e, in.ElasticIP)
				x.ref(e, "instance", in.ID, "id")
			}
		}
		for _, n := range v.NetworkInterfaces {
			r := x.get(n.ID)
			x.iface(r, n.Interface, "security_groups")
			r.values["description"] = n.Description
			if n.Instance != "" {
				at := map[string]any{"device_index": 1}
				if x.plan {
					a := x.newRes("aws_network_interface_attachment", "", p)
					x.ref(a, "instance_id", n.Instance, "id")
					x.ref(a, "network_interface_id", n.ID, "id")
					a.values["device_index"] = 1
				} else {
					at["instance"] = string(n.Instance)
					r.values["attachment"] = []any{at}
				}
			}
		}
		for _, tg := range v.TargetGroups {
			r := x.get(tg.ID)
			x.ref(r, "vpc_id", v.ID, "id")
			r.values["target_type"] = tg.TargetType.String()
			if tg.IPAddressType != 0 {
				r.values["ip_address_type"] = tg.IPAddressType.String()
			}
			r.values["protocol"] = strings.ToUpper(tg.Protocol.String())
			if tg.Port != 0 {
				r.values["port"] = tg.Port
			}
			if tg.PreserveClientIP != nil {
				r.values["preserve_client_ip"] = fmt.Sprint(*tg.PreserveClientIP)
			}
			for _, t := range tg.Targets {
				a := x.newRes("aws_lb_target_group_attachment", "", p)
				x.ref(a, "target_group_arn", tg.ID, "arn")
				if t.IP.IsValid() {
					a.values["target_id"] = t.IP.String()
				} else {
					x.ref(a, "target_id", t.ID, "id")
				}
				if t.Port != 0 {
					a.values["port"] = t.Port
				}
				if t.AZ != "" {
					a.values["availability_zone"] = t.AZ
				}
			}
		}
		for _, lb := range v.LoadBalancers {
			r := x.get(lb.ID)
			r.values["name"] = lb.Name
			r.values["load_balancer_type"] = lb.Type.String()
			r.values["internal"] = lb.Scheme == model.SchemeInternal
			if lb.IPAddressType != 0 {
				r.values["ip_address_type"] = lb.IPAddressType.String()
			}
			if lb.Type == model.LBNetwork || lb.Type == model.LBGateway {
				r.values["enable_cross_zone_load_balancing"] = lb.CrossZone
			}
			if len(lb.PrivateIPs) == len(lb.Subnets) {
				var maps []any
				for i, s := range lb.Subnets {
					b := map[string]any{"private_ipv4_address": lb.PrivateIPs[i].String()}
					if i < len(lb.IPv6IPs) {
						b["ipv6_address"] = lb.IPv6IPs[i].String()
					}
					maps = append(maps, b)
					if x.plan {
						// subnet_id by reference, in the configuration's block.
						_ = s
					}
				}
				if x.plan {
					r.values["subnet_mapping"] = maps
					u := make([]any, len(maps))
					cfg := make([]any, len(maps))
					for i, s := range lb.Subnets {
						u[i] = map[string]any{"subnet_id": true}
						a := x.addr[s]
						cfg[i] = map[string]any{"subnet_id": map[string]any{"references": []string{a + ".id", a}}, "private_ipv4_address": map[string]any{"constant_value": lb.PrivateIPs[i].String()}}
						if i < len(lb.IPv6IPs) {
							cfg[i].(map[string]any)["ipv6_address"] = map[string]any{"constant_value": lb.IPv6IPs[i].String()}
						}
					}
					r.unknown["subnet_mapping"] = u
					r.exprs["subnet_mapping"] = cfg
				} else {
					for i, s := range lb.Subnets {
						maps[i].(map[string]any)["subnet_id"] = string(s)
					}
					r.values["subnet_mapping"] = maps
				}
			} else {
				x.refs(r, "subnets", lb.Subnets)
			}
			x.refs(r, "security_groups", lb.SecurityGroups)
			if lb.EnforceSGOnPrivateLink != nil {
				r.values["enforce_security_group_inbound_rules_on_private_link_traffic"] = map[bool]string{true: "on", false: "off"}[*lb.EnforceSGOnPrivateLink]
			}
			if !x.plan {
				r.values["dns_name"] = lb.DNSName
				if lb.DNSName == "" {
					delete(r.values, "dns_name")
				}
			}
			for _, l := range lb.Listeners {
				lr := x.newRes("aws_lb_listener", "", p)
				x.ref(lr, "load_balancer_arn", lb.ID, "arn")
				if l.Port != 0 {
					lr.values["port"] = l.Port
				}
				if l.Protocol != 0 {
					lr.values["protocol"] = strings.ToUpper(l.Protocol.String())
				}
				act := map[string]any{"type": "forward"}
				if x.plan {
					lr.values["default_action"] = []any{act}
					lr.unknown["default_action"] = []any{map[string]any{"target_group_arn": true}}
					a := x.addr[l.TargetGroup]
					lr.exprs["default_action"] = []any{map[string]any{"type": map[string]any{"constant_value": "forward"}, "target_group_arn": map[string]any{"references": []string{a + ".arn", a}}}}
				} else {
					act["target_group_arn"] = string(l.TargetGroup)
					lr.values["default_action"] = []any{act}
				}
			}
		}
		for _, ep := range v.Endpoints {
			r := x.get(ep.ID)
			x.ref(r, "vpc_id", v.ID, "id")
			r.values["vpc_endpoint_type"] = map[model.EndpointType]string{model.EndpointGateway: "Gateway", model.EndpointInterface: "Interface", model.EndpointGatewayLoadBalancer: "GatewayLoadBalancer"}[ep.Type]
			if svc := x.service(m, ep.Service); svc != nil && !x.known(svc.ID) {
				x.ref(r, "service_name", svc.ID, "service_name")
			} else if svc != nil {
				r.values["service_name"] = serviceName(svc)
			} else {
				r.values["service_name"] = ep.Service
			}
			if len(ep.RouteTables) > 0 {
				x.refs(r, "route_table_ids", ep.RouteTables)
			}
			if len(ep.Subnets) > 0 {
				x.refs(r, "subnet_ids", ep.Subnets)
			}
			if len(ep.SecurityGroups) > 0 {
				x.refs(r, "security_group_ids", ep.SecurityGroups)
			}
			r.values["private_dns_enabled"] = ep.PrivateDNS
			if ep.IPAddressType != 0 {
				r.values["ip_address_type"] = ep.IPAddressType.String()
			}
			if ep.DNSRecordIPType != 0 {
				r.values["dns_options"] = []any{map[string]any{"dns_record_ip_type": ep.DNSRecordIPType.String()}}
			}
			if len(ep.IPv6IPs) == len(ep.Subnets) && len(ep.IPv6IPs) > 0 {
				// subnet_configuration gives the interfaces' addresses.
				var confs, cfg []any
				for i, sn := range ep.Subnets {
					c := map[string]any{"ipv6": ep.IPv6IPs[i].String()}
					cc := map[string]any{"ipv6": map[string]any{"constant_value": ep.IPv6IPs[i].String()}}
					if i < len(ep.PrivateIPs) {
						c["ipv4"] = ep.PrivateIPs[i].String()
						cc["ipv4"] = map[string]any{"constant_value": ep.PrivateIPs[i].String()}
					}
					if x.plan {
						a := x.addr[sn]
						cc["subnet_id"] = map[string]any{"references": []string{a + ".id", a}}
					} else {
						c["subnet_id"] = string(sn)
					}
					confs, cfg = append(confs, c), append(cfg, cc)
				}
				r.values["subnet_configuration"] = confs
				if x.plan {
					u := make([]any, len(confs))
					for i := range u {
						u[i] = map[string]any{"subnet_id": true}
					}
					r.unknown["subnet_configuration"] = u
					r.exprs["subnet_configuration"] = cfg
				}
			}
			if !x.plan && ep.State != 0 {
				r.values["state"] = ep.State.String()
			}
			dns := ep.DNSName
			for _, z := range m.HostedZones {
				for _, rec := range z.Records {
					if dns == "" && strings.HasPrefix(rec.Target, string(ep.ID)+"-") {
						dns = rec.Target // the name AWS gave the endpoint, as the zone writes it
					}
				}
			}
			if dns != "" {
				if x.plan {
					// Unknown until apply: records and queries name the endpoint.
					x.addr[model.ID(dns)] = x.addr[ep.ID]
				} else {
					r.values["dns_entry"] = []any{map[string]any{"dns_name": dns, "hosted_zone_id": "Z1"}}
				}
			}
		}
	}
	for _, pc := range m.PeeringConnections {
		r := x.get(pc.ID)
		x.ref(r, "vpc_id", pc.Requester, "id")
		x.ref(r, "peer_vpc_id", pc.Accepter, "id")
		if acc := x.x.VPC(pc.Accepter); acc != nil && acc.Account != "" {
			r.values["peer_owner_id"] = string(acc.Account)
		}
		if x.plan {
			if pc.Status == model.PeeringActive {
				acc := x.x.VPC(pc.Accepter)
				a := x.newRes("aws_vpc_peering_connection_accepter", "", x.provider(acc.Account, acc.Region))
				x.ref(a, "vpc_peering_connection_id", pc.ID, "id")
				a.values["auto_accept"] = true
			}
		} else {
			r.values["accept_status"] = pc.Status.String()
		}
	}
	for _, t := range m.TransitGateways {
		p := x.provider(t.Account, t.Region)
		r := x.get(t.ID)
		r.values["default_route_table_association"] = "disable"
		r.values["default_route_table_propagation"] = "disable"
		if t.SecurityGroupReferencing {
			r.values["security_group_referencing_support"] = "enable"
		}
		if !x.plan {
			r.values["arn"] = fmt.Sprintf("arn:aws:ec2:%s:%s:transit-gateway/%s", t.Region, t.Account, t.ID)
			if t.Account != "" {
				r.values["owner_id"] = string(t.Account)
			}
		}
		for _, rt := range t.RouteTables {
			rr := x.get(rt.ID)
			x.ref(rr, "transit_gateway_id", t.ID, "id")
			for _, route := range rt.Routes {
				tr := x.newRes("aws_ec2_transit_gateway_route", "", p)
				x.ref(tr, "transit_gateway_route_table_id", rt.ID, "id")
				tr.values["destination_cidr_block"] = route.Destination.CIDR.String()
				tr.values["blackhole"] = route.Blackhole
				if !route.Blackhole {
					x.ref(tr, "transit_gateway_attachment_id", route.Attachment, "id")
				}
			}
		}
		for _, a := range t.Attachments {
			if a.Type == model.AttachmentPeering {
				if a.ID < a.Peer {
					r := x.get(a.ID)
					x.ref(r, "transit_gateway_id", t.ID, "id")
					x.ref(r, "peer_transit_gateway_id", x.x.OwnerTransitGateway(a.Peer).ID, "id")
					acc := x.get(a.Peer)
					x.ref(acc, "transit_gateway_attachment_id", a.ID, "id")
					if !x.plan {
						r.values["state"] = a.State.String()
					}
				}
				if as := t.AssociationOf(a); as != "" {
					x.tgwLink("aws_ec2_transit_gateway_route_table_association", p, a.ID, as)
				}
				continue
			}
			if a.Type != model.AttachmentVPC {
				continue
			}
			ar := x.get(a.ID)
			x.ref(ar, "transit_gateway_id", t.ID, "id")
			x.ref(ar, "vpc_id", a.VPC, "id")
			x.refs(ar, "subnet_ids", a.Subnets)
			ar.values["transit_gateway_default_route_table_association"] = false
			ar.values["transit_gateway_default_route_table_propagation"] = false
			if a.ApplianceMode {
				ar.values["appliance_mode_support"] = "enable"
			}
			if a.IPv6Support {
				ar.values["ipv6_support"] = "enable"
			}
			if a.SecurityGroupReferencing != nil && !*a.SecurityGroupReferencing {
				ar.values["security_group_referencing_support"] = "disable"
			}
			if as := t.AssociationOf(a); as != "" {
				x.tgwLink("aws_ec2_transit_gateway_route_table_association", p, a.ID, as)
			}
			for _, pr := range t.PropagationsOf(a) {
				x.tgwLink("aws_ec2_transit_gateway_route_table_propagation", p, a.ID, pr)
			}
		}
	}
	for _, pl := range m.PrefixLists {
		if strings.HasPrefix(pl.Name, "com.amazonaws.") {
			continue
		}
		r := x.get(pl.ID)
		r.values["name"] = pl.Name
		r.values["address_family"] = "IPv4"
		r.values["max_entries"] = max(pl.MaxEntries, len(pl.CIDRs))
		var es []any
		for _, c := range pl.CIDRs {
			es = append(es, map[string]any{"cidr": c.String()})
		}
		r.values["entry"] = nonNilAny(es)
	}
	for _, s := range m.EndpointServices {
		r := x.get(s.ID)
		r.values["acceptance_required"] = s.AcceptanceRequired
		r.values["allowed_principals"] = nonNil(s.AllowedPrincipals)
		if len(s.SupportedRegions) > 0 {
			r.values["supported_regions"] = s.SupportedRegions
		}
		if len(s.SupportedIPAddressTypes) > 0 {
			var ts []string
			for _, t := range s.SupportedIPAddressTypes {
				ts = append(ts, t.String())
			}
			r.values["supported_ip_address_types"] = ts
		}
		if s.PrivateDNSName != "" {
			r.values["private_dns_name"] = s.PrivateDNSName
		}
		if x.known(s.ID) {
			r.values["service_name"] = serviceName(&s)
			if s.Account != "" {
				r.values["arn"] = fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-endpoint-service/%s", s.Region, s.Account, s.ID)
			}
		}
		x.refs(r, "network_load_balancer_arns", s.LoadBalancers)
		for _, c := range s.Connections {
			if c.State != model.EndpointAvailable {
				continue
			}
			a := x.newRes("aws_vpc_endpoint_connection_accepter", "", x.provider(s.Account, s.Region))
			x.ref(a, "vpc_endpoint_service_id", s.ID, "id")
			x.ref(a, "vpc_endpoint_id", c.Endpoint, "id")
		}
	}
	for _, z := range m.HostedZones {
		r := x.get(z.ID)
		r.values["name"] = z.Name
		var vpcs []any
		var cfg []any
		var unk []any
		for _, id := range z.VPCs {
			if x.plan {
				a := x.addr[id]
				vpcs = append(vpcs, map[string]any{})
				unk = append(unk, map[string]any{"vpc_id": true})
				cfg = append(cfg, map[string]any{"vpc_id": map[string]any{"references": []string{a + ".id", a}}})
			} else {
				vpcs = append(vpcs, map[string]any{"vpc_id": string(id)})
			}
		}
		if z.IsPrivate() {
			r.values["vpc"] = nonNilAny(vpcs)
			if x.plan {
				r.unknown["vpc"] = unk
				r.exprs["vpc"] = cfg
			}
		}
		for _, rec := range z.Records {
			rr := x.newRes("aws_route53_record", "", "aws")
			x.ref(rr, "zone_id", z.ID, "zone_id")
			rr.values["name"] = rec.Name
			switch rec.Type {
			case model.RecordAlias:
				rr.values["type"] = "A"
				target := model.ID(rec.Target)
				if _, ok := x.addr[target]; ok && x.plan {
					a := x.addr[target]
					rr.values["alias"] = []any{map[string]any{}}
					rr.unknown["alias"] = []any{map[string]any{"name": true}}
					rr.exprs["alias"] = []any{map[string]any{"name": map[string]any{"references": []string{a + ".dns_name", a}}}}
				} else if _, ok := x.addr[target]; ok {
					rr.values["alias"] = []any{map[string]any{"name": string(target)}}
				} else {
					rr.values["alias"] = []any{map[string]any{"name": rec.Target}}
				}
			default:
				rr.values["type"] = rec.Type.String()
				rr.values["records"] = rec.Values
			}
		}
	}
}

// service finds the endpoint service an endpoint names, by id or name.
func (x *tfExport) service(m *model.Model, s string) *model.EndpointService {
	for i := range m.EndpointServices {
		es := &m.EndpointServices[i]
		if string(es.ID) == s || serviceName(es) == s {
			return es
		}
	}
	return nil
}

func serviceName(s *model.EndpointService) string {
	if s.Name != "" {
		return s.Name
	}
	return "com.amazonaws.vpce." + s.Region + "." + string(s.ID)
}

func (x *tfExport) tgwLink(typ, p string, att, rt model.ID) {
	r := x.newRes(typ, "", p)
	x.ref(r, "transit_gateway_attachment_id", att, "id")
	x.ref(r, "transit_gateway_route_table_id", rt, "id")
}

func (x *tfExport) eipValue(r *tfRes, a interface{ String() string }) {
	if x.plan {
		r.unknown["public_ip"] = true
	} else {
		r.values["public_ip"] = a.String()
	}
	r.values["domain"] = "vpc"
}

// iface writes an interface's settings.
func (x *tfExport) iface(r *tfRes, in model.Interface, groupsKey string) {
	x.ref(r, "subnet_id", in.Subnet, "id")
	if in.PrivateIP.IsValid() {
		r.values["private_ip"] = in.PrivateIP.String()
	}
	if len(in.IPv6Addresses) > 0 {
		var s []string
		for _, a := range in.IPv6Addresses {
			s = append(s, a.String())
		}
		r.values["ipv6_addresses"] = s
	}
	if len(in.SecondaryIPs) > 0 {
		var s []string
		for _, a := range in.SecondaryIPs {
			s = append(s, a.String())
		}
		if groupsKey == "security_groups" {
			r.values["private_ips"] = append(s, in.PrivateIP.String())
		} else {
			r.values["secondary_private_ips"] = s
		}
	}
	x.refs(r, groupsKey, in.SecurityGroups)
	if in.SourceDestCheck != nil {
		r.values["source_dest_check"] = *in.SourceDestCheck
	}
}

// group writes a security group and its rules: inline in a state,
// separate rule resources in a plan.
func (x *tfExport) group(v model.VPC, sg model.SecurityGroup, p string) {
	r := x.get(sg.ID)
	x.ref(r, "vpc_id", v.ID, "id")
	r.values["name"] = sg.Name
	r.values["description"] = sg.Description
	egress := sg.Egress
	if egress == nil {
		all, _ := model.ParseCIDR("0.0.0.0/0")
		egress = []model.EgressRule{{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Destinations: []model.Peer{{CIDR: all}}}}
		if v.HasIPv6() {
			// The model's default egress allows ::/0 too (V-08).
			all6, _ := model.ParseIPv6CIDR("::/0")
			egress[0].Destinations = append(egress[0].Destinations, model.Peer{CIDR: all6})
		}
	}
	type dirRules struct {
		dir   string
		rules []struct {
			model.SGRule
			peers []model.Peer
		}
	}
	var dirs []dirRules
	in := dirRules{dir: "ingress"}
	for _, ru := range sg.Ingress {
		in.rules = append(in.rules, struct {
			model.SGRule
			peers []model.Peer
		}{ru.SGRule, ru.Sources})
	}
	out := dirRules{dir: "egress"}
	for _, ru := range egress {
		out.rules = append(out.rules, struct {
			model.SGRule
			peers []model.Peer
		}{ru.SGRule, ru.Destinations})
	}
	dirs = append(dirs, in, out)
	for _, d := range dirs {
		var inline []any
		for _, ru := range d.rules {
			from, to := int64(0), int64(0)
			switch {
			case ru.Ports != nil:
				from, to = int64(ru.Ports.First), int64(ru.Ports.Last)
			case ru.Protocol.IsICMP():
				from, to = -1, -1
				if ru.ICMP != nil {
					from, to = int64(ru.ICMP.Type), int64(ru.ICMP.Code)
				}
			case ru.Protocol.HasPorts():
				from, to = 0, 65535
			}
			if x.plan {
				for _, peer := range ru.peers {
					typ := "aws_vpc_security_group_" + d.dir + "_rule"
					rr := x.newRes(typ, "", p)
					x.ref(rr, "security_group_id", sg.ID, "id")
					rr.values["ip_protocol"] = protoText(ru.Protocol)
					if ru.Protocol != model.ProtocolAll {
						rr.values["from_port"], rr.values["to_port"] = from, to
					}
					rr.values["description"] = ru.Description
					switch {
					case peer.CIDR.IsValid() && peer.CIDR.Addr().Is6():
						rr.values["cidr_ipv6"] = peer.CIDR.String()
					case peer.CIDR.IsValid():
						rr.values["cidr_ipv4"] = peer.CIDR.String()
					case x.x.Kind(peer.Ref) == model.KindPrefixList:
						x.ref(rr, "prefix_list_id", peer.Ref, "id")
					default:
						x.ref(rr, "referenced_security_group_id", peer.Ref, "id")
					}
				}
				continue
			}
			b := map[string]any{"protocol": protoText(ru.Protocol), "from_port": from, "to_port": to, "description": ru.Description,
				"cidr_blocks": []string{}, "security_groups": []string{}, "prefix_list_ids": []string{}, "self": false, "ipv6_cidr_blocks": []string{}}
			for _, peer := range ru.peers {
				switch {
				case peer.CIDR.IsValid() && peer.CIDR.Addr().Is6():
					b["ipv6_cidr_blocks"] = append(b["ipv6_cidr_blocks"].([]string), peer.CIDR.String())
				case peer.CIDR.IsValid():
					b["cidr_blocks"] = append(b["cidr_blocks"].([]string), peer.CIDR.String())
				case peer.Ref == sg.ID:
					b["self"] = true
				case x.x.Kind(peer.Ref) == model.KindPrefixList:
					b["prefix_list_ids"] = append(b["prefix_list_ids"].([]string), string(peer.Ref))
				default:
					b["security_groups"] = append(b["security_groups"].([]string), string(peer.Ref))
				}
			}
			inline = append(inline, b)
		}
		if x.plan {
			r.unknown[d.dir] = true
		} else {
			r.values[d.dir] = nonNilAny(inline)
		}
	}
	if sg.Default && !x.plan {
		r.values["vpc_id"] = string(v.ID)
	}
}

func protoText(p model.Protocol) string {
	if p == model.ProtocolAll {
		return "-1"
	}
	return p.String()
}

func nonNilAny(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}

// destination writes a route's destination.
func (x *tfExport) destination(vals map[string]any, d model.Destination, cidrKey string) {
	if d.PrefixList != "" {
		vals["destination_prefix_list_id"] = string(d.PrefixList)
		return
	}
	if d.CIDR.Addr().Is6() {
		cidrKey = strings.Replace(cidrKey, "cidr_block", "ipv6_cidr_block", 1)
	}
	vals[cidrKey] = d.CIDR.String()
}

// targetKey names a route target's attribute by the kind of the target.
func (x *tfExport) targetKey(id model.ID) string {
	switch x.x.Kind(id) {
	case model.KindNATGateway:
		return "nat_gateway_id"
	case model.KindPeeringConnection:
		return "vpc_peering_connection_id"
	case model.KindTransitGateway:
		return "transit_gateway_id"
	case model.KindEgressOnlyInternetGateway:
		return "egress_only_gateway_id"
	case model.KindInstance, model.KindNetworkInterface:
		return "network_interface_id"
	case model.KindEndpoint:
		if ep := x.endpoint(id); ep != nil && ep.Type == model.EndpointGatewayLoadBalancer {
			return "vpc_endpoint_id"
		}
	}
	return "gateway_id"
}

func (x *tfExport) endpoint(id model.ID) *model.Endpoint {
	if v := x.x.OwnerVPC(id); v != nil {
		for i := range v.Endpoints {
			if v.Endpoints[i].ID == id {
				return &v.Endpoints[i]
			}
		}
	}
	return nil
}

// render writes the JSON document.
func (x *tfExport) render() []byte {
	type jres struct {
		Address  string         `json:"address"`
		Mode     string         `json:"mode"`
		Type     string         `json:"type"`
		Name     string         `json:"name"`
		Provider string         `json:"provider_name"`
		Values   map[string]any `json:"values"`
	}
	var rs []jres
	var changes []any
	var cfg []any
	var data []jres
	for _, r := range x.res {
		if r.data {
			data = append(data, jres{r.address(), "data", r.typ, r.name, "registry.terraform.io/hashicorp/aws", r.values})
			continue
		}
		rs = append(rs, jres{r.address(), "managed", r.typ, r.name, "registry.terraform.io/hashicorp/aws", r.values})
		changes = append(changes, map[string]any{"address": r.address(), "mode": "managed", "type": r.typ, "name": r.name,
			"change": map[string]any{"actions": []string{"create"}, "before": nil, "after": r.values, "after_unknown": r.unknown}})
		cfg = append(cfg, map[string]any{"address": r.address(), "mode": "managed", "type": r.typ, "name": r.name, "provider_config_key": r.provider, "expressions": r.exprs})
	}
	doc := map[string]any{"format_version": "1.2", "terraform_version": "1.9.5"}
	if x.plan {
		providers := map[string]any{}
		keys := make([]string, 0, len(x.providers))
		for k := range x.providers {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e := x.providers[k]
			exprs := map[string]any{"region": e["region"]}
			if a := e["account"].(string); a != "" {
				exprs["allowed_account_ids"] = map[string]any{"constant_value": []string{a}}
			}
			name, alias, _ := strings.Cut(k, ".")
			pc := map[string]any{"name": name, "full_name": "registry.terraform.io/hashicorp/aws", "expressions": exprs}
			if alias != "" {
				pc["alias"] = alias
			}
			providers[k] = pc
		}
		doc["planned_values"] = map[string]any{"root_module": map[string]any{"resources": rs}}
		doc["resource_changes"] = changes
		doc["configuration"] = map[string]any{"provider_config": providers, "root_module": map[string]any{"resources": cfg}}
		// Data sources read during the plan are in its prior state.
		if x.prior == nil && len(data) > 0 {
			x.prior = map[string]any{"format_version": "1.0", "terraform_version": "1.9.5", "values": map[string]any{"root_module": map[string]any{"resources": data}}}
		}
		if x.prior != nil {
			doc["prior_state"] = x.prior
		}
	} else {
		doc["format_version"] = "1.0"
		doc["values"] = map[string]any{"root_module": map[string]any{"resources": append(rs, data...)}}
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		panic(err)
	}
	return out
}
