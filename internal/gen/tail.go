package gen

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// What comes after the VPCs in the model: peerings, transit gateways,
// prefix lists, endpoint services and expectations. They follow from the
// plan (no random choice), an item at a time, so that Build collects them
// and Write writes each as it comes (writeTail).

// peerings yields the VPC peering connections, by requester (the lower
// VPC), then accepter.
func (g *generator) peerings() iter.Seq[model.PeeringConnection] {
	return func(yield func(model.PeeringConnection) bool) {
		for i := range g.recs {
			for _, o := range g.peerList[g.peerOff[i]:g.peerOff[i+1]] {
				if j := int(o); j > i {
					if !yield(model.PeeringConnection{ID: g.pcx(i, j), Requester: model.ID("vpc-" + g.num(i)), Accepter: model.ID("vpc-" + g.num(j))}) {
						return
					}
				}
			}
		}
	}
}

// tgwPeering reports whether the first two regions' transit gateways are
// peered: when both have VPCs.
func (g *generator) tgwPeering() bool { return len(g.regions) >= 2 && g.regions[1].count > 0 }

// transitGateway returns region r's hub-and-spoke transit gateway (r has
// VPCs), without its attachments (attachments). The first two regions'
// gateways have static routes to each other's region supernet, in both
// tables, over their peering (peering attachments do not propagate, S-54).
func (g *generator) transitGateway(r int) model.TransitGateway {
	rp := &g.regions[r]
	t := model.TransitGateway{ID: g.tgwID(r), Account: g.accounts[0], Region: rp.name}
	t.RouteTables = []model.TGWRouteTable{
		{ID: g.spokeRT(r), Routes: []model.TGWRoute{{Destination: model.Destination{CIDR: anywhere}, Attachment: attachID(g.num(rp.first))}}},
		{ID: g.hubRT(r)},
	}
	if g.tgwPeering() && r < 2 {
		o := 1 - r
		for k := range t.RouteTables {
			t.RouteTables[k].Routes = append(t.RouteTables[k].Routes,
				model.TGWRoute{Destination: model.Destination{CIDR: g.regions[o].supernet}, Attachment: peerAttID(r, o)})
			if g.o.DualStack {
				t.RouteTables[k].Routes = append(t.RouteTables[k].Routes,
					model.TGWRoute{Destination: model.Destination{CIDR: g.regions[o].supernet6}, Attachment: peerAttID(r, o)})
			}
		}
	}
	return t
}

// attachments yields the attachments of region r's transit gateway: its
// VPCs', the hub's associated with the hub table and the spokes' with the
// spoke table, each propagating into both; then its peering, if any.
func (g *generator) attachments(r int) iter.Seq[model.TGWAttachment] {
	return func(yield func(model.TGWAttachment) bool) {
		rp := &g.regions[r]
		for i := rp.first; i < rp.first+rp.count; i++ {
			num := g.num(i)
			a := model.TGWAttachment{ID: attachID(num), Type: model.AttachmentVPC, VPC: model.ID("vpc-" + num),
				Association: g.spokeRT(r), Propagations: []model.ID{g.hubRT(r), g.spokeRT(r)}}
			for z := range int(g.recs[i].azs) {
				a.Subnets = append(a.Subnets, subnetID(num, snTGW, z))
			}
			if g.hub(i) {
				a.Association = g.hubRT(r)
			}
			// IPv6 blocks propagate only with the attachment's IPv6
			// support on (V-14).
			a.IPv6Support = g.o.DualStack
			if g.overlaps(i) {
				// A planted overlap: attached, but its routes would make the
				// tables ambiguous (S-55), so it propagates nowhere.
				a.Propagations = []model.ID{}
			}
			if acc := g.recs[i].account; acc != 0 {
				a.Account = g.accounts[acc]
			}
			if !yield(a) {
				return
			}
		}
		if g.tgwPeering() && r < 2 {
			o := 1 - r
			yield(model.TGWAttachment{ID: peerAttID(r, o), Type: model.AttachmentPeering, Peer: peerAttID(o, r), Association: g.hubRT(r)})
		}
	}
}

// prefixLists returns the S3 prefix list of each region with VPCs.
func (g *generator) prefixLists() []model.PrefixList {
	var pls []model.PrefixList
	for r := range g.regions {
		rp := &g.regions[r]
		if rp.count == 0 {
			continue
		}
		pl := model.PrefixList{ID: model.ID("pl-s3-" + rp.name), Name: "com.amazonaws." + rp.name + ".s3"}
		ranges, ok := s3Ranges[rp.name]
		if !ok {
			ranges = []string{fmt.Sprintf("15.%d.0.0/16", r%256)}
		}
		for _, c := range ranges {
			pl.CIDRs = append(pl.CIDRs, netip.MustParsePrefix(c))
		}
		pls = append(pls, pl)
	}
	return pls
}

// endpointServices yields the PrivateLink services, in order.
func (g *generator) endpointServices() iter.Seq[model.EndpointService] {
	return func(yield func(model.EndpointService) bool) {
		for si := range g.services {
			sp := &g.services[si]
			s := model.EndpointService{ID: g.serviceID(si), Account: g.accounts[g.recs[sp.provider].account], Region: g.regions[sp.region].name,
				LoadBalancers: []model.ID{g.nlbID(si)}, AcceptanceRequired: true}
			var allowed []string
			for _, c := range sp.consumers {
				arn := "arn:aws:iam::" + string(g.accounts[g.recs[c].account]) + ":root"
				if !slices.Contains(allowed, arn) {
					allowed = append(allowed, arn)
				}
				s.Connections = append(s.Connections, model.EndpointConnection{Endpoint: consumerEndpoint(g.num(c), sp), State: model.EndpointAvailable})
			}
			s.AllowedPrincipals = allowed
			if !yield(s) {
				return
			}
		}
	}
}

// firstInstance returns the id of VPC i's first instance of tier t: every
// VPC has one of each tier (MinInstancesPerVPC).
func (g *generator) firstInstance(i, t int) model.ID { return instanceID(g.num(i), t, 0) }

// expectations states a handful of intents that hold by design.
func (g *generator) expectations() []model.Expectation {
	n := len(g.recs)
	if n == 0 {
		return nil
	}
	var out []model.Expectation
	port := func(p uint16) *uint16 { return &p }
	add := func(name string, from, to model.ID, p uint16, want model.Expect) {
		out = append(out, model.Expectation{Name: name, From: string(from), To: string(to),
			Protocol: model.ProtocolTCP, Port: port(p), Expect: want})
	}
	id := func(i int) model.ID { return model.ID("vpc-" + g.num(i)) }
	// spokes yields the spokes of their own address space, in order.
	spokes := func(yield func(int) bool) {
		for i := range n {
			if g.eligible(i) && !yield(i) {
				return
			}
		}
	}
	// The first such spoke, or else the first hub.
	a := 0
	for i := range spokes {
		a = i
		break
	}
	add("the app tier reaches its database in "+string(id(a)), g.firstInstance(a, tierApp), g.firstInstance(a, tierDB), portDB, model.ExpectReachable)
	add("the internet cannot reach the database in "+string(id(a)), "internet", g.firstInstance(a, tierDB), portDB, model.ExpectUnreachable)
	for i := range n {
		if g.recs[i].flags&recPublic != 0 && !g.overlaps(i) {
			// The first web instance of a public VPC has a public address.
			add("the internet reaches the public web server in "+string(id(i)), "internet", g.firstInstance(i, tierWeb), portWeb, model.ExpectReachable)
			break
		}
	}
	// Two spokes of one region, not peered: through the transit gateway.
	if b, c, ok := g.spokePair(); ok {
		add(fmt.Sprintf("%s's app reaches %s's app through transit gateway %s", id(b), id(c), g.tgwID(g.regionOf(b))),
			g.firstInstance(b, tierApp), g.firstInstance(c, tierApp), portApp, model.ExpectReachable)
		add(fmt.Sprintf("%s's database admits only its own app tier, not %s's", id(c), id(b)),
			g.firstInstance(b, tierApp), g.firstInstance(c, tierDB), portDB, model.ExpectUnreachable)
	}
	if g.tgwPeering() {
		b, c := g.regionRep(0), g.regionRep(1)
		add(fmt.Sprintf("%s's app reaches %s's app across the transit gateway peering", id(b), id(c)),
			g.firstInstance(b, tierApp), g.firstInstance(c, tierApp), portApp, model.ExpectReachable)
	}
	for i := range spokes {
		if g.recs[i].flags&recPublic == 0 {
			add(fmt.Sprintf("%s's app reaches the internet through the egress hub of %s", id(i), g.regions[g.regionOf(i)].name),
				g.firstInstance(i, tierApp), "internet", 443, model.ExpectReachable)
			break
		}
	}
	for i := range spokes {
		if g.peerOff[i+1] > g.peerOff[i] {
			o := int(g.peerList[g.peerOff[i]])
			add(fmt.Sprintf("%s's app reaches %s's app over peering %s", id(i), id(o), g.pcx(i, o)),
				g.firstInstance(i, tierApp), g.firstInstance(o, tierApp), portApp, model.ExpectReachable)
			break
		}
	}
	return out
}

// spokePair returns the first two spokes of their own address space of
// one region that are not peered, if any.
func (g *generator) spokePair() (int, int, bool) {
	for i := range g.recs {
		if !g.eligible(i) {
			continue
		}
		rp := &g.regions[g.regionOf(i)]
		for j := i + 1; j < rp.first+rp.count; j++ {
			if g.eligible(j) && !g.peered(i, j) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// regionRep returns the first spoke of region r with its own address
// space, or else its hub.
func (g *generator) regionRep(r int) int {
	rp := &g.regions[r]
	for i := rp.first; i < rp.first+rp.count; i++ {
		if g.eligible(i) {
			return i
		}
	}
	return rp.first
}

// writeTail writes what comes after the VPCs, as model.Encode writes the
// model Build builds, an item at a time: each peering, transit gateway
// attachment and endpoint service is encoded alone, in a model of its
// own, and written without the lines that lead to it (the version, the
// list's key, the transit gateway's other fields). An item is written
// with the indentation it has in the whole, and its layout (one line or
// several) depends on it alone, so the bytes are those of the whole.
func (g *generator) writeTail(w io.Writer) error {
	iw := itemWriter{w: w}
	after := "\n" // the first item of a list: all but the version
	for pc := range g.peerings() {
		iw.write(&model.Model{PeeringConnections: []model.PeeringConnection{pc}}, after)
		after = "\npeering_connections:\n"
	}
	after = "\n"
	for r := range g.regions {
		if g.regions[r].count == 0 {
			continue
		}
		t := g.transitGateway(r)
		firstAttachment := true
		for a := range g.attachments(r) {
			if firstAttachment {
				// The gateway with its first attachment.
				t.Attachments = []model.TGWAttachment{a}
				iw.write(&model.Model{TransitGateways: []model.TransitGateway{t}}, after)
				after, firstAttachment = "\ntransit_gateways:\n", false
				continue
			}
			iw.write(&model.Model{TransitGateways: []model.TransitGateway{{ID: t.ID, Region: t.Region, Attachments: []model.TGWAttachment{a}}}},
				"\n    attachments:\n")
		}
	}
	if pls := g.prefixLists(); len(pls) > 0 {
		iw.write(&model.Model{PrefixLists: pls}, "\n")
	}
	after = "\n"
	for s := range g.endpointServices() {
		iw.write(&model.Model{EndpointServices: []model.EndpointService{s}}, after)
		after = "\nendpoint_services:\n"
	}
	if es := g.expectations(); len(es) > 0 {
		iw.write(&model.Model{Expectations: es}, "\n")
	}
	return iw.err
}

// itemWriter writes parts of encoded models, and keeps the first error.
type itemWriter struct {
	w   io.Writer
	err error
}

// write encodes m (with the version, as model.Encode writes it) and
// writes what follows the first occurrence of after.
func (iw *itemWriter) write(m *model.Model, after string) {
	if iw.err != nil {
		return
	}
	m.Version = model.FormatVersion
	b, err := model.Encode(m)
	if err != nil {
		iw.err = err
		return
	}
	k := bytes.Index(b, []byte(after))
	if k < 0 {
		panic(fmt.Sprintf("gen: %q not in the encoded item", after))
	}
	_, iw.err = iw.w.Write(b[k+len(after):])
}
