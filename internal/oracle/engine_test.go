package oracle_test

import (
	"flag"
	"fmt"
	"math/bits"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// The engine (solver.Reach and the whole-network analyses) is checked
// against the oracle on random models with fixed seeds. `go test` runs a
// few hundred models; set VPCREACH_ORACLE_MODELS (or -oracle.models) for
// a longer run, VPCREACH_ORACLE_FIRST to start at another seed, and
// VPCREACH_ORACLE_DUMP to a directory to get the YAML of every model with
// an unexplained disagreement.

var (
	modelsFlag = flag.Int("oracle.models", 0, "number of random models to check the engine against the oracle on")
	firstFlag  = flag.Int("oracle.first", 0, "first seed")
)

const queriesPerModel = 40

// nat64Prefix is NAT64's well-known prefix (V-16).
var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// s3Range6 holds the IPv6 prefix lists of S3 that
// oracle.GenerateIPv6Services writes.
var s3Range6 = netip.MustParsePrefix("2600:1ffa::/32")

func envInt(name string, flagValue, def int) int {
	if flagValue > 0 {
		return flagValue
	}
	if s := os.Getenv(name); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return def
}

// generate returns the model of a seed: an IPv4 one (oracle.Generate)
// for an even seed, a dual-stack one (oracle.GenerateDualStack) for seeds
// 1 mod 4, one with inspection appliances behind a Gateway Load Balancer
// (oracle.GenerateWithInspection) for seeds 3 mod 8, and an inspection
// VPC behind a transit gateway (oracle.GenerateInspectionVPC) for seeds 7
// mod 8.
func generate(seed uint64) *model.Model {
	switch {
	case seed%4 == 1:
		return oracle.GenerateDualStack(seed)
	case seed%8 == 3:
		return oracle.GenerateWithInspection(seed)
	case seed%8 == 7:
		return oracle.GenerateInspectionVPC(seed)
	}
	return oracle.Generate(seed)
}

// seeds returns the seeds of the run: def models by default.
func seeds(t *testing.T, def int) []uint64 {
	if testing.Short() {
		def /= 5
	}
	n := envInt("VPCREACH_ORACLE_MODELS", *modelsFlag, def)
	first := envInt("VPCREACH_ORACLE_FIRST", *firstFlag, 1)
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(first + i)
	}
	t.Logf("%d models from seed %d", n, first)
	return out
}

// toSolver turns an oracle query into the engine's.
func toSolver(q oracle.Query) solver.Query {
	return solver.Query{From: q.From, To: q.To, Protocol: q.Protocol, Port: q.Port, ICMP: q.ICMP, Ephemeral: q.Ephemeral}
}

// outcome is what the comparison looks at: the verdict and the sets of
// blocking and warning codes; the address family answered (V-06: "ipv4",
// "ipv6", or "" when the oracle finds no family in common, where the
// engine's is not compared); and, for a query answered in both families,
// each family's outcome.
type outcome struct {
	verdict            string
	blockers, warnings []string
	family             string
	families           []outcome
}

func (o outcome) equal(p outcome) bool {
	if o.family != "" && p.family != "" && o.family != p.family {
		return false
	}
	return o.verdict == p.verdict && slices.Equal(o.blockers, p.blockers) && slices.Equal(o.warnings, p.warnings) &&
		slices.EqualFunc(o.families, p.families, outcome.equal)
}

func (o outcome) String() string {
	if len(o.families) > 0 {
		var parts []string
		for _, f := range o.families {
			parts = append(parts, f.String())
		}
		return o.verdict + " {" + strings.Join(parts, "; ") + "}"
	}
	s := o.verdict
	if o.family == "ipv6" {
		s += " (IPv6)"
	}
	if len(o.blockers) > 0 {
		s += " [" + strings.Join(o.blockers, " ") + "]"
	}
	if len(o.warnings) > 0 {
		s += " warnings [" + strings.Join(o.warnings, " ") + "]"
	}
	return s
}

func engineOutcome(r solver.Result) outcome {
	o := outcome{verdict: r.Verdict.String(), family: r.Family}
	for _, f := range r.Families {
		o.families = append(o.families, engineOutcome(f))
	}
	for _, b := range r.Blockers {
		if c := b.Code.String(); !slices.Contains(o.blockers, c) {
			o.blockers = append(o.blockers, c)
		}
	}
	for _, w := range r.Warnings {
		if c := w.Code.String(); !slices.Contains(o.warnings, c) {
			o.warnings = append(o.warnings, c)
		}
	}
	slices.Sort(o.blockers)
	slices.Sort(o.warnings)
	return o
}

func oracleOutcome(a oracle.Answer) outcome {
	o := outcome{verdict: a.Verdict, blockers: a.Blockers, warnings: a.Warnings, family: a.Family}
	for _, f := range a.Families {
		o.families = append(o.families, oracleOutcome(f))
	}
	return o
}

// classify names the known disagreement class a query falls in: the
// smallest set of rules (of knownClasses) that, left out of the oracle,
// makes it agree with the engine, joined by "+"; or "" for an unexplained
// disagreement.
func classify(t *testing.T, m *model.Model, q oracle.Query, engine outcome) string {
	var rules []string
	for _, k := range knownClasses {
		rules = append(rules, k.rule)
	}
	// Subsets by size, then in order: the first that explains it is the
	// smallest.
	for size := 1; size <= len(rules); size++ {
		for mask := 1; mask < 1<<len(rules); mask++ {
			if bits.OnesCount(uint(mask)) != size {
				continue
			}
			var skip []string
			for i, r := range rules {
				if mask&(1<<i) != 0 {
					skip = append(skip, r)
				}
			}
			n, err := oracle.New(m, oracle.Options{Skip: skip})
			require.NoError(t, err)
			if oracleOutcome(n.Reach(q)).equal(engine) {
				return strings.Join(skip, "+")
			}
		}
	}
	return ""
}

// tally counts agreements and disagreements by class, and keeps a few
// examples of each.
type tally struct {
	queries, agree, reachable int
	// ipv6 counts queries the oracle answers over IPv6 (alone or with
	// IPv4), and ipv6Reachable those it finds reachable over IPv6.
	ipv6, ipv6Reachable int
	// nat64 counts queries to an address of 64:ff9b::/96 (V-16), and
	// nat64Reachable those the oracle finds reachable.
	nat64, nat64Reachable int
	// names counts queries to a DNS name (S-90), dns64 those to a name
	// of A records only answered over IPv6 (DNS64, V-17), and
	// dns64Reachable those reachable over IPv6.
	names, dns64, dns64Reachable int
	// s3v6 counts queries to S3's IPv6 list of GenerateIPv6Services
	// (V-30), and s3v6Reachable those the oracle finds reachable.
	s3v6, s3v6Reachable int
	// analysisCells counts analysis cells that agree with the oracle.
	analysisCells int
	// codes counts the oracle's codes, to show what the models exercise;
	// codes6 those of its IPv6 answers.
	codes, codes6 map[string]int
	known         map[string]int
	knownExamples map[string][]string
	unknown       map[string][]string
	dump          string
}

func newTally() *tally {
	return &tally{known: map[string]int{}, unknown: map[string][]string{}, knownExamples: map[string][]string{}, codes: map[string]int{}, codes6: map[string]int{}, dump: os.Getenv("VPCREACH_ORACLE_DUMP")}
}

func (tl *tally) compare(t *testing.T, m *model.Model, seed uint64, q oracle.Query, engine, want outcome) {
	tl.queries++
	for _, c := range append(slices.Clone(want.blockers), want.warnings...) {
		tl.codes[c]++
	}
	reachable := want.verdict == "reachable" || want.verdict == "reachable-with-warnings"
	if reachable {
		tl.reachable++
	}
	if strings.HasPrefix(q.To, "v4-") {
		for _, f := range append([]outcome{want}, want.families...) {
			if f.family == "ipv6" {
				tl.dns64++
				if f.verdict == "reachable" || f.verdict == "reachable-with-warnings" {
					tl.dns64Reachable++
				}
				break
			}
		}
	}
	if strings.HasSuffix(q.To, ".internal") {
		tl.names++
	}
	if a, err := netip.ParseAddr(q.To); err == nil && s3Range6.Contains(a) {
		tl.s3v6++
		if reachable {
			tl.s3v6Reachable++
		}
	}
	if a, err := netip.ParseAddr(q.To); err == nil && nat64Prefix.Contains(a) {
		tl.nat64++
		if reachable {
			tl.nat64Reachable++
		}
	}
	for _, f := range append([]outcome{want}, want.families...) {
		if f.family == "ipv6" {
			tl.ipv6++
			if f.verdict == "reachable" || f.verdict == "reachable-with-warnings" {
				tl.ipv6Reachable++
			}
			for _, c := range append(slices.Clone(f.blockers), f.warnings...) {
				tl.codes6[c]++
			}
			break
		}
	}
	if engine.equal(want) {
		tl.agree++
		return
	}
	if cls := classify(t, m, q, engine); cls != "" {
		tl.known[cls]++
		if len(tl.knownExamples[cls]) < 3 {
			tl.knownExamples[cls] = append(tl.knownExamples[cls], fmt.Sprintf("seed %d: %s: engine %s, oracle %s", seed, q, engine, want))
		}
		return
	}
	// Unexplained: group by how the answers differ.
	key := fmt.Sprintf("engine %s, oracle %s", engine, want)
	tl.unknown[key] = append(tl.unknown[key], fmt.Sprintf("seed %d: %s", seed, q))
	if tl.dump != "" && len(tl.unknown[key]) <= 3 {
		y, err := model.Encode(m)
		require.NoError(t, err)
		name := filepath.Join(tl.dump, fmt.Sprintf("seed-%d.yaml", seed))
		require.NoError(t, os.WriteFile(name, y, 0o644))
	}
}

func (tl *tally) report(t *testing.T) {
	if tl.analysisCells > 0 {
		t.Logf("%d analysis cells agree with the oracle; %d differ and are classified below", tl.analysisCells, tl.queries)
	} else {
		t.Logf("%d queries, %d agree, %d reachable by the oracle; %d answered over IPv6, %d of them reachable over IPv6", tl.queries, tl.agree, tl.reachable, tl.ipv6, tl.ipv6Reachable)
		if tl.nat64 > 0 {
			t.Logf("%d queries to 64:ff9b::/96 (NAT64), %d of them reachable", tl.nat64, tl.nat64Reachable)
		}
		if tl.s3v6 > 0 {
			t.Logf("%d queries to S3's IPv6 addresses, %d of them reachable", tl.s3v6, tl.s3v6Reachable)
		}
		if tl.names > 0 {
			t.Logf("%d queries to names; %d to a name of A records answered over IPv6 (DNS64), %d of them reachable", tl.names, tl.dns64, tl.dns64Reachable)
		}
	}
	if testing.Verbose() {
		var cs []string
		for c, k := range tl.codes {
			cs = append(cs, fmt.Sprintf("%s %d", c, k))
		}
		sort.Strings(cs)
		t.Logf("oracle codes: %s", strings.Join(cs, ", "))
		cs = nil
		for c, k := range tl.codes6 {
			cs = append(cs, fmt.Sprintf("%s %d", c, k))
		}
		sort.Strings(cs)
		t.Logf("oracle codes over IPv6: %s", strings.Join(cs, ", "))
	}
	var known []string
	for k := range tl.known {
		known = append(known, k)
	}
	sort.Strings(known)
	for _, k := range known {
		t.Logf("known disagreement %s (engine does not implement it yet): %d queries", k, tl.known[k])
		if testing.Verbose() {
			for _, e := range tl.knownExamples[k] {
				t.Logf("    %s", e)
			}
		}
	}
	var keys []string
	for k := range tl.unknown {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(tl.unknown[keys[i]]) > len(tl.unknown[keys[j]]) })
	for _, k := range keys {
		ex := tl.unknown[k]
		t.Errorf("%d queries: %s; e.g. %s", len(ex), k, strings.Join(ex[:min(3, len(ex))], "; "))
	}
}

// TestReachAgreesWithOracle compares the engine's point answers (verdict,
// blocker and warning codes) with the oracle's on random models and
// queries (S-10..S-70).
func TestReachAgreesWithOracle(t *testing.T) {
	agreeOn(t, seeds(t, 300), generate)
}

// TestInspectionVPCAgreesWithOracle compares them on inspection VPCs
// behind a transit gateway (V-26; V-14, V-20..V-23), IPv4 and dual-stack:
// the seeds 7 mod 8, of oracle.GenerateInspectionVPC.
func TestInspectionVPCAgreesWithOracle(t *testing.T) {
	agreeOn(t, seedsMod8(t, 7, 400), generate)
}

// TestIngressInspectionAgreesWithOracle compares them on Gateway Load
// Balancer endpoints at the internet edge (V-20..V-25), with IPv6 routes
// to them in dual-stack VPCs: the seeds 3 mod 8, of
// oracle.GenerateWithInspection.
func TestIngressInspectionAgreesWithOracle(t *testing.T) {
	agreeOn(t, seedsMod8(t, 3, 400), generate)
}

// TestNAT64AgreesWithOracle compares them on models with NAT64 routes
// (oracle.GenerateNAT64): IPv6-only and dual-stack clients sending to
// 64:ff9b::/96 addresses routed to public and private NAT gateways (and
// now and then elsewhere), towards internet hosts and IPv4 addresses of
// the same and other VPCs, over tcp, udp, ICMPv6 echo and what NAT64
// does not carry (V-16). Its seeds are GenerateNAT64's, apart from the
// other tests'.
func TestNAT64AgreesWithOracle(t *testing.T) {
	agreeOn(t, seeds(t, 300), generators["nat64"])
}

// generators are the generators of the kinds of model the tests name
// apart from generate's seeds: VPCREACH_ORACLE_EXPLAIN takes KIND/SEED.
var generators = map[string]func(uint64) *model.Model{"nat64": oracle.GenerateNAT64, "services6": oracle.GenerateIPv6Services}

// TestIPv6ServicesAgreeWithOracle compares them on models with IPv6 on
// gateway endpoints and Gateway Load Balancer endpoints
// (oracle.GenerateIPv6Services): gateway endpoints of IP address type
// ipv4, dualstack and ipv6 routing S3's IPv4 list, both or its IPv6 one,
// queried at S3's IPv4 and IPv6 addresses (V-30); a dualstack Gateway
// Load Balancer whose endpoint service accepts IPv4 and IPv6 (V-32,
// V-33), with ipv4, dualstack and ipv6 endpoints carrying both families.
func TestIPv6ServicesAgreeWithOracle(t *testing.T) {
	agreeOn(t, seeds(t, 300), generators["services6"])
}

// seedsMod8 returns the seeds of a run of def models by default, all
// equal to r mod 8: the n-th seed of seeds is the n-th such seed.
func seedsMod8(t *testing.T, r uint64, def int) []uint64 {
	var out []uint64
	for _, s := range seeds(t, def) {
		out = append(out, 8*(s-1)+r)
	}
	t.Logf("seeds %d to %d, %d mod 8", out[0], out[len(out)-1], r)
	return out
}

// agreeOn compares the engine with the oracle on the models gen makes of
// seeds, queriesPerModel queries each.
func agreeOn(t *testing.T, seeds []uint64, gen func(uint64) *model.Model) {
	tl := newTally()
	invalid := 0
	for _, seed := range seeds {
		m := gen(seed)
		if err := model.Validate(m).Err(); err != nil {
			invalid++
			t.Errorf("seed %d: generated model is invalid: %v", seed, err)
			continue
		}
		s, err := solver.New(m)
		require.NoError(t, err)
		o, err := oracle.New(m, oracle.Options{})
		require.NoError(t, err)
		for _, q := range oracle.Queries(m, seed, queriesPerModel) {
			tl.compare(t, m, seed, q, engineOutcome(s.Reach(toSolver(q))), oracleOutcome(o.Reach(q)))
		}
	}
	if invalid > 0 {
		t.Errorf("%d generated models are invalid: generator bugs", invalid)
	}
	tl.report(t)
}

// TestExplainDisagreement prints, when VPCREACH_ORACLE_EXPLAIN is
// [KIND/]SEED:QUERY (a query as the failure messages print it; KIND one
// of generators), the generated
// model, the engine's full answer and the oracle's, to investigate a
// disagreement.
func TestExplainDisagreement(t *testing.T) {
	spec := os.Getenv("VPCREACH_ORACLE_EXPLAIN")
	if spec == "" {
		t.Skip("set VPCREACH_ORACLE_EXPLAIN=SEED:QUERY to explain a disagreement")
	}
	seedText, query, _ := strings.Cut(spec, ":")
	gen := generate
	if kind, rest, ok := strings.Cut(seedText, "/"); ok {
		gen, seedText = generators[strings.TrimSpace(kind)], rest
		require.NotNil(t, gen, "no generator %q", kind)
	}
	seed, err := strconv.ParseUint(strings.TrimSpace(seedText), 10, 64)
	require.NoError(t, err)
	m := gen(seed)
	y, err := model.Encode(m)
	require.NoError(t, err)
	t.Logf("model of seed %d:\n%s", seed, y)
	s, err := solver.New(m)
	require.NoError(t, err)
	o, err := oracle.New(m, oracle.Options{})
	require.NoError(t, err)
	for _, q := range oracle.Queries(m, seed, queriesPerModel) {
		if q.String() == strings.TrimSpace(query) {
			r := s.Reach(toSolver(q))
			t.Logf("engine:\n%s", r.Text())
			t.Logf("oracle: %s; class: %q", oracleOutcome(o.Reach(q)), classify(t, m, q, engineOutcome(r)))
			return
		}
	}
	t.Fatalf("seed %d asks no query %q", seed, query)
}
