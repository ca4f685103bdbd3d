package solver

import (
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
)

// ServiceAtom is one elementary service the model's rules and listeners
// cannot split: a protocol and, for tcp and udp, a range of destination
// ports that every rule and listener treats alike. Every port of an atom
// gets the same verdict between any two endpoints, so one probe answers
// for the whole range.
type ServiceAtom struct {
	Protocol model.Protocol
	// Ports is the range, for tcp and udp; zero otherwise.
	Ports model.PortRange
}

// Query returns the probe for the atom: its first port (at least 1), or
// an echo request for icmp.
func (a ServiceAtom) Query(from, to string) Query {
	return Query{From: from, To: to, Protocol: a.Protocol, Port: probePort(a.Protocol, a.Ports)}
}

// Set returns the atom as a port set.
func (a ServiceAtom) Set() portset.Set { return portset.Ports(a.Protocol, a.Ports) }

// ServiceAtoms returns the model's service atoms, in order: tcp port
// ranges covering 1-65535, udp ditto, icmp (an echo request), then every
// other protocol a rule names by number, and those of also. ICMP types
// other than echo, and protocols no rule names, are not probed: every such
// protocol gets the verdict of any other (only rules for "all" pass it).
// Comparing two models, probe the protocols either names (also).
func (s *Solver) ServiceAtoms(also ...model.Protocol) []ServiceAtom {
	var out []ServiceAtom
	for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolUDP} {
		for _, r := range s.portAtoms(p, model.PortRange{First: 1, Last: 65535}) {
			out = append(out, ServiceAtom{Protocol: p, Ports: r})
		}
	}
	out = append(out, ServiceAtom{Protocol: model.ProtocolICMP})
	for _, p := range s.otherProtocols(also) {
		out = append(out, ServiceAtom{Protocol: p})
	}
	return out
}

// otherProtocols returns the protocols, other than tcp, udp, icmp, icmpv6
// and all, that some security group or network ACL rule names, or that
// also lists, sorted.
func (s *Solver) otherProtocols(also []model.Protocol) []model.Protocol {
	seen := map[model.Protocol]bool{}
	add := func(p model.Protocol) {
		switch p {
		case 0, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6, model.ProtocolAll:
			return
		}
		seen[p] = true
	}
	for _, p := range also {
		add(p)
	}
	for vi := range s.m.VPCs {
		v := &s.m.VPCs[vi]
		for _, a := range v.NetworkACLs {
			for _, r := range a.Ingress {
				add(r.Protocol)
			}
			for _, r := range a.Egress {
				add(r.Protocol)
			}
		}
		for _, g := range v.SecurityGroups {
			for _, r := range g.Ingress {
				add(r.Protocol)
			}
			for _, r := range g.Egress {
				add(r.Protocol)
			}
		}
	}
	out := make([]model.Protocol, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// PortCell is one reaching pair of a port matrix: the destination (an
// index into the matrix's nodes or classes) and the flows that pass both
// ways.
type PortCell struct {
	To    int
	Ports portset.Set
}

// PortMatrix says, for every source and destination, which protocols and
// ports pass, request and response: the matrix of every service at once.
type PortMatrix struct {
	Level MatrixLevel
	Nodes []model.ID
	// Reach[i] lists the nodes node i reaches, sorted by node, each with
	// the flows that pass; pairs where nothing passes are left out.
	Reach [][]PortCell
}

// ClassPorts answers, for every ordered pair of classes (indexes into
// Classes), which flows pass both ways: Reach[a] lists the classes a
// reaches, sorted, with the flows. A class's pair with itself stands for
// two different members (and is absent for a class of one member). Every
// answer is that of Reach on a probe of each service atom (ServiceAtoms)
// between the classes' members; also adds protocols to probe (see
// ServiceAtoms).
func (s *Solver) ClassPorts(opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPortsByAtom(opts, nil, also)
}

// ClassPortsTouching is ClassPorts for the pairs with an end in a class
// that touched reports (its row and its column); the other rows and cells
// are left empty. A diff asks it for the classes a change may affect.
func (s *Solver) ClassPortsTouching(touched func(class int) bool, opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPortsByAtom(opts, touched, also)
}

// classPortsByAtom is ClassPorts the plain way: one class matrix per
// service atom.
func (s *Solver) classPortsByAtom(opts AnalysisOptions, touched func(int) bool, also []model.Protocol) [][]PortCell {
	n := len(s.classData().classes)
	sets := make([][]portset.Set, n)
	for i := range sets {
		sets[i] = make([]portset.Set, n)
	}
	atoms := s.ServiceAtoms(also...)
	for ai, atom := range atoms {
		e := s.newMatrixEngine(atom.Query("", ""))
		reach := e.classMatrix(offsetProgress(opts.Progress, ai*2*n, len(atoms)*2*n))
		set := atom.Set()
		for a := range n {
			for b := range n {
				if reach[a][b] && (touched == nil || touched(a) || touched(b)) {
					sets[a][b] = sets[a][b].Union(set)
				}
			}
		}
	}
	out := make([][]PortCell, n)
	for a := range n {
		for b := range n {
			if !sets[a][b].IsEmpty() {
				out[a] = append(out[a], PortCell{To: b, Ports: sets[a][b]})
			}
		}
	}
	return out
}

// PortMatrix computes, at the subnet level (the flows by which some
// instance of one subnet reaches some instance of the other) or the
// instance level, which protocols and ports pass both ways between every
// pair. It is ClassPorts spread over the classes' members or subnets.
func (s *Solver) PortMatrix(level MatrixLevel, opts AnalysisOptions) PortMatrix {
	classes := s.classData().classes
	m := PortMatrix{Level: level}
	nodeIndex := map[model.ID]int{}
	classNodes := make([][]int, len(classes))
	addNode := func(id model.ID) int {
		if i, ok := nodeIndex[id]; ok {
			return i
		}
		nodeIndex[id] = len(m.Nodes)
		m.Nodes = append(m.Nodes, id)
		return len(m.Nodes) - 1
	}
	for ci, c := range classes {
		if level == LevelSubnet {
			classNodes[ci] = []int{addNode(c.Subnet)}
			continue
		}
		for _, id := range c.Members {
			classNodes[ci] = append(classNodes[ci], addNode(id))
		}
	}
	m.Reach = make([][]PortCell, len(m.Nodes))
	cells := make([]map[int]portset.Set, len(m.Nodes))
	for a, row := range s.ClassPorts(opts) {
		for _, c := range row {
			for _, x := range classNodes[a] {
				for _, y := range classNodes[c.To] {
					if x == y && level == LevelInstance {
						continue
					}
					if cells[x] == nil {
						cells[x] = map[int]portset.Set{}
					}
					cells[x][y] = cells[x][y].Union(c.Ports)
				}
			}
		}
	}
	for x, row := range cells {
		for y, set := range row {
			m.Reach[x] = append(m.Reach[x], PortCell{To: y, Ports: set})
		}
		slices.SortFunc(m.Reach[x], func(a, b PortCell) int { return a.To - b.To })
	}
	return m
}
