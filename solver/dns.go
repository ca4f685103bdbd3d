package solver

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// DNS as the Route 53 Resolver answers it inside a VPC (S-90..S-92): the
// most specific private hosted zone associated with the VPC wins, and a
// name it does not hold is NXDOMAIN; then interface endpoint private DNS;
// then public names: endpoint-specific names, load balancer names and AWS
// service names. CNAME and alias records are followed, and loops reported.

// answer is one address a name resolves to, with the interface that holds
// it when the model knows it.
type answer struct {
	addr netip.Addr
	eni  int32
}

// resolution is the outcome of resolving a name.
type resolution struct {
	answers []answer
	hops    []Hop
	// hopFams holds, beside each hop, the family it answers for: an A
	// record's hop is IPv4's, an AAAA record's IPv6's (V-15); "" for both.
	// Shorter than hops when the rest are for both.
	hopFams  []string
	blockers []Blocker
	warnings []Warning
	// service is set when the name is an AWS service's public name.
	service string
}

func (r *resolution) hop(component model.ID, rule string, pos model.Position) {
	r.hops = append(r.hops, Hop{Component: component, Kind: HopDNS, Decision: DecisionForward, Rule: rule, Pos: pos})
}

// hopFamily adds a hop that answers for family fam only.
func (r *resolution) hopFamily(fam string, component model.ID, rule string, pos model.Position) {
	for len(r.hopFams) < len(r.hops) {
		r.hopFams = append(r.hopFams, "")
	}
	r.hop(component, rule, pos)
	r.hopFams = append(r.hopFams, fam)
}

// families returns the address families of the answers, IPv4 first.
func (r *resolution) families() []string {
	var out []string
	for _, f := range []string{FamilyIPv4, FamilyIPv6} {
		if slices.ContainsFunc(r.answers, func(a answer) bool { return a.addr.Is6() == (f == FamilyIPv6) }) {
			out = append(out, f)
		}
	}
	return out
}

// forFamily returns the resolution as a client asking for family fam's
// records sees it: the answers of that family, and the hops that lead to
// them (V-15).
func (r resolution) forFamily(fam string) resolution {
	out := r
	out.answers = nil
	for _, a := range r.answers {
		if a.addr.Is6() == (fam == FamilyIPv6) {
			out.answers = append(out.answers, a)
		}
	}
	if len(r.hopFams) > 0 {
		out.hops = nil
		for i, h := range r.hops {
			if i >= len(r.hopFams) || r.hopFams[i] == "" || r.hopFams[i] == fam {
				out.hops = append(out.hops, h)
			}
		}
	}
	out.hopFams = nil
	return out
}

func (r *resolution) block(code Code, component model.ID, pos model.Position, format string, args ...any) {
	r.blockers = append(r.blockers, Blocker{Code: code, Component: component, Leg: LegForward, Message: fmt.Sprintf(format, args...), Pos: pos})
}

// Resolver is the component id of the Route 53 Resolver in hops.
const Resolver model.ID = "route53-resolver"

// asker is who asks the Route 53 Resolver: a VPC (-1: the internet,
// public DNS only) and the subnet of the client in it (-1: unknown), whose
// route table's gateway endpoints decide S3's records (V-30).
type asker struct {
	vpc, subnet int32
}

// resolveName resolves a DNS name as a client in from sees it.
func (s *Solver) resolveName(name string, from asker) resolution {
	var r resolution
	name = normDNS(name)
	if vpc := from.vpc; vpc >= 0 && !s.vpcs[vpc].m.DNS.SupportEnabled() {
		r.block(DNSSupportDisabled, s.vpcs[vpc].m.ID, s.vpcs[vpc].m.Source.Field("dns").Position,
			"%s has DNS support off: the Route 53 Resolver does not answer %s there (S-90)", s.vpcs[vpc].m.ID, name)
		return r
	}
	var seen []string
	s.resolveInto(&r, name, from, &seen)
	return r
}

func normDNS(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

func (s *Solver) resolveInto(r *resolution, name string, from asker, seen *[]string) {
	vpc := from.vpc
	if slices.Contains(*seen, name) || len(*seen) > 16 {
		r.block(DNSResolutionLoop, model.ID(name), model.Position{}, "resolving %s loops: %s (S-91)", name, strings.Join(append(*seen, name), " -> "))
		return
	}
	*seen = append(*seen, name)
	// Private hosted zones associated with the VPC, and the zones AWS
	// manages for interface endpoint private DNS (S-72), compete: the most
	// specific zone whose name is a suffix of the query decides (S-90). A
	// user zone of the same name as an endpoint's wins here; AWS refuses to
	// turn private DNS on while such a zone is associated.
	var z *model.HostedZone
	if vpc >= 0 {
		z = s.zoneFor(name, vpc)
	}
	if vpc >= 0 {
		vi := &s.vpcs[vpc]
		for i := range vi.m.Endpoints {
			ep := &vi.m.Endpoints[i]
			zone, ok := s.endpointPrivateZone(ep, name)
			if !ep.PrivateDNS || !ok {
				continue
			}
			if z != nil && len(normDNS(z.Name)) >= len(zone) {
				continue
			}
			if !vi.m.DNS.SupportEnabled() || !vi.m.DNS.HostnamesEnabled() {
				r.warnings = append(r.warnings, Warning{Code: DNSPrivateDNSNotEffective, Component: ep.ID, Leg: LegForward, Pos: ep.Source.Field("private_dns").Position,
					Message: fmt.Sprintf("endpoint %s has private DNS on, but %s has DNS hostnames or support off, so %s does not resolve to it (S-72)", ep.ID, vi.m.ID, name)})
				continue
			}
			r.hop(ep.ID, fmt.Sprintf("%s -> private DNS of interface endpoint %s", name, ep.ID), ep.Source.Field("private_dns").Position)
			r.answers = append(r.answers, s.nodeAnswers(ep.ID, true)...)
			return
		}
	}
	if z != nil {
		if v := s.vpcs[vpc].m; !v.DNS.HostnamesEnabled() {
			r.warnings = append(r.warnings, Warning{Code: DNSHostnamesDisabled, Component: v.ID, Leg: LegForward, Pos: v.Source.Field("dns").Position,
				Message: fmt.Sprintf("private zone %s answered %s in %s, whose DNS hostnames setting is off: AWS documents that private hosted zones need DNS support and DNS hostnames on (S-90)", z.Name, name, v.ID)})
		}
		s.fromZone(r, z, name, from, seen)
		return
	}
	if vpc >= 0 {
		// A private zone that would answer, were it associated.
		for i := range s.m.HostedZones {
			z := &s.m.HostedZones[i]
			if z.IsPrivate() && inZone(name, z.Name) {
				r.warnings = append(r.warnings, Warning{Code: DNSPrivateZoneNotAssociated, Component: z.ID, Leg: LegForward, Pos: z.Source.Position,
					Message: fmt.Sprintf("private zone %s holds %s but is not associated with %s, so public DNS answers (S-90)", z.Name, name, s.vpcs[vpc].m.ID)})
				break
			}
		}
	}
	s.publicName(r, name, from, seen)
}

// zoneFor returns the most specific private zone associated with vpc that
// holds name, or nil.
func (s *Solver) zoneFor(name string, vpc int32) *model.HostedZone {
	var best *model.HostedZone
	id := s.vpcs[vpc].m.ID
	for i := range s.m.HostedZones {
		z := &s.m.HostedZones[i]
		if !z.IsPrivate() || !slices.Contains(z.VPCs, id) || !inZone(name, z.Name) {
			continue
		}
		if best == nil || len(normDNS(z.Name)) > len(normDNS(best.Name)) {
			best = z
		}
	}
	return best
}

func inZone(name, zone string) bool {
	z := normDNS(zone)
	return name == z || strings.HasSuffix(name, "."+z)
}

// recordName returns a record's full name: as written, or relative to its
// zone.
func recordName(rec *model.Record, z *model.HostedZone) string {
	n := normDNS(rec.Name)
	if inZone(n, z.Name) {
		return n
	}
	return n + "." + normDNS(z.Name)
}

func (s *Solver) fromZone(r *resolution, z *model.HostedZone, name string, from asker, seen *[]string) {
	vpc := from.vpc
	// A name's A and AAAA records answer together, each for its family
	// (V-15); a CNAME stands alone (S-91), and an ALIAS answers for both
	// families.
	found := false
	for i := range z.Records {
		rec := &z.Records[i]
		if recordName(rec, z) != name {
			continue
		}
		found = true
		pos := rec.Source.Position
		switch rec.Type {
		case model.RecordA, model.RecordAAAA:
			fam := FamilyIPv4
			if rec.Type == model.RecordAAAA {
				fam = FamilyIPv6
			}
			r.hopFamily(fam, z.ID, fmt.Sprintf("%s %s %s (private zone %s)", name, rec.Type, strings.Join(rec.Values, ", "), z.Name), pos)
			for _, v := range rec.Values {
				if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil && a.Is6() == (fam == FamilyIPv6) {
					r.answers = append(r.answers, answer{a, s.addrOwner(a, vpc)})
				}
			}
		case model.RecordCNAME:
			if len(rec.Values) == 0 {
				return
			}
			r.hop(z.ID, fmt.Sprintf("%s CNAME %s (private zone %s)", name, rec.Values[0], z.Name), pos)
			s.resolveInto(r, normDNS(rec.Values[0]), from, seen)
			return
		case model.RecordAlias:
			r.hop(z.ID, fmt.Sprintf("%s ALIAS %s (private zone %s)", name, rec.Target, z.Name), pos)
			if nodes := s.aliasTarget(rec.Target); nodes != nil {
				r.answers = append(r.answers, nodes...)
				continue
			}
			s.resolveInto(r, normDNS(rec.Target), from, seen)
		}
	}
	if found {
		return
	}
	r.hop(z.ID, fmt.Sprintf("%s: NXDOMAIN in private zone %s", name, z.Name), z.Source.Position)
	r.block(DNSNameNotFound, z.ID, z.Source.Position, "private zone %s answers for %s but holds no record for it: NXDOMAIN, with no fallback to public DNS (S-90)", z.Name, name)
}

// aliasTarget resolves an alias to a load balancer or endpoint given by
// id; names go through DNS.
func (s *Solver) aliasTarget(target string) []answer {
	if _, ok := s.nodes[model.ID(target)]; ok {
		return s.nodeAnswers(model.ID(target), false)
	}
	return nil
}

// nodeAnswers returns the addresses a load balancer's or endpoint's name
// answers with, A records first. A load balancer: an internet-facing
// one's public IPv4 addresses (none for dualstack-without-public-ipv4),
// an internal one's private ones, and a dualstack one's IPv6 addresses
// (V-33). An interface endpoint: the records its DNS record IP type
// creates, for its private DNS name (private) or its endpoint-specific
// names (V-31).
func (s *Solver) nodeAnswers(id model.ID, private bool) []answer {
	var four, six []answer
	for _, n := range s.nodes[id] {
		e := &s.enis[n]
		a := e.primary
		if e.lb != nil && e.lb.Scheme == model.SchemeInternetFacing {
			a = e.public
		}
		aaaa := true
		if ep := e.endpoint; ep != nil && ep.Type == model.EndpointInterface {
			t := ep.DNSRecordType()
			if !t.AnswersA() {
				a = netip.Addr{}
			}
			aaaa = t.AnswersAAAA(private)
		}
		if a.IsValid() {
			four = append(four, answer{a, n})
		}
		if aaaa {
			for _, a6 := range e.v6 {
				six = append(six, answer{a6, n})
			}
		}
	}
	return append(four, six...)
}

// addrOwner returns the interface holding a in vpc, or anywhere when only
// one VPC holds it, or -1.
func (s *Solver) addrOwner(a netip.Addr, vpc int32) int32 {
	if vpc >= 0 {
		if e, ok := s.vpcs[vpc].addrs[a]; ok {
			return e
		}
	}
	if e, ok := s.owner(a); ok {
		return e
	}
	if e, ok := s.publicHolder(a); ok {
		return e
	}
	return -1
}

// endpointPrivateZone returns the name of the zone interface endpoint
// ep's private DNS answers name from, and whether it does: its AWS
// service's default name (and subdomains, for S3 and ECR), or the endpoint
// service's private DNS name (its subdomains for a wildcard).
func (s *Solver) endpointPrivateZone(ep *model.Endpoint, name string) (string, bool) {
	if svc := s.services[ep.Service]; svc != nil {
		pn := normDNS(svc.PrivateDNSName)
		if strings.HasPrefix(pn, "*.") {
			return pn[2:], strings.HasSuffix(name, pn[1:])
		}
		return pn, pn != "" && pn == name
	}
	if dn := serviceDNSName(ep.Service); dn != "" {
		// S3 and ECR images answer on subdomains too.
		return dn, dn == name || strings.HasSuffix(name, "."+dn)
	}
	return "", false
}

// publicName answers a name from public DNS: endpoint-specific names,
// load balancer names, AWS service names (S3's as the asker's gateway
// endpoint's DNS record IP type decides, V-30).
func (s *Solver) publicName(r *resolution, name string, from asker, seen *[]string) {
	idx := s.dnsIndex()
	ep, ok := idx.names[name]
	if !ok && strings.HasSuffix(name, ".vpce.amazonaws.com") {
		// Default endpoint-specific names start with the endpoint id:
		// vpce-0123456789abcdef0-abcd1234[-zone].service.region.vpce...
		head, _, _ := strings.Cut(name, ".")
		parts := strings.SplitN(head, "-", 3)
		if len(parts) >= 2 {
			if e, found := idx.endpointIDs[parts[0]+"-"+parts[1]]; found && normDNS(e.endpoint.DNSName) == "" {
				ep, ok = e, true
			}
		}
	}
	if !ok {
		for _, z := range idx.zonal {
			if zonalName(z.name, name) {
				ep, ok = z.target, true
				break
			}
		}
	}
	if ok && ep.endpoint != nil {
		r.hop(ep.endpoint.ID, fmt.Sprintf("%s -> interface endpoint %s (public DNS, private addresses)", name, ep.endpoint.ID), ep.endpoint.Source.Position)
		answers := s.nodeAnswers(ep.endpoint.ID, false)
		// A zonal name answers with the interface of its zone (its A and
		// AAAA records).
		var zonal []answer
		for _, a := range answers {
			if strings.Contains(name, "-"+s.enis[a.eni].az+".") && (len(zonal) == 0 || zonal[0].eni == a.eni) {
				zonal = append(zonal, a)
			}
		}
		if len(zonal) > 0 {
			answers = zonal
		}
		r.answers = append(r.answers, answers...)
		return
	}
	if ok && ep.lb != nil {
		r.hop(ep.lb.ID, fmt.Sprintf("%s -> load balancer %s", name, ep.lb.ID), ep.lb.Source.Position)
		r.answers = append(r.answers, s.nodeAnswers(ep.lb.ID, false)...)
		return
	}
	if svc := serviceForDNSName(name); isS3Name(svc) {
		s.s3Name(r, name, svc, from)
		return
	}
	if svc := serviceForDNSName(name); svc != "" {
		a := s.serviceAddress(svc)
		r.hop(Resolver, fmt.Sprintf("%s -> public address %s of %s", name, a, svc), model.Position{})
		r.answers = append(r.answers, answer{a, -1})
		r.service = svc
		return
	}
	r.hop(Resolver, name+": NXDOMAIN", model.Position{})
	r.block(DNSNameNotFound, Resolver, model.Position{}, "%s does not resolve: no private zone, endpoint or public name of this model holds it (S-90)", name)
}

// dnsTarget is what a public name of the model stands for.
type dnsTarget struct {
	endpoint *model.Endpoint
	lb       *model.LoadBalancer
}

// publicNames indexes the model's public DNS names.
type publicNames struct {
	names       map[string]dnsTarget // exact names
	endpointIDs map[string]dnsTarget // interface endpoints by id
	// zonal holds the written endpoint names, for their zonal forms: the
	// longest first, so that the most specific name wins, in a fixed order.
	zonal []zonalEntry
}

func (s *Solver) dnsIndex() *publicNames {
	s.namesOnce.Do(func() {
		idx := &publicNames{names: map[string]dnsTarget{}, endpointIDs: map[string]dnsTarget{}}
		for vi := range s.vpcs {
			v := s.vpcs[vi].m
			for i := range v.Endpoints {
				ep := &v.Endpoints[i]
				if ep.Type == model.EndpointGateway {
					continue
				}
				t := dnsTarget{endpoint: ep}
				idx.endpointIDs[normDNS(string(ep.ID))] = t
				if dn := normDNS(ep.DNSName); dn != "" {
					idx.names[dn] = t
					idx.zonal = append(idx.zonal, zonalEntry{dn, t})
				}
			}
			for i := range v.LoadBalancers {
				lb := &v.LoadBalancers[i]
				idx.names[lbDNSName(lb, v.Region)] = dnsTarget{lb: lb}
			}
		}
		slices.SortFunc(idx.zonal, func(a, b zonalEntry) int {
			return cmp.Or(cmp.Compare(len(b.name), len(a.name)), cmp.Compare(a.name, b.name))
		})
		s.names = idx
	})
	return s.names
}

// zonalEntry is a written endpoint DNS name and what it names.
type zonalEntry struct {
	name   string
	target dnsTarget
}

// zonalName reports whether name is the zonal form of endpoint name dn
// (vpce-...-ab12cd34-ap-southeast-1a.ec2...).
func zonalName(dn, name string) bool {
	head, tail, ok := strings.Cut(dn, ".")
	return ok && strings.HasPrefix(name, head+"-") && strings.HasSuffix(name, "."+tail)
}

// lbDNSName returns a load balancer's DNS name, written or default.
func lbDNSName(lb *model.LoadBalancer, region string) string {
	if lb.DNSName != "" {
		return normDNS(lb.DNSName)
	}
	return normDNS(string(lb.ID) + ".elb." + region + ".amazonaws.com")
}

// s3Name answers S3's regional name (s3.REGION.amazonaws.com) or its
// dualstack name (s3.dualstack.REGION.amazonaws.com) with the records the
// PrivateLink guide's gateway endpoints page, DNS record IP type, gives:
// service-defined (the default, and the answer where no gateway endpoint
// of the asker's route table decides) answers the regional name with A
// records and the dualstack name with A and AAAA; ipv4 answers A, ipv6
// AAAA and dualstack both, on either name (V-30).
func (s *Solver) s3Name(r *resolution, name, svc string, from asker) {
	dual := strings.HasSuffix(svc, ".s3.dualstack")
	svc = strings.TrimSuffix(svc, ".dualstack")
	a, aaaa := true, dual
	ep := s.gatewayEndpointOf(from, svc)
	t := model.DNSRecordServiceDefined
	if ep != nil {
		t = ep.DNSRecordType()
	}
	if t != model.DNSRecordServiceDefined {
		a, aaaa = t.AnswersA(), t.AnswersAAAA(false)
	}
	var addrs []string
	if a {
		r.answers = append(r.answers, answer{s.serviceAddress(svc), -1})
		addrs = append(addrs, r.answers[len(r.answers)-1].addr.String())
	}
	if a6 := s.serviceAddress6(svc); aaaa && a6.IsValid() {
		r.answers = append(r.answers, answer{a6, -1})
		addrs = append(addrs, a6.String())
	}
	r.service = svc
	if ep != nil && ep.DNSRecordIPType != 0 && t != model.DNSRecordServiceDefined {
		r.hop(ep.ID, fmt.Sprintf("%s -> public addresses %s of %s (DNS record IP type %s of gateway endpoint %s)", name, strings.Join(addrs, " and "), svc, t, ep.ID),
			ep.Source.Field("dns_record_ip_type").Position)
		return
	}
	what := "public address"
	if len(addrs) > 1 {
		what = "public addresses"
	}
	r.hop(Resolver, fmt.Sprintf("%s -> %s %s of %s", name, what, strings.Join(addrs, " and "), svc), model.Position{})
}

// gatewayEndpointOf returns the gateway endpoint to AWS service svc that
// the route table of the asker's subnet is associated with, or nil: the
// PrivateLink guide says its DNS record IP type decides the records the
// subnets of its route tables get (V-30).
func (s *Solver) gatewayEndpointOf(from asker, svc string) *model.Endpoint {
	if from.vpc < 0 || from.subnet < 0 {
		return nil
	}
	v := s.vpcs[from.vpc].m
	rt := v.RouteTableOf(s.subnets[from.subnet].m)
	if rt == nil {
		return nil
	}
	for i := range v.Endpoints {
		ep := &v.Endpoints[i]
		if ep.Type == model.EndpointGateway && ep.Service == svc && slices.Contains(ep.RouteTables, rt.ID) {
			return ep
		}
	}
	return nil
}

// isS3Name reports whether service name svc (from serviceForDNSName) is
// S3's regional or dualstack name in a region.
func isS3Name(svc string) bool {
	_, name, ok := splitServiceName(svc)
	return ok && (name == "s3" || name == "s3.dualstack")
}
