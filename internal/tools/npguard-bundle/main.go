// Command npguard-bundle writes the VPCs of vpcreach topology files as
// the JSON bundle np-guard's cloud-resource-collector writes for AWS, which
// np-guard's vpc-network-config-analyzer reads: VPCs, subnets, instances
// (with their network interfaces), security groups, network ACLs and
// internet gateways. That is all np-guard reads for AWS, so routes, NAT
// and transit gateways, peerings and endpoints are left out; a subnet is
// marked public (MapPublicIpOnLaunch, which np-guard reads as "public")
// when its route table sends 0.0.0.0/0 to the internet gateway. It is for
// benchmarking np-guard side by side with vpcreach on one input: vpcreach
// reads the bundle too (`vpcreach import aws`, `--from-aws`), and for a
// single VPC answers it exactly as it answers the topology (main_test.go).
//
// Usage:
//
//	go run ./internal/tools/npguard-bundle FILE... > bundle.json
package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"github.com/vpcreach/vpcreach/model"
)

// obj is a JSON object.
type obj = map[string]any

// tags returns the AWS tags that name a resource.
func tags(name string) []obj { return []obj{{"Key": "Name", "Value": name}} }

// proto returns a protocol as network ACL entries write it.
func proto(p model.Protocol) string {
	switch p {
	case model.ProtocolAll:
		return "-1"
	}
	return strconv.Itoa(int(p))
}

// sgPerms returns a security group rule as an IpPermission.
func sgPerms(p model.Protocol, ports *model.PortRange, icmp *model.ICMPMatch, peers []model.Peer) obj {
	o := obj{"IpProtocol": proto(p), "IpRanges": []obj{}, "Ipv6Ranges": []obj{}, "PrefixListIds": []obj{}, "UserIdGroupPairs": []obj{}}
	switch p {
	case model.ProtocolTCP:
		o["IpProtocol"] = "tcp"
	case model.ProtocolUDP:
		o["IpProtocol"] = "udp"
	case model.ProtocolICMP:
		o["IpProtocol"] = "icmp"
	}
	if ports != nil {
		o["FromPort"], o["ToPort"] = int(ports.First), int(ports.Last)
	}
	if p == model.ProtocolICMP {
		o["FromPort"], o["ToPort"] = -1, -1
		if icmp != nil {
			o["FromPort"], o["ToPort"] = icmp.Type, icmp.Code
		}
	}
	var ranges, pairs []obj
	for _, peer := range peers {
		if peer.CIDR.IsValid() {
			ranges = append(ranges, obj{"CidrIp": peer.CIDR.String()})
		} else {
			pairs = append(pairs, obj{"GroupId": string(peer.Ref)})
		}
	}
	if ranges != nil {
		o["IpRanges"] = ranges
	}
	if pairs != nil {
		o["UserIdGroupPairs"] = pairs
	}
	return o
}

// aclEntry returns a network ACL rule as an entry.
func aclEntry(r model.ACLRule, egress bool) obj {
	o := obj{"RuleNumber": r.Rule, "Protocol": proto(r.Protocol), "RuleAction": r.Action.String(), "Egress": egress,
		"CidrBlock": r.CIDR.String(), "PortRange": nil, "IcmpTypeCode": nil, "Ipv6CidrBlock": nil}
	if r.Ports != nil {
		o["PortRange"] = obj{"From": int(r.Ports.First), "To": int(r.Ports.Last)}
	}
	if r.Protocol == model.ProtocolICMP {
		o["IcmpTypeCode"] = obj{"Type": -1, "Code": -1}
		if r.ICMP != nil {
			o["IcmpTypeCode"] = obj{"Type": r.ICMP.Type, "Code": r.ICMP.Code}
		}
	}
	return o
}

func main() {
	m, _, err := model.LoadFiles(os.Args[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(bundle(m)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// bundle returns m's VPCs as a collector bundle.
func bundle(m *model.Model) obj {
	b := obj{"collector_version": "0.14.0", "provider": "aws"}
	var vpcs, subnets, instances, sgs, acls, igws []obj
	for _, v := range m.VPCs {
		owner := string(v.Account)
		var assoc []obj
		for _, c := range v.CIDRBlocks {
			assoc = append(assoc, obj{"CidrBlock": c.String(), "CidrBlockState": obj{"State": "associated"}})
		}
		vpcs = append(vpcs, obj{"VpcId": string(v.ID), "CidrBlock": v.CIDRBlocks[0].String(), "CidrBlockAssociationSet": assoc,
			"IsDefault": false, "State": "available", "OwnerId": owner, "Region": v.Region, "Tags": tags(v.Name)})
		if v.InternetGateway != "" {
			igws = append(igws, obj{"InternetGatewayId": string(v.InternetGateway), "OwnerId": owner,
				"Attachments": []obj{{"VpcId": string(v.ID), "State": "available"}}, "Tags": tags(string(v.InternetGateway))})
		}
		az := map[model.ID]string{}
		aclSubnets := map[model.ID][]obj{}
		defaultACL := ""
		for _, a := range v.NetworkACLs {
			if a.Default {
				defaultACL = string(a.ID)
			}
		}
		implicit := defaultACL == ""
		if implicit {
			defaultACL = "acl-default-" + string(v.ID)
		}
		// np-guard takes a subnet to be public when it maps public
		// addresses on launch: the subnets whose route table sends
		// 0.0.0.0/0 to the internet gateway.
		public := map[model.ID]bool{}
		mainRT := model.ID("")
		for _, rt := range v.RouteTables {
			if rt.Main {
				mainRT = rt.ID
			}
			for _, r := range rt.Routes {
				if r.Destination.CIDR.IsValid() && r.Destination.CIDR.Bits() == 0 && r.Target == v.InternetGateway && v.InternetGateway != "" {
					public[rt.ID] = true
				}
			}
		}
		for _, sn := range v.Subnets {
			az[sn.ID] = sn.AZ
			rt := sn.RouteTable
			if rt == "" {
				rt = mainRT
			}
			subnets = append(subnets, obj{"SubnetId": string(sn.ID), "VpcId": string(v.ID), "CidrBlock": sn.CIDRBlock.String(),
				"AvailabilityZone": sn.AZ, "State": "available", "OwnerId": owner, "Tags": tags(string(sn.ID)),
				"MapPublicIpOnLaunch": public[rt], "DefaultForAz": false, "AssignIpv6AddressOnCreation": false,
				"Ipv6CidrBlockAssociationSet": []obj{}})
			acl := string(sn.NetworkACL)
			if acl == "" {
				acl = defaultACL
			}
			aclSubnets[model.ID(acl)] = append(aclSubnets[model.ID(acl)], obj{"SubnetId": string(sn.ID), "NetworkAclId": acl})
		}
		finalDeny := func(egress bool) obj {
			return obj{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": egress, "CidrBlock": "0.0.0.0/0",
				"PortRange": nil, "IcmpTypeCode": nil, "Ipv6CidrBlock": nil}
		}
		for _, a := range v.NetworkACLs {
			var entries []obj
			for _, r := range a.Ingress {
				entries = append(entries, aclEntry(r, false))
			}
			for _, r := range a.Egress {
				entries = append(entries, aclEntry(r, true))
			}
			entries = append(entries, finalDeny(false), finalDeny(true))
			acls = append(acls, obj{"NetworkAclId": string(a.ID), "VpcId": string(v.ID), "IsDefault": a.Default, "OwnerId": owner,
				"Entries": entries, "Associations": orEmpty(aclSubnets[a.ID]), "Tags": tags(string(a.ID))})
		}
		if implicit {
			all := func(egress bool) obj {
				return obj{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0",
					"PortRange": nil, "IcmpTypeCode": nil, "Ipv6CidrBlock": nil}
			}
			acls = append(acls, obj{"NetworkAclId": defaultACL, "VpcId": string(v.ID), "IsDefault": true, "OwnerId": owner,
				"Entries":      []obj{all(false), finalDeny(false), all(true), finalDeny(true)},
				"Associations": orEmpty(aclSubnets[model.ID(defaultACL)]), "Tags": tags(defaultACL)})
		}
		for _, g := range v.SecurityGroups {
			var in, out []obj
			for _, r := range g.Ingress {
				in = append(in, sgPerms(r.Protocol, r.Ports, r.ICMP, r.Sources))
			}
			if g.Egress == nil {
				out = []obj{sgPerms(model.ProtocolAll, nil, nil, []model.Peer{{CIDR: mustPrefix("0.0.0.0/0")}})}
			}
			for _, r := range g.Egress {
				out = append(out, sgPerms(r.Protocol, r.Ports, r.ICMP, r.Destinations))
			}
			name := g.Name
			if name == "" {
				name = string(g.ID)
			}
			sgs = append(sgs, obj{"GroupId": string(g.ID), "GroupName": name, "Description": g.Description, "VpcId": string(v.ID),
				"OwnerId": owner, "IpPermissions": orEmpty(in), "IpPermissionsEgress": orEmpty(out), "Tags": []obj{}})
		}
		for k, in := range v.Instances {
			var groups []obj
			for _, g := range in.SecurityGroups {
				groups = append(groups, obj{"GroupId": string(g), "GroupName": string(g)})
			}
			state := obj{"Code": 16, "Name": "running"}
			if in.State == model.InstanceStopped {
				state = obj{"Code": 80, "Name": "stopped"}
			}
			eni := obj{"NetworkInterfaceId": fmt.Sprintf("eni-%s-%d", v.ID, k), "SubnetId": string(in.Subnet), "VpcId": string(v.ID),
				"PrivateIpAddress": in.PrivateIP.String(), "Groups": groups, "Status": "in-use", "InterfaceType": "interface",
				"OwnerId": owner, "SourceDestCheck": in.SourceDestCheck == nil || *in.SourceDestCheck,
				"Attachment":         obj{"DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached"},
				"PrivateIpAddresses": []obj{{"Primary": true, "PrivateIpAddress": in.PrivateIP.String()}}, "Ipv6Addresses": []obj{}}
			o := obj{"InstanceId": string(in.ID), "VpcId": string(v.ID), "SubnetId": string(in.Subnet), "PrivateIpAddress": in.PrivateIP.String(),
				"Placement": obj{"AvailabilityZone": az[in.Subnet], "GroupName": "", "Tenancy": "default"}, "State": state,
				"SecurityGroups": groups, "SourceDestCheck": in.SourceDestCheck == nil || *in.SourceDestCheck,
				"NetworkInterfaces": []obj{eni}, "InstanceType": "t3.micro", "Tags": tags(string(in.ID))}
			if pub := in.PublicAddress(); pub.IsValid() {
				o["PublicIpAddress"] = pub.String()
				eni["Association"] = obj{"PublicIp": pub.String(), "IpOwnerId": "amazon"}
				eni["PrivateIpAddresses"] = []obj{{"Primary": true, "PrivateIpAddress": in.PrivateIP.String(), "Association": obj{"PublicIp": pub.String(), "IpOwnerId": "amazon"}}}
			}
			instances = append(instances, o)
		}
	}
	b["vpcs"], b["subnets"], b["instances"], b["security_groups"], b["network_acls"], b["internet_gateways"] =
		orEmpty(vpcs), orEmpty(subnets), orEmpty(instances), orEmpty(sgs), orEmpty(acls), orEmpty(igws)
	return b
}

// orEmpty returns x, or an empty list for nil (the collector writes []).
func orEmpty(x []obj) []obj {
	if x == nil {
		return []obj{}
	}
	return x
}

// mustPrefix parses a literal prefix.
func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
