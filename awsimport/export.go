package awsimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// Export writes a model as an AWS snapshot directory, in the layout the
// collection script writes (DIR/accounts/ACCOUNT/REGION/KEY.json, or
// DIR/REGION/KEY.json for resources of no account; Route 53 under
// .../global/), with the fields ImportDir reads. It is meant for fixtures
// and benchmarks: ImportDir(dir) gives back a model that answers every
// query as m does, though not byte for byte (what AWS cannot express,
// such as readable names of load balancers or the expectations, is lost;
// load balancers and target groups are named by their ids; the sides of a
// transit gateway peering keep their own ids).
func Export(m *model.Model, dir string) error {
	x, diags := model.NewIndex(m)
	if err := diags.Err(); err != nil {
		return err
	}
	e := &exporter{m: m, x: x, files: map[string]map[string][]any{}}
	e.export()
	return e.write(dir)
}

type exporter struct {
	m     *model.Model
	x     *model.Index
	files map[string]map[string][]any // scope dir -> key -> elements
}

func scopeDir(account model.ID, region string) string {
	if account == "" {
		return region
	}
	return "accounts/" + string(account) + "/" + region
}

func (e *exporter) add(scope, key string, v any) {
	if e.files[scope] == nil {
		e.files[scope] = map[string][]any{}
	}
	e.files[scope][key] = append(e.files[scope][key], v)
}

// fakeHash makes the hexadecimal suffix AWS puts in ARNs.
func fakeHash(s string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)
}

func lbARN(region string, acct model.ID, lb *model.LoadBalancer) string {
	kind := map[model.LoadBalancerType]string{model.LBNetwork: "net", model.LBApplication: "app", model.LBGateway: "gwy"}[lb.Type]
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s", region, acct, kind, lb.ID, fakeHash(string(lb.ID)))
}

func tgARN(region string, acct model.ID, id model.ID) string {
	return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", region, acct, id, fakeHash(string(id)))
}

func protoString(p model.Protocol) string {
	switch p {
	case model.ProtocolAll:
		return "-1"
	case model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6:
		return p.String()
	}
	return strconv.Itoa(int(p))
}

// portNum writes a port, absent when zero (none).
func portNum(p uint16) *jsonInt {
	if p == 0 {
		return nil
	}
	return jsonNum(int(p))
}

func (e *exporter) export() {
	for vi := range e.m.VPCs {
		e.vpc(&e.m.VPCs[vi])
	}
	for i := range e.m.PeeringConnections {
		p := &e.m.PeeringConnections[i]
		r, a := e.x.VPC(p.Requester), e.x.VPC(p.Accepter)
		if r == nil || a == nil {
			continue
		}
		info := func(v *model.VPC) awsPeeringVpcInfo {
			return awsPeeringVpcInfo{VpcId: string(v.ID), OwnerId: string(v.Account), Region: v.Region, CidrBlock: v.CIDRBlocks[0].String()}
		}
		ap := awsPeering{VpcPeeringConnectionId: string(p.ID), RequesterVpcInfo: info(r), AccepterVpcInfo: info(a)}
		ap.Status.Code = p.Status.String()
		e.add(scopeDir(r.Account, r.Region), "VpcPeeringConnections", ap)
		if s := scopeDir(a.Account, a.Region); s != scopeDir(r.Account, r.Region) {
			e.add(s, "VpcPeeringConnections", ap)
		}
	}
	for i := range e.m.TransitGateways {
		e.tgw(&e.m.TransitGateways[i])
	}
	for i := range e.m.ExternalNetworks {
		n := &e.m.ExternalNetworks[i]
		c := awsVPNConnection{VpnConnectionId: string(n.ID), State: "available"}
		c.Tags = nameTags(n.Name)
		if n.TunnelInsideVersion() == model.IPAddressIPv6 {
			c.Options.TunnelInsideIpVersion = "ipv6"
		}
		for _, p := range n.CIDRs {
			c.Routes = append(c.Routes, awsVPNRoute{DestinationCidrBlock: jsonText{S: p.String()}, State: "available", Source: "Static"})
		}
		scope := ""
		if v := e.x.OwnerVPC(n.Via); v != nil && e.x.Kind(n.Via) == model.KindVPNGateway {
			c.VpnGatewayId, scope = string(n.Via), scopeDir(v.Account, v.Region)
		} else if t := e.x.OwnerTransitGateway(n.Via); t != nil {
			c.TransitGatewayId, scope = string(t.ID), scopeDir(t.Account, t.Region)
		} else {
			continue
		}
		e.add(scope, "VpnConnections", c)
	}
	first := ""
	for s := range e.files {
		if first == "" || s < first {
			first = s
		}
	}
	if first == "" {
		first = DefaultRegion
	}
	for i := range e.m.PrefixLists {
		p := &e.m.PrefixLists[i]
		ap := awsPrefixList{PrefixListId: string(p.ID), PrefixListName: p.Name, MaxEntries: p.MaxEntries}
		if len(p.CIDRs) > 0 {
			ap.AddressFamily = "IPv4"
			if p.CIDRs[0].Addr().Is6() {
				ap.AddressFamily = "IPv6"
			}
		}
		for _, c := range p.CIDRs {
			ap.Cidrs = append(ap.Cidrs, jsonText{S: c.String()})
		}
		e.add(first, "PrefixLists", ap)
	}
	for i := range e.m.EndpointServices {
		e.service(&e.m.EndpointServices[i])
	}
	for i := range e.m.HostedZones {
		e.zone(&e.m.HostedZones[i], first)
	}
}

func nameTags(name string) []awsTag {
	if name == "" {
		return nil
	}
	return []awsTag{{Key: "Name", Value: name}}
}

func (e *exporter) vpc(v *model.VPC) {
	scope := scopeDir(v.Account, v.Region)
	av := awsVpc{VpcId: string(v.ID), OwnerId: string(v.Account), CidrBlock: jsonText{S: v.CIDRBlocks[0].String()}, State: "available", Tags: nameTags(v.Name)}
	for _, c := range v.CIDRBlocks {
		a := awsCIDRAssociation{CidrBlock: jsonText{S: c.String()}}
		a.CidrBlockState.State = "associated"
		av.CidrBlockAssociationSet = append(av.CidrBlockAssociationSet, a)
	}
	private := v.PrivateIPv6Blocks()
	for _, c := range v.IPv6CIDRBlocks {
		a := awsIPv6Association{Ipv6CidrBlock: jsonText{S: c.String()}}
		a.Ipv6CidrBlockState.State = "associated"
		if slices.Contains(private, c) {
			// Private space, as DescribeVpcs writes it (V-01).
			a.Ipv6AddressAttribute, a.IpSource = "private", "none"
		}
		av.Ipv6CidrBlockAssociationSet = append(av.Ipv6CidrBlockAssociationSet, a)
	}
	e.add(scope, "Vpcs", av)
	if v.DNS.Support != nil {
		e.add(scope, "VpcAttributes", awsVpcAttribute{VpcId: string(v.ID), EnableDnsSupport: &struct{ Value *bool }{v.DNS.Support}})
	}
	if v.DNS.Hostnames != nil {
		e.add(scope, "VpcAttributes", awsVpcAttribute{VpcId: string(v.ID), EnableDnsHostnames: &struct{ Value *bool }{v.DNS.Hostnames}})
	}
	if v.InternetGateway != "" {
		e.add(scope, "InternetGateways", awsInternetGateway{InternetGatewayId: string(v.InternetGateway), OwnerId: string(v.Account),
			Attachments: []awsVPCAttachment{{string(v.ID), "available"}}})
	}
	if v.EgressOnlyInternetGateway != "" {
		e.add(scope, "EgressOnlyInternetGateways", awsEgressOnlyIGW{EgressOnlyInternetGatewayId: string(v.EgressOnlyInternetGateway),
			Attachments: []awsVPCAttachment{{string(v.ID), "attached"}}})
	}
	if v.VPNGateway != "" {
		e.add(scope, "VpnGateways", awsVPNGateway{VpnGatewayId: string(v.VPNGateway), State: "available",
			VpcAttachments: []awsVPCAttachment{{string(v.ID), "attached"}}})
	}
	for i := range v.Subnets {
		sn := &v.Subnets[i]
		as := awsSubnet{SubnetId: string(sn.ID), VpcId: string(v.ID), AvailabilityZone: sn.AZ,
			AvailabilityZoneId: sn.AZID, OwnerId: string(v.Account), State: "available", Tags: nameTags(sn.Name),
			SubnetArn: fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", v.Region, v.Account, sn.ID), Ipv6Native: sn.IPv6Only, EnableDns64: sn.EnableDNS64}
		if sn.CIDRBlock.IsValid() {
			as.CidrBlock = jsonText{S: sn.CIDRBlock.String()}
		}
		if sn.IPv6CIDRBlock.IsValid() {
			a := awsIPv6Association{Ipv6CidrBlock: jsonText{S: sn.IPv6CIDRBlock.String()}}
			a.Ipv6CidrBlockState.State = "associated"
			as.Ipv6CidrBlockAssociationSet = []awsIPv6Association{a}
		}
		e.add(scope, "Subnets", as)
	}
	e.routeTables(v, scope)
	e.acls(v, scope)
	for i := range v.SecurityGroups {
		e.group(v, &v.SecurityGroups[i], scope)
	}
	e.instances(v, scope)
	for i := range v.NATGateways {
		n := &v.NATGateways[i]
		an := awsNATGateway{NatGatewayId: string(n.ID), SubnetId: string(n.Subnet), VpcId: string(v.ID), State: "available", ConnectivityType: n.Connectivity.String()}
		pub := ""
		if n.PublicIP.IsValid() {
			pub = n.PublicIP.String()
		}
		an.NatGatewayAddresses = append(an.NatGatewayAddresses, struct {
			PrivateIp          string
			PublicIp           string
			NetworkInterfaceId string
			AllocationId       string
			IsPrimary          *bool
		}{PrivateIp: n.PrivateIP.String(), PublicIp: pub, IsPrimary: ptr(true)})
		e.add(scope, "NatGateways", an)
	}
	for i := range v.Endpoints {
		e.endpoint(v, &v.Endpoints[i], scope)
	}
	e.loadBalancers(v, scope)
}

func (e *exporter) routeTables(v *model.VPC, scope string) {
	for i := range v.RouteTables {
		rt := &v.RouteTables[i]
		art := awsRouteTable{RouteTableId: string(rt.ID), VpcId: string(v.ID), OwnerId: string(v.Account)}
		type assoc = struct {
			Main             bool
			SubnetId         string
			GatewayId        string
			AssociationState *struct{ State string }
		}
		if rt.Main {
			art.Associations = append(art.Associations, assoc{Main: true})
		}
		for _, sn := range v.Subnets {
			if sn.RouteTable == rt.ID {
				art.Associations = append(art.Associations, assoc{SubnetId: string(sn.ID)})
			}
		}
		for _, g := range rt.EdgeAssociations {
			art.Associations = append(art.Associations, assoc{GatewayId: string(g)})
		}
		for _, g := range rt.Propagations {
			art.PropagatingVgws = append(art.PropagatingVgws, struct{ GatewayId string }{string(g)})
		}
		for _, c := range v.CIDRBlocks {
			art.Routes = append(art.Routes, awsRoute{DestinationCidrBlock: jsonText{S: c.String()}, GatewayId: "local", Origin: "CreateRouteTable", State: "active"})
		}
		for _, c := range v.IPv6CIDRBlocks {
			art.Routes = append(art.Routes, awsRoute{DestinationIpv6CidrBlock: jsonText{S: c.String()}, GatewayId: "local", Origin: "CreateRouteTable", State: "active"})
		}
		for _, r := range rt.Routes {
			ar := awsRoute{Origin: "CreateRoute", State: "active"}
			if r.State == model.RouteBlackhole {
				ar.State = "blackhole"
			}
			switch {
			case r.Destination.PrefixList != "":
				ar.DestinationPrefixListId = string(r.Destination.PrefixList)
			case r.Destination.CIDR.Addr().Is6():
				ar.DestinationIpv6CidrBlock = jsonText{S: r.Destination.CIDR.String()}
			default:
				ar.DestinationCidrBlock = jsonText{S: r.Destination.CIDR.String()}
			}
			t := string(r.Target)
			switch e.x.Kind(r.Target) {
			case model.KindEgressOnlyInternetGateway:
				ar.EgressOnlyInternetGatewayId = t
			case model.KindNATGateway:
				ar.NatGatewayId = t
			case model.KindPeeringConnection:
				ar.VpcPeeringConnectionId = t
			case model.KindTransitGateway:
				ar.TransitGatewayId = t
			case model.KindNetworkInterface:
				ar.NetworkInterfaceId = t
			case model.KindInstance:
				if in := e.x.Instance(r.Target); in != nil {
					ar.InstanceId = string(in.ID)
					ar.NetworkInterfaceId = string(in.ENI)
				}
			default:
				ar.GatewayId = t
			}
			art.Routes = append(art.Routes, ar)
		}
		// Gateway endpoints' routes, as AWS lists them.
		for _, ep := range v.Endpoints {
			if ep.Type != model.EndpointGateway || !slices.Contains(ep.RouteTables, rt.ID) {
				continue
			}
			for _, pl := range e.m.PrefixLists {
				if pl.Name == ep.Service {
					art.Routes = append(art.Routes, awsRoute{DestinationPrefixListId: string(pl.ID), GatewayId: string(ep.ID), Origin: "CreateRoute", State: "active"})
				}
			}
		}
		e.add(scope, "RouteTables", art)
	}
}

func (e *exporter) acls(v *model.VPC, scope string) {
	acls := v.NetworkACLs
	if !slices.ContainsFunc(acls, func(a model.NetworkACL) bool { return a.Default }) {
		// AWS gives every VPC a default ACL; the model's implicit one allows
		// all traffic both ways.
		// all traffic both ways (with rule 101 for IPv6, as AWS adds it
		// to a VPC with IPv6).
		all := []model.ACLRule{{Rule: 100, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow}}
		if v.HasIPv6() {
			all = append(all, model.ACLRule{Rule: 101, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("::/0"), Action: model.ACLAllow})
		}
		acls = append(slices.Clone(acls), model.NetworkACL{ID: model.ID("acl-default-" + string(v.ID)), Default: true,
			Ingress: all, Egress: all})
	}
	for i := range acls {
		acl := &acls[i]
		a := awsNetworkACL{NetworkAclId: string(acl.ID), VpcId: string(v.ID), OwnerId: string(v.Account), IsDefault: acl.Default}
		for _, sn := range v.Subnets {
			if sn.NetworkACL == acl.ID || (acl.Default && sn.NetworkACL == "") {
				a.Associations = append(a.Associations, struct{ NetworkAclId, SubnetId string }{string(acl.ID), string(sn.ID)})
			}
		}
		entry := func(r model.ACLRule, egress bool) awsACLEntry {
			ae := awsACLEntry{RuleNumber: jsonNum(r.Rule), Protocol: protoString(r.Protocol), RuleAction: r.Action.String(), Egress: egress}
			if r.CIDR.Addr().Is6() {
				ae.Ipv6CidrBlock = jsonText{S: r.CIDR.String()}
			} else {
				ae.CidrBlock = jsonText{S: r.CIDR.String()}
			}
			if r.Ports != nil {
				ae.PortRange = &awsPortRange{jsonNum(int(r.Ports.First)), jsonNum(int(r.Ports.Last))}
			}
			if r.ICMP != nil {
				ae.IcmpTypeCode = &awsICMPTypeCode{jsonNum(r.ICMP.Type), jsonNum(r.ICMP.Code)}
			}
			return ae
		}
		for _, r := range acl.Egress {
			a.Entries = append(a.Entries, entry(r, true))
		}
		for _, r := range acl.Ingress {
			a.Entries = append(a.Entries, entry(r, false))
		}
		for _, egress := range []bool{true, false} {
			a.Entries = append(a.Entries, awsACLEntry{RuleNumber: jsonNum(finalRule), Protocol: "-1", RuleAction: "deny", Egress: egress, CidrBlock: jsonText{S: "0.0.0.0/0"}})
			if v.HasIPv6() {
				a.Entries = append(a.Entries, awsACLEntry{RuleNumber: jsonNum(finalRuleIPv6), Protocol: "-1", RuleAction: "deny", Egress: egress, Ipv6CidrBlock: jsonText{S: "::/0"}})
			}
		}
		e.add(scope, "NetworkAcls", a)
	}
}

func (e *exporter) permission(r model.SGRule, peers []model.Peer) awsPermission {
	p := awsPermission{IpProtocol: protoString(r.Protocol)}
	switch {
	case r.Ports != nil:
		p.FromPort, p.ToPort = jsonNum(int(r.Ports.First)), jsonNum(int(r.Ports.Last))
	case r.ICMP != nil:
		p.FromPort, p.ToPort = jsonNum(r.ICMP.Type), jsonNum(r.ICMP.Code)
	case r.Protocol.IsICMP():
		p.FromPort, p.ToPort = jsonNum(-1), jsonNum(-1)
	}
	for _, peer := range peers {
		switch {
		case peer.CIDR.IsValid() && peer.CIDR.Addr().Is6():
			p.Ipv6Ranges = append(p.Ipv6Ranges, awsIPv6Range{CidrIpv6: jsonText{S: peer.CIDR.String()}, Description: r.Description})
		case peer.CIDR.IsValid():
			p.IpRanges = append(p.IpRanges, awsIPRange{CidrIp: jsonText{S: peer.CIDR.String()}, Description: r.Description})
		case e.x.Kind(peer.Ref) == model.KindPrefixList:
			p.PrefixListIds = append(p.PrefixListIds, struct{ PrefixListId, Description string }{string(peer.Ref), r.Description})
		default:
			owner := ""
			if v := e.x.OwnerVPC(peer.Ref); v != nil {
				owner = string(v.Account)
			}
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, awsGroupPair{GroupId: string(peer.Ref), UserId: owner, Description: r.Description})
		}
	}
	return p
}

func (e *exporter) group(v *model.VPC, sg *model.SecurityGroup, scope string) {
	if sg.OutsideSnapshot {
		// Not in the snapshot: the rules and interfaces that name it
		// still do, and the import makes it an outside-snapshot group
		// again.
		return
	}
	name := sg.Name
	if sg.Default {
		name = "default"
	} else if name == "" || name == "default" {
		name = string(sg.ID)
	}
	ag := awsSecurityGroup{GroupId: string(sg.ID), GroupName: name, Description: sg.Description, VpcId: string(v.ID), OwnerId: string(v.Account)}
	for _, r := range sg.Ingress {
		ag.IpPermissions = append(ag.IpPermissions, e.permission(r.SGRule, r.Sources))
	}
	if sg.Egress == nil {
		// The format's default egress allows ::/0 too (V-08); AWS lists
		// that rule in a VPC with an IPv6 block.
		all := []model.Peer{{CIDR: netip.MustParsePrefix("0.0.0.0/0")}}
		if v.HasIPv6() {
			all = append(all, model.Peer{CIDR: netip.MustParsePrefix("::/0")})
		}
		ag.IpPermissionsEgress = []awsPermission{e.permission(model.SGRule{Protocol: model.ProtocolAll}, all)}
	} else {
		ag.IpPermissionsEgress = []awsPermission{}
		for _, r := range sg.Egress {
			ag.IpPermissionsEgress = append(ag.IpPermissionsEgress, e.permission(r.SGRule, r.Destinations))
		}
	}
	e.add(scope, "SecurityGroups", ag)
}

// addrString writes an address, or nothing for none.
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func groupRefs(ids []model.ID) []awsGroupRef {
	out := []awsGroupRef{}
	for _, g := range ids {
		out = append(out, awsGroupRef{GroupId: string(g)})
	}
	return out
}

func (e *exporter) ifaceENI(v *model.VPC, id string, in *model.Interface) awsInstanceENI {
	a := awsInstanceENI{NetworkInterfaceId: id, SubnetId: string(in.Subnet), VpcId: string(v.ID),
		Groups: groupRefs(in.SecurityGroups), SourceDestCheck: ptr(in.SourceDestCheckEnabled()), OwnerId: string(in.Account)}
	if in.PrivateIP.IsValid() { // none in an IPv6-only subnet
		a.PrivateIpAddress = in.PrivateIP.String()
		a.PrivateIpAddresses = append(a.PrivateIpAddresses, awsPrivateIP{PrivateIpAddress: in.PrivateIP.String(), Primary: true})
	}
	for _, s := range in.SecondaryIPs {
		a.PrivateIpAddresses = append(a.PrivateIpAddresses, awsPrivateIP{PrivateIpAddress: s.String()})
	}
	for _, s := range in.IPv6Addresses {
		a.Ipv6Addresses = append(a.Ipv6Addresses, awsIPv6Address{Ipv6Address: jsonText{S: s.String()}})
	}
	switch {
	case in.ElasticIP.IsValid():
		a.Association = &awsIPAssociation{PublicIp: in.ElasticIP.String(), IpOwnerId: string(v.Account), AllocationId: "eipalloc-" + fakeHash(in.ElasticIP.String())[:12]}
	case in.PublicIP.IsValid():
		a.Association = &awsIPAssociation{PublicIp: in.PublicIP.String(), IpOwnerId: "amazon"}
	}
	return a
}

func (e *exporter) instances(v *model.VPC, defScope string) {
	for i := range v.Instances {
		in := &v.Instances[i]
		scope, owner := defScope, v.Account
		if in.Account != "" {
			scope, owner = scopeDir(in.Account, v.Region), in.Account
		}
		ai := awsInstance{InstanceId: string(in.ID), VpcId: string(v.ID), SubnetId: string(in.Subnet), PrivateIpAddress: addrString(in.PrivateIP),
			SourceDestCheck: ptr(in.SourceDestCheckEnabled()), SecurityGroups: groupRefs(in.SecurityGroups), Tags: nameTags(in.Name)}
		ai.State.Name = in.State.String()
		if sn := e.x.Subnet(in.Subnet); sn != nil {
			ai.Placement.AvailabilityZone = sn.AZ
		}
		if p := in.PublicAddress(); p.IsValid() {
			ai.PublicIpAddress = p.String()
		}
		primary := e.ifaceENI(v, string(in.ENI), &in.Interface)
		ai.NetworkInterfaces = append(ai.NetworkInterfaces, primary)
		k := 1
		for j := range v.NetworkInterfaces {
			ni := &v.NetworkInterfaces[j]
			if ni.Instance != in.ID {
				continue
			}
			sec := e.ifaceENI(v, string(ni.ID), &ni.Interface)
			sec.Attachment.DeviceIndex = k
			sec.Description = ni.Description
			k++
			ai.NetworkInterfaces = append(ai.NetworkInterfaces, sec)
		}
		e.add(scope, "Reservations", awsReservation{OwnerId: string(owner), Instances: []awsInstance{ai}})
		if in.ElasticIP.IsValid() {
			e.add(scope, "Addresses", awsAddress{PublicIp: in.ElasticIP.String(), AllocationId: primary.Association.AllocationId, InstanceId: string(in.ID),
				NetworkInterfaceId: string(in.ENI), PrivateIpAddress: in.PrivateIP.String(), Domain: "vpc"})
		}
	}
	for j := range v.NetworkInterfaces {
		ni := &v.NetworkInterfaces[j]
		if ni.Instance != "" {
			continue
		}
		scope := defScope
		if ni.Account != "" {
			scope = scopeDir(ni.Account, v.Region)
		}
		a := e.ifaceENI(v, string(ni.ID), &ni.Interface)
		e.add(scope, "NetworkInterfaces", awsENI{NetworkInterfaceId: a.NetworkInterfaceId, SubnetId: a.SubnetId, VpcId: a.VpcId, OwnerId: a.OwnerId,
			Description: ni.Description, InterfaceType: "interface", Status: "in-use", PrivateIpAddress: a.PrivateIpAddress,
			PrivateIpAddresses: a.PrivateIpAddresses, Ipv6Addresses: a.Ipv6Addresses, Association: a.Association, Groups: a.Groups, SourceDestCheck: a.SourceDestCheck})
		if ni.ElasticIP.IsValid() {
			e.add(scope, "Addresses", awsAddress{PublicIp: ni.ElasticIP.String(), AllocationId: a.Association.AllocationId,
				NetworkInterfaceId: string(ni.ID), PrivateIpAddress: ni.PrivateIP.String(), Domain: "vpc"})
		}
	}
}

// serviceName returns the name consumers use for an endpoint's service.
func (e *exporter) serviceName(s string) string {
	if es := e.x.EndpointService(model.ID(s)); es != nil {
		return es.ServiceName()
	}
	return s
}

func (e *exporter) endpoint(v *model.VPC, ep *model.Endpoint, scope string) {
	a := awsEndpoint{VpcEndpointId: string(ep.ID), VpcId: string(v.ID), ServiceName: e.serviceName(ep.Service), OwnerId: string(ep.Account),
		PrivateDnsEnabled: ep.PrivateDNS, Groups: groupRefs(ep.SecurityGroups), IpAddressType: ep.AddressType().String()}
	if ep.Type != model.EndpointGatewayLoadBalancer {
		a.DnsOptions = &struct{ DnsRecordIpType string }{ep.DNSRecordType().String()}
	}
	a.VpcEndpointType = map[model.EndpointType]string{model.EndpointGateway: "Gateway", model.EndpointInterface: "Interface",
		model.EndpointGatewayLoadBalancer: "GatewayLoadBalancer"}[ep.Type]
	a.State = "available"
	if ep.State != 0 {
		a.State = ep.State.String()
	} else {
		for _, s := range e.m.EndpointServices {
			if !s.Serves(ep.Service) {
				continue
			}
			accepted := !s.AcceptanceRequired
			for _, c := range s.Connections {
				if c.Endpoint == ep.ID {
					a.State, accepted = c.State.String(), true
				}
			}
			if !accepted {
				a.State = "pending-acceptance"
			}
		}
	}
	for _, rt := range ep.RouteTables {
		a.RouteTableIds = append(a.RouteTableIds, string(rt))
	}
	for k, sn := range ep.Subnets {
		a.SubnetIds = append(a.SubnetIds, string(sn))
		if k < len(ep.PrivateIPs) || k < len(ep.IPv6IPs) {
			id := fmt.Sprintf("eni-%s-%d", ep.ID, k)
			a.NetworkInterfaceIds = append(a.NetworkInterfaceIds, id)
			eni := awsENI{NetworkInterfaceId: id, SubnetId: string(sn), VpcId: string(v.ID),
				Description: "VPC Endpoint Interface " + string(ep.ID), InterfaceType: "vpc_endpoint", Status: "in-use",
				RequesterManaged: true, Groups: a.Groups}
			if k < len(ep.PrivateIPs) {
				eni.PrivateIpAddress = ep.PrivateIPs[k].String()
			}
			if k < len(ep.IPv6IPs) {
				eni.Ipv6Addresses = []awsIPv6Address{{Ipv6Address: jsonText{S: ep.IPv6IPs[k].String()}, IsPrimaryIpv6: true}}
			}
			e.add(scope, "NetworkInterfaces", eni)
		}
	}
	if ep.DNSName != "" {
		a.DnsEntries = append(a.DnsEntries, struct{ DnsName, HostedZoneId string }{ep.DNSName, ""})
	}
	e.add(scope, "VpcEndpoints", a)
}

func (e *exporter) loadBalancers(v *model.VPC, scope string) {
	for i := range v.TargetGroups {
		tg := &v.TargetGroups[i]
		arn := tgARN(v.Region, v.Account, tg.ID)
		a := awsTargetGroup{TargetGroupArn: arn, TargetGroupName: string(tg.ID), Protocol: strings.ToUpper(tg.Protocol.String()), Port: portNum(tg.Port),
			TargetType: tg.TargetType.String(), VpcId: string(v.ID), IpAddressType: tg.AddressType().String()}
		for _, lb := range v.LoadBalancers {
			if slices.ContainsFunc(lb.Listeners, func(l model.Listener) bool { return l.TargetGroup == tg.ID }) {
				a.LoadBalancerArns = append(a.LoadBalancerArns, lbARN(v.Region, v.Account, &lb))
			}
		}
		e.add(scope, "TargetGroups", a)
		h := awsTargetHealthOf{TargetGroupArn: arn}
		for _, t := range tg.Targets {
			d := struct {
				Target struct {
					Id               string
					Port             *jsonInt
					AvailabilityZone string
				}
				TargetHealth struct{ State, Reason string }
			}{}
			switch {
			case t.IP.IsValid():
				d.Target.Id = t.IP.String()
			case tg.TargetType == model.TargetALB:
				if lb := e.x.LoadBalancer(t.ID); lb != nil {
					d.Target.Id = lbARN(v.Region, v.Account, lb)
				}
			default:
				d.Target.Id = string(t.ID)
			}
			d.Target.Port = portNum(tg.Port)
			if t.Port != 0 {
				d.Target.Port = portNum(t.Port)
			}
			d.Target.AvailabilityZone = t.AZ
			d.TargetHealth.State = t.Health.String()
			h.TargetHealthDescriptions = append(h.TargetHealthDescriptions, d)
		}
		e.add(scope, "LoadBalancerTargetHealth", h)
		if tg.PreserveClientIP != nil {
			e.add(scope, "TargetGroupAttributes", awsAttributesOf{TargetGroupArn: arn,
				Attributes: []struct{ Key, Value string }{{"preserve_client_ip.enabled", strconv.FormatBool(*tg.PreserveClientIP)}}})
		}
	}
	for i := range v.LoadBalancers {
		lb := &v.LoadBalancers[i]
		arn := lbARN(v.Region, v.Account, lb)
		a := awsLoadBalancer{LoadBalancerArn: arn, LoadBalancerName: string(lb.ID), DNSName: lb.DNSName, Scheme: lb.Scheme.String(), Type: lb.Type.String(), VpcId: string(v.ID),
			IpAddressType: lb.AddressType().String()}
		a.State.Code = "active"
		for _, g := range lb.SecurityGroups {
			a.SecurityGroups = append(a.SecurityGroups, string(g))
		}
		if !lb.EnforcesSGOnPrivateLink() {
			a.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = "off"
		}
		for k, sn := range lb.Subnets {
			z := struct {
				ZoneName              string
				SubnetId              string
				LoadBalancerAddresses []awsLBAddress
			}{SubnetId: string(sn)}
			if k < len(lb.IPv6IPs) {
				z.LoadBalancerAddresses = append(z.LoadBalancerAddresses, awsLBAddress{IPv6Address: lb.IPv6IPs[k].String()})
			}
			if s := e.x.Subnet(sn); s != nil {
				z.ZoneName = s.AZ
			}
			if k < len(lb.PrivateIPs) {
				eni := awsENI{NetworkInterfaceId: fmt.Sprintf("eni-%s-%d", lb.ID, k), SubnetId: string(sn), VpcId: string(v.ID),
					Description: "ELB " + lbPath(arn), InterfaceType: "network_load_balancer", Status: "in-use", RequesterManaged: true,
					PrivateIpAddress: lb.PrivateIPs[k].String()}
				if k < len(lb.PublicIPs) {
					eni.Association = &awsIPAssociation{PublicIp: lb.PublicIPs[k].String(), IpOwnerId: "amazon"}
				}
				e.add(scope, "NetworkInterfaces", eni)
			}
			a.AvailabilityZones = append(a.AvailabilityZones, z)
		}
		e.add(scope, "LoadBalancers", a)
		ls := awsListenersOf{LoadBalancerArn: arn}
		for _, l := range lb.Listeners {
			al := awsListener{LoadBalancerArn: arn, Port: portNum(l.Port)}
			if l.Protocol != 0 {
				// A Gateway Load Balancer's listener has neither.
				al.Protocol = strings.ToUpper(l.Protocol.String())
			}
			al.DefaultActions = append(al.DefaultActions, struct {
				Type           string
				TargetGroupArn string
				ForwardConfig  *struct {
					TargetGroups []struct{ TargetGroupArn string }
				}
			}{Type: "forward", TargetGroupArn: tgARN(v.Region, v.Account, l.TargetGroup)})
			ls.Listeners = append(ls.Listeners, al)
		}
		e.add(scope, "LoadBalancerListeners", ls)
		e.add(scope, "LoadBalancerAttributes", awsAttributesOf{LoadBalancerArn: arn,
			Attributes: []struct{ Key, Value string }{{"load_balancing.cross_zone.enabled", strconv.FormatBool(lb.CrossZone)}}})
	}
}

func (e *exporter) tgw(t *model.TransitGateway) {
	scope := scopeDir(t.Account, t.Region)
	at := awsTGW{TransitGatewayId: string(t.ID), OwnerId: string(t.Account), State: "available",
		TransitGatewayArn: fmt.Sprintf("arn:aws:ec2:%s:%s:transit-gateway/%s", t.Region, t.Account, t.ID)}
	at.Options.AssociationDefaultRouteTableId = string(t.DefaultAssociationRouteTable)
	at.Options.PropagationDefaultRouteTableId = string(t.DefaultPropagationRouteTable)
	at.Options.DefaultRouteTableAssociation, at.Options.DefaultRouteTablePropagation = "disable", "disable"
	if t.DefaultAssociationRouteTable != "" {
		at.Options.DefaultRouteTableAssociation = "enable"
	}
	if t.DefaultPropagationRouteTable != "" {
		at.Options.DefaultRouteTablePropagation = "enable"
	}
	at.Options.SecurityGroupReferencingSupport = "disable"
	if t.SecurityGroupReferencing {
		at.Options.SecurityGroupReferencingSupport = "enable"
	}
	e.add(scope, "TransitGateways", at)
	props := map[model.ID][]model.ID{} // route table -> attachments
	vpnOf := map[model.ID]string{}
	for _, n := range e.m.ExternalNetworks {
		vpnOf[n.Via] = string(n.ID)
	}
	for _, a := range t.Attachments {
		aa := awsTGWAttachment{TransitGatewayAttachmentId: string(a.ID), TransitGatewayId: string(t.ID), TransitGatewayOwnerId: string(t.Account),
			ResourceType: a.Type.String(), State: a.State.String(), ResourceOwnerId: string(a.Account)}
		if aa.ResourceOwnerId == "" {
			aa.ResourceOwnerId = string(t.Account)
		}
		switch a.Type {
		case model.AttachmentVPC:
			aa.ResourceId = string(a.VPC)
			av := awsTGWVpcAttachment{TransitGatewayAttachmentId: string(a.ID), TransitGatewayId: string(t.ID), VpcId: string(a.VPC), State: a.State.String()}
			av.Options.ApplianceModeSupport, av.Options.SecurityGroupReferencingSupport = "disable", "enable"
			if a.ApplianceMode {
				av.Options.ApplianceModeSupport = "enable"
			}
			av.Options.Ipv6Support = "disable"
			if a.IPv6Support {
				av.Options.Ipv6Support = "enable"
			}
			if !a.ReferencingEnabled() {
				av.Options.SecurityGroupReferencingSupport = "disable"
			}
			for _, sn := range a.Subnets {
				av.SubnetIds = append(av.SubnetIds, string(sn))
			}
			e.add(scope, "TransitGatewayVpcAttachments", av)
		case model.AttachmentPeering:
			if o := e.x.OwnerTransitGateway(a.Peer); o != nil {
				aa.ResourceId = string(o.ID)
			}
		default:
			aa.ResourceId = vpnOf[a.ID]
			if aa.ResourceId == "" {
				aa.ResourceId = "vpn-" + string(a.ID)
			}
		}
		if rt := t.AssociationOf(a); rt != "" {
			aa.Association = &struct{ TransitGatewayRouteTableId, State string }{string(rt), "associated"}
		}
		e.add(scope, "TransitGatewayAttachments", aa)
		for _, rt := range t.PropagationsOf(a) {
			props[rt] = append(props[rt], a.ID)
		}
	}
	for _, rt := range t.RouteTables {
		e.add(scope, "TransitGatewayRouteTables", awsTGWRouteTable{TransitGatewayRouteTableId: string(rt.ID), TransitGatewayId: string(t.ID), State: "available",
			DefaultAssociationRouteTable: rt.ID == t.DefaultAssociationRouteTable, DefaultPropagationRouteTable: rt.ID == t.DefaultPropagationRouteTable})
		sr := awsTGWRoutesOf{TransitGatewayRouteTableId: string(rt.ID)}
		for _, r := range rt.Routes {
			ar := awsTGWRoute{State: "active", Type: "static"}
			if r.Destination.PrefixList != "" {
				ar.PrefixListId = string(r.Destination.PrefixList)
			} else {
				ar.DestinationCidrBlock = jsonText{S: r.Destination.CIDR.String()}
			}
			if r.Blackhole {
				ar.State = "blackhole"
			} else {
				ar.TransitGatewayAttachments = append(ar.TransitGatewayAttachments, struct{ TransitGatewayAttachmentId, ResourceId, ResourceType string }{TransitGatewayAttachmentId: string(r.Attachment)})
			}
			sr.Routes = append(sr.Routes, ar)
		}
		e.add(scope, "TransitGatewayStaticRoutes", sr)
		pr := awsTGWPropagationsOf{TransitGatewayRouteTableId: string(rt.ID)}
		for _, a := range props[rt.ID] {
			pr.TransitGatewayRouteTablePropagations = append(pr.TransitGatewayRouteTablePropagations, struct {
				TransitGatewayAttachmentId, ResourceId, ResourceType, State string
			}{TransitGatewayAttachmentId: string(a), State: "enabled"})
		}
		e.add(scope, "TransitGatewayPropagations", pr)
	}
}

func (e *exporter) service(s *model.EndpointService) {
	scope := scopeDir(s.Account, s.Region)
	a := awsServiceConfiguration{ServiceId: string(s.ID), ServiceName: s.ServiceName(), ServiceState: "Available",
		AcceptanceRequired: s.AcceptanceRequired, PrivateDnsName: s.PrivateDNSName}
	for _, id := range s.LoadBalancers {
		lb := e.x.LoadBalancer(id)
		v := e.x.OwnerVPC(id)
		if lb == nil || v == nil {
			continue
		}
		if lb.Type == model.LBGateway {
			a.GatewayLoadBalancerArns = append(a.GatewayLoadBalancerArns, lbARN(v.Region, v.Account, lb))
		} else {
			a.NetworkLoadBalancerArns = append(a.NetworkLoadBalancerArns, lbARN(v.Region, v.Account, lb))
		}
	}
	for _, r := range s.SupportedRegions {
		a.SupportedRegions = append(a.SupportedRegions, struct{ Region string }{r})
	}
	a.SupportedIpAddressTypes = []string{"ipv4"}
	if len(s.SupportedIPAddressTypes) > 0 {
		a.SupportedIpAddressTypes = nil
		for _, t := range s.SupportedIPAddressTypes {
			a.SupportedIpAddressTypes = append(a.SupportedIpAddressTypes, t.String())
		}
	}
	e.add(scope, "ServiceConfigurations", a)
	p := awsServicePermissions{ServiceId: string(s.ID)}
	for _, pr := range s.AllowedPrincipals {
		p.AllowedPrincipals = append(p.AllowedPrincipals, struct{ Principal, PrincipalType string }{pr, "Account"})
	}
	if p.AllowedPrincipals == nil {
		p.AllowedPrincipals = []struct{ Principal, PrincipalType string }{}
	}
	e.add(scope, "VpcEndpointServicePermissions", p)
	for _, c := range s.Connections {
		e.add(scope, "VpcEndpointConnections", awsEndpointConnection{ServiceId: string(s.ID), VpcEndpointId: string(c.Endpoint), VpcEndpointState: c.State.String()})
	}
}

func (e *exporter) zone(z *model.HostedZone, first string) {
	scope := "global"
	if z.Account != "" {
		scope = "accounts/" + string(z.Account) + "/global"
	} else if strings.HasPrefix(first, "accounts/") {
		scope = strings.Join(strings.Split(first, "/")[:2], "/") + "/global"
	}
	hz := awsHostedZone{Id: "/hostedzone/" + string(z.ID), Name: strings.TrimSuffix(z.Name, ".") + "."}
	hz.Config.PrivateZone = z.IsPrivate()
	e.add(scope, "HostedZones", hz)
	d := awsHostedZoneDetail{HostedZone: hz}
	for _, id := range z.VPCs {
		if v := e.x.VPC(id); v != nil {
			d.VPCs = append(d.VPCs, struct{ VPCRegion, VPCId string }{v.Region, string(id)})
		}
	}
	e.add(scope, "HostedZoneDetails", d)
	rs := awsRecordSetsOf{HostedZoneId: string(z.ID)}
	zone := strings.TrimSuffix(z.Name, ".")
	for _, r := range z.Records {
		name := strings.TrimSuffix(r.Name, ".")
		if !strings.HasSuffix(r.Name, ".") && name != zone && !strings.HasSuffix(name, "."+zone) {
			name += "." + zone
		}
		type rr = struct{ Value string }
		set := awsRecordSet{Name: name + ".", Type: r.Type.String()}
		switch r.Type {
		case model.RecordAlias:
			set.Type = "A"
			set.AliasTarget = &awsAliasTarget{DNSName: r.Target}
		default:
			for _, v := range r.Values {
				set.ResourceRecords = append(set.ResourceRecords, rr{v})
			}
		}
		rs.ResourceRecordSets = append(rs.ResourceRecordSets, set)
	}
	e.add(scope, "HostedZoneRecordSets", rs)
}

// prune turns a value into maps, lists and scalars without the fields AWS
// leaves out when they are absent: empty strings, false, zero, nil. A value
// reached through a pointer is kept (a false SourceDestCheck is not an
// absent one), and so is an empty, non-nil list (no egress rule is not
// "not listed"). ok is false when the value is left out.
func prune(v reflect.Value, viaPtr bool) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return prune(v.Elem(), v.Kind() == reflect.Pointer)
	case reflect.Struct:
		if t := v.Type(); t == jsonIntType || t == jsonTextType {
			return prune(v.Field(0), viaPtr) // the value, without its position
		}
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if p, ok := prune(v.Field(i), false); ok {
					out[f.Name] = p
				}
			}
		}
		return out, true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			p, _ := prune(v.Index(i), false)
			out = append(out, p)
		}
		return out, true
	case reflect.String:
		return v.String(), viaPtr || v.String() != ""
	case reflect.Bool:
		return v.Bool(), viaPtr || v.Bool()
	case reflect.Int, reflect.Int32, reflect.Int64:
		return v.Int(), viaPtr || v.Int() != 0
	}
	return v.Interface(), true
}

// write writes every file, as the AWS CLI prints JSON (four-space
// indentation).
func (e *exporter) write(dir string) error {
	for _, scope := range sortedKeys(e.files) {
		d := filepath.Join(dir, filepath.FromSlash(scope))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		for _, key := range sortedKeys(e.files[scope]) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "    ")
			enc.SetEscapeHTML(false)
			list := make([]any, 0, len(e.files[scope][key]))
			for _, v := range e.files[scope][key] {
				p, _ := prune(reflect.ValueOf(v), false)
				list = append(list, p)
			}
			if err := enc.Encode(map[string][]any{key: list}); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(d, key+".json"), buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
