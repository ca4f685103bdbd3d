// Package gen generates synthetic enterprise AWS topologies, deterministic
// for a given set of options, for benchmarks and scale tests.
//
// The shape is the one large AWS estates converge on:
//
//   - several accounts (a network account owning the transit gateways and
//     the egress hubs, and workload accounts owning the spokes) and regions;
//   - per region a hub-and-spoke transit gateway: the first VPC of the
//     region is the egress hub (internet gateway, a NAT gateway per zone);
//     spokes associate with a spoke route table whose 0.0.0.0/0 goes to the
//     hub, and propagate into it and into the hub route table;
//   - a transit gateway peering between the first two regions, with static
//     routes for each other's region supernet (peering attachments do not
//     propagate, S-54);
//   - a few VPC peerings between spokes of one region, with routes on both
//     sides;
//   - per VPC: public (public VPCs only), app, data and transit gateway
//     attachment subnets in 2 or 3 zones, a main route table with local
//     routes only, public and private route tables, NAT gateways in public
//     VPCs, an S3 gateway endpoint, in some VPCs interface endpoints to ec2,
//     sts and logs, a network ACL on the data subnets, three security group
//     tiers (web, app, db) that reference each other, and instances;
//   - a few PrivateLink services: an internal network load balancer in a
//     provider spoke in front of its app instances, and interface endpoints
//     to it in other VPCs of the region;
//   - a handful of expectations that hold on the generated network.
//
// Address plan: 10.0.0.0/8 is split into one supernet per region (a /10
// for up to 4 regions), and each VPC gets the next block of its region's
// supernet, as large as the region's VPC count allows (/16 up to 64 VPCs
// per region with /10 supernets, then /17, ... up to /24). No two VPCs
// overlap, unless Options.OverlapEvery plants overlaps. Subnets are /24
// (or 1/16th of the VPC when that is smaller, such as /26 in a /22);
// attachment subnets are /28.
//
// Randomness comes only from a math/rand/v2 PCG source seeded with
// Options.Seed, consumed in a fixed order, and no output depends on map
// iteration order: the same options give the same model, and the same
// bytes from model.Encode.
package gen

import (
	"fmt"
	"io"
	"iter"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"

	"github.com/vpcreach/vpcreach/model"
)

// DefaultInstancesPerVPC is the average number of instances per VPC when
// Options.InstancesPerVPC is not set.
const DefaultInstancesPerVPC = 60

// MinInstancesPerVPC is the fewest instances a VPC gets: one per tier
// (web, app, db), whatever Options.InstancesPerVPC asks.
const MinInstancesPerVPC = 3

// DefaultRegions are the regions used when Options.Regions is empty.
var DefaultRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-1"}

// Options says what to generate.
type Options struct {
	// VPCs is the number of VPCs.
	VPCs int
	// Seed selects the random choices; equal options give equal models.
	Seed uint64
	// InstancesPerVPC is the average number of instances per VPC (each
	// VPC gets ±15% of it); 0 means DefaultInstancesPerVPC.
	InstancesPerVPC int
	// Regions are the regions the VPCs are spread over, in equal shares;
	// empty means DefaultRegions.
	Regions []string
	// Accounts is the number of AWS accounts; 0 means max(3, VPCs/20).
	Accounts int
	// OverlapEvery plants overlapping address spaces: every Nth VPC (N =
	// OverlapEvery; the hubs excepted) reuses the CIDR block of the VPC
	// before it, and is then neither peered nor propagated into a transit
	// gateway route table, so the model stays valid. 0 plants none.
	OverlapEvery int
	// DualStack adds IPv6 to the same network (the random choices are
	// those of the IPv4-only network): an Amazon-provided /56 per VPC, a
	// /64 per subnet, an IPv6 address on every instance, an egress-only
	// internet gateway per VPC, IPv6 routes beside the IPv4 ones (::/0 to
	// the internet gateway in public tiers and to the egress-only gateway
	// in private ones; the enterprise's IPv6 range to the transit gateway;
	// peers' IPv6 blocks to the peering; the other region's IPv6 supernet
	// over the transit gateway peering), and security group and network
	// ACL rules for ::/0 and the enterprise's IPv6 range beside the IPv4
	// ones.
	DualStack bool
}

// withDefaults fills in the defaults.
func (o Options) withDefaults() Options {
	o.VPCs = max(o.VPCs, 0)
	if o.InstancesPerVPC <= 0 {
		o.InstancesPerVPC = DefaultInstancesPerVPC
	}
	var regions []string
	for _, r := range o.Regions {
		if r != "" && !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	if len(regions) == 0 {
		regions = DefaultRegions
	}
	o.Regions = regions
	if o.Accounts <= 0 {
		o.Accounts = max(3, o.VPCs/20)
	}
	o.OverlapEvery = max(o.OverlapEvery, 0)
	return o
}

// seedStream is the PCG stream constant; the seed picks the state.
const seedStream = 0x5eed_0f_e7e2_5b1c

// Tiers of instances and their security groups.
const (
	tierWeb = iota
	tierApp
	tierDB
	numTiers
)

var tierNames = [numTiers]string{"web", "app", "db"}

// Ports of the three tiers and of the PrivateLink services.
const (
	portWeb     = 443
	portApp     = 8080
	portDB      = 5432
	portService = 443
)

// internal is the enterprise's private address space.
var internal = netip.MustParsePrefix("10.0.0.0/8")

// internal6 is where the dual-stack VPCs' Amazon-provided IPv6 blocks come
// from: a /40 per region (up to 256 regions), a /56 per VPC (up to 65,536
// per region).
var internal6 = netip.MustParsePrefix("2600:1f00::/32")

var anywhere6 = netip.MustParsePrefix("::/0")

var anywhere = netip.MustParsePrefix("0.0.0.0/0")

// awsInterfaceServices are the AWS services some VPCs have interface
// endpoints to.
var awsInterfaceServices = []string{"ec2", "sts", "logs"}

// s3Ranges are placeholder S3 address ranges of the default regions, for
// their com.amazonaws.REGION.s3 prefix lists.
var s3Ranges = map[string][]string{
	"us-east-1":      {"3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"},
	"eu-west-1":      {"3.5.64.0/21", "3.5.72.0/23", "52.92.0.0/17", "52.218.0.0/17"},
	"ap-southeast-1": {"3.5.146.0/23", "3.5.148.0/22", "52.219.128.0/17"},
}

// publicPool is where public addresses (instances' public IPs, NAT
// gateways' Elastic IPs) come from: far from the S3 placeholders and from
// solver.InternetHost().
var publicPool = netip.MustParsePrefix("54.144.0.0/12")

var appNames = []string{"payments", "orders", "inventory", "search", "identity", "billing", "analytics",
	"catalog", "shipping", "reporting", "crm", "ledger", "notifications", "pricing", "checkout",
	"data-lake", "ml-platform", "media", "fraud", "loyalty"}

var envNames = []string{"prod", "prod", "staging", "dev", "qa"}

// vpcRec is what the generator holds about each VPC from planning to the
// end of the output: what the random choices of planning decided, and
// where its IPv4 block is. The rest of a VPC's plan follows from its index
// (generator.vpc), and what building a VPC decides is dropped once it is
// built, so that a network of n VPCs holds 16n bytes of these, 8n bytes
// of offsets (generator.peerOff, consOff) and 8 bytes per peering and 4
// per consumer of a service: about 35 bytes a VPC, and about 50 with
// the maps' and slices' overheads on the heap.
type vpcRec struct {
	addr     uint32 // the first address of its IPv4 block
	account  int32
	provides int32 // 1 + the index of the endpoint service it provides, or 0 (a VPC provides at most one)
	azs      uint8
	flags    uint8 // recPublic, recPerAZNAT, recAWS
}

// Flags of vpcRec.
const (
	recPublic   = 1 << iota // has an internet gateway and NAT gateways
	recPerAZNAT             // a NAT gateway per zone (else one)
	recAWS                  // has interface endpoints to awsInterfaceServices
)

// vpcPlan is what is decided about a VPC before it is built, as
// generator.vpc derives it, and what building it fills in. It is made for
// the VPC being built or written, and dropped.
type vpcPlan struct {
	id       model.ID
	num      string // the VPC's number as it appears in ids: "0001"
	region   int
	account  int
	hub      bool // the egress hub of its region
	public   bool // has an internet gateway and NAT gateways
	perAZNAT bool // a NAT gateway per zone (else one)
	azs      int
	cidr     netip.Prefix
	cidr6    netip.Prefix // the IPv6 block (Options.DualStack), a /56
	peers    []int32      // the VPCs it is peered with, in ascending order (the generator's: read only)
	provides int          // the endpoint service it provides, or -1
	consumes []int32      // the endpoint services it has endpoints to, in order (the generator's: read only)
	aws      []string

	// Filled in while building.
	subnets   [numSubnetTiers][]model.ID
	pools     [numSubnetTiers][]*pool
	privRTs   []model.ID // per zone, or one
	instances [numTiers][]model.ID
}

// Subnet tiers.
const (
	snPublic = iota
	snApp
	snData
	snTGW
	numSubnetTiers
)

var subnetTierNames = [numSubnetTiers]string{"public", "app", "data", "tgw"}

// servicePlan is a PrivateLink service: provider VPC and consumers.
type servicePlan struct {
	num       string
	region    int
	provider  int
	consumers []int
}

type regionPlan struct {
	name      string
	first     int // its VPCs are first, first+1, ..., first+count-1, the hub first
	count     int
	supernet  netip.Prefix
	supernet6 netip.Prefix // its IPv6 blocks' /40 (Options.DualStack)
}

type generator struct {
	o        Options
	r        *rand.Rand
	m        *model.Model // the version and the accounts
	accounts []model.ID
	regions  []regionPlan
	recs     []vpcRec // per VPC
	// VPC i is peered with peerList[peerOff[i]:peerOff[i+1]], in
	// ascending order, and has endpoints to the services
	// consList[consOff[i]:consOff[i+1]], in order.
	peerOff, peerList []int32
	consOff, consList []int32
	services          []servicePlan
	width             int // the number of digits of VPC numbers
	vpcBits           int // VPC prefix length
	snBits            int // subnet prefix length
	nextPub           uint32
	// err is the first reason the options cannot be built as asked.
	err error
}

// Generate builds the topology the options describe, as Build does, and
// panics when Build returns an error: for tests and benchmarks, whose
// sizes are known to fit.
func Generate(o Options) *model.Model {
	m, err := Build(o)
	if err != nil {
		panic("gen: " + err.Error())
	}
	return m
}

// Build builds the topology the options describe. The model validates
// with no errors and no warnings. Build returns an error, and no model,
// when the options cannot be built as asked, rather than build something
// else: the VPCs do not fit 10.0.0.0/8 (more than 2^(24-b) distinct VPCs
// in a region whose supernet is a /b; 16,384 per region for up to 4
// regions), or a VPC has no room for its instances (the more VPCs in a
// region, the smaller each VPC's block and subnets).
func Build(o Options) (*model.Model, error) {
	g, err := plan(o)
	if err != nil {
		return nil, err
	}
	m := g.m
	m.VPCs = make([]model.VPC, len(g.recs))
	for v, err := range g.build() {
		if err != nil {
			return nil, err
		}
		m.VPCs[v.i] = *v.VPC
	}
	m.PeeringConnections = slices.Collect(g.peerings())
	for r := range g.regions {
		if g.regions[r].count > 0 {
			t := g.transitGateway(r)
			t.Attachments = slices.Collect(g.attachments(r))
			m.TransitGateways = append(m.TransitGateways, t)
		}
	}
	m.PrefixLists = g.prefixLists()
	m.EndpointServices = slices.Collect(g.endpointServices())
	m.Expectations = g.expectations()
	return m, nil
}

// Write writes the topology the options describe as YAML, the bytes of
// model.Encode of what Build builds, building and writing one VPC, and
// then one transit gateway attachment, peering or endpoint service, at a
// time (model.EncodeStream, writeTail): its memory is that of the VPC
// being written and of the plan of the network (vpcRec, the peerings
// and the services: about 50 bytes a VPC on the heap), not that of the
// network. It returns Build's errors before
// writing anything, and w's.
func Write(w io.Writer, o Options) error {
	// A first pass builds and drops every VPC, so that an error (a VPC
	// with no room for its instances) comes before any output: it costs a
	// few percent of the encoding.
	g, err := plan(o)
	if err != nil {
		return err
	}
	for _, err := range g.build() {
		if err != nil {
			return err
		}
	}
	g, _ = plan(o)
	err = model.EncodeStream(w, g.m, func(yield func(*model.VPC, error) bool) {
		for v, err := range g.build() {
			if !yield(v.VPC, err) || err != nil {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return g.writeTail(w)
}

// plan makes the generator's plan: accounts, regions, VPCs, peerings and
// services, and the model with its accounts.
func plan(o Options) (*generator, error) {
	o = o.withDefaults()
	g := &generator{o: o, r: rand.New(rand.NewPCG(o.Seed, seedStream)), m: &model.Model{Version: model.FormatVersion}}
	g.nextPub = u32(publicPool.Addr()) + 1
	g.planAccounts()
	g.planVPCs()
	if g.err != nil {
		return nil, g.err
	}
	g.planPeerings()
	g.planServices()
	return g, nil
}

// builtVPC is VPC number i, built.
type builtVPC struct {
	*model.VPC
	i int
}

// build builds the VPCs in order, yielding each (the same VPC value,
// overwritten for the next). The random choices are made in this one
// order, whoever consumes the VPCs; what comes after the VPCs (transit
// gateways, peerings, prefix lists, services and expectations) makes none,
// and follows from the plan.
func (g *generator) build() iter.Seq2[builtVPC, error] {
	return func(yield func(builtVPC, error) bool) {
		var v model.VPC
		for i := range g.recs {
			v = model.VPC{}
			g.buildVPC(i, &v)
			if g.err != nil {
				yield(builtVPC{}, g.err)
				return
			}
			if !yield(builtVPC{&v, i}, nil) {
				return
			}
		}
	}
}

// --- planning -------------------------------------------------------------

func (g *generator) planAccounts() {
	for i := range g.o.Accounts {
		id := model.ID(fmt.Sprintf("%012d", 200000000000+i*1001))
		name := fmt.Sprintf("workload-%02d", i-1)
		switch i {
		case 0:
			name = "network"
		case 1:
			name = "shared-services"
		}
		g.accounts = append(g.accounts, id)
		g.m.Accounts = append(g.m.Accounts, model.Account{ID: id, Name: name})
	}
}

// width is the number of digits of VPC numbers in ids.
func width(n int) int { return max(4, len(strconv.Itoa(n))) }

func (g *generator) planVPCs() {
	n, nr := g.o.VPCs, len(g.o.Regions)
	regionBits := 8 + bits.Len(uint(nr-1))
	if regionBits > 16 {
		g.err = fmt.Errorf("%d regions do not fit 10.0.0.0/8 with /16 supernets", nr)
		return
	}
	g.regions = make([]regionPlan, nr)
	g.width = width(n)
	first := 0
	for r := range nr {
		rp := &g.regions[r]
		rp.name = g.o.Regions[r]
		rp.supernet = netip.PrefixFrom(addrOf(u32(internal.Addr())+uint32(r)<<(32-regionBits)), regionBits)
		rp.supernet6 = prefix6(internal6, 40, uint64(r))
		rp.first, rp.count = first, n/nr
		if r < n%nr {
			rp.count++
		}
		first += rp.count
	}
	// Planted overlaps, then the size of VPC blocks: the largest that
	// gives every distinct VPC of the busiest region its own block.
	distinct := make([]int, nr)
	for i := range n {
		if !g.overlaps(i) {
			distinct[g.regionOf(i)]++
		}
	}
	most := slices.Max(append(distinct, 1))
	g.vpcBits = 0
	for b := 16; b <= 24; b++ {
		if 1<<(b-regionBits) >= most {
			g.vpcBits = b
			break
		}
	}
	if g.vpcBits == 0 {
		g.err = fmt.Errorf("%d VPCs in one region do not fit its supernet /%d (at most %d, each a /24); ask for fewer VPCs, or plant overlaps",
			most, regionBits, 1<<(24-regionBits))
		return
	}
	g.snBits = g.subnetBits()

	g.recs = make([]vpcRec, n)
	slot := make([]int, nr)
	for i := range g.recs {
		rec := &g.recs[i]
		r, hub := g.regionOf(i), g.hub(i)
		if g.overlaps(i) {
			rec.addr = g.recs[i-1].addr
		} else {
			rec.addr = u32(g.regions[r].supernet.Addr()) + uint32(slot[r])<<(32-g.vpcBits)
			slot[r]++
		}
		// Random choices, in a fixed order per VPC.
		if !hub && len(g.accounts) > 1 {
			rec.account = int32(1 + g.r.IntN(len(g.accounts)-1))
		}
		public := hub || g.r.IntN(4) == 0
		if public {
			rec.flags |= recPublic
		}
		if hub || (public && g.r.IntN(2) == 0) {
			rec.flags |= recPerAZNAT
		}
		rec.azs = 3
		if !hub && g.r.IntN(2) == 0 {
			rec.azs = 2
		}
		if g.r.IntN(10) < 3 {
			rec.flags |= recAWS
		}
	}
}

// regionOf returns the region of VPC i: the first n%nr regions have
// n/nr+1 VPCs, the others n/nr.
func (g *generator) regionOf(i int) int {
	q, rem := g.o.VPCs/len(g.regions), g.o.VPCs%len(g.regions)
	if i < rem*(q+1) {
		return i / (q + 1)
	}
	return rem + (i-rem*(q+1))/q
}

// hub reports whether VPC i is the egress hub of its region, its first.
func (g *generator) hub(i int) bool { return i == g.regions[g.regionOf(i)].first }

// overlaps reports whether VPC i is a planted overlap, reusing the CIDR
// block of the VPC before it: every OverlapEvery-th, the hubs excepted.
func (g *generator) overlaps(i int) bool {
	return g.o.OverlapEvery > 0 && i > 0 && (i+1)%g.o.OverlapEvery == 0 && !g.hub(i)
}

// eligible reports whether VPC i may be peered or provide a service: a
// spoke whose block is its own.
func (g *generator) eligible(i int) bool { return !g.hub(i) && !g.overlaps(i) }

// num returns VPC i's number as it appears in ids: "0001".
func (g *generator) num(i int) string { return fmt.Sprintf("%0*d", g.width, i+1) }

// cidr returns VPC i's IPv4 block.
func (g *generator) cidr(i int) netip.Prefix {
	return netip.PrefixFrom(addrOf(g.recs[i].addr), g.vpcBits)
}

// cidr6 returns VPC i's IPv6 block (Options.DualStack): the next /56 of
// its region's /40, planted overlaps or not (Amazon-provided blocks never
// overlap).
func (g *generator) cidr6(i int) netip.Prefix {
	rp := &g.regions[g.regionOf(i)]
	return prefix6(rp.supernet6, 56, uint64(i-rp.first))
}

// vpc returns the plan of VPC i.
func (g *generator) vpc(i int) *vpcPlan {
	rec := &g.recs[i]
	v := &vpcPlan{num: g.num(i), region: g.regionOf(i), account: int(rec.account), hub: g.hub(i),
		public: rec.flags&recPublic != 0, perAZNAT: rec.flags&recPerAZNAT != 0, azs: int(rec.azs),
		cidr: g.cidr(i), peers: g.peerList[g.peerOff[i]:g.peerOff[i+1]], provides: int(rec.provides) - 1,
		consumes: g.consList[g.consOff[i]:g.consOff[i+1]]}
	v.id = model.ID("vpc-" + v.num)
	if g.o.DualStack {
		v.cidr6 = g.cidr6(i)
	}
	if rec.flags&recAWS != 0 {
		v.aws = awsInterfaceServices
	}
	return v
}

// subnetBits chooses the subnet size: /24, or 1/16th of the VPC when that
// is smaller, made larger while the expected instances do not fit.
func (g *generator) subnetBits() int {
	minBits := g.vpcBits + 4 // 16 blocks per VPC
	b := max(24, minBits)
	maxInst := g.o.InstancesPerVPC*115/100 + 1
	need := maxInst*55/100/2 + 16 // app share over two zones, plus endpoints and nodes
	for b > minBits && (1<<(32-b))-5 < need {
		b--
	}
	return b
}

// planPeerings picks a few percent of the pairs of eligible spokes of each
// region (3% of the pairs, at most one per spoke on average, at least one
// when there are two spokes), by rejection sampling with integers only.
func (g *generator) planPeerings() {
	type pair struct{ a, b int }
	var all []pair
	for r := range g.regions {
		rp := &g.regions[r]
		var cand []int
		for i := rp.first; i < rp.first+rp.count; i++ {
			if g.eligible(i) {
				cand = append(cand, i)
			}
		}
		k := len(cand)
		if k < 2 {
			continue
		}
		total := k * (k - 1) / 2
		want := max(1, min(total*3/100, k))
		seen := make(map[pair]bool, want)
		var pairs []pair
		for len(pairs) < want {
			a, b := g.r.IntN(k), g.r.IntN(k)
			if a == b {
				continue
			}
			p := pair{cand[min(a, b)], cand[max(a, b)]}
			if seen[p] {
				continue
			}
			seen[p] = true
			pairs = append(pairs, p)
		}
		slices.SortFunc(pairs, func(x, y pair) int {
			if x.a != y.a {
				return x.a - y.a
			}
			return x.b - y.b
		})
		for _, p := range pairs {
			if g.cidr(p.a).Overlaps(g.cidr(p.b)) {
				continue // never: distinct blocks; kept as a guard (S-41)
			}
			all = append(all, p)
		}
	}
	// Each VPC's peers, in the order of the sorted pairs: ascending, as
	// the pairs (x, j) with x < j come before the pairs (j, y).
	g.peerOff = make([]int32, len(g.recs)+1)
	for _, p := range all {
		g.peerOff[p.a+1]++
		g.peerOff[p.b+1]++
	}
	for i := range g.recs {
		g.peerOff[i+1] += g.peerOff[i]
	}
	next := slices.Clone(g.peerOff[:len(g.recs)])
	g.peerList = make([]int32, 2*len(all))
	for _, p := range all {
		g.peerList[next[p.a]] = int32(p.b)
		next[p.a]++
		g.peerList[next[p.b]] = int32(p.a)
		next[p.b]++
	}
}

// peered reports whether VPCs i and j are peered.
func (g *generator) peered(i, j int) bool {
	return slices.Contains(g.peerList[g.peerOff[i]:g.peerOff[i+1]], int32(j))
}

// pcx returns the id of the peering between VPCs i and j.
func (g *generator) pcx(i, j int) model.ID {
	return model.ID("pcx-" + g.num(min(i, j)) + "-" + g.num(max(i, j)))
}

// planServices picks a few PrivateLink providers (one per 25 VPCs, at least
// one), each with 1 to 3 consumer VPCs of its region.
func (g *generator) planServices() {
	want := max(1, len(g.recs)/25)
	w := max(2, len(strconv.Itoa(want)))
	// The candidates are counted, and the one drawn found, rather than
	// listed: a list per service would allocate, over all services, a
	// few bytes per VPC times the number of services.
	free := func(i int) bool { return g.eligible(i) && g.recs[i].provides == 0 }
	for s := 0; s < want; s++ {
		// Regions in turn; skip those with no free provider or no consumer.
		var provider = -1
		var region int
		for try := range len(g.regions) {
			region = (s + try) % len(g.regions)
			rp := &g.regions[region]
			n := 0
			for i := rp.first; i < rp.first+rp.count; i++ {
				if free(i) {
					n++
				}
			}
			if n == 0 || rp.count < 2 {
				continue
			}
			k := g.r.IntN(n)
			for i := rp.first; provider < 0; i++ {
				if free(i) {
					if k == 0 {
						provider = i
					}
					k--
				}
			}
			break
		}
		if provider < 0 {
			break
		}
		g.recs[provider].provides = int32(len(g.services) + 1)
		sp := servicePlan{num: fmt.Sprintf("%0*d", w, len(g.services)+1), region: region, provider: provider}
		// Consumers: other VPCs of the region, spokes preferred; drawn
		// one at a time from those not yet drawn (the spokes but the
		// provider, or else the hub).
		rp := &g.regions[region]
		lo, n, skip := rp.first+1, rp.count-2, []int{provider}
		if n == 0 {
			lo, n, skip = rp.first, 1, nil
		}
		nc := min(n, 1+g.r.IntN(3))
		for range nc {
			c := nth(lo, g.r.IntN(n), skip)
			sp.consumers = append(sp.consumers, c)
			skip = append(skip, c)
			slices.Sort(skip)
			n--
		}
		slices.Sort(sp.consumers)
		g.services = append(g.services, sp)
	}
	// Each VPC's services, in the order of the services.
	g.consOff = make([]int32, len(g.recs)+1)
	for _, sp := range g.services {
		for _, c := range sp.consumers {
			g.consOff[c+1]++
		}
	}
	for i := range g.recs {
		g.consOff[i+1] += g.consOff[i]
	}
	next := slices.Clone(g.consOff[:len(g.recs)])
	g.consList = make([]int32, g.consOff[len(g.recs)])
	for si, sp := range g.services {
		for _, c := range sp.consumers {
			g.consList[next[c]] = int32(si)
			next[c]++
		}
	}
}

// nth returns the j-th (from 0) of lo, lo+1, ... that is not in skip
// (ascending, each at least lo).
func nth(lo, j int, skip []int) int {
	v := lo + j
	for _, s := range skip {
		if s <= v {
			v++
		}
	}
	return v
}

// serviceID, nlbID and tgID return the ids of endpoint service si, and of
// its load balancer and target group.
func (g *generator) serviceID(si int) model.ID { return model.ID("vpce-svc-" + g.services[si].num) }

func (g *generator) nlbID(si int) model.ID {
	return model.ID("nlb-" + g.num(g.services[si].provider) + "-svc-" + g.services[si].num)
}

func (g *generator) tgID(si int) model.ID {
	return model.ID("tg-" + g.num(g.services[si].provider) + "-svc-" + g.services[si].num)
}

// --- addresses --------------------------------------------------------------

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func addrOf(x uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
}

// prefix6 returns the k-th block of length bits inside IPv6 prefix p
// (bits at most 64).
func prefix6(p netip.Prefix, bits int, k uint64) netip.Prefix {
	a := p.Addr().As16()
	hi := uint64(0)
	for i := range 8 {
		hi = hi<<8 | uint64(a[i])
	}
	hi |= k << (64 - bits)
	for i := range 8 {
		a[7-i] = byte(hi >> (8 * i))
	}
	return netip.PrefixFrom(netip.AddrFrom16(a), bits)
}

// addr6 returns the address of IPv6 prefix p (a /64) whose interface
// identifier is host.
func addr6(p netip.Prefix, host uint32) netip.Addr {
	a := p.Addr().As16()
	for i := range 4 {
		a[15-i] = byte(host >> (8 * i))
	}
	return netip.AddrFrom16(a)
}

// pool hands out the usable addresses of a subnet in order: not the first
// four nor the last (S-02).
type pool struct{ next, last uint32 }

func newPool(p netip.Prefix) *pool {
	base := u32(p.Addr())
	return &pool{next: base + 4, last: base + 1<<(32-p.Bits()) - 2}
}

// take returns the next free address, or false when the subnet is full.
func (p *pool) take() (netip.Addr, bool) {
	if p.next > p.last {
		return netip.Addr{}, false
	}
	a := addrOf(p.next)
	p.next++
	return a, true
}

// mustTake is take for the few infrastructure addresses, which always fit.
func (p *pool) mustTake() netip.Addr {
	a, ok := p.take()
	if !ok {
		panic("gen: subnet full")
	}
	return a
}

// publicIP returns the next public address, skipping .0 and .255.
func (g *generator) publicIP() netip.Addr {
	for g.nextPub&0xff == 0 || g.nextPub&0xff == 0xff {
		g.nextPub++
	}
	a := addrOf(g.nextPub)
	g.nextPub++
	return a
}

func ptr[T any](v T) *T { return &v }

func ports(p uint16) *model.PortRange { r := model.SinglePort(p); return &r }

func azName(region string, z int) string { return region + string(rune('a'+z)) }

func azLetter(z int) string { return string(rune('a' + z)) }
