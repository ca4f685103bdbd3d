package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// ID names a resource. Every resource in a model has an id unique across all
// loaded files; other resources refer to it by that id. AWS ids
// (vpc-0a1b2c3d, subnet-...) and readable ones (vpc-shared) are both fine.
type ID string

// Model is a whole network topology: the top level of a topology file, or of
// several merged. It is plain data; solver.New compiles it for queries.
type Model struct {
	// Version is the format version; 1 is the only one so far.
	Version int `yaml:"version" required:"true" example:"1"`
	// Accounts lists the AWS accounts. When the list is not empty, every
	// account a resource names must be on it.
	Accounts []Account `yaml:"accounts"`
	// VPCs holds the VPCs, each with the resources that live inside it.
	VPCs []VPC `yaml:"vpcs"`
	// PeeringConnections joins pairs of VPCs (S-40..S-44).
	PeeringConnections []PeeringConnection `yaml:"peering_connections"`
	// TransitGateways are regional routers with attachments and route
	// tables (S-50..S-55).
	TransitGateways []TransitGateway `yaml:"transit_gateways"`
	// PrefixLists are named sets of CIDRs, used by routes and security
	// group rules (S-12).
	PrefixLists []PrefixList `yaml:"prefix_lists"`
	// EndpointServices are PrivateLink services offered by a provider
	// through load balancers (S-73..S-75).
	EndpointServices []EndpointService `yaml:"endpoint_services"`
	// HostedZones are Route 53 hosted zones (S-90..S-92).
	HostedZones []HostedZone `yaml:"hosted_zones"`
	// ExternalNetworks are address ranges outside AWS (on premises, a
	// partner) reached through a VPN or Direct Connect.
	ExternalNetworks []ExternalNetwork `yaml:"external_networks"`
	// Expectations state what must and must not be reachable.
	Expectations []Expectation `yaml:"expectations"`
	// Lint holds the lint settings of each file that wrote some, with the
	// file in their Source.
	Lint []LintSettings `yaml:"-"`
	// LintSettings is the `lint` key of a file: the settings for the
	// findings located in that file. Parse moves it into Lint.
	LintSettings *LintSettings `yaml:"lint"`

	Source Source `yaml:"-"`
}

// LintSettings tune the linter for the findings located in one file. To
// silence a rule for one resource only, write the comment
// "# vpcreach:ignore RULE-ID [reason]" on the line above the resource (or
// at the end of its first line): it drops that rule's findings located in
// the list item or key that begins there, with everything under it, and
// `vpcreach lint` reports it under unused-ignore once it drops nothing.
type LintSettings struct {
	// Disable lists lint rule ids whose findings in this file are dropped.
	Disable []string `yaml:"disable" example:"[sg-missing-description]"`

	Source Source `yaml:"-"`
}

// Account is an AWS account.
type Account struct {
	// ID is the 12-digit account number. Quote it in YAML if it starts
	// with 0.
	ID ID `yaml:"id" required:"true" example:"111111111111"`
	// Name is a readable name, used only in output.
	Name string `yaml:"name"`

	Source Source `yaml:"-"`
}

// VPC is a virtual private cloud and the resources that live in it.
type VPC struct {
	// ID names the VPC.
	ID ID `yaml:"id" required:"true" example:"vpc-a"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"vpc-0a1b2c3d4e5f67890"`
	// Name is a readable name, used only in output.
	Name string `yaml:"name"`
	// Account is the owning account's 12-digit id.
	Account ID `yaml:"account" example:"111111111111"`
	// Region is the AWS region, such as ap-southeast-1.
	Region string `yaml:"region" required:"true" example:"ap-southeast-1"`
	// CIDRBlocks are the VPC's IPv4 blocks, primary first (S-01).
	CIDRBlocks []netip.Prefix `yaml:"cidr_blocks" required:"true" example:"[10.0.0.0/16]"`
	// IPv6CIDRBlocks are the VPC's IPv6 blocks: an Amazon-provided /56, or
	// one of your own (BYOIP, /44 to /60); at most five (V-01). A VPC
	// always has IPv4 blocks too.
	IPv6CIDRBlocks []netip.Prefix `yaml:"ipv6_cidr_blocks" family:"ipv6" example:"[2600:1f18:a:c00::/56]"`
	// PrivateIPv6CIDRBlocks names those of the VPC's IPv6 blocks that are
	// private global unicast ranges from IPAM (Ipv6AddressAttribute
	// private): AWS does not advertise them, the internet does not reach
	// them and an internet gateway or egress-only internet gateway drops
	// their traffic (V-01). Each is written as in ipv6_cidr_blocks. A
	// block in fc00::/7 (unique local) is private whether it is listed
	// here or not.
	PrivateIPv6CIDRBlocks []netip.Prefix `yaml:"private_ipv6_cidr_blocks" family:"ipv6" example:"[2600:1f18:a:c00::/56]"`
	// DNS holds the VPC's DNS attributes.
	DNS DNSSettings `yaml:"dns"`
	// InternetGateway is the id of the internet gateway attached to the
	// VPC, if any (S-60).
	InternetGateway ID `yaml:"internet_gateway" example:"igw-a"`
	// VPNGateway is the id of the virtual private gateway attached to the
	// VPC, if any.
	VPNGateway ID `yaml:"vpn_gateway" example:"vgw-a"`
	// EgressOnlyInternetGateway is the id of the egress-only internet
	// gateway attached to the VPC, if any: it carries IPv6 traffic that the
	// VPC's side starts, and its responses, and nothing the internet starts
	// (V-07). A VPC has at most one.
	EgressOnlyInternetGateway ID `yaml:"egress_only_internet_gateway" example:"eigw-a"`

	// Subnets are the VPC's subnets, each in one availability zone (S-01).
	Subnets []Subnet `yaml:"subnets"`
	// RouteTables are the VPC's route tables (S-10). When none is marked main,
	// the VPC has an implicit main table with only the local routes (S-11).
	RouteTables []RouteTable `yaml:"route_tables"`
	// NetworkACLs are the VPC's network ACLs (S-30). When none is marked
	// default, the VPC has an implicit default ACL that allows all traffic both
	// ways.
	NetworkACLs []NetworkACL `yaml:"network_acls"`
	// SecurityGroups are the VPC's security groups (S-20). When none is marked
	// default, the VPC has an implicit default group that allows inbound from
	// itself and all outbound.
	SecurityGroups []SecurityGroup `yaml:"security_groups"`
	// NATGateways are the VPC's NAT gateways (S-61).
	NATGateways []NATGateway `yaml:"nat_gateways"`
	// Endpoints are the VPC's gateway, interface and gateway load balancer
	// endpoints (S-70, S-71).
	Endpoints []Endpoint `yaml:"endpoints"`
	// Instances are the VPC's EC2 instances, each with its primary network
	// interface.
	Instances []Instance `yaml:"instances"`
	// NetworkInterfaces are the VPC's other network interfaces: instances'
	// secondary ones and standalone ones (S-03).
	NetworkInterfaces []NetworkInterface `yaml:"network_interfaces"`
	// LoadBalancers are the VPC's Elastic Load Balancing v2 load balancers
	// (S-80).
	LoadBalancers []LoadBalancer `yaml:"load_balancers"`
	// TargetGroups are the VPC's load balancer target groups (S-81).
	TargetGroups []TargetGroup `yaml:"target_groups"`

	Source Source `yaml:"-"`
}

// AllCIDRBlocks returns the VPC's IPv4 blocks, then its IPv6 blocks.
func (v VPC) AllCIDRBlocks() []netip.Prefix {
	if len(v.IPv6CIDRBlocks) == 0 {
		return v.CIDRBlocks
	}
	return append(slices.Clip(v.CIDRBlocks), v.IPv6CIDRBlocks...)
}

// PrivateIPv6Blocks returns the VPC's private IPv6 blocks: those of
// IPv6CIDRBlocks in fc00::/7 (unique local) or listed in
// PrivateIPv6CIDRBlocks (private GUA). Their addresses are not public
// (V-01). Nil when there is none.
func (v VPC) PrivateIPv6Blocks() []netip.Prefix {
	var out []netip.Prefix
	for _, b := range v.IPv6CIDRBlocks {
		if b.IsValid() && (ULAPrefix().Overlaps(b) || slices.ContainsFunc(v.PrivateIPv6CIDRBlocks, func(p netip.Prefix) bool { return p.Masked() == b.Masked() })) {
			out = append(out, b)
		}
	}
	return out
}

// ULAPrefix returns fc00::/7, the unique local IPv6 addresses (RFC
// 4193): private whatever a VPC says of its blocks (V-01).
func ULAPrefix() netip.Prefix { return netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfc}), 7) }

// IPv6AddressAttributes and IPv6Sources are the values AWS writes for an
// IPv6 block association's Ipv6AddressAttribute and IpSource (Terraform:
// ipv6_address_attribute, ip_source); the importers refuse others.
func IPv6AddressAttributes() []string { return []string{"public", "private"} }

// IPv6Sources: see IPv6AddressAttributes.
func IPv6Sources() []string { return []string{"amazon", "byoip", "none"} }

// ListsPrivateIPv6 reports whether an importer lists VPC IPv6 block p in
// PrivateIPv6CIDRBlocks, as its association's address attribute and
// source say (V-01): private global unicast space (attribute private, or
// source none), valid values only. A unique local block is private
// unlisted; "" is an unset value.
func ListsPrivateIPv6(p netip.Prefix, attribute, source string) bool {
	valid := (attribute == "" || slices.Contains(IPv6AddressAttributes(), attribute)) &&
		(source == "" || slices.Contains(IPv6Sources(), source))
	return valid && !ULAPrefix().Overlaps(p) && (attribute == "private" || source == "none")
}

// HasIPv6 reports whether the VPC has an IPv6 block.
func (v VPC) HasIPv6() bool { return len(v.IPv6CIDRBlocks) > 0 }

// Addrs returns the interface's private addresses: the primary IPv4 one
// (when it has one), the secondary ones, then the IPv6 ones.
func (i Interface) Addrs() []netip.Addr {
	out := make([]netip.Addr, 0, 1+len(i.SecondaryIPs)+len(i.IPv6Addresses))
	if i.PrivateIP.IsValid() {
		out = append(out, i.PrivateIP)
	}
	out = append(out, i.SecondaryIPs...)
	return append(out, i.IPv6Addresses...)
}

// DNSSettings are a VPC's DNS attributes. A nil field takes AWS's default for
// a VPC you create: support on, hostnames off.
type DNSSettings struct {
	// Support is enableDnsSupport: the Route 53 Resolver answers at the
	// VPC base address + 2.
	Support *bool `yaml:"support" default:"true"`
	// Hostnames is enableDnsHostnames: instances with public addresses get
	// public DNS names; interface endpoint private DNS needs it (S-72).
	Hostnames *bool `yaml:"hostnames" default:"false"`

	Source Source `yaml:"-"`
}

// SupportEnabled reports enableDnsSupport, applying AWS's default (true).
func (d DNSSettings) SupportEnabled() bool { return d.Support == nil || *d.Support }

// HostnamesEnabled reports enableDnsHostnames, applying AWS's default
// (false).
func (d DNSSettings) HostnamesEnabled() bool { return d.Hostnames != nil && *d.Hostnames }

// Subnet is a range of a VPC's addresses in one availability zone.
type Subnet struct {
	// ID names the subnet; interfaces, endpoints, load balancers and transit
	// gateway attachments refer to it.
	ID ID `yaml:"id" required:"true" example:"subnet-a-app-1a"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"subnet-0a1b2c3d4e5f67890"`
	// Name is a readable name, used only in output.
	Name string `yaml:"name"`
	// AZ is the availability zone name, such as ap-southeast-1a.
	AZ string `yaml:"az" required:"true" example:"ap-southeast-1a"`
	// AZID is the zone's account-independent id, such as apse1-az1. When
	// set, PrivateLink matches zones across accounts by it (S-74); else by
	// AZ.
	AZID string `yaml:"az_id" example:"apse1-az1"`
	// CIDRBlock lies inside one of the VPC's blocks, /16 to /28 (S-01).
	// Required, except on an IPv6-only subnet, which has none.
	CIDRBlock netip.Prefix `yaml:"cidr_block" requiredunless:"ipv6_only" example:"10.0.1.0/24"`
	// IPv6CIDRBlock is the subnet's IPv6 block, a /64 inside one of the
	// VPC's IPv6 blocks (V-02).
	IPv6CIDRBlock netip.Prefix `yaml:"ipv6_cidr_block" family:"ipv6" example:"2600:1f18:a:c01::/64"`
	// IPv6Only marks an IPv6-only subnet: it has an ipv6_cidr_block and no
	// cidr_block, and its interfaces have IPv6 addresses only (V-03).
	IPv6Only bool `yaml:"ipv6_only"`
	// EnableDNS64 is the subnet's EnableDns64 attribute: the Route 53
	// Resolver answers a query from the subnet for a name with A records
	// and no AAAA record with synthesised AAAA records, 64:ff9b::/96
	// followed by each IPv4 address, which a NAT gateway translates back
	// (NAT64, V-16, V-17). Default false.
	EnableDNS64 bool `yaml:"enable_dns64"`
	// RouteTable is the explicitly associated route table; empty means the
	// VPC's main table (S-10).
	RouteTable ID `yaml:"route_table" example:"rtb-a-private"`
	// NetworkACL is the associated network ACL; empty means the VPC's
	// default ACL (S-30).
	NetworkACL ID `yaml:"network_acl" example:"acl-a-app"`
	// SharedWith lists the accounts the VPC's owner shares the subnet with
	// (VPC sharing, S-04). Their resources live in the subnet and route
	// like the owner's; the subnet itself always belongs to the VPC's
	// account.
	SharedWith []ID `yaml:"shared_with" example:"[\"222222222222\"]"`

	Source Source `yaml:"-"`
}

// RouteTable is a VPC route table (S-10..S-15).
type RouteTable struct {
	// ID names the route table; subnets and gateway endpoints refer to it.
	ID ID `yaml:"id" required:"true" example:"rtb-a-private"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"rtb-0a1b2c3d4e5f67890"`
	// Main marks the VPC's main route table, used by subnets with no
	// explicit association. Exactly one per VPC (S-10).
	Main bool `yaml:"main"`
	// Routes are the table's routes, chosen by longest prefix match (S-12). The
	// local routes of the VPC's CIDR blocks are implicit (S-11).
	Routes []Route `yaml:"routes"`
	// Propagations lists virtual private gateways whose routes propagate
	// into this table.
	Propagations []ID `yaml:"propagations"`
	// EdgeAssociations are the internet gateway or virtual private gateway
	// of the VPC this table is associated with (an edge association): it is
	// then a gateway route table, which routes the traffic entering the VPC
	// through that gateway (V-24, V-25). Its routes are local, or send a VPC
	// block or a subnet's CIDR to a Gateway Load Balancer endpoint or a
	// network interface.
	EdgeAssociations []ID `yaml:"edge_associations"`

	Source Source `yaml:"-"`
}

// Route sends a destination to a target. The local routes of the VPC's CIDR
// blocks are implicit (S-11).
type Route struct {
	// Destination is an IPv4 or IPv6 CIDR, or a prefix list id (S-12); a
	// packet matches only routes of its own family (V-04).
	Destination Destination `yaml:"destination" required:"true" example:"0.0.0.0/0"`
	// Target is "local", or the id of an internet gateway, egress-only
	// internet gateway (IPv6 destinations only), NAT gateway (IPv4
	// destinations only), peering connection, transit gateway, gateway
	// endpoint (or gateway load balancer endpoint), network interface,
	// instance or virtual private gateway (S-13, V-05).
	Target ID `yaml:"target" example:"nat-a"`
	// State is active (the default), blackhole or outside-snapshot. A
	// blackhole route drops what it matches; its target may name a resource
	// that no longer exists. An outside-snapshot route (written by the AWS
	// importer) leads to a target the snapshot does not hold.
	State RouteState `yaml:"state"`

	Source Source `yaml:"-"`
}

// Destination is a route or rule destination: a CIDR or a prefix list id.
// Exactly one of CIDR and PrefixList is set.
type Destination struct {
	CIDR       netip.Prefix
	PrefixList ID
}

// String returns the CIDR or the prefix list id.
func (d Destination) String() string {
	if d.PrefixList != "" {
		return string(d.PrefixList)
	}
	if d.CIDR.IsValid() {
		return d.CIDR.String()
	}
	return ""
}

// IsZero reports whether the destination is unset.
func (d Destination) IsZero() bool { return d.PrefixList == "" && !d.CIDR.IsValid() }

// UnmarshalText parses a CIDR (with its host bits zero) or takes the text as
// a prefix list id.
func (d *Destination) UnmarshalText(b []byte) error {
	p, isCIDR, err := parseCIDROrID(string(b))
	if err != nil {
		return err
	}
	if isCIDR {
		*d = Destination{CIDR: p}
	} else {
		*d = Destination{PrefixList: ID(strings.TrimSpace(string(b)))}
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Destination) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// parseCIDROrID tells CIDRs from ids. Text that starts with a digit, or
// holds a colon, must be a CIDR of either family; an address without a
// length is refused with a hint.
func parseCIDROrID(s string) (netip.Prefix, bool, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return netip.Prefix{}, false, fmt.Errorf("empty value")
	}
	if looksIPv6(t) && !strings.Contains(t, "/") {
		// An IPv6 address would otherwise read as an id.
		if a, err := netip.ParseAddr(t); err == nil && a.Is6() {
			return netip.Prefix{}, false, fmt.Errorf("%q is an address, not a CIDR (write %s/128)", s, a)
		}
	}
	if (t[0] < '0' || t[0] > '9') && !looksIPv6(t) {
		if strings.ContainsAny(t, " \t") {
			return netip.Prefix{}, false, fmt.Errorf("%q is neither a CIDR nor an id", s)
		}
		return netip.Prefix{}, false, nil
	}
	p, err := ParseAnyCIDR(t)
	return p, true, err
}

// looksIPv6 reports whether t, holding a colon and only hex digits, dots,
// colons and a slash, is written as an IPv6 CIDR or address rather than an
// id.
func looksIPv6(t string) bool {
	if !strings.Contains(t, ":") {
		return false
	}
	for _, r := range t {
		if !strings.ContainsRune("0123456789abcdefABCDEF:./", r) {
			return false
		}
	}
	return true
}

// ParseCIDR parses an IPv4 CIDR such as 10.0.0.0/16 and insists that its
// host bits are zero, as AWS does. An IPv6 CIDR is refused as such: use
// ParseIPv6CIDR or ParseAnyCIDR where either family is allowed.
func ParseCIDR(s string) (netip.Prefix, error) {
	p, err := ParseAnyCIDR(s)
	if err == nil && !p.Addr().Is4() {
		return netip.Prefix{}, wrongFamily(s, "CIDR", 4)
	}
	return p, err
}

// ParseIPv6CIDR parses an IPv6 CIDR such as 2600:1f18:a:c00::/56 and
// insists that its host bits are zero. An IPv4 CIDR is refused as such.
func ParseIPv6CIDR(s string) (netip.Prefix, error) {
	p, err := ParseAnyCIDR(s)
	if err == nil && !p.Addr().Is6() {
		return netip.Prefix{}, wrongFamily(s, "CIDR", 6)
	}
	return p, err
}

// ParseAnyCIDR parses an IPv4 or IPv6 CIDR and insists that its host bits
// are zero, as AWS does. IPv4-mapped IPv6 (::ffff:10.0.0.0/104) and zones
// are refused: AWS writes IPv4 blocks as IPv4.
func ParseAnyCIDR(s string) (netip.Prefix, error) {
	t := strings.TrimSpace(s)
	if !strings.Contains(t, "/") {
		if a, err := netip.ParseAddr(t); err == nil {
			return netip.Prefix{}, fmt.Errorf("%q is an address, not a CIDR (write %s/%d)", s, a, a.BitLen())
		}
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR", s)
	}
	p, err := netip.ParsePrefix(t)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR", s)
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("%q is an IPv4-mapped IPv6 CIDR; write IPv4 blocks as IPv4", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set (did you mean %s?)", s, p.Masked())
	}
	return p, nil
}

// ParseAddr parses an IPv4 address such as 10.0.1.10. An IPv6 address is
// refused as such: use ParseIPv6Addr or ParseAnyAddr where either family
// is allowed.
func ParseAddr(s string) (netip.Addr, error) {
	a, err := ParseAnyAddr(s)
	if err == nil && !a.Is4() {
		return netip.Addr{}, wrongFamily(s, "address", 4)
	}
	if err != nil && !strings.Contains(s, "/") {
		return netip.Addr{}, fmt.Errorf("%q is not an IPv4 address", s)
	}
	return a, err
}

// ParseIPv6Addr parses an IPv6 address such as 2600:1f18:a:c01::10. An
// IPv4 address is refused as such.
func ParseIPv6Addr(s string) (netip.Addr, error) {
	a, err := ParseAnyAddr(s)
	if err == nil && !a.Is6() {
		return netip.Addr{}, wrongFamily(s, "address", 6)
	}
	if err != nil && !strings.Contains(s, "/") {
		return netip.Addr{}, fmt.Errorf("%q is not an IPv6 address", s)
	}
	return a, err
}

// ParseAnyAddr parses an IPv4 or IPv6 address. IPv4-mapped IPv6 addresses
// (::ffff:10.0.0.1) and zones (fe80::1%eth0) are refused.
func ParseAnyAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	switch {
	case err == nil && a.Is4In6():
		return netip.Addr{}, fmt.Errorf("%q is an IPv4-mapped IPv6 address; write IPv4 addresses as IPv4", s)
	case err == nil && a.Zone() != "":
		return netip.Addr{}, fmt.Errorf("%q has a zone; AWS addresses have none", s)
	case err == nil:
		return a, nil
	case strings.Contains(s, "/"):
		return netip.Addr{}, fmt.Errorf("%q is a CIDR, not an address", s)
	}
	return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
}

// wrongFamily refuses a CIDR or address of the other family than a field
// takes.
func wrongFamily(s, what string, want int) error {
	if want == 4 {
		return fmt.Errorf("%q is an IPv6 %s, not IPv4", s, what)
	}
	return fmt.Errorf("%q is an IPv4 %s, not IPv6", s, what)
}

// NetworkACL is a stateless subnet filter (S-30..S-35).
type NetworkACL struct {
	// ID names the network ACL; subnets refer to it.
	ID ID `yaml:"id" required:"true" example:"acl-a-app"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"acl-0a1b2c3d4e5f67890"`
	// Default marks the VPC's default ACL, used by subnets with no explicit
	// one. A VPC that marks none has an implicit default ACL that allows
	// all traffic both ways. A custom ACL with no rules denies everything.
	Default bool `yaml:"default"`
	// Ingress holds the inbound rules, checked on packets entering the subnet
	// (S-31, S-32). A packet no rule matches is denied by the final * rule.
	Ingress []ACLRule `yaml:"ingress"`
	// Egress holds the outbound rules, checked on packets leaving the subnet
	// (S-31, S-32). A packet no rule matches is denied by the final * rule.
	Egress []ACLRule `yaml:"egress"`

	Source Source `yaml:"-"`
}

// ACLRule is one numbered network ACL rule (S-31).
type ACLRule struct {
	// Rule is the rule number, 1 to 32766; lower numbers are evaluated
	// first.
	Rule int `yaml:"rule" required:"true" example:"100"`
	// Protocol is the IP protocol the rule matches; all (or -1) matches every
	// protocol (S-31).
	Protocol Protocol `yaml:"protocol" required:"true" example:"tcp"`
	// Ports is required for tcp and udp, and not allowed otherwise.
	Ports *PortRange `yaml:"ports" example:"1024-65535"`
	// ICMP selects ICMP type and code for icmp rules; omitted means all.
	ICMP *ICMPMatch `yaml:"icmp"`
	// CIDR is the source (ingress) or destination (egress) range the rule
	// matches (S-31), IPv4 or IPv6; a rule matches packets of its own
	// family only (V-09).
	CIDR netip.Prefix `yaml:"cidr" required:"true" family:"any" example:"0.0.0.0/0"`
	// Action is allow or deny; the lowest-numbered matching rule decides (S-31).
	Action ACLAction `yaml:"action" required:"true" example:"allow"`

	Source Source `yaml:"-"`
}

// SecurityGroup is a stateful filter on network interfaces (S-20..S-23).
type SecurityGroup struct {
	// ID names the security group; interfaces, endpoints, load balancers and
	// rules refer to it.
	ID ID `yaml:"id" required:"true" example:"sg-a-app"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"sg-0a1b2c3d4e5f67890"`
	// Name is the group's name in AWS (GroupName), shown beside the id in
	// output.
	Name string `yaml:"name"`
	// Description says what the group is for. AWS requires one; the
	// linter flags groups without.
	Description string `yaml:"description"`
	// Default marks the VPC's default group, which network interfaces with
	// no groups get. A VPC that marks none has an implicit default group
	// that allows inbound from itself and all outbound (S-20).
	Default bool `yaml:"default"`
	// Ingress rules allow inbound traffic; omitted or empty, the group allows no
	// inbound traffic (S-20).
	Ingress []IngressRule `yaml:"ingress"`
	// OutsideSnapshot marks a group that exists in AWS but not in the
	// snapshot the topology was imported from (another account's group
	// that a rule references, or one an interface lists): which
	// interfaces hold it, and what it allows, is unknown. Answers that
	// depend on it say so instead of a plain "no".
	OutsideSnapshot bool `yaml:"outside_snapshot"`
	// Egress rules allow outbound traffic. Omitted (nil in Go): AWS's
	// default rules for a new group, allowing all outbound traffic (S-20):
	// to 0.0.0.0/0 and to ::/0, as AWS writes them in a VPC with an IPv6
	// block (V-08; in a VPC without one no packet matches ::/0). A group
	// created before its VPC had an IPv6 block may lack the ::/0 rule:
	// write its egress rules as AWS lists them. An empty list
	// (`egress: []`): no outbound traffic.
	Egress []EgressRule `yaml:"egress" absent:"differs"`

	Source Source `yaml:"-"`
}

// SGRule holds the fields that ingress and egress rules share (S-21).
type SGRule struct {
	// Protocol is the IP protocol the rule allows; all (or -1) allows every
	// protocol (S-21).
	Protocol Protocol `yaml:"protocol" required:"true" example:"tcp"`
	// Ports is required for tcp and udp, and not allowed otherwise.
	Ports *PortRange `yaml:"ports" example:"443"`
	// ICMP selects ICMP type and code for icmp rules; omitted means all.
	ICMP *ICMPMatch `yaml:"icmp"`
	// Description says what the rule is for; it does not affect matching.
	Description string `yaml:"description"`
}

// IngressRule allows inbound traffic from its sources.
type IngressRule struct {
	SGRule `yaml:",inline"`
	// Sources are CIDRs, security group ids or prefix list ids; a group
	// may be written with its account, ACCOUNT/GROUP-ID (see Peer).
	Sources []Peer `yaml:"sources" required:"true" example:"[10.0.0.0/16, sg-b-nlb]"`

	Source Source `yaml:"-"`
}

// EgressRule allows outbound traffic to its destinations.
type EgressRule struct {
	SGRule `yaml:",inline"`
	// Destinations are CIDRs, security group ids or prefix list ids; a
	// group may be written with its account, ACCOUNT/GROUP-ID (see Peer).
	Destinations []Peer `yaml:"destinations" required:"true" example:"[0.0.0.0/0]"`

	Source Source `yaml:"-"`
}

// Peer is the other side of a security group rule: an IPv4 or IPv6 CIDR
// (a rule matches packets of its own family only, V-09), or the id of a
// security group or prefix list (S-21); a group matches both families
// (V-10).
// Exactly one of CIDR and Ref is set.
//
// A group may be written with its owner's account, ACCOUNT/GROUP-ID
// (111111111111/sg-0abc), as AWS's UserIdGroupPairs name a group of
// another account across a peering. Group ids are unique in a topology,
// as in AWS, so the account does not pick the group: it is checked. The
// group must belong to that account (its VPC's account, or an account the
// VPC's subnets are shared with, whose participants own groups there), and
// validation reports an error when they disagree. The account of a group
// marked outside_snapshot is not checked: it stands in for a group the
// snapshot lacks, in the VPC that references it.
type Peer struct {
	CIDR netip.Prefix
	Ref  ID
	// Account is the account written before the group id in the
	// ACCOUNT/GROUP-ID form, else empty.
	Account ID
}

// String returns the CIDR or the id, with its account when one was
// written (ACCOUNT/GROUP-ID).
func (p Peer) String() string {
	if p.Ref != "" {
		if p.Account != "" {
			return string(p.Account) + "/" + string(p.Ref)
		}
		return string(p.Ref)
	}
	return p.CIDR.String()
}

// UnmarshalText parses a CIDR, ACCOUNT/GROUP-ID, or takes the text as an
// id.
func (p *Peer) UnmarshalText(b []byte) error {
	t := strings.TrimSpace(string(b))
	if acct, ref, ok := cutAccount(t); ok {
		*p = Peer{Ref: ID(ref), Account: ID(acct)}
		return nil
	}
	c, isCIDR, err := parseCIDROrID(t)
	if err != nil {
		return err
	}
	if isCIDR {
		*p = Peer{CIDR: c}
	} else {
		*p = Peer{Ref: ID(t)}
	}
	return nil
}

// cutAccount splits ACCOUNT/ID, where ACCOUNT is 12 digits and ID does not
// start with a digit (so that no CIDR reads as one).
func cutAccount(t string) (account, id string, ok bool) {
	account, id, ok = strings.Cut(t, "/")
	if !ok || len(account) != 12 || id == "" || (id[0] >= '0' && id[0] <= '9') || strings.ContainsAny(id, " \t/") {
		return "", "", false
	}
	for i := 0; i < len(account); i++ {
		if account[i] < '0' || account[i] > '9' {
			return "", "", false
		}
	}
	return account, id, true
}

// MarshalText implements encoding.TextMarshaler.
func (p Peer) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Interface holds what every network interface has (S-03).
type Interface struct {
	// Subnet is the subnet the interface lives in, of the same VPC (S-03).
	Subnet ID `yaml:"subnet" required:"true" example:"subnet-a-app-1a"`
	// PrivateIP is the primary private IPv4 address, inside the subnet and
	// not one of its five reserved addresses (S-02). Required, except in an
	// IPv6-only subnet, where an interface has none (V-03).
	PrivateIP netip.Addr `yaml:"private_ip" example:"10.0.1.10"`
	// SecondaryIPs are further private addresses in the same subnet.
	SecondaryIPs []netip.Addr `yaml:"secondary_ips"`
	// IPv6Addresses are the interface's IPv6 addresses, inside the
	// subnet's ipv6_cidr_block and not one of its reserved addresses
	// (V-02). A global unicast IPv6 address is public: reachable from the
	// internet through an internet gateway as it is, without translation
	// (V-06).
	IPv6Addresses []netip.Addr `yaml:"ipv6_addresses" family:"ipv6" example:"[2600:1f18:a:c01::10]"`
	// PublicIP is an auto-assigned public IPv4 address.
	PublicIP netip.Addr `yaml:"public_ip" example:"203.0.113.7"`
	// ElasticIP is an Elastic IP associated with the primary address.
	// Give at most one of public_ip and elastic_ip.
	ElasticIP netip.Addr `yaml:"elastic_ip"`
	// AssumedIPs lists those of the addresses above that are assumed, not
	// known: values a Terraform plan leaves unknown until apply, which
	// vpcreach import terraform chose. A reach answer that depends on one
	// says so (ASSUMED_ADDRESS). IPv4 or IPv6: an IPv6 address of
	// ipv6_addresses stands for any of its subnet's IPv6 block.
	AssumedIPs []netip.Addr `yaml:"assumed_ips" family:"any" example:"[10.0.1.10]"`
	// SecurityGroups are 1 to 5 groups of the same VPC (quota 16); none
	// means the VPC's default group.
	SecurityGroups []ID `yaml:"security_groups" example:"[sg-a-app]"`
	// SourceDestCheck drops traffic not addressed to or from the
	// interface; a middlebox needs it off (S-15). Default true.
	SourceDestCheck *bool `yaml:"source_dest_check" default:"true"`
	// Account owns the interface when it differs from the VPC's: a
	// participant account of a shared subnet (S-04). The subnet must be
	// shared with it.
	Account ID `yaml:"account"`
}

// SourceDestCheckEnabled applies AWS's default (true).
func (i Interface) SourceDestCheckEnabled() bool {
	return i.SourceDestCheck == nil || *i.SourceDestCheck
}

// PublicAddress returns the Elastic IP, else the public IP, else the zero
// Addr.
func (i Interface) PublicAddress() netip.Addr {
	if i.ElasticIP.IsValid() {
		return i.ElasticIP
	}
	return i.PublicIP
}

// Instance is an EC2 instance with its primary network interface written
// inline. More interfaces are network_interfaces that name the instance.
type Instance struct {
	// ID names the instance; routes, targets, network interfaces and
	// expectations refer to it.
	ID ID `yaml:"id" required:"true" example:"i-a-app"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output; a query may use it in place of
	// the id, as a name.
	AWSID ID `yaml:"aws_id" example:"i-0a1b2c3d4e5f67890"`
	// Name is a readable name (the Name tag), shown beside the id in
	// output; a query may use it in place of the id when no other
	// instance, network interface, NAT gateway, endpoint, load balancer or
	// external network has it.
	Name string `yaml:"name"`
	// ENI is the id of the primary network interface, for routes that
	// target it; default: the instance id stands for it.
	ENI       ID `yaml:"eni" example:"eni-0a1b2c"`
	Interface `yaml:",inline"`
	// State is the EC2 state; only running instances carry traffic.
	State InstanceState `yaml:"state"`

	Source Source `yaml:"-"`
}

// NetworkInterface is an elastic network interface that is not an
// instance's inline primary one: a secondary interface, or a standalone one.
type NetworkInterface struct {
	// ID names the network interface; routes and expectations refer to it.
	ID ID `yaml:"id" required:"true" example:"eni-0a1b2c"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output; a query may use it in place of
	// the id, as a name.
	AWSID ID `yaml:"aws_id" example:"eni-0a1b2c3d4e5f67890"`
	// Name is a readable name (the Name tag), shown beside the id in
	// output; a query may use it in place of the id when it is unique,
	// as an instance's.
	Name string `yaml:"name"`
	// Description says what the interface is for; it does not affect
	// reachability.
	Description string `yaml:"description"`
	// Instance is the instance the interface is attached to, if any.
	Instance  ID `yaml:"instance"`
	Interface `yaml:",inline"`

	Source Source `yaml:"-"`
}

// NATGateway translates private sources to its own address (S-61).
type NATGateway struct {
	// ID names the NAT gateway; routes target it.
	ID ID `yaml:"id" required:"true" example:"nat-a"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output; a query may use it in place of
	// the id, as a name.
	AWSID ID `yaml:"aws_id" example:"nat-0a1b2c3d4e5f67890"`
	// Name is a readable name (the Name tag), shown beside the id in
	// output; a query may use it in place of the id when it is unique,
	// as an instance's.
	Name string `yaml:"name"`
	// Subnet is where the gateway's interface lives; a public gateway's
	// subnet routes to an internet gateway.
	Subnet ID `yaml:"subnet" required:"true" example:"subnet-a-public-1a"`
	// Connectivity is public (translates to its Elastic IP, toward an internet
	// gateway) or private (translates to its private address, toward a transit
	// gateway or virtual private gateway); default public (S-61).
	Connectivity NATConnectivity `yaml:"connectivity"`
	// PrivateIP is the gateway's private address, inside its subnet and not a
	// reserved one (S-02); a private gateway translates sources to it (S-61).
	PrivateIP netip.Addr `yaml:"private_ip" required:"true" example:"10.0.0.10"`
	// PublicIP is the Elastic IP of a public gateway.
	PublicIP netip.Addr `yaml:"public_ip" example:"203.0.113.10"`
	// AssumedIPs lists those of the addresses above that are assumed, not
	// known: values a Terraform plan leaves unknown until apply, which
	// vpcreach import terraform chose. A reach answer that depends on one
	// says so (ASSUMED_ADDRESS).
	AssumedIPs []netip.Addr `yaml:"assumed_ips" example:"[10.0.0.10]"`

	Source Source `yaml:"-"`
}

// PeeringConnection joins two VPCs, non-transitively (S-40..S-44).
type PeeringConnection struct {
	// ID names the peering connection; routes target it.
	ID ID `yaml:"id" required:"true" example:"pcx-ab"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"pcx-0a1b2c3d4e5f67890"`
	// Requester is the VPC that requested the peering (S-40).
	Requester ID `yaml:"requester" required:"true" example:"vpc-b"`
	// Accepter is the VPC that accepted the peering, possibly in another account
	// or region; its CIDRs must not overlap the requester's (S-41).
	Accepter ID `yaml:"accepter" required:"true" example:"vpc-a"`
	// Status is the AWS status code; only active passes traffic. Default
	// active.
	Status PeeringStatus `yaml:"status"`

	Source Source `yaml:"-"`
}

// Joins reports whether the peering connects VPC v.
func (p PeeringConnection) Joins(v ID) bool { return p.Requester == v || p.Accepter == v }

// Other returns the VPC at the other end from v.
func (p PeeringConnection) Other(v ID) ID {
	if p.Requester == v {
		return p.Accepter
	}
	return p.Requester
}

// TransitGateway is a regional router (S-50..S-55).
type TransitGateway struct {
	// ID names the transit gateway; routes target it.
	ID ID `yaml:"id" required:"true" example:"tgw-hub"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"tgw-0a1b2c3d4e5f67890"`
	// Account is the 12-digit id of the account that owns the gateway.
	Account ID `yaml:"account"`
	// Region is the gateway's AWS region; only VPCs of that region attach to it
	// (S-50).
	Region string `yaml:"region" required:"true" example:"ap-southeast-1"`
	// SecurityGroupReferencing lets security group rules reference groups
	// across this gateway's VPC attachments in the region (S-22).
	SecurityGroupReferencing bool `yaml:"security_group_referencing"`
	// DefaultAssociationRouteTable is the route table attachments that name
	// no association are associated with (AWS's default route table
	// association). Empty: such attachments have no association.
	DefaultAssociationRouteTable ID `yaml:"default_association_route_table" example:"tgw-rtb-default"`
	// DefaultPropagationRouteTable is the route table attachments that omit
	// propagations propagate into (AWS's default route table propagation).
	DefaultPropagationRouteTable ID `yaml:"default_propagation_route_table" example:"tgw-rtb-default"`
	// RouteTables are the gateway's route tables, which attachments associate
	// with and propagate into (S-50, S-52).
	RouteTables []TGWRouteTable `yaml:"route_tables"`
	// Attachments connect VPCs, VPNs, Direct Connect gateways and peer transit
	// gateways to the gateway (S-50).
	Attachments []TGWAttachment `yaml:"attachments"`

	Source Source `yaml:"-"`
}

// AssociationOf returns the route table attachment a is associated with:
// its own, else the gateway's default association route table.
func (t TransitGateway) AssociationOf(a TGWAttachment) ID {
	if a.Association != "" {
		return a.Association
	}
	return t.DefaultAssociationRouteTable
}

// PropagationsOf returns the route tables attachment a propagates into: its
// own list when written (even empty), else the gateway's default
// propagation route table. Peering attachments never propagate (S-54).
func (t TransitGateway) PropagationsOf(a TGWAttachment) []ID {
	if a.Type == AttachmentPeering {
		return nil
	}
	if a.Propagations != nil || t.DefaultPropagationRouteTable == "" {
		return a.Propagations
	}
	return []ID{t.DefaultPropagationRouteTable}
}

// TGWRouteTable is a transit gateway route table. Routes propagated by
// attachments are computed; only static and blackhole routes are written.
type TGWRouteTable struct {
	// ID names the gateway route table; attachments associate with and propagate
	// into it by this id.
	ID ID `yaml:"id" required:"true" example:"tgw-rtb-spokes"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"tgw-rtb-0a1b2c3d4e5f67890"`
	// Routes are the table's static and blackhole routes; on equal prefix length
	// a static route beats a propagated one (S-52).
	Routes []TGWRoute `yaml:"routes"`

	Source Source `yaml:"-"`
}

// TGWRoute is a static transit gateway route: to an attachment, or a
// blackhole (S-52).
type TGWRoute struct {
	// Destination is an IPv4 or IPv6 CIDR, or a prefix list id.
	Destination Destination `yaml:"destination" required:"true" example:"10.0.0.0/8"`
	// Attachment is the egress attachment; give it or blackhole.
	Attachment ID `yaml:"attachment" example:"tgw-attach-egress"`
	// Blackhole makes the route drop what it matches; a route has an attachment
	// or blackhole: true, not both (S-52). Default false.
	Blackhole bool `yaml:"blackhole"`

	Source Source `yaml:"-"`
}

// TGWAttachment attaches a VPC, a peer transit gateway, a VPN or a Direct
// Connect gateway to a transit gateway (S-50, S-51, S-54).
type TGWAttachment struct {
	// ID names the attachment; gateway routes, peer attachments and external
	// networks refer to it.
	ID ID `yaml:"id" required:"true" example:"tgw-attach-a"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"tgw-attach-0a1b2c3d4e5f67890"`
	// Type is vpc, peering (to another transit gateway), vpn,
	// direct-connect-gateway or connect (S-50).
	Type AttachmentType `yaml:"type" required:"true" example:"vpc"`
	// VPC is the attached VPC (type vpc).
	VPC ID `yaml:"vpc" example:"vpc-a"`
	// Subnets are the attachment subnets of a vpc attachment, one per
	// availability zone (S-51).
	Subnets []ID `yaml:"subnets" example:"[subnet-a-tgw-1a]"`
	// Peer is the attachment id on the other transit gateway (type
	// peering).
	Peer ID `yaml:"peer" example:"tgw-attach-peer-b"`
	// State is the AWS state; only available passes traffic. Default
	// available.
	State AttachmentState `yaml:"state"`
	// Association is the route table that routes traffic arriving from
	// this attachment; none (and no default association on the gateway)
	// means that traffic is dropped (S-50).
	Association ID `yaml:"association" example:"tgw-rtb-spokes"`
	// Propagations are the route tables into which this attachment's
	// routes propagate (a VPC's CIDRs; an external network's prefixes).
	// Peering attachments do not propagate (S-54). Omitted (nil in Go):
	// the gateway's default propagation route table, if any; an empty list:
	// none.
	Propagations []ID `yaml:"propagations" example:"[tgw-rtb-spokes]" absent:"differs"`
	// Account owns the attached resource when it differs from the
	// gateway's (a shared gateway).
	Account ID `yaml:"account"`
	// ApplianceMode (vpc attachments) keeps both directions of a flow on
	// one attachment subnet of this VPC, so that a stateful appliance
	// behind it sees the request and the response. Off (AWS's default), the
	// gateway enters the VPC in the zone the packet comes from, and the two
	// directions of a flow between zones may take different appliances.
	ApplianceMode bool `yaml:"appliance_mode"`
	// IPv6Support (vpc attachments) is the attachment's IPv6 support
	// option. Only with it on do the VPC's IPv6 blocks propagate into
	// the gateway's route tables; the option filters no traffic, so
	// static IPv6 routes to the attachment carry IPv6 either way (V-14).
	// Off by default, as AWS creates attachments.
	IPv6Support bool `yaml:"ipv6_support"`
	// SecurityGroupReferencing (vpc attachments) lets security group
	// rules reference groups across this attachment when the gateway
	// allows it too (S-22). Default true, as AWS creates attachments.
	SecurityGroupReferencing *bool `yaml:"security_group_referencing"`
	// OutsideSnapshot (vpn and direct-connect-gateway attachments) marks an
	// attachment whose networks, learned by BGP, the snapshot the topology
	// was imported from does not hold: a packet that a route table it
	// propagates into has no route for may be bound for them, so the answer
	// is unknown (OUTSIDE_SNAPSHOT) rather than a plain "no route".
	OutsideSnapshot bool `yaml:"outside_snapshot"`

	Source Source `yaml:"-"`
}

// ReferencingEnabled reports whether security group references pass this
// attachment: its own switch, on by default.
func (a TGWAttachment) ReferencingEnabled() bool {
	return a.SecurityGroupReferencing == nil || *a.SecurityGroupReferencing
}

// PrefixList is a named set of CIDRs (S-12).
type PrefixList struct {
	// ID names the prefix list; routes and security group rules refer to it
	// (S-12).
	ID ID `yaml:"id" required:"true" example:"pl-s3-apse1"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"pl-0a1b2c3d4e5f67890"`
	// Name is the list's name; AWS-managed lists are named after their
	// service, such as com.amazonaws.ap-southeast-1.s3.
	Name string `yaml:"name"`
	// CIDRs are the list's entries; a route or rule that names the list stands
	// for all of them (S-12). A list holds one family, IPv4 or IPv6.
	CIDRs []netip.Prefix `yaml:"cidrs" family:"any" example:"[52.219.0.0/16]"`
	// MaxEntries is the size the list was created with; quotas count a
	// referenced list at this size. Default: its number of CIDRs.
	MaxEntries int `yaml:"max_entries"`

	Source Source `yaml:"-"`
}

// Endpoint is a VPC endpoint: gateway (S-70), interface (S-71, S-72) or
// gateway load balancer.
type Endpoint struct {
	// ID names the endpoint; routes, records and endpoint service connections
	// refer to it.
	ID ID `yaml:"id" required:"true" example:"vpce-a-ec2"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output; a query may use it in place of
	// the id, as a name.
	AWSID ID `yaml:"aws_id" example:"vpce-0a1b2c3d4e5f67890"`
	// Name is a readable name (the Name tag), shown beside the id in
	// output; a query may use it in place of the id when it is unique,
	// as an instance's.
	Name string `yaml:"name"`
	// Type is gateway (S3 or DynamoDB through route tables, S-70), interface
	// (network interfaces in subnets, S-71) or gateway-load-balancer (a route
	// target that sends traffic to a gateway load balancer's endpoint service).
	Type EndpointType `yaml:"type" required:"true" example:"interface"`
	// Service is an AWS service name (com.amazonaws.REGION.s3), or an
	// endpoint service's id or service name.
	Service string `yaml:"service" required:"true" example:"com.amazonaws.ap-southeast-1.ec2"`
	// RouteTables get a route from the service's prefix list to a gateway
	// endpoint.
	RouteTables []ID `yaml:"route_tables"`
	// Subnets hold an interface endpoint's network interfaces, one subnet
	// per availability zone.
	Subnets []ID `yaml:"subnets" example:"[subnet-a-app-1a]"`
	// PrivateIPs are the addresses of the interface endpoint's network
	// interfaces, one per subnet in the same order. Optional.
	PrivateIPs []netip.Addr `yaml:"private_ips" example:"[10.0.1.50]"`
	// IPAddressType is the families of an interface or Gateway Load
	// Balancer endpoint's addresses: ipv4 (the default), dualstack
	// (subnets with IPv4 and IPv6 blocks) or ipv6 (IPv6-only subnets);
	// the endpoint service must accept them (V-30, V-32). On a gateway
	// endpoint it picks the service's prefix lists its routes carry: IPv4,
	// IPv6 (route tables of IPv6-only subnets) or both (V-30).
	IPAddressType IPAddressType `yaml:"ip_address_type" example:"dualstack"`
	// IPv6IPs are the IPv6 addresses of a dualstack or ipv6 interface
	// endpoint's, or an ipv6 Gateway Load Balancer endpoint's, network
	// interfaces, one per subnet in the same order, from the subnets' IPv6
	// blocks. Optional (V-30).
	IPv6IPs []netip.Addr `yaml:"ipv6_ips" family:"ipv6" example:"[2600:1f18:a:c01::50]"`
	// AssumedIPs lists those of the addresses above that are assumed, not
	// known: values a Terraform plan leaves unknown until apply, which
	// vpcreach import terraform chose. A reach answer that depends on one
	// says so (ASSUMED_ADDRESS).
	AssumedIPs []netip.Addr `yaml:"assumed_ips" example:"[10.0.1.50]"`
	// SecurityGroups filter traffic to an interface endpoint; none means
	// the VPC's default group.
	SecurityGroups []ID `yaml:"security_groups" example:"[sg-a-endpoints]"`
	// PrivateDNS makes the service's default name resolve to the endpoint
	// inside this VPC (S-72). Needs the VPC's DNS support and hostnames.
	PrivateDNS bool `yaml:"private_dns"`
	// DNSRecordIPType says which records the endpoint's DNS names answer
	// with: ipv4 (A), ipv6 (AAAA), dualstack (both) or service-defined
	// (A everywhere, AAAA on the endpoint-specific names only). Default:
	// the records of the IP address type (V-31). On a gateway endpoint it
	// decides the records S3's names answer to the subnets of its route
	// tables (service-defined, the default: the name called decides;
	// V-30).
	DNSRecordIPType DNSRecordIPType `yaml:"dns_record_ip_type" example:"dualstack"`
	// DNSName is the endpoint's regional DNS name, such as
	// vpce-0123-abcd.ec2.ap-southeast-1.vpce.amazonaws.com; default: one
	// made from the id and the service.
	DNSName string `yaml:"dns_name" example:"vpce-03f7e3e94e933f477-jzzbvb9s.ec2.ap-southeast-1.vpce.amazonaws.com"`
	// State is the endpoint's state; default: available, or
	// pending-acceptance for an endpoint service that requires acceptance
	// and lists no accepted connection.
	State EndpointState `yaml:"state"`
	// Account owns the endpoint when it differs from the VPC's.
	Account ID `yaml:"account"`

	Source Source `yaml:"-"`
}

// EndpointService is a PrivateLink service a provider offers through load
// balancers (S-73..S-75).
type EndpointService struct {
	// ID is the service id; consumers' endpoints name the service by it or by
	// its name.
	ID ID `yaml:"id" required:"true" example:"vpce-svc-0123456789abcdef0"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"vpce-svc-0a1b2c3d4e5f67890"`
	// Account is the provider's 12-digit account id; the owner may always create
	// endpoints to the service (S-73).
	Account ID `yaml:"account"`
	// Region is the service's AWS region, where its load balancers are;
	// consumers in other regions need supported_regions (S-75).
	Region string `yaml:"region" required:"true" example:"ap-southeast-1"`
	// Name is the service name consumers use; default
	// com.amazonaws.vpce.REGION.ID.
	Name string `yaml:"name"`
	// LoadBalancers are the network (or gateway) load balancers in front
	// of the service.
	LoadBalancers []ID `yaml:"load_balancers" required:"true" example:"[nlb-provider]"`
	// AcceptanceRequired keeps new endpoint connections pending until the
	// provider accepts them.
	AcceptanceRequired bool `yaml:"acceptance_required"`
	// AllowedPrincipals may create endpoints: account ids, ARNs, or "*".
	// Empty: nobody but the owner.
	AllowedPrincipals []string `yaml:"allowed_principals" example:"[\"arn:aws:iam::111111111111:root\"]"`
	// SupportedRegions are the regions consumers may connect from
	// (cross-region PrivateLink, S-75); the service's own region always.
	SupportedRegions []string `yaml:"supported_regions"`
	// PrivateDNSName is the verified private DNS name consumers' endpoints
	// may enable.
	PrivateDNSName string `yaml:"private_dns_name"`
	// SupportedIPAddressTypes are the families of requests the service
	// accepts from endpoints: ipv4, ipv6 or both; default ipv4. IPv6
	// needs dualstack load balancers (V-32).
	SupportedIPAddressTypes []IPAddressType `yaml:"supported_ip_address_types" example:"[ipv4, ipv6]"`
	// Connections are the endpoint connections and their states.
	Connections []EndpointConnection `yaml:"connections"`

	Source Source `yaml:"-"`
}

// EndpointConnection is a consumer endpoint's connection to a service.
type EndpointConnection struct {
	// Endpoint is the id of the consumer's endpoint to this service.
	Endpoint ID `yaml:"endpoint" required:"true" example:"vpce-consumer"`
	// State is the connection's state; only available carries traffic (S-73).
	State EndpointState `yaml:"state" required:"true" example:"available"`

	Source Source `yaml:"-"`
}

// LoadBalancer is an Elastic Load Balancing v2 load balancer (S-80, S-82).
type LoadBalancer struct {
	// ID names the load balancer; endpoint services, alb targets, records and
	// expectations refer to it.
	ID ID `yaml:"id" required:"true" example:"nlb-b-redis"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output; a query may use it in place of
	// the id, as a name.
	AWSID ID `yaml:"aws_id" example:"arn:aws:elasticloadbalancing:ap-southeast-1:111111111111:loadbalancer/net/redis/0a1b2c3d4e5f6789"`
	// Name is the load balancer's name in AWS, shown beside the id in
	// output; a query may use it in place of the id when it is unique,
	// as an instance's.
	Name string `yaml:"name"`
	// Type is network, application or gateway. Required: AWS would default
	// to application, which is rarely what a topology means.
	Type LoadBalancerType `yaml:"type" required:"true" example:"network"`
	// Scheme is internal (private addresses only) or internet-facing (public
	// addresses too) (S-82). Required: AWS would default to internet-facing,
	// and guessing either way misjudges exposure.
	Scheme Scheme `yaml:"scheme" required:"true" example:"internal"`
	// Subnets hold the load balancer's nodes, one per availability zone.
	Subnets []ID `yaml:"subnets" required:"true" example:"[subnet-b-1a]"`
	// PrivateIPs are the nodes' addresses, one per subnet in the same
	// order. Optional.
	PrivateIPs []netip.Addr `yaml:"private_ips" example:"[10.1.1.5]"`
	// PublicIPs are an internet-facing load balancer's addresses, one per
	// subnet.
	PublicIPs []netip.Addr `yaml:"public_ips"`
	// IPAddressType is ipv4 (the default), dualstack (IPv6 addresses
	// too, in subnets with IPv6 blocks) or, for an application load
	// balancer, dualstack-without-public-ipv4 (an internet-facing one
	// reached from the internet over IPv6 only) (V-33).
	IPAddressType IPAddressType `yaml:"ip_address_type" example:"dualstack"`
	// IPv6IPs are a dualstack load balancer's nodes' IPv6 addresses, one
	// per subnet in the same order, from the subnets' IPv6 blocks.
	// Optional (V-33).
	IPv6IPs []netip.Addr `yaml:"ipv6_ips" family:"ipv6" example:"[2600:1f18:b:c01::5]"`
	// AssumedIPs lists those of the addresses above that are assumed, not
	// known: values a Terraform plan leaves unknown until apply, which
	// vpcreach import terraform chose. A reach answer that depends on one
	// says so (ASSUMED_ADDRESS).
	AssumedIPs []netip.Addr `yaml:"assumed_ips" example:"[10.1.1.5]"`
	// SecurityGroups: a network load balancer may have none; then clients
	// are filtered only by the targets' groups (S-80).
	SecurityGroups []ID `yaml:"security_groups" example:"[sg-b-nlb]"`
	// EnforceSGOnPrivateLink applies the load balancer's security group
	// ingress to PrivateLink traffic. Default true (S-80).
	EnforceSGOnPrivateLink *bool `yaml:"enforce_security_group_inbound_rules_on_private_link_traffic" default:"true"`
	// CrossZone lets each node send to targets in every zone.
	CrossZone bool `yaml:"cross_zone"`
	// Listeners are the protocol and port pairs the load balancer accepts, each
	// forwarding to a target group (S-80).
	Listeners []Listener `yaml:"listeners"`
	// DNSName is the load balancer's DNS name; default
	// ID.elb.REGION.amazonaws.com.
	DNSName string `yaml:"dns_name"`

	Source Source `yaml:"-"`
}

// EnforcesSGOnPrivateLink applies AWS's default (true).
func (lb LoadBalancer) EnforcesSGOnPrivateLink() bool {
	return lb.EnforceSGOnPrivateLink == nil || *lb.EnforceSGOnPrivateLink
}

// Listener forwards a protocol and port to a target group.
type Listener struct {
	// Protocol is the protocol clients use: tcp, udp, tcp_udp or tls on a
	// network load balancer, http or https on an application one, geneve on a
	// gateway one.
	// Required except on a gateway load balancer, whose one listener
	// carries all traffic (GENEVE on 6081).
	Protocol ListenerProtocol `yaml:"protocol" example:"tcp"`
	// Port is the port clients connect to, 1 to 65535; one listener per port.
	// Required except on a gateway load balancer.
	Port uint16 `yaml:"port" example:"6379"`
	// TargetGroup is the target group of the same VPC that the listener forwards
	// to.
	TargetGroup ID `yaml:"target_group" required:"true" example:"tg-b-redis"`

	Source Source `yaml:"-"`
}

// TargetGroup is a set of targets behind listeners (S-81).
type TargetGroup struct {
	// ID names the target group; listeners refer to it.
	ID ID `yaml:"id" required:"true" example:"tg-b-redis"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"arn:aws:elasticloadbalancing:ap-southeast-1:111111111111:targetgroup/redis/0a1b2c3d4e5f6789"`
	// TargetType says how targets are given: instance (by id, the default), ip
	// (by address) or alb (an application load balancer's id) (S-81). AWS's
	// lambda target groups are not modelled: validation refuses them.
	TargetType TargetType `yaml:"target_type"`
	// Protocol is the protocol the load balancer uses to reach the targets; with
	// the target type it sets preserve_client_ip's default (S-81).
	Protocol ListenerProtocol `yaml:"protocol" required:"true" example:"tcp"`
	// Port is the default port targets receive traffic on; required, except
	// for lambda targets.
	Port uint16 `yaml:"port" example:"6379"`
	// IPAddressType is ipv4 (the default) or ipv6: the family of the
	// targets' addresses, which the load balancer reaches them over. An
	// ipv6 target group holds ip targets with IPv6 addresses, or instances
	// reached at their primary IPv6 address (the first of ipv6_addresses),
	// behind dualstack load balancers (V-34).
	IPAddressType IPAddressType `yaml:"ip_address_type" example:"ipv4"`
	// Targets are the registered targets; only healthy ones receive traffic
	// (S-81).
	Targets []Target `yaml:"targets"`
	// PreserveClientIP keeps the client's address as the source targets
	// see. Default: on for instance targets, and for ip targets over udp and
	// tcp_udp; never for PrivateLink traffic (S-81).
	PreserveClientIP *bool `yaml:"preserve_client_ip"`
	// Inspection is the verdict of the appliances of a Gateway Load
	// Balancer's target group (protocol geneve): what they drop. Omitted,
	// the appliances forward everything (V-22).
	Inspection *Inspection `yaml:"inspection"`

	Source Source `yaml:"-"`
}

// PreservesClientIP applies AWS's default for the target type and protocol.
func (tg TargetGroup) PreservesClientIP() bool {
	if tg.PreserveClientIP != nil {
		return *tg.PreserveClientIP
	}
	if tg.Protocol == ListenerHTTP || tg.Protocol == ListenerHTTPS {
		// Behind an application load balancer, targets see its address.
		return false
	}
	switch tg.TargetType {
	case TargetInstance:
		return true
	case TargetIP:
		return tg.Protocol == ListenerUDP || tg.Protocol == ListenerTCPUDP
	}
	return false
}

// Target is a registered target: an instance (or ALB) by id, or an address.
type Target struct {
	// ID is the instance or load balancer id (target types instance, alb).
	ID ID `yaml:"id" example:"i-b-redis"`
	// IP is the target address (target type ip): IPv4, or IPv6 in an ipv6
	// target group (V-34).
	IP netip.Addr `yaml:"ip" family:"any"`
	// Port overrides the target group's port.
	Port uint16 `yaml:"port"`
	// Health is the target's health state; only healthy targets receive traffic
	// (S-81). Default healthy.
	Health TargetHealth `yaml:"health"`
	// AZ is the zone of an ip target outside the VPC ("all"); default the
	// zone of the subnet holding the address.
	AZ string `yaml:"az"`

	Source Source `yaml:"-"`
}

// HostedZone is a Route 53 hosted zone (S-90, S-91).
type HostedZone struct {
	// ID names the hosted zone, such as its Route 53 id.
	ID ID `yaml:"id" required:"true" example:"Z0123456789"`
	// AWSID is the resource's id in AWS when the topology names it
	// otherwise (by its Terraform address, as vpcreach import terraform
	// does): shown beside the id in output.
	AWSID ID `yaml:"aws_id" example:"Z0A1B2C3D4E5F6"`
	// Name is the zone's domain, such as ap-southeast-1.amazonaws.com.
	Name string `yaml:"name" required:"true" example:"ap-southeast-1.amazonaws.com"`
	// Private zones answer only inside their associated VPCs. Default true.
	Private *bool `yaml:"private" default:"true"`
	// VPCs are the VPCs a private zone is associated with, possibly of
	// other accounts.
	VPCs []ID `yaml:"vpcs" example:"[vpc-a]"`
	// Records are the zone's records (S-91). In a private zone, a name under the
	// zone with no record answers NXDOMAIN (S-90).
	Records []Record `yaml:"records"`
	// Account is the 12-digit id of the account that owns the zone; a private
	// zone may be associated with VPCs of other accounts (S-90).
	Account ID `yaml:"account"`

	Source Source `yaml:"-"`
}

// IsPrivate applies the default (true).
func (z HostedZone) IsPrivate() bool { return z.Private == nil || *z.Private }

// Record is a DNS record in a hosted zone.
type Record struct {
	// Name is the full name, or a name relative to the zone.
	Name string `yaml:"name" required:"true" example:"ec2.ap-southeast-1.amazonaws.com"`
	// Type is A (values are IPv4 addresses), AAAA (IPv6 addresses, V-15),
	// CNAME (one name in values, resolved again) or ALIAS (a target) (S-91).
	// An ALIAS stands for the A and AAAA alias records of its name: it
	// answers with the target's addresses of either family.
	Type RecordType `yaml:"type" required:"true" example:"A"`
	// Values are the addresses of an A record (IPv4) or an AAAA record
	// (IPv6), or the one name of a CNAME.
	Values []string `yaml:"values" example:"[10.0.1.50]"`
	// Target is an ALIAS record's target: a load balancer id or DNS name, an
	// endpoint id or DNS name, or another record's name.
	Target string `yaml:"target"`

	Source Source `yaml:"-"`
}

// ExternalNetwork is an address range outside AWS, reached through a
// virtual private gateway or a transit gateway VPN or Direct Connect
// attachment.
type ExternalNetwork struct {
	// ID names the network; expectations use it as a source or destination.
	ID ID `yaml:"id" required:"true" example:"onprem-dc1"`
	// Name is a readable name, shown beside the id in output; a query may
	// use it in place of the id when it is unique, as an instance's.
	Name string `yaml:"name"`
	// CIDRs are the network's address ranges, the prefixes its VPN or Direct
	// Connect connection advertises: IPv4 or IPv6, as the connection
	// carries (V-35).
	CIDRs []netip.Prefix `yaml:"cidrs" required:"true" family:"any" example:"[192.168.0.0/16]"`
	// Via is the virtual private gateway or the transit gateway attachment
	// (vpn or direct-connect-gateway) the network is reached through.
	Via ID `yaml:"via" required:"true" example:"vgw-a"`
	// Connection is the kind of connection behind via: vpn (a Site-to-Site
	// VPN) or direct-connect (a private or transit virtual interface).
	// Default: the attachment's type for a transit gateway attachment,
	// vpn for a virtual private gateway. Direct Connect carries IPv4 and
	// IPv6; a VPN one IP version, tunnel_inside_ip_version (V-35).
	Connection ExternalConnection `yaml:"connection" example:"direct-connect"`
	// TunnelInsideIPVersion is the IP version a VPN connection's tunnels
	// carry, ipv4 (the default, as in AWS) or ipv6: the family of all the
	// network's cidrs. Only a VPN on a transit gateway carries ipv6 (V-35).
	TunnelInsideIPVersion IPAddressType `yaml:"tunnel_inside_ip_version" example:"ipv6"`

	Source Source `yaml:"-"`
}

// Expectation is an intent: a flow that must be, or must not be, reachable.
type Expectation struct {
	// Name is a readable label for the expectation, used only in output.
	Name string `yaml:"name"`
	// From is the source: an instance or interface id, an address, internet
	// or an external network id, or the name of one of them (an id wins
	// over a name, and a name must be unique: see Instance.Name).
	From string `yaml:"from" required:"true" example:"i-a-app"`
	// To is the destination, in the same forms, or a load balancer,
	// endpoint, service or DNS name.
	To string `yaml:"to" required:"true" example:"nlb-b-redis"`
	// Protocol is the flow's IP protocol; tcp and udp need port.
	Protocol Protocol `yaml:"protocol" required:"true" example:"tcp"`
	// Port is the destination port (tcp, udp).
	Port *uint16 `yaml:"port" example:"6379"`
	// ICMP is the ICMP type and code (icmp).
	ICMP *ICMPMatch `yaml:"icmp"`
	// Expect is the verdict the flow must get: reachable (the request arrives
	// and the response returns) or unreachable.
	Expect Expect `yaml:"expect" required:"true" example:"reachable"`
	// Family restricts the expectation to one address family, ipv4 or
	// ipv6; empty, the flow is reachable when either family both ends
	// have reaches (V-03).
	Family string `yaml:"family" example:"ipv6"`

	Source Source `yaml:"-"`
}
