package cost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// ChargeKind is what AWS charges a GB for at a hop. The zero value is
// ChargeUnknown.
type ChargeKind uint8

// Charge kinds.
const (
	ChargeUnknown ChargeKind = iota
	// ChargeNATProcessing: a NAT gateway processed the packet.
	ChargeNATProcessing
	// ChargeTGWProcessing: the packet was sent into a transit gateway from
	// a VPC, VPN or Direct Connect attachment.
	ChargeTGWProcessing
	// ChargeEndpointProcessing: an interface endpoint (PrivateLink)
	// processed the packet.
	ChargeEndpointProcessing
	// ChargeCrossAZ: the packet crossed from one availability zone to
	// another of the same region (charged out of one and into the other).
	ChargeCrossAZ
	// ChargeInterRegion: the packet left its region for another.
	ChargeInterRegion
	// ChargeInternetEgress: the packet left AWS for the internet.
	ChargeInternetEgress
)

var chargeKindNames = []string{"unknown", "nat-gateway-processing", "transit-gateway-processing",
	"interface-endpoint-processing", "cross-az-transfer", "inter-region-transfer", "internet-egress"}

// String returns the kind as text and JSON print it, such as
// "nat-gateway-processing".
func (k ChargeKind) String() string {
	if int(k) < len(chargeKindNames) {
		return chargeKindNames[k]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (k ChargeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// HourlyKind is a resource AWS charges by the hour while it exists. The
// zero value is HourlyUnknown.
type HourlyKind uint8

// Hourly kinds.
const (
	HourlyUnknown HourlyKind = iota
	// HourlyNATGateway: a NAT gateway.
	HourlyNATGateway
	// HourlyInterfaceEndpoint: an interface endpoint, per availability
	// zone it is in.
	HourlyInterfaceEndpoint
	// HourlyTGWAttachment: a transit gateway attachment.
	HourlyTGWAttachment
)

var hourlyKindNames = []string{"unknown", "nat-gateway", "interface-endpoint", "transit-gateway-attachment"}

// String returns the kind as text and JSON print it, such as
// "nat-gateway".
func (k HourlyKind) String() string {
	if int(k) < len(hourlyKindNames) {
		return hourlyKindNames[k]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (k HourlyKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Charge is what one hop of a path costs per GB.
type Charge struct {
	Kind ChargeKind
	// Hop is the hop's number on its path, from 1, as reach numbers hops.
	Hop int
	// Component is the hop's component: the NAT gateway, the transit
	// gateway attachment, the endpoint, the interface or gateway the
	// packet arrives at or leaves by.
	Component model.ID
	// Region is the region whose prices apply: the sender's.
	Region string
	// PerGB is the charge per GB of the path's direction.
	PerGB Money
	// Detail says what is charged, in words, such as "between zones
	// us-west-2b and us-west-2a ($0.01 out, $0.01 in)".
	Detail string
}

// Leg is what one direction of a path costs per GB.
type Leg struct {
	// PerGB is the sum of the charges.
	PerGB Money
	// Charges are the hops that cost something, in path order.
	Charges []Charge
}

// Hourly is a resource on the path that AWS charges by the hour whatever
// the traffic.
type Hourly struct {
	Kind      HourlyKind
	Component model.ID
	// Units is the number of units charged: availability zones of an
	// interface endpoint, else 1.
	Units int
	// PerHour is the charge per hour for all units.
	PerHour Money
	// Region is the region whose prices apply.
	Region string
}

// Path is what a reach answer's path costs: per GB of the request and per
// GB of the response, hop by hop, and the hourly charges of the resources
// it passes, listed apart.
type Path struct {
	// Request is the forward path's cost per GB sent; Response the return
	// path's per GB answered.
	Request, Response Leg
	// Hourly lists the resources charged by the hour, each once, in the
	// order the path meets them.
	Hourly []Hourly
	// Notes say what the figures leave out or assume: a region priced as
	// another, zones compared by name, load balancer and external network
	// charges not priced.
	Notes []string
	// Table is the price table the path was priced with.
	Table *Table
}

// MarshalJSON writes the documented JSON form: currency, prices (the
// table's name, date and file), request_per_gb and response_per_gb,
// request and response (charges: hop, component, kind, region, per_gb,
// detail), hourly (component, kind, units, per_hour, region) and notes.
// Amounts are numbers of dollars.
func (p Path) MarshalJSON() ([]byte, error) {
	type chargeJSON struct {
		Hop       int        `json:"hop"`
		Component model.ID   `json:"component"`
		Kind      ChargeKind `json:"kind"`
		Region    string     `json:"region"`
		PerGB     Money      `json:"per_gb"`
		Detail    string     `json:"detail"`
	}
	type hourlyJSON struct {
		Component model.ID   `json:"component"`
		Kind      HourlyKind `json:"kind"`
		Units     int        `json:"units"`
		PerHour   Money      `json:"per_hour"`
		Region    string     `json:"region"`
	}
	charges := func(l Leg) []chargeJSON {
		out := make([]chargeJSON, 0, len(l.Charges))
		for _, c := range l.Charges {
			out = append(out, chargeJSON{c.Hop, c.Component, c.Kind, c.Region, c.PerGB, c.Detail})
		}
		return out
	}
	hourly := make([]hourlyJSON, 0, len(p.Hourly))
	for _, h := range p.Hourly {
		hourly = append(hourly, hourlyJSON{h.Component, h.Kind, h.Units, h.PerHour, h.Region})
	}
	t := p.Table
	if t == nil {
		t = Default()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Currency string `json:"currency"`
		Prices   struct {
			Name     string `json:"name"`
			Date     string `json:"date"`
			File     string `json:"file"`
			Fallback string `json:"fallback"`
		} `json:"prices"`
		RequestPerGB  Money        `json:"request_per_gb"`
		ResponsePerGB Money        `json:"response_per_gb"`
		Request       []chargeJSON `json:"request"`
		Response      []chargeJSON `json:"response"`
		Hourly        []hourlyJSON `json:"hourly"`
		Notes         []string     `json:"notes"`
	}{
		Currency: "USD",
		Prices: struct {
			Name     string `json:"name"`
			Date     string `json:"date"`
			File     string `json:"file"`
			Fallback string `json:"fallback"`
		}{t.Name(), t.Date(), t.File(), t.Fallback()},
		RequestPerGB: p.Request.PerGB, ResponsePerGB: p.Response.PerGB,
		Request: charges(p.Request), Response: charges(p.Response), Hourly: hourly, Notes: append([]string{}, p.Notes...),
	})
	return bytes.TrimRight(buf.Bytes(), "\n"), err
}

// PricePath prices the forward and return paths of a reach answer with
// table t (Default when nil), using s (the solver that answered) to
// place each hop in its availability zone and region. The rules:
//
//   - a NAT gateway charges NATGatewayProcessing per GB, either way;
//   - a transit gateway charges TransitGatewayProcessing per GB sent into
//     it from a VPC, VPN or Direct Connect attachment, not from a peering
//     attachment;
//   - an interface endpoint charges InterfaceEndpointProcessing per GB,
//     either way; a gateway endpoint is free;
//   - a packet that moves between availability zones of one region costs
//     CrossAZ out of one and CrossAZ into the other, except to and from a
//     transit gateway attachment or a PrivateLink endpoint (free since
//     April 2022) and between an application load balancer and its
//     targets; within a zone it is free, over a peering connection too;
//   - a packet that leaves its region costs InterRegion (the sender's);
//   - a packet to the internet costs InternetEgress; from the internet,
//     and to an AWS service's public address in its own region, nothing.
//
// Zones are compared by zone id where both subnets give one, else by
// name (s.SameZone); across accounts without zone ids that is a guess,
// and a note says so. A blocked path is priced as if it passed: callers
// price reachable answers. The answer is deterministic.
func PricePath(s *solver.Solver, r solver.Result, t *Table) Path {
	if t == nil {
		t = Default()
	}
	p := &pricer{s: s, x: s.Index(), t: t}
	var out Path
	var end place
	out.Request, end = p.leg(r.Forward, solver.LegForward, place{})
	if end.kind != placeService {
		// The response starts where the request ended only when that is
		// a service, whose answer the path shows as coming from the
		// internet; other sources are placed by their first hop.
		end = place{}
	}
	out.Response, _ = p.leg(r.Return, solver.LegReturn, end)
	out.Hourly = p.hourly
	out.Notes = p.notes
	out.Table = t
	return out
}

// placeKind says where a packet is between hops.
type placeKind uint8

const (
	placeNone     placeKind = iota // not yet anywhere known
	placeSubnet                    // at an interface in a subnet
	placeTGW                       // inside a transit gateway
	placeInternet                  // on the internet
	placeService                   // at an AWS service
	placeExternal                  // in an external network
)

// place is where the packet is between hops.
type place struct {
	kind   placeKind
	subnet model.ID // placeSubnet
	region string   // every kind but placeNone, placeInternet, placeExternal
	// freeZones is set when the next move between zones is free: the
	// packet is carried by a transit gateway or PrivateLink, or goes
	// between an application load balancer and its target.
	freeZones bool
}

// pricer prices the legs of one path.
type pricer struct {
	s      *solver.Solver
	x      *model.Index
	t      *Table
	hourly []Hourly
	notes  []string
}

// note adds a note once.
func (p *pricer) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(p.notes, n) {
		p.notes = append(p.notes, n)
	}
}

// prices returns a region's prices, noting a fallback.
func (p *pricer) prices(region string) Prices {
	pr, ok := p.t.For(region)
	if !ok {
		if region == "" {
			p.note("a hop's region is not known: priced as %s", pr.Region)
		} else {
			p.note("%s is not in the price table: priced as %s", region, pr.Region)
		}
	}
	return pr
}

// addHourly lists a resource charged by the hour, once.
func (p *pricer) addHourly(h Hourly) {
	for _, x := range p.hourly {
		if x.Kind == h.Kind && x.Component == h.Component {
			return
		}
	}
	p.hourly = append(p.hourly, h)
}

// subnetPlace returns the place of a subnet, or false for an unknown one.
func (p *pricer) subnetPlace(id model.ID) (place, bool) {
	v := p.x.OwnerVPC(id)
	if v == nil || p.x.Subnet(id) == nil {
		return place{}, false
	}
	return place{kind: placeSubnet, subnet: id, region: v.Region}, true
}

// legState walks one leg.
type legState struct {
	p     *pricer
	leg   solver.Leg
	at    place
	out   Leg
	hopNo int
	// albTarget is set on the forward leg once an application load
	// balancer has chosen a target: the move to it is free.
	albTarget bool
}

func (st *legState) charge(kind ChargeKind, component model.ID, region string, perGB Money, detail string) {
	if perGB == 0 {
		return
	}
	st.out.Charges = append(st.out.Charges, Charge{Kind: kind, Hop: st.hopNo, Component: component, Region: region, PerGB: perGB, Detail: detail})
	st.out.PerGB += perGB
}

// arrive moves the packet to subnet place to (arriving at component),
// charging the move between zones or regions.
func (st *legState) arrive(to place, component model.ID, free bool) {
	from := st.at
	st.at = to
	if from.kind == placeService && from.region != "" && from.region != to.region {
		// An AWS service in another region answers.
		pr := st.p.prices(from.region)
		st.charge(ChargeInterRegion, component, pr.Region, pr.InterRegion, fmt.Sprintf("data transfer from %s to %s", from.region, to.region))
		return
	}
	if from.kind != placeSubnet && from.kind != placeTGW {
		// From the internet, a service of the region or an external
		// network: inbound transfer is free; from nowhere: the path
		// starts here.
		return
	}
	if from.region != to.region && from.region != "" && to.region != "" {
		pr := st.p.prices(from.region)
		st.charge(ChargeInterRegion, component, pr.Region, pr.InterRegion, fmt.Sprintf("data transfer from %s to %s", from.region, to.region))
		return
	}
	if from.kind != placeSubnet || from.subnet == to.subnet || free || from.freeZones {
		return
	}
	same, comparable := st.p.s.SameZone(from.subnet, to.subnet)
	if same {
		return
	}
	a, b := st.p.x.Subnet(from.subnet), st.p.x.Subnet(to.subnet)
	if !comparable {
		x, y := from.subnet, to.subnet
		if y < x {
			x, y = y, x
		}
		st.p.note("the zones of %s and %s, in different accounts, are compared by name: give az_id for an exact answer", x, y)
	}
	pr := st.p.prices(to.region)
	st.charge(ChargeCrossAZ, component, pr.Region, 2*pr.CrossAZ,
		fmt.Sprintf("between zones %s and %s (%s out, %s in)", a.AZ, b.AZ, pr.CrossAZ, pr.CrossAZ))
}

// leg prices one direction of the path, starting at place start, and
// returns where it ends.
func (p *pricer) leg(hops []solver.Hop, leg solver.Leg, start place) (Leg, place) {
	st := &legState{p: p, leg: leg, at: start}
	for i, h := range hops {
		st.hopNo = i + 1
		st.hop(i, hops, h)
	}
	return st.out, st.at
}

// hop prices hop h (hops[i]).
func (st *legState) hop(i int, hops []solver.Hop, h solver.Hop) {
	p := st.p
	switch h.Kind {
	case solver.HopInstance, solver.HopNetworkInterface:
		if to, ok := p.subnetPlace(h.Subnet); ok {
			free := st.albTarget
			st.albTarget = false
			st.arrive(to, h.Component, free)
		}
	case solver.HopNATGateway:
		to, ok := p.subnetPlace(h.Subnet)
		if !ok {
			return
		}
		st.arrive(to, h.Component, false)
		pr := p.prices(to.region)
		st.charge(ChargeNATProcessing, h.Component, pr.Region, pr.NATGatewayProcessing, "NAT gateway data processing")
		p.addHourly(Hourly{Kind: HourlyNATGateway, Component: h.Component, Units: 1, PerHour: pr.NATGatewayHour, Region: pr.Region})
	case solver.HopLoadBalancer:
		lb := p.x.LoadBalancer(h.Component)
		if lb == nil {
			return
		}
		p.note("load balancer hours and capacity units (LCU) are not priced")
		alb := lb.Type == model.LBApplication
		if h.Decision == solver.DecisionForward && st.leg == solver.LegForward {
			// The listener chose a target: the move to it is free from an
			// application load balancer.
			st.albTarget = alb
			return
		}
		if to, ok := p.subnetPlace(h.Subnet); ok {
			// On the return leg a node is reached from its target.
			st.arrive(to, h.Component, alb && st.leg == solver.LegReturn && h.Decision == solver.DecisionDeliver)
		}
	case solver.HopInterfaceEndpoint:
		ep := p.x.Endpoint(h.Component)
		to, ok := p.subnetPlace(h.Subnet)
		if ep == nil || !ok {
			return
		}
		st.arrive(to, h.Component, true)
		pr := p.prices(to.region)
		st.charge(ChargeEndpointProcessing, h.Component, pr.Region, pr.InterfaceEndpointProcessing, "interface endpoint data processing")
		p.addHourly(Hourly{Kind: HourlyInterfaceEndpoint, Component: h.Component, Units: len(ep.Subnets),
			PerHour: Money(len(ep.Subnets)) * pr.InterfaceEndpointAZHour, Region: pr.Region})
		st.at.freeZones = true
	case solver.HopEndpointService:
		// PrivateLink carries the packet to the provider's load balancer
		// node in the endpoint's zone (or back): no transfer charge.
		st.at.freeZones = true
	case solver.HopTGWAttachment:
		st.tgwAttachment(h)
	case solver.HopInternet:
		if h.Decision == solver.DecisionDeliver && (st.at.kind == placeSubnet || st.at.kind == placeTGW) {
			pr := p.prices(st.at.region)
			st.charge(ChargeInternetEgress, h.Component, pr.Region, pr.InternetEgress, "data transfer out to the internet")
		}
		if i == 0 && st.at.kind == placeService {
			// The service the request reached answers from its public
			// address.
			return
		}
		st.at = place{kind: placeInternet}
	case solver.HopGatewayEndpoint:
		// Free: the service answers, or is reached, through it.
		if v := p.x.OwnerVPC(h.Component); v != nil && st.leg == solver.LegReturn && i == 0 {
			st.at = place{kind: placeService, region: v.Region}
		}
	case solver.HopAWSService:
		if h.Decision != solver.DecisionDeliver {
			return
		}
		region := serviceRegion(string(h.Component))
		viaEndpoint := i > 0 && (hops[i-1].Kind == solver.HopGatewayEndpoint || hops[i-1].Kind == solver.HopInterfaceEndpoint)
		if !viaEndpoint && region != "" && (st.at.kind == placeSubnet || st.at.kind == placeTGW) && region != st.at.region {
			pr := p.prices(st.at.region)
			st.charge(ChargeInterRegion, h.Component, pr.Region, pr.InterRegion, fmt.Sprintf("data transfer from %s to %s", st.at.region, region))
		}
		st.at = place{kind: placeService, region: region}
	case solver.HopExternalNetwork, solver.HopVPNGateway:
		p.note("data transfer to and from external networks (VPN, Direct Connect) is not priced")
		if h.Decision == solver.DecisionDeliver || h.Decision == solver.DecisionSend {
			st.at = place{kind: placeExternal}
		}
	}
}

// tgwAttachment prices a transit gateway attachment hop: entering the
// gateway (from a VPC, VPN or Direct Connect: processing; from a peering
// attachment: the move between regions, if any), or leaving it into a VPC
// (free between zones).
func (st *legState) tgwAttachment(h solver.Hop) {
	p := st.p
	a := p.x.TGWAttachment(h.Component)
	tgw := p.x.OwnerTransitGateway(h.Component)
	if a == nil || tgw == nil || h.Decision != solver.DecisionForward {
		return
	}
	if h.Subnet != "" {
		// Out of the gateway into a VPC, through an attachment subnet.
		if to, ok := p.subnetPlace(h.Subnet); ok {
			st.at = to
			st.at.freeZones = true
		}
		p.addHourly(st.attachmentHourly(a, tgw))
		return
	}
	if a.Type == model.AttachmentPeering {
		if st.at.kind == placeTGW && st.at.region != tgw.Region {
			// Entering this gateway from its peer in another region.
			pr := p.prices(st.at.region)
			st.charge(ChargeInterRegion, h.Component, pr.Region, pr.InterRegion, fmt.Sprintf("data transfer from %s to %s", st.at.region, tgw.Region))
		}
		st.at = place{kind: placeTGW, region: tgw.Region, freeZones: true}
		p.addHourly(st.attachmentHourly(a, tgw))
		return
	}
	if st.at.kind == placeTGW && st.at.region == tgw.Region {
		// Already inside this gateway: an exit hop without a subnet.
		return
	}
	// Into the gateway from a VPC, a VPN or Direct Connect.
	pr := p.prices(tgw.Region)
	st.charge(ChargeTGWProcessing, h.Component, pr.Region, pr.TransitGatewayProcessing, "transit gateway data processing ("+string(tgw.ID)+")")
	p.addHourly(st.attachmentHourly(a, tgw))
	st.at = place{kind: placeTGW, region: tgw.Region, freeZones: true}
}

func (st *legState) attachmentHourly(a *model.TGWAttachment, tgw *model.TransitGateway) Hourly {
	pr := st.p.prices(tgw.Region)
	return Hourly{Kind: HourlyTGWAttachment, Component: a.ID, Units: 1, PerHour: pr.TransitGatewayAttachmentHour, Region: pr.Region}
}

// serviceRegion returns the region of an AWS service name such as
// com.amazonaws.us-west-2.s3, or "".
func serviceRegion(name string) string {
	rest, ok := strings.CutPrefix(name, "com.amazonaws.")
	if !ok {
		return ""
	}
	region, _, ok := strings.Cut(rest, ".")
	if !ok {
		return ""
	}
	return region
}
