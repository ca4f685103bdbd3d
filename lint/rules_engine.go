package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
	"github.com/vpcreach/vpcreach/solver"
)

// Rules in this file ask the reachability engine (Context.Solver) or the
// overlap analysis, and report what they decide. To keep a run over a
// large estate in seconds, they query from representatives: one running
// instance per subnet (or per route table and zone), never every instance.

func init() {
	register(&Rule{
		ID:       "missing-return-route",
		Severity: model.SeverityWarning,
		Title:    "request arrives, response has no route back",
		Description: "Two VPCs joined by an active peering connection or a common transit gateway need routes " +
			"both ways: the requester's subnet must send the peer's addresses to the link, and the responder's " +
			"subnet (and, through a transit gateway, the responder attachment's gateway route table) must send " +
			"the requester's addresses back. When only one side is written, a connection attempt reaches the " +
			"server, which answers into nothing: the client sees a timeout, the server sees half-open " +
			"connections, and the cause is on the other team's side. For each pair of directly linked VPCs the " +
			"rule asks the engine for a request between representative instances of the two sides (tcp/443) " +
			"and reports the response-leg routing blockers (S-43, S-52); a routing pre-check skips pairs whose " +
			"routes visibly go both ways. A peering routed from one side only and a transit gateway route " +
			"table without the route back are left to peering-route-one-sided and tgw-missing-return-route " +
			"when those run, so that each cause is reported once.",
		Fix:       "Add the missing route on the responder's side: the requester's CIDR to the peering connection or transit gateway in the responder subnet's route table, or a propagation or static route in the transit gateway route table associated with the responder's attachment.",
		Semantics: []string{"S-43", "S-52", "S-53"},
		check:     checkMissingReturnRoute,
	})
	register(&Rule{
		ID:       "s3-through-nat",
		Severity: model.SeverityWarning,
		Title:    "S3 or DynamoDB traffic pays for a NAT gateway",
		Description: "Traffic from a private subnet to S3 or DynamoDB in the VPC's own region that follows the " +
			"default route through a NAT gateway (the VPC's own, or a central egress VPC's behind a transit " +
			"gateway) is billed per gigabyte by the NAT gateway (and the transit gateway), while a gateway " +
			"endpoint for the same service carries it for free, adds a prefix-list route to the route table and " +
			"keeps the traffic off the internet path (S-70). Seeds 003 and 004 route S3 through a gateway " +
			"endpoint for this reason. The rule asks the engine for the path from one instance per subnet to " +
			"s3 and dynamodb and reports the route tables whose path goes through a NAT gateway and no gateway " +
			"endpoint.",
		Fix:       "Create a gateway endpoint for the service (com.amazonaws.REGION.s3 or .dynamodb) and associate it with the route table, or associate the VPC's existing gateway endpoint with it.",
		Semantics: []string{"S-61", "S-70"},
		check:     checkS3ThroughNAT,
	})
	register(&Rule{
		ID:       "private-subnet-missing-eks-endpoints",
		Severity: model.SeverityNote,
		Title:    "private subnet lacks endpoints a private EKS cluster needs",
		Description: "Nodes of an EKS cluster in subnets without internet access reach the AWS APIs only through " +
			"VPC endpoints: interface endpoints to ec2, ecr.api, ecr.dkr and sts (and logs and " +
			"elasticloadbalancing for CloudWatch logging and the load balancer controller), and S3 (image " +
			"layers) through a gateway endpoint on the subnet's route table. A missing one shows up late, as " +
			"nodes that never join or pods stuck pulling images (seed 003; EKS user guide, private cluster " +
			"requirements). In VPCs that already have an interface endpoint to one of these services, the rule " +
			"takes one instance per subnet, asks the engine whether it has an internet path, and if not, which " +
			"of the services it cannot reach on tcp/443.",
		Fix:       "Create the missing interface endpoints (with private DNS, in the subnets' zones, with a security group that admits HTTPS from the nodes) and a gateway endpoint for S3 associated with the subnets' route tables; or give the subnets a NAT path if they may use the internet.",
		Semantics: []string{"S-70", "S-71", "S-72", "S-92"},
		check:     checkPrivateSubnetEKSEndpoints,
	})
	register(&Rule{
		ID:       "connected-overlapping-cidrs",
		Severity: model.SeverityError,
		Title:    "connected address spaces overlap",
		Description: "Two VPCs (or a VPC and an on-premises network) whose CIDR blocks overlap cannot be told apart " +
			"by the routers that connect them. AWS refuses to peer overlapping VPCs (S-41, an error), and a transit gateway route table that receives overlapping propagations, or any " +
			"router with routes to both, sends part of the traffic to the wrong side (S-55, a warning). Overlaps " +
			"between spaces joined only by PrivateLink or by nothing are harmless today and left to " +
			"`vpcreach overlaps`.",
		Fix:       "Renumber one side (add a non-overlapping secondary CIDR and move the workloads), or connect the two through PrivateLink or a private NAT gateway instead of routing between them.",
		Semantics: []string{"S-41", "S-55"},
		check:     checkConnectedOverlaps,
	})
	register(&Rule{
		ID:       "acl-blocks-response",
		Severity: model.SeverityWarning,
		Title:    "network ACL allows a request but denies its response",
		Description: "Network ACLs are stateless: a rule that lets a request in (an inbound allow for tcp or udp " +
			"ports from a CIDR) is useless unless the same ACL's outbound rules let the response go back to that " +
			"CIDR on the client's ephemeral ports, 1024-65535 (and an outbound request needs inbound rules for " +
			"its responses). Only part of the range allowed means some connections fail, depending on the " +
			"port the client picked (S-33). Rules for a high port range that reaches the top of the port space " +
			"(such as 1024-65535 or 32768-65535) are taken as the rules that admit responses, not as requests; " +
			"a rule for all protocols is checked for tcp responses.",
		Fix:       "Add a rule in the other direction allowing the protocol on ports 1024-65535 to (or from) the request rule's CIDR, numbered before any rule that denies it.",
		Semantics: []string{"S-31", "S-33"},
		check:     checkACLBlocksResponse,
	})
}

// --- shared helpers --------------------------------------------------------

// engRep is a representative instance of a subnet.
type engRep struct {
	vpc    *model.VPC
	subnet *model.Subnet
	inst   *model.Instance
	// table is the subnet's compiled route table (S-10), as the solver
	// publishes it.
	table *routing.Table
}

// engTableName names a route table for messages.
func engTableName(v *model.VPC, t *routing.Table) string {
	if t.Implicit {
		return string(v.ID) + "'s main route table"
	}
	return string(t.ID)
}

// engTableSource points at a route table, or at its VPC for the implicit
// main table.
func engTableSource(c *Context, v *model.VPC, t *routing.Table) model.Source {
	if rt := c.Index.RouteTable(t.ID); rt != nil && !t.Implicit {
		return rt.Source
	}
	return v.Source
}

// engSubnetReps returns one running instance per subnet of a VPC, in file
// order: the first one written.
func engSubnetReps(c *Context, v *model.VPC) []engRep {
	order := make(map[model.ID]int, len(v.Subnets))
	for j := range v.Subnets {
		order[v.Subnets[j].ID] = j
	}
	var out []engRep
	seen := map[model.ID]bool{}
	for i := range v.Instances {
		in := &v.Instances[i]
		j, ok := order[in.Subnet]
		if in.State != model.InstanceRunning || seen[in.Subnet] || !ok {
			continue
		}
		seen[in.Subnet] = true
		out = append(out, engRep{vpc: v, subnet: &v.Subnets[j], inst: in, table: c.Solver.SubnetRouteTable(v.Subnets[j].ID)})
	}
	// Subnet order, not instance order.
	slices.SortFunc(out, func(a, b engRep) int { return order[a.subnet.ID] - order[b.subnet.ID] })
	return out
}

// engTCP is a tcp query.
func engTCP(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: port}
}

// engHasHop reports whether a path has a hop of a kind, and returns the
// first one.
func engHasHop(hops []solver.Hop, kind solver.HopKind) (solver.Hop, bool) {
	for _, h := range hops {
		if h.Kind == kind {
			return h, true
		}
	}
	return solver.Hop{}, false
}

// engList renders at most n items as "a, b, c and 4 more".
func engList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// engAnd renders "a", "a and b", "a, b and c".
func engAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// --- missing-return-route -----------------------------------------------------

// engClass is a representative of the instances of a VPC that route alike:
// one per route table and availability zone.
type engClass struct {
	rep  engRep
	addr netip.Addr
	// table indexes the VPC's distinct tables; id indexes all classes.
	table, id int
	// localIn says, per transit gateway, whether every attachment subnet
	// of the VPC routes addr locally, as traffic entering the VPC from the
	// gateway is routed (S-53).
	localIn map[model.ID]bool
}

// engAtt is a VPC's attachment to a transit gateway.
type engAtt struct {
	m *model.TGWAttachment
	// assoc is the index of its associated route table, -1 for none.
	assoc int
}

// engVPCRouting holds what the return-route pre-check needs of one VPC.
type engVPCRouting struct {
	v       *model.VPC
	classes []engClass
	// tables are the distinct compiled tables of the classes.
	tables []*routing.Table
	// atts are the VPC's available attachments, by transit gateway id.
	atts map[model.ID]engAtt
}

// engRoutes gathers the compiled route tables the pre-check looks at and
// caches transit gateway lookups, which many VPC pairs share.
type engRoutes struct {
	vpcs    map[model.ID]*engVPCRouting
	tgwTabs []*routing.TGWTable
	nclass  int
	// tgwLook caches tgwTabs[t].Lookup(class addr) at t*nclass+class:
	// the egress attachment, "" for no route or a blackhole.
	tgwLook  []model.ID
	tgwKnown []bool
}

func newEngRoutes(c *Context) *engRoutes {
	r := &engRoutes{vpcs: map[model.ID]*engVPCRouting{}}
	tabIndex := map[model.ID]int{}
	for ti := range c.Model.TransitGateways {
		for _, t := range c.Solver.TGWRouteTables(c.Model.TransitGateways[ti].ID) {
			tabIndex[t.ID] = len(r.tgwTabs)
			r.tgwTabs = append(r.tgwTabs, t)
		}
	}
	atts := map[model.ID]map[model.ID]engAtt{}
	for ti := range c.Model.TransitGateways {
		t := &c.Model.TransitGateways[ti]
		for i := range t.Attachments {
			a := &t.Attachments[i]
			if a.Type != model.AttachmentVPC || a.State != model.AttachmentAvailable {
				continue
			}
			assoc := -1
			if at := c.Solver.AttachmentRouteTable(a.ID); at != nil {
				assoc = tabIndex[at.ID]
			}
			if atts[a.VPC] == nil {
				atts[a.VPC] = map[model.ID]engAtt{}
			}
			atts[a.VPC][t.ID] = engAtt{m: a, assoc: assoc}
		}
	}
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		vr := &engVPCRouting{v: v, atts: atts[v.ID]}
		type key struct {
			t  *routing.Table
			az string
		}
		seen := map[key]bool{}
		for _, rep := range engSubnetReps(c, v) {
			k := key{rep.table, rep.subnet.AZ}
			if seen[k] {
				continue
			}
			seen[k] = true
			t := rep.table
			ti := slices.Index(vr.tables, t)
			if ti < 0 {
				ti = len(vr.tables)
				vr.tables = append(vr.tables, t)
			}
			cl := engClass{rep: rep, addr: rep.inst.PrivateIP, table: ti, id: r.nclass, localIn: map[model.ID]bool{}}
			r.nclass++
			for tgw, a := range vr.atts {
				ok := true
				for _, sn := range a.m.Subnets {
					st := c.Solver.SubnetRouteTable(sn)
					if st == nil {
						ok = false
						break
					}
					if rt := st.Lookup(cl.addr); rt == nil || rt.Blackhole || rt.Kind != routing.TargetLocal {
						ok = false
						break
					}
				}
				cl.localIn[tgw] = ok
			}
			vr.classes = append(vr.classes, cl)
		}
		r.vpcs[v.ID] = vr
	}
	r.tgwLook = make([]model.ID, len(r.tgwTabs)*r.nclass)
	r.tgwKnown = make([]bool, len(r.tgwTabs)*r.nclass)
	return r
}

// engTGWTo reports whether the transit gateway route table associated with
// attachment from sends class cl's address to attachment to.
func (r *engRoutes) engTGWTo(from, to engAtt, cl *engClass) bool {
	if from.assoc < 0 {
		return false
	}
	i := from.assoc*r.nclass + cl.id
	if !r.tgwKnown[i] {
		r.tgwKnown[i] = true
		if rt := r.tgwTabs[from.assoc].Lookup(cl.addr); rt != nil && !rt.Blackhole {
			r.tgwLook[i] = rt.Attachment
		}
	}
	return r.tgwLook[i] == to.m.ID
}

// engRouteOK reports whether a route exists, is not a blackhole, and goes
// to target.
func engRouteOK(r *routing.Route, target model.ID) bool {
	return r != nil && !r.Blackhole && r.Target == target
}

// engNeedsReach decides, from routes alone, whether a request from class
// a of VPC A to class b of VPC B could arrive and lose its response: false
// when the request cannot leave A toward B at all, or when routes visibly
// go both ways over the same link. Anything else goes to the engine. fw is
// A's route for b's address, back B's route for a's.
func (r *engRoutes) engNeedsReach(A, B *engVPCRouting, a, b *engClass, fw, back *routing.Route, pcxs []model.ID) bool {
	if fw == nil || fw.Blackhole {
		return false
	}
	switch fw.Kind {
	case routing.TargetInternetGateway, routing.TargetVPNGateway, routing.TargetGatewayEndpoint, routing.TargetLocal:
		// Private destinations do not pass an internet gateway (S-60);
		// the others do not lead to B.
		return false
	case routing.TargetPeering:
		if slices.Contains(pcxs, fw.Target) {
			return !engRouteOK(back, fw.Target)
		}
		// A peering to a third VPC: no transit (S-42).
		return false
	case routing.TargetTransitGateway:
		attA, okA := A.atts[fw.Target]
		attB, okB := B.atts[fw.Target]
		if !okA || !okB {
			// B is not on that gateway: a path through other VPCs.
			return true
		}
		clean := r.engTGWTo(attA, attB, b) && b.localIn[fw.Target] &&
			engRouteOK(back, fw.Target) && r.engTGWTo(attB, attA, a) && a.localIn[fw.Target]
		return !clean
	}
	// NAT gateways and appliances may lead anywhere: ask the engine.
	return true
}

// engReturnCodes are the response-leg blockers that mean "no route back".
var engReturnCodes = []solver.Code{solver.ReturnRouteMissing, solver.NoRouteToDestination, solver.TGWRtbCannotRoute}

func checkMissingReturnRoute(c *Context) {
	m := c.Model
	// Pairs of VPCs with a direct link, and their active peerings.
	type pair struct{ a, b model.ID }
	pcxs := map[pair][]model.ID{}
	var pairs []pair
	add := func(a, b model.ID, pcx model.ID) {
		if a == b {
			return
		}
		if b < a {
			a, b = b, a
		}
		p := pair{a, b}
		if _, ok := pcxs[p]; !ok {
			pairs = append(pairs, p)
			pcxs[p] = nil
		}
		if pcx != "" {
			pcxs[p] = append(pcxs[p], pcx)
		}
	}
	for i := range m.PeeringConnections {
		p := &m.PeeringConnections[i]
		if p.Status == model.PeeringActive && c.Index.VPC(p.Requester) != nil && c.Index.VPC(p.Accepter) != nil {
			add(p.Requester, p.Accepter, p.ID)
		}
	}
	for ti := range m.TransitGateways {
		t := &m.TransitGateways[ti]
		var vpcs []model.ID
		for _, a := range t.Attachments {
			if a.Type == model.AttachmentVPC && a.State == model.AttachmentAvailable && c.Index.VPC(a.VPC) != nil {
				vpcs = append(vpcs, a.VPC)
			}
		}
		for i, x := range vpcs {
			for _, y := range vpcs[i+1:] {
				add(x, y, "")
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	r := newEngRoutes(c)
	// What the structural rules report, this rule leaves to them: a
	// peering routed from one side only, a transit gateway route table
	// without the route back (one finding per cause, not two).
	type gapKey struct{ table, from model.ID }
	tgwGaps := map[gapKey]bool{}
	if c.runs != nil && c.runs("tgw-missing-return-route") {
		for _, g := range tgwReturnGaps(c) {
			tgwGaps[gapKey{g.table.ID, g.from}] = true
		}
	}
	oneSided := func(responder model.ID, pcxs []model.ID) bool {
		if len(pcxs) == 0 || c.runs == nil || !c.runs("peering-route-one-sided") {
			return false
		}
		for _, pcx := range pcxs {
			if len(netPeeringTables(c, responder, pcx)) > 0 {
				return false
			}
		}
		return true
	}
	// One finding per blocking component, code and requester VPC: a
	// missing route back to a VPC usually loses the responses of many
	// responders.
	type key struct {
		component model.ID
		code      solver.Code
		from      model.ID
	}
	type finding struct {
		src    model.Source
		msg    string
		others []string
	}
	var order []key
	found := map[key]*finding{}
	var fw, back [][]*routing.Route
	lookups := func(buf [][]*routing.Route, tables []*routing.Table, classes []engClass) [][]*routing.Route {
		buf = buf[:0]
		for _, t := range tables {
			row := make([]*routing.Route, len(classes))
			for i := range classes {
				row[i] = t.Lookup(classes[i].addr)
			}
			buf = append(buf, row)
		}
		return buf
	}
	for _, p := range pairs {
		for _, dir := range [2][2]model.ID{{p.a, p.b}, {p.b, p.a}} {
			A, B := r.vpcs[dir[0]], r.vpcs[dir[1]]
			if len(A.classes) == 0 || len(B.classes) == 0 {
				continue
			}
			fw = lookups(fw, A.tables, B.classes)
			back = lookups(back, B.tables, A.classes)
			// Once responses from one of B's route tables are lost, the
			// other requesters' classes add nothing but cost.
			lost := make([]bool, len(B.tables))
			for ai := range A.classes {
				for bi := range B.classes {
					a, b := &A.classes[ai], &B.classes[bi]
					if lost[b.table] || !r.engNeedsReach(A, B, a, b, fw[a.table][bi], back[b.table][ai], pcxs[p]) {
						continue
					}
					res := c.Solver.Reach(engTCP(string(a.rep.inst.ID), string(b.rep.inst.ID), 443))
					for _, bl := range res.Blockers {
						if bl.Leg != solver.LegReturn || !slices.Contains(engReturnCodes, bl.Code) {
							continue
						}
						lost[b.table] = true
						if (bl.Code == solver.TGWRtbCannotRoute && tgwGaps[gapKey{bl.Component, A.v.ID}]) ||
							(bl.Code == solver.NoRouteToDestination && c.Index.RouteTable(bl.Component) != nil && oneSided(B.v.ID, pcxs[p])) {
							continue
						}
						k := key{bl.Component, bl.Code, A.v.ID}
						if f := found[k]; f != nil {
							if to := string(B.v.ID); f.msg != "" && !strings.Contains(f.msg, "("+to+")") && !slices.Contains(f.others, to) {
								f.others = append(f.others, to)
							}
							continue
						}
						ref := "S-43"
						if bl.Code == solver.TGWRtbCannotRoute {
							ref = "S-52"
						}
						order = append(order, k)
						found[k] = &finding{src: engBlockerSource(c, bl, B.v), msg: fmt.Sprintf(
							"a request from %s (%s) to %s (%s) arrives%s, but the response does not return: %s [%s] (%s)",
							a.rep.inst.ID, A.v.ID, b.rep.inst.ID, B.v.ID, engVia(c, res.Forward), engSentence(bl.Message), bl.Code, ref)}
					}
				}
			}
		}
	}
	for _, k := range order {
		f := found[k]
		msg := f.msg
		if len(f.others) > 0 {
			msg += fmt.Sprintf("; requests to %s fail alike", engList(f.others, 4))
		}
		c.Report(f.src, k.component, "%s", msg)
	}
}

// engVia names the link a forward path crossed: " over pcx-ab" or
// " through transit gateway tgw-1".
func engVia(c *Context, hops []solver.Hop) string {
	for _, h := range hops {
		switch h.Kind {
		case solver.HopPeeringConnection:
			return " over " + string(h.Component)
		case solver.HopTGWAttachment:
			if t := c.Index.OwnerTransitGateway(h.Component); t != nil {
				return " through transit gateway " + string(t.ID)
			}
		}
	}
	return ""
}

// engSentence drops a blocker message's final period and rule reference,
// for use inside a finding.
func engSentence(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	for _, ref := range []string{" (S-43)", " (S-52)", " (S-14)"} {
		s = strings.TrimSuffix(s, ref)
	}
	return s
}

// engBlockerSource points at where a blocker is written: its own position,
// else its component's, else the VPC's.
func engBlockerSource(c *Context, b solver.Blocker, fallback *model.VPC) model.Source {
	if b.Pos.IsValid() {
		return model.Source{Position: b.Pos}
	}
	if rt := c.Index.RouteTable(b.Component); rt != nil {
		return rt.Source
	}
	if rt := c.Index.TGWRouteTable(b.Component); rt != nil {
		return rt.Source
	}
	return fallback.Source
}

// --- s3-through-nat --------------------------------------------------------------

// engGatewayServices are the services gateway endpoints serve (S-70).
var engGatewayServices = []struct{ short, name string }{{"s3", "S3"}, {"dynamodb", "DynamoDB"}}

func checkS3ThroughNAT(c *Context) {
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		type finding struct {
			table    *routing.Table
			subnets  []string
			services []string
			nats     []string
			// sent and answered are the most a GB costs on the paths
			// found, each way: what a gateway endpoint saves.
			sent, answered cost.Money
		}
		var order []*routing.Table
		byTable := map[*routing.Table]*finding{}
		for _, rep := range engSubnetReps(c, v) {
			t := rep.table
			for _, svc := range engGatewayServices {
				// A route table that sends the service's range to a gateway
				// endpoint, or nowhere, needs no query.
				if _, cidrs := c.Solver.ServicePrefixList("com.amazonaws." + v.Region + "." + svc.short); len(cidrs) > 0 {
					r := t.Lookup(cidrs[0].Addr().Next())
					if r == nil || r.Blackhole || r.Kind == routing.TargetGatewayEndpoint {
						continue
					}
				}
				res := c.Solver.Reach(engTCP(string(rep.inst.ID), svc.short, 443))
				if !res.Reachable() {
					continue
				}
				nat, viaNAT := engHasHop(res.Forward, solver.HopNATGateway)
				if _, viaEndpoint := engHasHop(res.Forward, solver.HopGatewayEndpoint); !viaNAT || viaEndpoint {
					continue
				}
				f := byTable[rep.table]
				if f == nil {
					f = &finding{table: rep.table}
					byTable[rep.table] = f
					order = append(order, rep.table)
				}
				if !slices.Contains(f.subnets, string(rep.subnet.ID)) {
					f.subnets = append(f.subnets, string(rep.subnet.ID))
				}
				if !slices.Contains(f.services, svc.name) {
					f.services = append(f.services, svc.name)
				}
				if !slices.Contains(f.nats, string(nat.Component)) {
					f.nats = append(f.nats, string(nat.Component))
				}
				price := cost.PricePath(c.Solver, res, c.Prices)
				f.sent, f.answered = max(f.sent, price.Request.PerGB), max(f.answered, price.Response.PerGB)
			}
		}
		for _, rt := range order {
			f := byTable[rt]
			name := engTableName(v, rt)
			// An endpoint the VPC already has, not associated with this
			// table.
			var unused []string
			for _, ep := range v.Endpoints {
				if ep.Type != model.EndpointGateway || (!rt.Implicit && slices.Contains(ep.RouteTables, rt.ID)) {
					continue
				}
				for _, svc := range engGatewayServices {
					if ep.Service == "com.amazonaws."+v.Region+"."+svc.short && slices.Contains(f.services, svc.name) {
						unused = append(unused, fmt.Sprintf("%s (%s)", ep.ID, svc.name))
					}
				}
			}
			// Name the endpoint service of each service that goes through
			// the NAT gateway: the table may have the other's endpoint.
			var services, endpoints []string
			for _, svc := range engGatewayServices {
				if slices.Contains(f.services, svc.name) {
					services = append(services, svc.name)
					endpoints = append(endpoints, "com.amazonaws."+v.Region+"."+svc.short)
				}
			}
			hint := "a gateway endpoint for " + endpoints[0]
			if len(endpoints) > 1 {
				hint = "gateway endpoints for " + engAnd(endpoints)
			}
			hint += " associated with " + name + " would carry " + engAnd(services) + " traffic free of NAT processing charges"
			if len(unused) > 0 {
				hint += fmt.Sprintf("; %s's gateway endpoint %s is not associated with %s", v.ID, engAnd(unused), name)
			}
			what := "subnet " + f.subnets[0] + " (route table " + name + ") reaches"
			if len(f.subnets) > 1 {
				what = "subnets " + engList(f.subnets, 4) + " (route table " + name + ") reach"
			}
			c.Report(engTableSource(c, v, rt), v.ID, "%s %s in %s through NAT gateway %s: %s (S-70); %s",
				what, engAnd(services), v.Region, engAnd(f.nats), hint, engSaving(c, v.Region, f.sent, f.answered))
		}
	}
}

// engSaving says what a gateway endpoint saves per GB, each way, and
// which prices say so.
func engSaving(c *Context, region string, sent, answered cost.Money) string {
	p, exact := c.Prices.For(region)
	priced := p.Region + " prices"
	if !exact {
		priced = p.Region + " prices for " + region
	}
	if sent == answered {
		return fmt.Sprintf("saving %s per GB each way (%s)", sent, priced)
	}
	return fmt.Sprintf("saving %s per GB sent and %s per GB received (%s)", sent, answered, priced)
}

// --- private-subnet-missing-eks-endpoints -------------------------------------

// engEKSServices are the AWS services the nodes of a private EKS cluster
// call (EKS user guide, private cluster requirements): interface
// endpoints, and S3 through a gateway endpoint.
var engEKSServices = []string{"ec2", "ecr.api", "ecr.dkr", "sts", "logs", "elasticloadbalancing", "s3"}

// engFilterCodes are blockers that filter traffic on a path that exists,
// or that concern the representative rather than its subnet (an instance
// without a public address in a subnet that routes to the internet
// gateway); any other blocker means the subnet has no path.
var engFilterCodes = []solver.Code{solver.ENISGRulesMismatch, solver.SubnetACLRestriction, solver.ACLPartialReturn,
	solver.ACLPartialProtocols, solver.SGReferencesNotPreserved, solver.SGReferencingSupport, solver.InstanceNotRunning,
	solver.IGWPublicIPAssociationForEgress}

// engNoPath reports whether an unreachable answer is for lack of a path,
// not only because a filter denies it.
func engNoPath(res solver.Result) bool {
	if res.Reachable() {
		return false
	}
	for _, b := range res.Blockers {
		if !slices.Contains(engFilterCodes, b.Code) {
			return true
		}
	}
	return false
}

func checkPrivateSubnetEKSEndpoints(c *Context) {
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		// The VPC's interface endpoints to AWS services, by short name.
		iface := map[string]*model.Endpoint{}
		var gateway []*model.Endpoint
		for i := range v.Endpoints {
			ep := &v.Endpoints[i]
			short, ok := strings.CutPrefix(ep.Service, "com.amazonaws."+v.Region+".")
			if !ok {
				continue
			}
			switch ep.Type {
			case model.EndpointInterface:
				iface[short] = ep
			case model.EndpointGateway:
				if short == "s3" {
					gateway = append(gateway, ep)
				}
			}
		}
		relevant := false
		for _, s := range engEKSServices {
			if s != "s3" && iface[s] != nil {
				relevant = true
			}
		}
		if !relevant {
			continue
		}
		for _, rep := range engSubnetReps(c, v) {
			if !engNoPath(c.Solver.Reach(engTCP(string(rep.inst.ID), string(solver.Internet), 443))) {
				continue
			}
			var missing []string
			for _, svc := range engEKSServices {
				res := c.Solver.Reach(engTCP(string(rep.inst.ID), svc, 443))
				if res.Reachable() {
					continue
				}
				why := ""
				switch {
				case svc == "s3" && iface[svc] == nil:
					why = "no gateway endpoint on " + engTableName(v, rep.table)
					if len(gateway) > 0 {
						why = fmt.Sprintf("gateway endpoint %s is not associated with %s", gateway[0].ID, engTableName(v, rep.table))
					}
				case iface[svc] == nil:
					why = "no interface endpoint"
				case !iface[svc].PrivateDNS:
					why = fmt.Sprintf("endpoint %s has private DNS off, so the service name resolves publicly", iface[svc].ID)
				case slices.ContainsFunc(res.Warnings, func(w solver.Warning) bool { return w.Code == solver.DNSPrivateDNSNotEffective }):
					why = fmt.Sprintf("%s has DNS hostnames or support off, so endpoint %s's private DNS does not apply", v.ID, iface[svc].ID)
				case len(res.Blockers) > 0:
					b := res.Blockers[0]
					why = fmt.Sprintf("%s at %s", b.Code, b.Component)
				}
				missing = append(missing, fmt.Sprintf("%s (%s)", svc, why))
			}
			if len(missing) == 0 {
				continue
			}
			c.Report(rep.subnet.Source, rep.subnet.ID, "subnet %s has no internet path, and its instances (such as %s) cannot reach %s on tcp/443: private EKS nodes need them",
				rep.subnet.ID, rep.inst.ID, strings.Join(missing, ", "))
		}
	}
}

// --- connected-overlapping-cidrs ---------------------------------------------

func checkConnectedOverlaps(c *Context) {
	for _, o := range overlap.Find(c.Model) {
		var sev model.Severity
		switch o.Class {
		case overlap.Peered:
			sev = model.SeverityError
		case overlap.TGWRouteTable, overlap.Routed:
			sev = model.SeverityWarning
		default:
			continue
		}
		if len(o.Pairs) == 0 {
			continue
		}
		pos := o.Pairs[0].BPos
		if !pos.IsValid() {
			pos = o.Pairs[0].APos
		}
		msg := o.Message
		if o.Rule != "" && !strings.Contains(msg, o.Rule) {
			msg += " (" + o.Rule + ")"
		}
		c.ReportSeverity(sev, model.Source{Position: pos}, o.B.ID, "%s: %s", o.Class, msg)
	}
}

// --- acl-blocks-response ------------------------------------------------------

// engEphemeralLike reports whether a port range looks like a rule that
// admits responses: a high range reaching the top of the port space, such
// as 1024-65535, 32768-65535, 49152-65535 or 32768-60999 (S-33).
func engEphemeralLike(r model.PortRange) bool {
	return r.First >= 1024 && r.Last >= 60999 && r.Last-r.First >= 4095
}

// engRepresentative returns an address standing for a CIDR: an internet
// host for ranges that hold it (0.0.0.0/0), else the first host.
func engRepresentative(p netip.Prefix) netip.Addr {
	if host := solver.InternetHost(); p.Contains(host) && p.Bits() <= 8 {
		return host
	}
	if p.Bits() >= 31 {
		return p.Addr()
	}
	return p.Addr().Next()
}

func checkACLBlocksResponse(c *Context) {
	eph := solver.DefaultEphemeral()
	var buf []sgeval.PortDecision
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		for ai := range v.NetworkACLs {
			a := &v.NetworkACLs[ai]
			acl := c.Solver.NetworkACL(a.ID)
			for _, dir := range []sgeval.Direction{sgeval.Ingress, sgeval.Egress} {
				rules, mirror, rules2 := a.Ingress, sgeval.Egress, a.Egress
				if dir == sgeval.Egress {
					rules, mirror, rules2 = a.Egress, sgeval.Ingress, a.Ingress
				}
				for i := range rules {
					r := &rules[i]
					if r.Action != model.ACLAllow || !(r.Protocol.HasPorts() || r.Protocol == model.ProtocolAll) {
						continue
					}
					ports := model.PortRange{First: 0, Last: 65535}
					if r.Ports != nil {
						ports = *r.Ports
					}
					if r.Protocol != model.ProtocolAll && engEphemeralLike(ports) {
						continue
					}
					peer := engRepresentative(r.CIDR)
					// The request, as this rule sees it: is the rule live
					// (not shadowed by earlier rules) for the peer?
					req := sgeval.Packet{Protocol: r.Protocol}
					if dir == sgeval.Ingress {
						req.Src = peer
					} else {
						req.Dst = peer
					}
					live := false
					if r.Protocol == model.ProtocolAll {
						d := acl.Check(dir, req)
						live = d.Allowed && d.Index == i
					} else {
						buf = acl.CheckPorts(dir, req, ports, buf[:0])
						for _, d := range buf {
							if d.Allowed && d.Index == i {
								live = true
							}
						}
					}
					if !live {
						continue
					}
					// The response: the other direction, to the client's
					// ephemeral ports.
					resp := sgeval.Packet{Protocol: r.Protocol}
					if dir == sgeval.Ingress {
						resp.Dst = peer
					} else {
						resp.Src = peer
					}
					proto := r.Protocol
					if proto == model.ProtocolAll {
						if d := acl.Check(mirror, resp); d.Allowed && !d.Partial {
							continue
						}
						proto = model.ProtocolTCP
						resp.Protocol = proto
					}
					buf = acl.CheckPorts(mirror, resp, eph, buf[:0])
					var denied []string
					for _, d := range buf {
						if d.Allowed {
							continue
						}
						name := "rule *"
						if d.Index >= 0 && d.Index < len(rules2) {
							name = fmt.Sprintf("rule %d", rules2[d.Index].Rule)
						}
						denied = append(denied, fmt.Sprintf("%s denies %s", name, d.Ports))
					}
					if len(denied) == 0 {
						continue
					}
					what := r.Protocol.String()
					if r.Protocol.HasPorts() {
						what += " " + ports.String()
					} else {
						what = "all traffic"
					}
					word, word2 := "from", "to"
					if dir == sgeval.Egress {
						word, word2 = "to", "from"
					}
					c.Report(r.Source, a.ID, "network ACL %s: %s rule %d allows %s %s %s, but its %s rules drop the %s responses %s %s (such as %s) on ephemeral ports %s: %s (S-33)",
						a.ID, dir, r.Rule, what, word, r.CIDR, mirror, proto, word2, r.CIDR, peer, eph, strings.Join(denied, ", "))
				}
			}
		}
	}
}
