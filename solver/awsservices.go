package solver

import (
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// AWS services are reached at public addresses, unless an endpoint or a
// gateway endpoint's prefix list takes the traffic (S-70, S-92). vpcreach
// has no AWS account to ask for the real ranges, so it uses placeholder
// ranges, stable per region and service, and documented as such: S3 and
// DynamoDB get a /16 each per region (the AWS-managed prefix lists
// com.amazonaws.REGION.s3 and .dynamodb, which a topology may override by
// writing a prefix list of that name), every other service one address in
// 54.240.0.0/12. Over IPv6, S3 and DynamoDB get a /48 each per region
// (servicePrefixList6), which a prefix list of the service's name with
// IPv6 entries overrides in the same way.

// managedPrefixList returns the placeholder CIDRs of an AWS-managed prefix
// list (com.amazonaws.REGION.s3 or .dynamodb), or nil.
func managedPrefixList(service string) []netip.Prefix {
	region, svc, ok := splitServiceName(service)
	if !ok || (svc != "s3" && svc != "dynamodb") {
		return nil
	}
	slot := regionSlot(region)
	if svc == "s3" {
		// 52.0.0.0/10 holds the S3 placeholders, one /16 per region.
		return []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{52, slot, 0, 0}), 16)}
	}
	// 52.64.0.0/10 holds the DynamoDB placeholders.
	return []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{52, 64 + slot, 0, 0}), 16)}
}

// placeholderPrefixList6 returns the placeholder IPv6 prefix list of S3
// or DynamoDB in a region, which a dualstack or ipv6 gateway endpoint
// routes (V-30): a /48 per region, in 2600:1ffa::/32 for S3 and
// 2600:1ffb::/32 for DynamoDB; "" and nil for another service. Its id is
// the service name followed by " (IPv6)": vpcreach's name, not AWS's.
func placeholderPrefixList6(service string) (model.ID, []netip.Prefix) {
	region, svc, ok := splitServiceName(service)
	if !ok || (svc != "s3" && svc != "dynamodb") {
		return "", nil
	}
	b := [16]byte{0x26, 0x00, 0x1f, 0xfa, 0, regionSlot(region)}
	if svc == "dynamodb" {
		b[3] = 0xfb
	}
	return model.ID(service + " (IPv6)"), []netip.Prefix{netip.PrefixFrom(netip.AddrFrom16(b), 48)}
}

// servicePrefixList6 returns the IPv6 prefix list of a service: the IPv6
// entries of the model's prefix list named after it, where it has some,
// else the placeholder (placeholderPrefixList6).
func (s *Solver) servicePrefixList6(service string) (model.ID, []netip.Prefix) {
	for _, pl := range s.m.PrefixLists {
		if pl.Name != service {
			continue
		}
		var six []netip.Prefix
		for _, c := range pl.CIDRs {
			if c.Addr().Is6() {
				six = append(six, c)
			}
		}
		if len(six) > 0 {
			return pl.ID, six
		}
	}
	return placeholderPrefixList6(service)
}

// serviceAddress6 returns the IPv6 address vpcreach uses for S3 or
// DynamoDB in a region (the first host of its IPv6 prefix list), or the
// zero Addr for another service.
func (s *Solver) serviceAddress6(service string) netip.Addr {
	if _, cidrs := s.servicePrefixList6(service); len(cidrs) > 0 {
		return cidrs[0].Addr().Next()
	}
	return netip.Addr{}
}

// regions are the AWS regions in a fixed order: a region's placeholder
// /16 is its position, so no two known regions share one (a gateway
// endpoint of one region must not match another region's service). Add
// new regions at the end only.
var regions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
	"il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
	"cn-north-1", "cn-northwest-1",
}

// regionSlot returns the second octet offset (0-63) of a region's
// placeholder range: its position among the known regions, else a stable
// hash into the slots the known regions leave free.
func regionSlot(region string) byte {
	for i, r := range regions {
		if r == region {
			return byte(i)
		}
	}
	free := uint32(64 - len(regions))
	return byte(uint32(len(regions)) + hash16(region)%free)
}

// serviceAddress returns the public address vpcreach uses for an AWS
// service in a region: the first host of its managed prefix list, or a
// placeholder in 54.240.0.0/12.
func (s *Solver) serviceAddress(service string) netip.Addr {
	if _, cidrs := s.servicePrefixList(service); len(cidrs) > 0 {
		return cidrs[0].Addr().Next()
	}
	h := hash16(service)
	return netip.AddrFrom4([4]byte{54, byte(240 + (h>>12)%16), byte(h >> 4), byte(1 + h%250)})
}

func hash16(s string) uint32 {
	f := fnv.New32a()
	f.Write([]byte(s))
	return f.Sum32() & 0xffff
}

// splitServiceName splits com.amazonaws.REGION.SERVICE.
func splitServiceName(name string) (region, service string, ok bool) {
	rest, found := strings.CutPrefix(name, "com.amazonaws.")
	if !found {
		return "", "", false
	}
	region, service, ok = strings.Cut(rest, ".")
	if region == "vpce" {
		return "", "", false
	}
	return region, service, ok && region != "" && service != ""
}

// serviceDNSName returns the default DNS name of an AWS service in a
// region, as interface endpoint private DNS serves it (S-72).
func serviceDNSName(service string) string {
	region, svc, ok := splitServiceName(service)
	if !ok {
		return ""
	}
	switch svc {
	case "ecr.api":
		return "api.ecr." + region + ".amazonaws.com"
	case "ecr.dkr":
		return "dkr.ecr." + region + ".amazonaws.com"
	}
	return svc + "." + region + ".amazonaws.com"
}

// serviceForDNSName returns the service name (com.amazonaws.REGION.SVC) a
// public AWS DNS name stands for, or "".
func serviceForDNSName(name string) string {
	n := strings.TrimSuffix(name, ".")
	base, ok := strings.CutSuffix(n, ".amazonaws.com")
	if !ok || strings.HasSuffix(base, ".vpce") || strings.Contains(base, ".elb.") {
		return ""
	}
	parts := strings.Split(base, ".")
	if len(parts) < 2 {
		return ""
	}
	region := parts[len(parts)-1]
	svc := strings.Join(parts[:len(parts)-1], ".")
	switch svc {
	case "api.ecr":
		svc = "ecr.api"
	case "dkr.ecr":
		svc = "ecr.dkr"
	}
	if strings.HasSuffix(svc, ".dkr.ecr") {
		svc = "ecr.dkr"
	}
	if !strings.Contains(region, "-") {
		return ""
	}
	return "com.amazonaws." + region + "." + svc
}

// ServicePrefixList returns the prefix list a gateway endpoint to an AWS
// service (such as com.amazonaws.eu-west-1.s3) adds to its route tables
// (S-70): the prefix list named after the service, written in the model,
// or else the built-in placeholder of an AWS-managed list; "" and nil for
// a service without one. The CIDRs are the caller's to keep.
func (s *Solver) ServicePrefixList(service string) (model.ID, []netip.Prefix) {
	id, cidrs := s.servicePrefixList(service)
	return id, slices.Clone(cidrs)
}

// servicePrefixList is ServicePrefixList without the copy: the CIDRs may
// be the model's.
func (s *Solver) servicePrefixList(service string) (model.ID, []netip.Prefix) {
	for _, pl := range s.m.PrefixLists {
		// A list of IPv6 entries only is the service's IPv6 list
		// (servicePrefixList6).
		if pl.Name == service && (len(pl.CIDRs) == 0 || slices.ContainsFunc(pl.CIDRs, func(c netip.Prefix) bool { return c.Addr().Is4() })) {
			return pl.ID, pl.CIDRs
		}
	}
	if cidrs := managedPrefixList(service); cidrs != nil {
		return model.ID(service), cidrs
	}
	return "", nil
}
