package model

import (
	"fmt"
	"slices"
	"strings"
)

// namesIndex holds the names and AWS ids a query may name resources by,
// built on first use (Name and AWSID read a resource's own fields).
type namesIndex struct {
	// byName maps a name, or an AWS id, to the ids of the resources a
	// query may name (NameableKinds) that carry it, sorted.
	byName map[string][]ID
	// sorted holds the keys of byName, sorted.
	sorted []string
}

// nameableKinds are the kinds whose name a query may use in place of the
// id: the kinds a query end can be.
var nameableKinds = []Kind{KindInstance, KindNetworkInterface, KindNATGateway, KindEndpoint, KindLoadBalancer, KindExternalNetwork}

// NameableKinds returns the kinds of resources that a query or an
// expectation may name by their name instead of their id: instances,
// network interfaces, NAT gateways, endpoints, load balancers and
// external networks. The slice is the caller's.
func NameableKinds() []Kind { return slices.Clone(nameableKinds) }

// names builds the name index once.
func (x *Index) names() *namesIndex {
	x.namesOnce.Do(func() {
		n := &namesIndex{byName: map[string][]ID{}}
		for id, e := range x.byID {
			// An instance's interface alias (eni) shares the instance's
			// entry, its name and its AWS id: the instance is counted
			// once.
			if x.isInterfaceAlias(id, e) || !slices.Contains(nameableKinds, e.kind) {
				continue
			}
			if name := x.nameOf(e); name != "" {
				n.byName[name] = append(n.byName[name], id)
			}
			if aws := x.awsIDOf(e); aws != "" && aws != id {
				n.byName[string(aws)] = append(n.byName[string(aws)], id)
			}
		}
		for name, ids := range n.byName {
			slices.Sort(ids)
			ids = slices.Compact(ids)
			n.byName[name] = ids
			n.sorted = append(n.sorted, name)
		}
		slices.Sort(n.sorted)
		x.nameIdx = n
	})
	return x.nameIdx
}

// nameOf returns the readable name of the resource at e, or "".
func (x *Index) nameOf(e entry) string {
	m := x.m
	var name string
	switch e.kind {
	case KindAccount:
		name = m.Accounts[e.i].Name
	case KindVPC:
		name = m.VPCs[e.i].Name
	case KindSubnet:
		name = m.VPCs[e.owner].Subnets[e.i].Name
	case KindSecurityGroup:
		name = m.VPCs[e.owner].SecurityGroups[e.i].Name
	case KindInstance:
		name = m.VPCs[e.owner].Instances[e.i].Name
	case KindNetworkInterface:
		name = m.VPCs[e.owner].NetworkInterfaces[e.i].Name
	case KindNATGateway:
		name = m.VPCs[e.owner].NATGateways[e.i].Name
	case KindEndpoint:
		name = m.VPCs[e.owner].Endpoints[e.i].Name
	case KindLoadBalancer:
		name = m.VPCs[e.owner].LoadBalancers[e.i].Name
	case KindPrefixList:
		name = m.PrefixLists[e.i].Name
	case KindExternalNetwork:
		name = m.ExternalNetworks[e.i].Name
	}
	return strings.TrimSpace(name)
}

// awsIDOf returns the AWS id (aws_id) of the resource at e, or "".
func (x *Index) awsIDOf(e entry) ID {
	m := x.m
	switch e.kind {
	case KindVPC:
		return m.VPCs[e.i].AWSID
	case KindSubnet:
		return m.VPCs[e.owner].Subnets[e.i].AWSID
	case KindRouteTable:
		return m.VPCs[e.owner].RouteTables[e.i].AWSID
	case KindNetworkACL:
		return m.VPCs[e.owner].NetworkACLs[e.i].AWSID
	case KindSecurityGroup:
		return m.VPCs[e.owner].SecurityGroups[e.i].AWSID
	case KindInstance:
		return m.VPCs[e.owner].Instances[e.i].AWSID
	case KindNetworkInterface:
		return m.VPCs[e.owner].NetworkInterfaces[e.i].AWSID
	case KindNATGateway:
		return m.VPCs[e.owner].NATGateways[e.i].AWSID
	case KindEndpoint:
		return m.VPCs[e.owner].Endpoints[e.i].AWSID
	case KindLoadBalancer:
		return m.VPCs[e.owner].LoadBalancers[e.i].AWSID
	case KindTargetGroup:
		return m.VPCs[e.owner].TargetGroups[e.i].AWSID
	case KindPeeringConnection:
		return m.PeeringConnections[e.i].AWSID
	case KindTransitGateway:
		return m.TransitGateways[e.i].AWSID
	case KindTGWRouteTable:
		return m.TransitGateways[e.owner].RouteTables[e.i].AWSID
	case KindTGWAttachment:
		return m.TransitGateways[e.owner].Attachments[e.i].AWSID
	case KindPrefixList:
		return m.PrefixLists[e.i].AWSID
	case KindEndpointService:
		return m.EndpointServices[e.i].AWSID
	case KindHostedZone:
		return m.HostedZones[e.i].AWSID
	}
	return ""
}

// AWSID returns the resource's id in AWS, its aws_id, when the topology
// names it otherwise (by a Terraform address): "" when it has none, when
// the id is unknown, or for an instance's interface alias (eni), which
// has the instance's.
func (x *Index) AWSID(id ID) ID {
	e, ok := x.byID[id]
	if !ok || x.isInterfaceAlias(id, e) {
		return ""
	}
	return x.awsIDOf(e)
}

// isInterfaceAlias reports whether id, at entry e, is an instance's
// interface alias (its eni id), which shares the instance's entry.
func (x *Index) isInterfaceAlias(id ID, e entry) bool {
	return e.kind == KindInstance && x.m.VPCs[e.owner].Instances[e.i].ID != id
}

// Name returns the readable name of the resource with the id: the name
// field of an account, VPC, subnet, security group, instance (also by its
// interface id), network interface, NAT gateway, endpoint, load balancer,
// prefix list or external network, without surrounding space; "" when it
// has none or the id is unknown. Endpoint services and hosted zones are
// left out: their names are service and domain names, not labels.
func (x *Index) Name(id ID) string {
	e, ok := x.byID[id]
	if !ok {
		return ""
	}
	return x.nameOf(e)
}

// NamedResources returns the names that NameableKinds resources carry,
// sorted, for suggestions. The slice is the caller's.
func (x *Index) NamedResources() []string { return slices.Clone(x.names().sorted) }

// ResolveName finds the resource a query or an expectation means by a
// name written in place of an id: the one resource of NameableKinds whose
// name or AWS id (aws_id; surrounding space ignored) is name. It returns "" and no error
// when none has it, and an *AmbiguousNameError (errors.Is
// ErrAmbiguousName) listing the candidates when several have it. Callers
// look name up as an id first: an id always wins over a name.
func (x *Index) ResolveName(name string) (ID, error) {
	ids := x.names().byName[strings.TrimSpace(name)]
	switch len(ids) {
	case 0:
		return "", nil
	case 1:
		return ids[0], nil
	}
	e := &AmbiguousNameError{Name: strings.TrimSpace(name), IDs: slices.Clone(ids)}
	for _, id := range ids {
		e.Kinds = append(e.Kinds, x.Kind(id))
	}
	return "", e
}

// AmbiguousNameError is the error of a name that several resources carry,
// written where one is meant.
type AmbiguousNameError struct {
	// Name is the name as written, without surrounding space.
	Name string
	// IDs are the resources that carry it, sorted, and Kinds their kinds.
	IDs   []ID
	Kinds []Kind
}

// Error lists the candidates: `"web" is the name of 2 resources:
// instance i-1, instance i-2; write the id of the one you mean`.
func (e *AmbiguousNameError) Error() string {
	c := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		c[i] = fmt.Sprintf("%s %s", e.Kinds[i], id)
	}
	return fmt.Sprintf("%q is the name of %d resources: %s; write the id of the one you mean", e.Name, len(e.IDs), strings.Join(c, ", "))
}

// Is reports whether target is ErrAmbiguousName.
func (e *AmbiguousNameError) Is(target error) bool { return target == ErrAmbiguousName }
