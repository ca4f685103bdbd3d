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

// vpcPlan is what is decided about a VPC before it is built.
type vpcPlan struct {
	idx      int
	id       model.ID
	num      string // the VPC's number as it appears in ids: "0001"
	region   int
	account  int
	hub      bool // the egress hub of its region
	public   bool // has an internet gateway and NAT gateways
	overlap  bool // reuses the previous VPC's CIDR (planted overlap)
	perAZNAT bool // a NAT gateway per zone (else one)
	azs      int
	cidr     netip.Prefix
	cidr6    netip.Prefix // the IPv6 block (Options.DualStack), a /56
	peers    []peerRef
	provides []int // endpoint services this VPC provides
	consumes []int // endpoint services this VPC has endpoints to
	aws      []string

	// Filled in while building.
	subnets   [numSubnetTiers][]model.ID
	pools     [numSubnetTiers][]*pool
	privRTs   []model.ID // per zone, or one
	instances [numTiers][]model.ID
	publicWeb []model.ID
	attach    model.ID
}

type peerRef struct {
	pcx   model.ID
	other int
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
	id        model.ID
	num       string
	region    int
	provider  int
	consumers []int
	nlb, tg   model.ID
}

type regionPlan struct {
	name      string
	vpcs      []int // indexes of its VPCs, hub first
	supernet  netip.Prefix
	supernet6 netip.Prefix // its IPv6 blocks' /40 (Options.DualStack)
	tgw       model.ID
	spokeRT   model.ID
	hubRT     model.ID
	peerAtt   model.ID // its transit gateway peering attachment, if any
	pl        model.ID // the S3 prefix list
}

type generator struct {
	o        Options
	r        *rand.Rand
	m        *model.Model
	accounts []model.ID
	regions  []regionPlan
	vpcs     []vpcPlan
	services []servicePlan
	vpcBits  int // VPC prefix length
	snBits   int // subnet prefix length
	nextPub  uint32
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
	g.m.VPCs = make([]model.VPC, len(g.vpcs))
	for v, err := range g.build() {
		if err != nil {
			return nil, err
		}
		g.m.VPCs[v.i] = *v.VPC
	}
	return g.m, nil
}

// Write writes the topology the options describe as YAML, the bytes of
// model.Encode of what Build builds, building and writing one VPC at a
// time (model.EncodeStream): its memory grows with the plan of the network
// (a few ids per VPC), not with the network. It returns Build's errors
// before writing anything, and w's.
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
	return model.EncodeStream(w, g.m, func(yield func(*model.VPC, error) bool) {
		for v, err := range g.build() {
			if !yield(v.VPC, err) || err != nil {
				return
			}
		}
	})
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
// overwritten for the next), and after the last builds the rest of the
// model: transit gateways, peerings, prefix lists, services and
// expectations. The random choices are made in this one order, whoever
// consumes the VPCs.
func (g *generator) build() iter.Seq2[builtVPC, error] {
	return func(yield func(builtVPC, error) bool) {
		var v model.VPC
		for i := range g.vpcs {
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
		g.buildTransitGateways()
		g.buildPeerings()
		g.buildPrefixLists()
		g.buildServices()
		g.buildExpectations()
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
	w := width(n)
	idx := 0
	for r := range nr {
		rp := &g.regions[r]
		rp.name = g.o.Regions[r]
		rp.supernet = netip.PrefixFrom(addrOf(u32(internal.Addr())+uint32(r)<<(32-regionBits)), regionBits)
		count := n / nr
		if r < n%nr {
			count++
		}
		for k := range count {
			v := vpcPlan{idx: idx, region: r, hub: k == 0}
			v.num = fmt.Sprintf("%0*d", w, idx+1)
			v.id = model.ID("vpc-" + v.num)
			rp.vpcs = append(rp.vpcs, idx)
			g.vpcs = append(g.vpcs, v)
			idx++
		}
	}
	// Planted overlaps, then the size of VPC blocks: the largest that
	// gives every distinct VPC of the busiest region its own block.
	distinct := make([]int, nr)
	for i := range g.vpcs {
		v := &g.vpcs[i]
		v.overlap = g.o.OverlapEvery > 0 && i > 0 && (i+1)%g.o.OverlapEvery == 0 && !v.hub
		if !v.overlap {
			distinct[v.region]++
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

	slot, slot6 := make([]int, nr), make([]int, nr)
	for r := range g.regions {
		g.regions[r].supernet6 = prefix6(internal6, 40, uint64(r))
	}
	for i := range g.vpcs {
		v := &g.vpcs[i]
		if g.o.DualStack {
			// Amazon-provided blocks never overlap, planted overlaps or not.
			v.cidr6 = prefix6(g.regions[v.region].supernet6, 56, uint64(slot6[v.region]))
			slot6[v.region]++
		}
		if v.overlap {
			v.cidr = g.vpcs[i-1].cidr
		} else {
			rp := &g.regions[v.region]
			v.cidr = netip.PrefixFrom(addrOf(u32(rp.supernet.Addr())+uint32(slot[v.region])<<(32-g.vpcBits)), g.vpcBits)
			slot[v.region]++
		}
		// Random choices, in a fixed order per VPC.
		if v.hub || len(g.accounts) == 1 {
			v.account = 0
		} else {
			v.account = 1 + g.r.IntN(len(g.accounts)-1)
		}
		v.public = v.hub || g.r.IntN(4) == 0
		v.perAZNAT = v.hub || (v.public && g.r.IntN(2) == 0)
		v.azs = 3
		if !v.hub && g.r.IntN(2) == 0 {
			v.azs = 2
		}
		if g.r.IntN(10) < 3 {
			v.aws = awsInterfaceServices
		}
	}
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

// eligible reports whether a VPC may be peered or provide a service: a
// spoke whose block is its own.
func (v *vpcPlan) eligible() bool { return !v.hub && !v.overlap }

// planPeerings picks a few percent of the pairs of eligible spokes of each
// region (3% of the pairs, at most one per spoke on average, at least one
// when there are two spokes), by rejection sampling with integers only.
func (g *generator) planPeerings() {
	type pair struct{ a, b int }
	for r := range g.regions {
		var cand []int
		for _, i := range g.regions[r].vpcs {
			if g.vpcs[i].eligible() {
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
			a, b := &g.vpcs[p.a], &g.vpcs[p.b]
			if a.cidr.Overlaps(b.cidr) {
				continue // never: distinct blocks; kept as a guard (S-41)
			}
			id := model.ID("pcx-" + a.num + "-" + b.num)
			a.peers = append(a.peers, peerRef{id, p.b})
			b.peers = append(b.peers, peerRef{id, p.a})
		}
	}
}

// planServices picks a few PrivateLink providers (one per 25 VPCs, at least
// one), each with 1 to 3 consumer VPCs of its region.
func (g *generator) planServices() {
	want := max(1, len(g.vpcs)/25)
	used := make([]bool, len(g.vpcs))
	w := max(2, len(strconv.Itoa(want)))
	for s := 0; s < want; s++ {
		// Regions in turn; skip those with no free provider or no consumer.
		var provider = -1
		var region int
		for try := range len(g.regions) {
			region = (s + try) % len(g.regions)
			rp := &g.regions[region]
			var cand []int
			for _, i := range rp.vpcs {
				if g.vpcs[i].eligible() && !used[i] {
					cand = append(cand, i)
				}
			}
			if len(cand) == 0 || len(rp.vpcs) < 2 {
				continue
			}
			provider = cand[g.r.IntN(len(cand))]
			break
		}
		if provider < 0 {
			break
		}
		used[provider] = true
		sp := servicePlan{num: fmt.Sprintf("%0*d", w, len(g.services)+1), region: region, provider: provider}
		sp.id = model.ID("vpce-svc-" + sp.num)
		// Consumers: other VPCs of the region, spokes preferred.
		var cand []int
		for _, i := range g.regions[region].vpcs {
			if i != provider && !g.vpcs[i].hub {
				cand = append(cand, i)
			}
		}
		if len(cand) == 0 {
			cand = []int{g.regions[region].vpcs[0]}
		}
		nc := min(len(cand), 1+g.r.IntN(3))
		for range nc {
			j := g.r.IntN(len(cand))
			sp.consumers = append(sp.consumers, cand[j])
			cand = slices.Delete(cand, j, j+1)
		}
		slices.Sort(sp.consumers)
		si := len(g.services)
		g.vpcs[provider].provides = append(g.vpcs[provider].provides, si)
		for _, c := range sp.consumers {
			g.vpcs[c].consumes = append(g.vpcs[c].consumes, si)
		}
		g.services = append(g.services, sp)
	}
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
