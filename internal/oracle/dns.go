package oracle

import (
	"net/netip"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// Names, written from S-90, V-15 and V-17: the walker resolves a
// destination name through the private hosted zones associated with the
// source's VPC (the most specific zone whose name ends the queried one
// answers; a name it lacks is NXDOMAIN, with no fallback), from A and
// AAAA records of one value each (New refuses other records). A name
// with A records and no AAAA record gets a synthesised AAAA record,
// 64:ff9b::/96 before the IPv4 address, when the source's subnet has
// DNS64 on and an IPv6 block (V-17); the client then reaches the IPv4
// end through NAT64 (V-16). The query is answered in each family of the
// answers that the source has (V-15).

// Codes of name resolution.
const (
	codeNameNotFound      = "DNS_NAME_NOT_FOUND"
	codeZoneNotAssociated = "DNS_PRIVATE_ZONE_NOT_ASSOCIATED"
	codeHostnamesDisabled = "DNS_HOSTNAMES_DISABLED"
)

// isName reports whether a query end is written as a DNS name: it holds a
// dot and is no address.
func isName(spec string) bool {
	t := strings.TrimSuffix(strings.TrimSpace(spec), ".")
	if _, err := netip.ParseAddr(strings.SplitN(t, "@", 2)[0]); err == nil {
		return false
	}
	return strings.Contains(t, ".")
}

// under reports whether name is zone or a name below it.
func under(name, zone string) bool {
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// resolveName resolves a destination name for a source interface x: the
// end per family of the answers, or the blocker that stops resolution.
// warning is DNS_HOSTNAMES_DISABLED when a private zone answered in a VPC
// with DNS hostnames off (S-90).
func (n *Network) resolveName(spec string, x *iface) (ends map[family]end, blocker, warning string, err error) {
	name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(spec), "."))
	var best *model.HostedZone
	held := false
	for i := range n.m.HostedZones {
		z := &n.m.HostedZones[i]
		zn := strings.ToLower(strings.TrimSuffix(z.Name, "."))
		if !under(name, zn) {
			continue
		}
		held = true
		if !contains(z.VPCs, x.vpc.ID) {
			continue
		}
		if best == nil || len(zn) > len(strings.TrimSuffix(best.Name, ".")) {
			best = z
		}
	}
	switch {
	case best == nil && held:
		// Public DNS answers instead, and knows no private name: the
		// engine names the zone that holds it in a warning.
		return nil, codeNameNotFound, codeZoneNotAssociated, nil
	case best == nil:
		return nil, codeNameNotFound, "", nil
	}
	if !x.vpc.DNS.HostnamesEnabled() {
		warning = codeHostnamesDisabled
	}
	var v4, v6 []netip.Addr
	found := false
	for _, r := range best.Records {
		if strings.ToLower(strings.TrimSuffix(r.Name, ".")) != name {
			continue
		}
		found = true
		for _, s := range r.Values {
			a, err := netip.ParseAddr(s)
			if err != nil {
				continue
			}
			if r.Type == model.RecordAAAA {
				v6 = append(v6, a)
			} else {
				v4 = append(v4, a)
			}
		}
	}
	if !found {
		return nil, codeNameNotFound, warning, nil
	}
	if len(v6) == 0 && x.subnet.EnableDNS64 && x.subnet.IPv6CIDRBlock.IsValid() {
		// DNS64 synthesises the AAAA records (V-17).
		for _, a := range v4 {
			v6 = append(v6, embed(a))
		}
	}
	out := map[family]end{}
	for f, as := range map[family][]netip.Addr{ipv4: v4, ipv6: v6} {
		if len(as) == 0 {
			continue
		}
		e, err := n.resolve(as[0].String(), true)
		if err != nil {
			return nil, "", "", err
		}
		out[f] = e
	}
	return out, "", warning, nil
}
