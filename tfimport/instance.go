package tfimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildInstances() {
	// Interfaces that instances attach in their network_interface blocks
	// (the legacy form): device index 0 is the instance's primary one.
	primary := map[model.ID]model.ID{}
	attached := map[model.ID]model.ID{}
	b.each("aws_instance", func(e elem) {
		for _, ni := range e.sub("network_interface") {
			r := ni.ref("network_interface_id", "aws_network_interface")
			if r.ID == "" || r.outside {
				continue
			}
			if idx, _ := ni.integer("device_index"); idx == 0 {
				primary[r.ID] = model.ID(e.r.addr)
			} else {
				attached[r.ID] = model.ID(e.r.addr)
			}
		}
	})
	enis := map[model.ID]*model.NetworkInterface{}
	var eniOrder []model.ID
	b.each("aws_network_interface", func(e elem) {
		s := b.subnetRef(e, "subnet_id")
		if s == nil {
			return
		}
		v := b.objVPC[s.ID]
		id := model.ID(e.r.addr)
		n := &model.NetworkInterface{ID: id, Description: e.str("description"), Source: e.src()}
		n.Subnet = s.ID
		n.SecurityGroups = b.groupList(e, "security_groups", v)
		if x, ok := e.val("source_dest_check").boolVal(); ok {
			n.SourceDestCheck = boolPtr(x)
		}
		ips := e.strs("private_ips")
		prim, pe := e.str("private_ip"), e
		if prim == "" && len(ips) > 0 {
			prim = slices.Min(ips)
			pe = elemWith(e, "private_ip", prim)
		}
		if !s.IPv6Only || prim != "" { // an IPv6-only subnet's interfaces have no IPv4 address (V-03)
			b.privateAddr(pe, "private_ip", s, func(a netip.Addr) { n.PrivateIP = a }, "the interface's private address")
		}
		b.ipv6Addrs(e, "ipv6_addresses", "ipv6_address_count", s, func(as []netip.Addr) { n.IPv6Addresses = as }, "the interface's IPv6 addresses")
		for _, ip := range ips {
			if a, err := model.ParseAddr(ip); err == nil && ip != prim {
				n.SecondaryIPs = append(n.SecondaryIPs, a)
			}
		}
		for _, at := range e.sub("attachment") {
			if r := at.ref("instance", "aws_instance"); r.ID != "" && !r.outside {
				if idx, _ := at.integer("device_index"); idx == 0 {
					primary[id] = r.ID
				} else {
					n.Instance = r.ID
				}
			}
		}
		if inst, ok := attached[id]; ok {
			n.Instance = inst
		}
		enis[id] = n
		eniOrder = append(eniOrder, id)
		b.enis[id] = n
		b.objVPC[id] = v
	})
	primaryOf := map[model.ID]*model.NetworkInterface{}
	for eni, inst := range primary {
		primaryOf[inst] = enis[eni]
	}
	b.each("aws_instance", func(e elem) {
		id := model.ID(e.r.addr)
		in := &model.Instance{ID: id, Name: nameTag(e), Source: e.src()}
		var v *vpcB
		if n := primaryOf[id]; n != nil {
			v = b.objVPC[n.ID]
			b.primaryENI = append(b.primaryENI, [2]any{in, n})
		} else {
			s := b.subnetRef(e, "subnet_id")
			if s == nil {
				return
			}
			v = b.objVPC[s.ID]
			in.Subnet = s.ID
			if !s.IPv6Only || e.str("private_ip") != "" {
				b.privateAddr(e, "private_ip", s, func(a netip.Addr) { in.PrivateIP = a }, "the instance's private address")
			}
			b.ipv6Addrs(e, "ipv6_addresses", "ipv6_address_count", s, func(as []netip.Addr) { in.IPv6Addresses = as }, "the instance's IPv6 addresses")
			for _, ip := range e.strs("secondary_private_ips") {
				if a, err := model.ParseAddr(ip); err == nil {
					in.SecondaryIPs = append(in.SecondaryIPs, a)
				}
			}
			in.SecurityGroups = b.groupList(e, "vpc_security_group_ids", v)
			if len(in.SecurityGroups) == 0 {
				in.SecurityGroups = b.groupsByName(e, "security_groups", v)
			}
			if x, ok := e.val("source_dest_check").boolVal(); ok {
				in.SourceDestCheck = boolPtr(x)
			}
			if a := e.str("public_ip"); a != "" {
				in.PublicIP, _ = model.ParseAddr(a)
			} else if assoc, ok := e.val("associate_public_ip_address").boolVal(); !s.IPv6Only && ((ok && assoc) || (!ok && b.mapPublic[s.ID])) {
				in.PublicIP = b.assumePublic(e, "public_ip", "the instance's public address")
			}
		}
		switch st := e.str("instance_state"); st {
		case "", "running":
		default:
			var s model.InstanceState
			if err := s.UnmarshalText([]byte(st)); err == nil {
				in.State = s
				if s == model.InstanceTerminated {
					return
				}
				e.warnf("instance_state", ErrSkipped, "the instance is %s: it carries no traffic", st)
			}
		}
		v.insts = append(v.insts, in)
		b.insts[id] = in
		b.objVPC[id] = v
		if eni := e.str("primary_network_interface_id"); eni != "" {
			in.ENI = model.ID(eni)
		}
	})
	b.each("aws_network_interface_attachment", func(e elem) {
		r := e.ref("network_interface_id", "aws_network_interface")
		i := e.ref("instance_id", "aws_instance")
		if n := enis[r.ID]; n != nil && b.insts[i.ID] != nil {
			n.Instance = i.ID
		}
	})
	for _, id := range eniOrder {
		n := enis[id]
		if primary[id] != "" && b.insts[primary[id]] != nil {
			continue // the instance's own interface
		}
		b.objVPC[id].enis = append(b.objVPC[id].enis, n)
	}
	b.each("aws_network_interface_sg_attachment", func(e elem) {
		sg := b.groupRef(e, "security_group_id")
		r := e.ref("network_interface_id", "aws_network_interface", "aws_instance")
		if sg == nil || r.ID == "" {
			return
		}
		in := b.iface(r.ID)
		if in == nil {
			e.warnf("network_interface_id", ErrOutsidePlan, "network interface %s is not in this file: %s is left out", r.ID, e.r.addr)
			return
		}
		if !slices.Contains(in.SecurityGroups, sg.ID) {
			in.SecurityGroups = append(in.SecurityGroups, sg.ID)
		}
	})
	b.each("aws_eip", func(e elem) {
		x := b.eips[model.ID(e.r.addr)]
		if x == nil {
			return
		}
		if e.given("instance") {
			b.associate(e, x, e.ref("instance", "aws_instance"), "instance")
		} else if e.given("network_interface") {
			b.associate(e, x, e.ref("network_interface", "aws_network_interface", "aws_instance"), "network_interface")
		}
	})
	b.each("aws_eip_association", func(e elem) {
		r := e.ref("allocation_id", "aws_eip")
		x := b.eips[r.ID]
		if x == nil {
			if a, err := model.ParseAddr(e.str("public_ip")); err == nil {
				x = &eip{addr: a, r: e.r}
			} else {
				e.warnf("allocation_id", ErrOutsidePlan, "the Elastic IP is not in this file: %s is left out", e.r.addr)
				return
			}
		}
		if e.given("instance_id") {
			b.associate(e, x, e.ref("instance_id", "aws_instance"), "instance_id")
		} else {
			b.associate(e, x, e.ref("network_interface_id", "aws_network_interface", "aws_instance"), "network_interface_id")
		}
	})
}

// associate gives an interface an Elastic IP.
func (b *builder) associate(e elem, x *eip, target ref, key string) {
	if target.ID == "" {
		return
	}
	in := b.iface(target.ID)
	if in == nil {
		e.warnf(key, ErrOutsidePlan, "%s is not an interface of this file: the Elastic IP's association is left out", target.ID)
		return
	}
	in.ElasticIP = b.eipAddr(e, key, x)
	// An instance's public address gives way to its Elastic IP.
	in.PublicIP = netip.Addr{}
}

// iface returns the interface of an instance or a network interface.
func (b *builder) iface(id model.ID) *model.Interface {
	if in := b.insts[id]; in != nil {
		return &in.Interface
	}
	if n := b.enis[id]; n != nil {
		return &n.Interface
	}
	return nil
}

// groupsByName resolves the legacy security_groups argument of an
// instance, group names, among the groups of its VPC.
func (b *builder) groupsByName(e elem, key string, v *vpcB) []model.ID {
	var out []model.ID
	for _, name := range e.strs(key) {
		found := false
		for _, sg := range v.sgs {
			if sg.Name == name {
				out = append(out, sg.ID)
				found = true
				break
			}
		}
		if !found {
			e.warnf(key, ErrOutsidePlan, "security group named %q is not in this file: it is left out", name)
		}
	}
	return out
}

// finishInstances gives instances whose primary interface is a network
// interface resource (the legacy form) that interface's settings, once
// addresses are assigned.
func (b *builder) finishInstances() {
	for _, p := range b.primaryENI {
		in, n := p[0].(*model.Instance), p[1].(*model.NetworkInterface)
		in.Interface = n.Interface
		in.ENI = n.ID
	}
}

// elemWith returns e with key's value replaced by s.
func elemWith(e elem, key, s string) elem {
	v := &jvalue{kind: jobject}
	if e.v != nil {
		v.keys = append(v.keys, e.v.keys...)
		v.vals = append(v.vals, e.v.vals...)
		v.off = e.v.off
	}
	v.keys = append(v.keys, key)
	v.vals = append(v.vals, &jvalue{kind: jstring, str: s, off: v.off})
	for i, k := range v.keys[:len(v.keys)-1] {
		if k == key {
			v.vals[i] = v.vals[len(v.vals)-1]
		}
	}
	e.v = v
	return e
}
