package solver_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// serviceVPC is np-guard's case: one VPC of 480 instances (internal/gen,
// seed 1: nine subnets of three tiers in three zones, NAT gateways, a
// transit gateway attachment), given the rules of a VPC that runs many
// services, so that ports and classes are not trivially few:
//
//   - 24 service security groups besides the three tier groups, one per
//     instance (round robin): each admits its own service port from two
//     other service groups (references), ssh from a bastion range, node
//     metrics (tcp 9100) from a monitoring range, and, by turns, dns
//     (udp 53), icmp and cache ports (tcp 6379, 11211); every sixth
//     allows outbound https and postgres only;
//   - network ACLs on the public and app subnets that allow web ports,
//     ssh from the bastion range, service ports, dns, icmp and responses,
//     and deny telnet and rdp; the data subnets' ACL also denies ssh from
//     outside the VPC.
func serviceVPC() *model.Model {
	m := gen.Generate(gen.Options{VPCs: 1, Seed: 1, InstancesPerVPC: 495})
	v := &m.VPCs[0]
	r := rand.New(rand.NewPCG(1, 480))
	all := netip.MustParsePrefix("0.0.0.0/0")
	vpc := v.CIDRBlocks[0]
	bastion := netip.MustParsePrefix("10.255.0.0/28")
	monitoring := netip.PrefixFrom(v.Subnets[3].CIDRBlock.Addr(), 26)
	ports := func(first, last uint16) *model.PortRange { return &model.PortRange{First: first, Last: last} }
	rule := func(p model.Protocol, pr *model.PortRange, peers ...model.Peer) model.IngressRule {
		return model.IngressRule{SGRule: model.SGRule{Protocol: p, Ports: pr}, Sources: peers}
	}
	const nServices = 24
	svc := func(i int) model.ID { return model.ID(fmt.Sprintf("sg-svc-%02d", i)) }
	for i := range nServices {
		g := model.SecurityGroup{ID: svc(i), Name: string(svc(i)), Description: "service " + fmt.Sprint(i)}
		port := uint16(8000 + 10*i)
		g.Ingress = append(g.Ingress,
			rule(model.ProtocolTCP, ports(port, port+1), model.Peer{Ref: svc(r.IntN(nServices))}, model.Peer{Ref: svc(r.IntN(nServices))}),
			rule(model.ProtocolTCP, ports(22, 22), model.Peer{CIDR: bastion}),
			rule(model.ProtocolTCP, ports(9100, 9100), model.Peer{CIDR: monitoring}))
		if i%4 == 0 {
			g.Ingress = append(g.Ingress, rule(model.ProtocolUDP, ports(53, 53), model.Peer{CIDR: vpc}))
		}
		if i%3 == 0 {
			g.Ingress = append(g.Ingress, rule(model.ProtocolICMP, nil, model.Peer{CIDR: vpc}))
		}
		if i%5 == 0 {
			g.Ingress = append(g.Ingress, rule(model.ProtocolTCP, ports(6379, 6379), model.Peer{Ref: "sg-0001-app"}),
				rule(model.ProtocolTCP, ports(11211, 11211), model.Peer{Ref: "sg-0001-app"}))
		}
		if i%6 == 0 {
			g.Egress = []model.EgressRule{
				{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: ports(443, 443)}, Destinations: []model.Peer{{CIDR: all}}},
				{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: ports(5432, 5432)}, Destinations: []model.Peer{{CIDR: vpc}}},
			}
		}
		v.SecurityGroups = append(v.SecurityGroups, g)
	}
	for i := range v.Instances {
		v.Instances[i].SecurityGroups = append(v.Instances[i].SecurityGroups, svc(i%nServices))
	}
	acl := func(n int, p model.Protocol, pr *model.PortRange, cidr netip.Prefix, action model.ACLAction) model.ACLRule {
		return model.ACLRule{Rule: n, Protocol: p, Ports: pr, CIDR: cidr, Action: action}
	}
	allowAllOut := []model.ACLRule{acl(100, model.ProtocolAll, nil, all, model.ACLAllow)}
	v.NetworkACLs = append(v.NetworkACLs,
		model.NetworkACL{ID: "acl-0001-public", Egress: allowAllOut, Ingress: []model.ACLRule{
			acl(80, model.ProtocolTCP, ports(23, 23), all, model.ACLDeny),
			acl(100, model.ProtocolTCP, ports(80, 80), all, model.ACLAllow),
			acl(110, model.ProtocolTCP, ports(443, 443), all, model.ACLAllow),
			acl(120, model.ProtocolTCP, ports(22, 22), bastion, model.ACLAllow),
			acl(130, model.ProtocolTCP, ports(1024, 65535), all, model.ACLAllow),
			acl(140, model.ProtocolAll, nil, vpc, model.ACLAllow),
		}},
		model.NetworkACL{ID: "acl-0001-app", Egress: allowAllOut, Ingress: []model.ACLRule{
			acl(80, model.ProtocolTCP, ports(23, 23), all, model.ACLDeny),
			acl(90, model.ProtocolTCP, ports(3389, 3389), all, model.ACLDeny),
			acl(100, model.ProtocolTCP, ports(8000, 8999), vpc, model.ACLAllow),
			acl(110, model.ProtocolTCP, ports(22, 22), bastion, model.ACLAllow),
			acl(115, model.ProtocolTCP, ports(22, 22), vpc, model.ACLAllow),
			acl(120, model.ProtocolUDP, ports(53, 53), vpc, model.ACLAllow),
			acl(130, model.ProtocolICMP, nil, vpc, model.ACLAllow),
			acl(140, model.ProtocolTCP, ports(9100, 9100), monitoring, model.ACLAllow),
			acl(150, model.ProtocolTCP, ports(6379, 6379), vpc, model.ACLAllow),
			acl(155, model.ProtocolTCP, ports(11211, 11211), vpc, model.ACLAllow),
			acl(160, model.ProtocolTCP, ports(1024, 65535), all, model.ACLAllow),
			acl(170, model.ProtocolUDP, ports(1024, 65535), all, model.ACLAllow),
		}})
	for ai := range v.NetworkACLs {
		if a := &v.NetworkACLs[ai]; a.ID == "acl-0001-data" {
			a.Ingress = append([]model.ACLRule{acl(50, model.ProtocolTCP, ports(22, 22), vpc, model.ACLAllow),
				acl(60, model.ProtocolTCP, ports(22, 22), all, model.ACLDeny)}, a.Ingress...)
		}
	}
	for si := range v.Subnets {
		sn := &v.Subnets[si]
		switch {
		case strings.Contains(string(sn.ID), "-public-"):
			sn.NetworkACL = "acl-0001-public"
		case strings.Contains(string(sn.ID), "-app-"):
			sn.NetworkACL = "acl-0001-app"
		}
	}
	return m
}

// BenchmarkPortMatrix480 measures the every-port matrix on serviceVPC, the
// instance-to-instance map np-guard's `report endpoints` draws: the class
// level both ways (ClassPorts, and the reference, one class matrix per
// service atom) and the instance and subnet levels, each from a new solver
// (classes are part of the cost; "solver.New alone" measures that part).
func BenchmarkPortMatrix480(b *testing.B) {
	m := serviceVPC()
	newSolver := func(b *testing.B) *solver.Solver {
		s, err := solver.New(m)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	s := newSolver(b)
	b.Logf("%d instances, %d classes, %d service atoms", len(m.VPCs[0].Instances), len(s.Classes()), len(s.ServiceAtoms()))
	for _, c := range []struct {
		name string
		run  func(s *solver.Solver) int
	}{
		{"solver.New alone", func(*solver.Solver) int { return 0 }},
		{"ClassPorts/reference", func(s *solver.Solver) int { return portCells(s.ClassPortsByAtom(nil, solver.AnalysisOptions{})) }},
		{"ClassPorts/fast", func(s *solver.Solver) int { return portCells(s.ClassPorts(solver.AnalysisOptions{})) }},
		{"PortMatrix/instance", func(s *solver.Solver) int {
			return portCells(s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{}).Reach)
		}},
		{"PortMatrix/subnet", func(s *solver.Solver) int {
			return portCells(s.PortMatrix(solver.LevelSubnet, solver.AnalysisOptions{}).Reach)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cells := 0
			for b.Loop() {
				cells = c.run(newSolver(b))
			}
			b.ReportMetric(float64(cells), "cells")
		})
	}
}

// BenchmarkPortMatrix1000VPCs measures ClassPorts on the 1,000-VPC
// generated network (the solver and its classes built beforehand): 8,000
// classes, 24 million reaching class pairs, so the answer alone is about
// 2 GB; one run takes about a minute on two cores.
func BenchmarkPortMatrix1000VPCs(b *testing.B) {
	_, s := generatedSolver(b, 1000)
	s.Classes()
	b.ReportAllocs()
	cells := 0
	for b.Loop() {
		cells = portCells(s.ClassPorts(solver.AnalysisOptions{}))
	}
	b.ReportMetric(float64(cells), "cells")
}

// portCells counts the cells of a port matrix.
func portCells(rows [][]solver.PortCell) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}
