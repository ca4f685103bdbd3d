package tfimport

import (
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsIDOf returns the AWS id of the model resource an address names,
// when the file knows it: its resource's id, or, for what AWS creates
// with a VPC or a transit gateway (ADDRESS.main_route_table,
// ADDRESS.default_security_group, ADDRESS.default_route_table), the
// owner's attribute that holds it. "" when unknown (until apply).
func (b *builder) awsIDOf(id model.ID) model.ID {
	if r := b.byAddr[string(id)]; r != nil {
		return model.ID(r.values.get("id").strVal())
	}
	for _, implicit := range []struct{ suffix, typ, key string }{
		{".main_route_table", "aws_vpc", "main_route_table_id"},
		{".main_route_table", "aws_vpc", "default_route_table_id"},
		{".default_security_group", "aws_vpc", "default_security_group_id"},
		{".default_route_table", "aws_ec2_transit_gateway", "association_default_route_table_id"},
	} {
		owner, ok := strings.CutSuffix(string(id), implicit.suffix)
		if r := b.byAddr[owner]; ok && r != nil && r.typ == implicit.typ {
			if s := r.values.get(implicit.key).strVal(); s != "" {
				return model.ID(s)
			}
		}
	}
	return ""
}

// setAWSIDs gives every resource of m, named by its address, the AWS id
// the file knows for it (model's aws_id), so that output shows it.
func (b *builder) setAWSIDs(m *model.Model) {
	set := func(id model.ID, aws *model.ID) { *aws = b.awsIDOf(id) }
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		set(v.ID, &v.AWSID)
		for i := range v.Subnets {
			set(v.Subnets[i].ID, &v.Subnets[i].AWSID)
		}
		for i := range v.RouteTables {
			set(v.RouteTables[i].ID, &v.RouteTables[i].AWSID)
		}
		for i := range v.NetworkACLs {
			set(v.NetworkACLs[i].ID, &v.NetworkACLs[i].AWSID)
		}
		for i := range v.SecurityGroups {
			set(v.SecurityGroups[i].ID, &v.SecurityGroups[i].AWSID)
		}
		for i := range v.NATGateways {
			set(v.NATGateways[i].ID, &v.NATGateways[i].AWSID)
		}
		for i := range v.Endpoints {
			set(v.Endpoints[i].ID, &v.Endpoints[i].AWSID)
		}
		for i := range v.Instances {
			set(v.Instances[i].ID, &v.Instances[i].AWSID)
		}
		for i := range v.NetworkInterfaces {
			set(v.NetworkInterfaces[i].ID, &v.NetworkInterfaces[i].AWSID)
		}
		for i := range v.LoadBalancers {
			set(v.LoadBalancers[i].ID, &v.LoadBalancers[i].AWSID)
		}
		for i := range v.TargetGroups {
			set(v.TargetGroups[i].ID, &v.TargetGroups[i].AWSID)
		}
	}
	for i := range m.PeeringConnections {
		set(m.PeeringConnections[i].ID, &m.PeeringConnections[i].AWSID)
	}
	for ti := range m.TransitGateways {
		t := &m.TransitGateways[ti]
		set(t.ID, &t.AWSID)
		for i := range t.RouteTables {
			set(t.RouteTables[i].ID, &t.RouteTables[i].AWSID)
		}
		for i := range t.Attachments {
			set(t.Attachments[i].ID, &t.Attachments[i].AWSID)
		}
	}
	for i := range m.PrefixLists {
		set(m.PrefixLists[i].ID, &m.PrefixLists[i].AWSID)
	}
	for i := range m.EndpointServices {
		set(m.EndpointServices[i].ID, &m.EndpointServices[i].AWSID)
	}
	for i := range m.HostedZones {
		set(m.HostedZones[i].ID, &m.HostedZones[i].AWSID)
	}
}
