package model_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// minimal wraps VPC-level YAML into a whole file.
func minimal(vpcBody string) string {
	return "version: 1\nvpcs:\n  - id: vpc-a\n    region: ap-southeast-1\n    cidr_blocks: [10.0.0.0/16]\n" + vpcBody
}

func TestDecodeErrorsAreExactAndPositioned(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"bad CIDR", minimal("    subnets:\n      - {id: s1, az: ap-southeast-1a, cidr_block: 10.0.1.0/33}\n"),
			[]string{`t.yaml:7:51: vpcs[0].subnets[0].cidr_block: "10.0.1.0/33" is not a CIDR`}},
		{"host bits", minimal("    subnets:\n      - {id: s1, az: ap-southeast-1a, cidr_block: 10.0.1.1/24}\n"),
			[]string{`t.yaml:7:51: vpcs[0].subnets[0].cidr_block: "10.0.1.1/24" has host bits set (did you mean 10.0.1.0/24?)`}},
		{"address given as CIDR", minimal("    subnets:\n      - {id: s1, az: ap-southeast-1a, cidr_block: 10.0.1.0}\n"),
			[]string{`t.yaml:7:51: vpcs[0].subnets[0].cidr_block: "10.0.1.0" is an address, not a CIDR (write 10.0.1.0/32)`}},
		{"unknown key with suggestion", minimal("    subnets:\n      - {id: s1, az: ap-southeast-1a, cidr_blok: 10.0.1.0/24}\n"),
			[]string{
				`t.yaml:7:9: vpcs[0].subnets[0].cidr_block: required field is missing (ipv6_only: true lifts the requirement)`,
				`t.yaml:7:39: vpcs[0].subnets[0].cidr_blok: unknown field "cidr_blok" (did you mean "cidr_block"?)`,
			}},
		{"wrong type bool", minimal("    route_tables:\n      - {id: r1, main: yes}\n"),
			[]string{`t.yaml:7:24: vpcs[0].route_tables[0].main: expected true or false, got "yes"`}},
		{"wrong type list", minimal("    cidr_block: x\n"),
			[]string{`t.yaml:6:5: vpcs[0].cidr_block: unknown field "cidr_block" (did you mean "cidr_blocks"?)`}},
		{"scalar where list", "version: 1\nvpcs: vpc-a\n",
			[]string{`t.yaml:2:7: vpcs: expected a list, got "vpc-a"`}},
		{"duplicate key", minimal("    region: eu-west-1\n"),
			[]string{`t.yaml:6:5: vpcs[0].region: field "region" given twice`}},
		{"port out of range", minimal("    load_balancers:\n      - {id: lb, type: network, scheme: internal, subnets: [], listeners: [{protocol: tcp, port: 70000, target_group: tg}]}\n"),
			[]string{
				`t.yaml:7:98: vpcs[0].load_balancers[0].listeners[0].port: 70000 is out of range (0 to 65535)`,
			}},
		{"bad enum", minimal("    load_balancers:\n      - {id: lb, type: network, scheme: public, subnets: []}\n"),
			[]string{`t.yaml:7:41: vpcs[0].load_balancers[0].scheme: "public" is not a load balancer scheme (one of internal, internet-facing)`}},
		{"merge keys refused", "version: 1\nx: &x {a: 1}\n",
			[]string{`t.yaml:2:1: x: unknown field "x" (known: version, accounts, vpcs, peering_connections, transit_gateways, prefix_lists, endpoint_services, hosted_zones, external_networks, expectations, lint)`}},
		{"version", "version: 2\n", []string{`t.yaml:1:10: version: unsupported format version 2 (this vpcreach reads version 1)`}},
		{"missing version", "vpcs: []\n", []string{`t.yaml:1:1: version: required field is missing`}},
		{"empty", "", []string{`t.yaml:1:1: empty file: a topology starts with "version: 1"`}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{`t.yaml:2:1: a topology file holds one YAML document; split the others into their own files`}},
		{"syntax", "version: 1\nvpcs: [\n", []string{`t.yaml:2:7: YAML syntax: did not find expected node content`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Parse("t.yaml", []byte(tt.yaml))
			require.Error(t, err)
			var ds model.Diagnostics
			require.True(t, errors.As(err, &ds))
			var got []string
			for _, d := range ds {
				got = append(got, d.Error())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeAcceptsAWSSpellings(t *testing.T) {
	src := minimal(`    subnets:
      - {id: s1, az: ap-southeast-1a, cidr_block: 10.0.1.0/24}
    network_acls:
      - id: acl
        ingress:
          - {rule: 100, protocol: "6", ports: 443, cidr: 0.0.0.0/0, action: ALLOW}
          - {rule: 110, protocol: -1, cidr: 0.0.0.0/0, action: deny}
          - {rule: 120, protocol: icmp, icmp: {type: 8}, cidr: 0.0.0.0/0, action: allow}
    security_groups:
      - id: sg
        ingress:
          - {protocol: tcp, ports: 1024-65535, sources: [10.0.0.0/8, sg, pl-1]}
prefix_lists:
  - {id: pl-1, cidrs: [52.0.0.0/8]}
accounts:
  - id: 012345678901
`)
	m, warnings, err := model.LoadBytes("t.yaml", []byte(src))
	require.NoError(t, err)
	assert.Empty(t, warnings)
	acl := m.VPCs[0].NetworkACLs[0]
	assert.Equal(t, model.ProtocolTCP, acl.Ingress[0].Protocol)
	assert.Equal(t, model.SinglePort(443), *acl.Ingress[0].Ports)
	assert.Equal(t, model.ACLAllow, acl.Ingress[0].Action)
	assert.Equal(t, model.ProtocolAll, acl.Ingress[1].Protocol)
	assert.Equal(t, model.ICMPMatch{Type: 8, Code: -1}, *acl.Ingress[2].ICMP, "code defaults to any")
	sg := m.VPCs[0].SecurityGroups[0]
	assert.Len(t, sg.Egress, 0, "egress omitted stays empty in the model; see SecurityGroup docs")
	assert.Equal(t, []model.Peer{{CIDR: mustPrefix("10.0.0.0/8")}, {Ref: "sg"}, {Ref: "pl-1"}}, sg.Ingress[0].Sources)
	assert.Equal(t, model.ID("012345678901"), m.Accounts[0].ID, "a leading zero survives")
	assert.Equal(t, "t.yaml:13:13", acl.Ingress[2].Source.Position.String())
	assert.Equal(t, "vpcs[0].network_acls[0].ingress[2].cidr", acl.Ingress[2].Source.Field("cidr").Path)
}

func TestAliasesExpandWithinBudget(t *testing.T) {
	// Aliases let a small file stand for an enormous one: one anchored VPC
	// with 3,000 instances, repeated through 500 aliases, is 1.5 million
	// resources. The decoder must refuse it rather than expand it.
	var b strings.Builder
	b.WriteString("version: 1\nvpcs:\n  - &v\n    id: vpc-a\n    region: r\n    cidr_blocks: [10.0.0.0/16]\n    instances:\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "      - {id: i-%d, subnet: s, private_ip: 10.0.0.4}\n", i)
	}
	for i := 0; i < 500; i++ {
		b.WriteString("  - *v\n")
	}
	_, err := model.Parse("bomb.yaml", []byte(b.String()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "YAML aliases expand to more than")
}

func TestMergeKeepsIdsUniqueAcrossFiles(t *testing.T) {
	a, err := model.Parse("a.yaml", []byte(minimal("")))
	require.NoError(t, err)
	b, err := model.Parse("b.yaml", []byte(minimal("")))
	require.NoError(t, err)
	ds := model.Validate(model.Merge(a, b))
	require.Len(t, ds.Errors(), 1)
	assert.Equal(t, `b.yaml:3:9: vpcs[0].id: duplicate id "vpc-a" (first defined at a.yaml:3:9)`, ds.Errors()[0].Error())
	assert.ErrorIs(t, ds.Err(), model.ErrDuplicateID)
}

func TestExampleTopologyValidates(t *testing.T) {
	_, warnings, err := model.LoadBytes("example.yaml", model.ExampleTopology())
	require.NoError(t, err)
	assert.Empty(t, warnings)
}

func FuzzLoad(f *testing.F) {
	f.Add(model.ExampleTopology())
	f.Add([]byte(minimal("    subnets:\n      - {id: s1, az: ap-southeast-1a, cidr_block: 10.0.1.0/24}\n")))
	f.Add([]byte("version: 1\nvpcs: [{id: a, region: r, cidr_blocks: [10.0.0.0/16], subnets: [{id: s, az: r1, cidr_block: 10.0.0.0/28}], instances: [{id: i, subnet: s, private_ip: 10.0.0.4}]}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	// Every example topology and every broken one of the repository seeds
	// the corpus too, with testdata/fuzz/FuzzLoad.
	files, _ := filepath.Glob("../testdata/*.yaml")
	broken, _ := filepath.Glob("../testdata/invalid/*.yaml")
	if len(files) == 0 || len(broken) == 0 {
		f.Fatal("no topologies in ../testdata and ../testdata/invalid to seed the corpus")
	}
	// Gateway Load Balancer scenarios and AAAA records, which no
	// topology of ../testdata holds.
	more, _ := filepath.Glob("../solver/testdata/gwlb-*.yaml")
	more = append(more, "../tfimport/testdata/dns6.yaml")
	for _, name := range append(append(files, broken...), more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("WATCHDOG slow input %q", data))
			}
		}()
		m, _, err := model.LoadBytes("fuzz.yaml", data)
		if err != nil {
			var ds model.Diagnostics
			if !errors.As(err, &ds) || len(ds) == 0 {
				t.Fatalf("error is not a non-empty Diagnostics: %v", err)
			}
			for _, d := range ds {
				if d.Pos.File != "fuzz.yaml" || d.Pos.Line < 1 || d.Pos.Column < 1 || d.Message == "" {
					t.Fatalf("diagnostic without line, column or message: %#v", d)
				}
			}
			return
		}
		if m == nil {
			t.Fatal("nil model without error")
		}
	})
}

// TestIPv6Values: IPv6 CIDRs load where either family is allowed
// (security group peers, network ACL rules, routes: V-04), are not
// taken for an unknown security group or prefix list, and are refused with
// a pointer to the IPv6 field in an IPv4 field.
func TestIPv6Values(t *testing.T) {
	sg := "    subnets: [{id: s, az: ap-southeast-1a, cidr_block: 10.0.0.0/24}]\n    security_groups:\n      - id: sg\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"security group source", minimal(sg + "        ingress: [{protocol: tcp, ports: 443, sources: [\"::/0\", 10.0.0.0/8]}]\n"), ""},
		{"security group destination", minimal(sg + "        egress: [{protocol: all, destinations: [sg, 2600:1f18::/32]}]\n"), ""},
		{"network ACL", minimal("    network_acls:\n      - id: acl\n        ingress: [{rule: 100, protocol: all, cidr: \"::/0\", action: allow}]\n"), ""},
		{"route", minimal("    internet_gateway: igw\n    route_tables:\n      - id: rt\n        routes: [{destination: \"::/0\", target: igw}]\n"), ""},
		{"route starting with a letter", minimal("    internet_gateway: igw\n    route_tables:\n      - id: rt\n        routes: [{destination: fd00::/8, target: igw}]\n"), ""},
		{"route to an address", minimal("    internet_gateway: igw\n    route_tables:\n      - id: rt\n        routes: [{destination: fd00::1, target: igw}]\n"),
			`t.yaml:9:32: vpcs[0].route_tables[0].routes[0].destination: "fd00::1" is an address, not a CIDR (write fd00::1/128)`},
		{"IPv6 private_ip", minimal(sg + "    instances: [{id: i, subnet: s, private_ip: \"fd00::5\"}]\n"),
			`t.yaml:9:48: vpcs[0].instances[0].private_ip: "fd00::5" is an IPv6 address, not IPv4; write IPv6 values under ipv6_addresses`},
		{"IPv4 in ipv6_addresses", minimal(sg + "    instances: [{id: i, subnet: s, private_ip: 10.0.0.5, ipv6_addresses: [10.0.0.6]}]\n"),
			`t.yaml:9:75: vpcs[0].instances[0].ipv6_addresses[0]: "10.0.0.6" is an IPv4 address, not IPv6`},
		{"IPv4-mapped", minimal(sg + "        ingress: [{protocol: tcp, ports: 443, sources: [\"::ffff:10.0.0.0/104\"]}]\n"),
			`t.yaml:9:57: vpcs[0].security_groups[0].ingress[0].sources[0]: "::ffff:10.0.0.0/104" is an IPv4-mapped IPv6 CIDR; write IPv4 blocks as IPv4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := model.LoadBytes("t.yaml", []byte(tt.yaml))
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var got []string
			for _, d := range diagsOf(t, err) {
				got = append(got, d.Error())
			}
			assert.Equal(t, []string{tt.want}, got)
		})
	}
}

// TestParseFilesKeepsOrder: files parsed at once come back in the order
// given, with their diagnostics in that order, as parsing them one by one
// gives them.
func TestParseFilesKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 12 {
		text := fmt.Sprintf("version: 1\nvpcs:\n  - {id: vpc-%02d, region: eu-west-1, cidr_blocks: [10.%d.0.0/16]}\n", i, i)
		switch i % 4 {
		case 1:
			text += "unknown_key: 1\n"
		case 2:
			text = "version: 1\nvpcs: [\n"
		}
		p := filepath.Join(dir, fmt.Sprintf("net-%02d.yaml", i))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		paths = append(paths, p)
	}
	paths = append(paths, filepath.Join(dir, "missing.yaml"))
	models, diags := model.ParseFiles(paths...)
	var wantModels []model.ID
	var wantDiags model.Diagnostics
	for _, p := range paths {
		ms, ds := model.ParseFiles(p)
		for _, m := range ms {
			wantModels = append(wantModels, m.VPCs[0].ID)
		}
		wantDiags = append(wantDiags, ds...)
	}
	var got []model.ID
	for _, m := range models {
		got = append(got, m.VPCs[0].ID)
	}
	assert.Equal(t, wantModels, got)
	assert.Len(t, got, 9, "the files that parse")
	assert.Equal(t, wantDiags, diags)
}
