package awsimport

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsLoadBalancer is an element of elbv2 describe-load-balancers'
// LoadBalancers.
type awsLoadBalancer struct {
	LoadBalancerArn   string
	LoadBalancerName  string
	DNSName           string
	Scheme            string
	Type              string
	VpcId             string
	State             struct{ Code string }
	AvailabilityZones []struct {
		ZoneName              string
		SubnetId              string
		LoadBalancerAddresses []awsLBAddress
	}
	SecurityGroups                                       []string
	EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic string
	// IpAddressType is ipv4, dualstack or dualstack-without-public-ipv4
	// (V-33).
	IpAddressType string
}

// awsLBAddress is an address of a load balancer node in one zone.
type awsLBAddress struct{ IpAddress, AllocationId, PrivateIPv4Address, IPv6Address string }

// awsListenersOf wraps describe-listeners with its load balancer's ARN:
// {"LoadBalancerListeners": [{"LoadBalancerArn": ..., "Listeners": [...]}]}.
type awsListenersOf struct {
	LoadBalancerArn string
	Listeners       []awsListener
}

type awsListener struct {
	LoadBalancerArn string
	Protocol        string
	Port            *jsonInt // absent for gateway load balancers
	DefaultActions  []struct {
		Type           string
		TargetGroupArn string
		ForwardConfig  *struct {
			TargetGroups []struct{ TargetGroupArn string }
		}
	}
}

// awsAttributesOf wraps describe-load-balancer-attributes and
// describe-target-group-attributes with the ARN they describe.
type awsAttributesOf struct {
	LoadBalancerArn string
	TargetGroupArn  string
	Attributes      []struct{ Key, Value string }
}

func (a *awsAttributesOf) get(key string) (string, bool) {
	for _, kv := range a.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// awsTargetGroup is an element of describe-target-groups' TargetGroups.
type awsTargetGroup struct {
	TargetGroupArn   string
	TargetGroupName  string
	Protocol         string
	Port             *jsonInt // absent for Lambda targets
	TargetType       string
	VpcId            string
	LoadBalancerArns []string
	// IpAddressType is ipv4 or ipv6; IPv6 target groups are not modelled
	// (V-34).
	IpAddressType string
}

// awsTargetHealthOf wraps describe-target-health with its target group's
// ARN: {"LoadBalancerTargetHealth": [{"TargetGroupArn": ...,
// "TargetHealthDescriptions": [...]}]}.
type awsTargetHealthOf struct {
	TargetGroupArn           string
	TargetHealthDescriptions []struct {
		Target struct {
			Id               string
			Port             *jsonInt
			AvailabilityZone string
		}
		TargetHealth struct{ State, Reason string }
	}
}

func listenerProtocol(s string) (model.ListenerProtocol, bool) {
	var p model.ListenerProtocol
	if s == "" {
		return 0, true
	}
	if err := p.UnmarshalText([]byte(s)); err != nil {
		return 0, false
	}
	return p, true
}

func (b *builder) buildLoadBalancers() {
	tgs := unique(b.s.targetGroups, func(t *awsTargetGroup) string { return t.TargetGroupArn })
	for _, it := range tgs {
		a := &it.v
		v := b.vpcs[a.VpcId]
		if v == nil {
			if len(a.LoadBalancerArns) > 0 {
				b.warn(it.src, "VpcId", ErrOutsideSnapshot, "target group %s is in %s, which is not in the snapshot: skipped", a.TargetGroupName, a.VpcId)
			} else {
				b.note(it.src, "VpcId", ErrOutsideSnapshot, "target group %s (used by no load balancer) is in %s, which is not in the snapshot: skipped", a.TargetGroupName, a.VpcId)
			}
			continue
		}
		tg := &model.TargetGroup{Source: it.src}
		if err := tg.TargetType.UnmarshalText([]byte(strings.ToLower(a.TargetType))); err != nil && a.TargetType != "" {
			b.warn(it.src, "TargetType", model.ErrInvalidValue, "target group %s: %s: skipped", a.TargetGroupName, err)
			continue
		}
		if strings.EqualFold(a.IpAddressType, "ipv6") {
			if !strings.EqualFold(a.TargetType, "ip") && !strings.EqualFold(a.TargetType, "instance") {
				b.warn(it.src, "IpAddressType", model.ErrInvalidValue, "target group %s is an IPv6 target group of %s targets; IPv6 target groups hold ip or instance targets: skipped, with the listeners that forward to it (V-34)", a.TargetGroupName, strings.ToLower(a.TargetType))
				continue
			}
			tg.IPAddressType = model.IPAddressIPv6
		}
		if tg.TargetType == model.TargetLambda {
			b.warn(it.src, "TargetType", ErrNotModelled, "target group %s sends to Lambda functions, which are not modelled: skipped, with the listeners that forward to it", a.TargetGroupName)
			continue
		}
		p, ok := listenerProtocol(a.Protocol)
		if !ok {
			b.warn(it.src, "Protocol", model.ErrInvalidValue, "target group %s: protocol %q is not modelled: skipped", a.TargetGroupName, a.Protocol)
			continue
		}
		tg.Protocol = p
		if tg.Port, ok = b.port(a.Port, it.src, "Port"); !ok {
			continue
		}
		if tg.Protocol == model.ListenerGENEVE && tg.Port == 0 {
			tg.Port = 6081
		}
		tg.ID = model.ID(b.nameID(a.TargetGroupName, "tg"))
		v.tgs[string(tg.ID)] = tg
		b.place(string(tg.ID), model.KindTargetGroup, a.VpcId)
		b.tgByARN[a.TargetGroupArn] = tg
	}
	lbs := unique(b.s.loadBalancers, func(l *awsLoadBalancer) string { return l.LoadBalancerArn })
	lbENIs := b.elbInterfaces()
	for _, it := range lbs {
		a := &it.v
		if a.State.Code == "failed" {
			b.note(it.src, "State", ErrInactive, "load balancer %s failed: skipped", a.LoadBalancerName)
			continue
		}
		v := b.vpc(a.VpcId, it.src, "load balancer", a.LoadBalancerName)
		if v == nil {
			continue
		}
		lb := &model.LoadBalancer{Name: a.LoadBalancerName, DNSName: strings.TrimSuffix(a.DNSName, "."), Source: it.src}
		if err := lb.Type.UnmarshalText([]byte(a.Type)); err != nil {
			b.warn(it.src, "Type", model.ErrInvalidValue, "load balancer %s: %s: skipped", a.LoadBalancerName, err)
			continue
		}
		if err := lb.Scheme.UnmarshalText([]byte(a.Scheme)); err != nil {
			b.warn(it.src, "Scheme", model.ErrInvalidValue, "load balancer %s: %s: skipped", a.LoadBalancerName, err)
			continue
		}
		if a.IpAddressType != "" {
			if err := lb.IPAddressType.UnmarshalText([]byte(a.IpAddressType)); err != nil || !model.FieldAccepts("LoadBalancer.IPAddressType", lb.IPAddressType.String()) {
				b.warn(it.src, "IpAddressType", model.ErrInvalidValue, "load balancer %s: IP address type %q is not ipv4, dualstack or dualstack-without-public-ipv4: taken as ipv4", a.LoadBalancerName, a.IpAddressType)
				lb.IPAddressType = 0
			}
			if lb.IPAddressType == model.IPAddressIPv4 {
				lb.IPAddressType = 0 // the default
			}
		}
		lb.ID = model.ID(b.nameID(a.LoadBalancerName, "lb"))
		// Nodes: one per zone, with the addresses of their interfaces.
		path := lbPath(a.LoadBalancerArn)
		var priv, pub, priv6 []netip.Addr
		complete, complete6 := true, lb.IPAddressType.HasIPv6()
		for k, z := range a.AvailabilityZones {
			if v.subnet(z.SubnetId) == nil {
				b.warn(it.src, "AvailabilityZones["+itoa(k)+"].SubnetId", ErrOutsideSnapshot, "load balancer %s has a node in subnet %s, which is not in the snapshot: left out", a.LoadBalancerName, z.SubnetId)
				continue
			}
			lb.Subnets = append(lb.Subnets, model.ID(z.SubnetId))
			var p, q, r netip.Addr
			for _, la := range z.LoadBalancerAddresses {
				if x := parseAddr(la.PrivateIPv4Address); x.IsValid() {
					p = x
				}
				if x := parseAddr(la.IpAddress); x.IsValid() {
					q = x
				}
				if x, err := netip.ParseAddr(la.IPv6Address); err == nil && x.Is6() && !x.Is4In6() && x.Zone() == "" {
					r = x
				}
			}
			for _, e := range lbENIs[path] {
				if e.v.SubnetId != z.SubnetId || r.IsValid() {
					continue
				}
				for _, a6 := range e.v.Ipv6Addresses {
					if x, err := netip.ParseAddr(a6.Ipv6Address.S); err == nil && x.Is6() && !x.Is4In6() && x.Zone() == "" {
						r = x
						break
					}
				}
			}
			if !r.IsValid() {
				complete6 = false
			}
			priv6 = append(priv6, r)
			explicit, explicitPub := p.IsValid(), q.IsValid()
			for _, e := range lbENIs[path] {
				if e.v.SubnetId != z.SubnetId {
					continue
				}
				b.usedENIs[e.v.NetworkInterfaceId] = true
				// Application load balancers may have several interfaces per
				// zone: the lowest address stands for the node.
				if x := parseAddr(e.v.PrivateIpAddress); x.IsValid() && !explicit && (!p.IsValid() || x.Less(p)) {
					p = x
					if !explicitPub {
						q = netip.Addr{}
						if e.v.Association != nil {
							q = parseAddr(e.v.Association.PublicIp)
						}
					}
				}
			}
			if !p.IsValid() {
				complete = false
			}
			priv, pub = append(priv, p), append(pub, q)
		}
		if len(lb.Subnets) == 0 {
			b.warn(it.src, "AvailabilityZones", ErrOutsideSnapshot, "load balancer %s has no subnet in the snapshot: skipped", a.LoadBalancerName)
			continue
		}
		zone := func(k int) model.Source { return it.src.Field("AvailabilityZones[" + itoa(k) + "]") }
		if complete {
			if b.claimAll(v, priv, string(lb.ID), zone) {
				lb.PrivateIPs = priv
			}
		} else if len(lbENIs[path]) > 0 || len(b.s.enis) > 0 {
			b.note(it.src, "AvailabilityZones", ErrOutsideSnapshot, "the node addresses of load balancer %s are not all in the snapshot: vpcreach picks addresses for them", a.LoadBalancerName)
		}
		if complete6 && b.claimAll(v, priv6, string(lb.ID), zone) {
			lb.IPv6IPs = priv6
		}
		if lb.PublicIPv4() && !slices.Contains(pub, netip.Addr{}) {
			lb.PublicIPs = pub
		}
		var refs []awsGroupRef
		for _, g := range a.SecurityGroups {
			refs = append(refs, awsGroupRef{GroupId: g})
		}
		lb.SecurityGroups = b.groupsOf(v, refs, it.src, string(lb.ID))
		if strings.EqualFold(a.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, "off") {
			lb.EnforceSGOnPrivateLink = ptr(false)
		}
		lb.CrossZone = lb.Type == model.LBApplication // always on for application load balancers
		v.lbs[string(lb.ID)] = lb
		b.place(string(lb.ID), model.KindLoadBalancer, a.VpcId)
		b.lbByARN[a.LoadBalancerArn] = lb
	}
	b.buildListeners()
	b.buildTargets()
}

// nameID returns an id made from a name (load balancers and target groups
// have no other): the name, else kind-name, else numbered.
func (b *builder) nameID(name, kind string) string {
	if name != "" && !b.has(name) && (name[0] < '0' || name[0] > '9') {
		return name
	}
	return b.freeID(kind + "-" + name)
}

// lbPath returns the net/NAME/ID part of a load balancer ARN, which its
// interfaces' descriptions name ("ELB net/NAME/ID").
func lbPath(arn string) string {
	if i := strings.Index(arn, ":loadbalancer/"); i >= 0 {
		return arn[i+len(":loadbalancer/"):]
	}
	return ""
}

// elbInterfaces returns the load balancer interfaces of
// describe-network-interfaces, by load balancer path.
func (b *builder) elbInterfaces() map[string][]*item[awsENI] {
	out := map[string][]*item[awsENI]{}
	for _, id := range sortedKeys(b.enis) {
		e := b.enis[id]
		if p, ok := strings.CutPrefix(e.v.Description, "ELB "); ok {
			out[p] = append(out[p], e)
		}
	}
	return out
}

func (b *builder) buildListeners() {
	for _, it := range unique(b.s.listeners, func(l *awsListenersOf) string { return l.LoadBalancerArn }) {
		lb := b.lbByARN[it.v.LoadBalancerArn]
		if lb == nil {
			continue
		}
		v := b.vpcs[b.vpcOf[string(lb.ID)]]
		ports := map[uint16]bool{}
		for k := range it.v.Listeners {
			a := &it.v.Listeners[k]
			src := it.at("Listeners", k)
			p, ok := listenerProtocol(a.Protocol)
			if !ok {
				b.warn(src, "Protocol", model.ErrInvalidValue, "listener protocol %q of %s is not modelled: listener left out", a.Protocol, lb.ID)
				continue
			}
			port, ok := b.port(a.Port, src, "Port")
			if !ok {
				continue
			}
			l := model.Listener{Protocol: p, Port: port, Source: src}
			arn := ""
			for _, act := range a.DefaultActions {
				if act.Type != "forward" {
					continue
				}
				arn = act.TargetGroupArn
				if arn == "" && act.ForwardConfig != nil && len(act.ForwardConfig.TargetGroups) > 0 {
					arn = act.ForwardConfig.TargetGroups[0].TargetGroupArn
					if len(act.ForwardConfig.TargetGroups) > 1 {
						b.warn(src, "DefaultActions", ErrNotModelled, "listener %s:%d of %s forwards to %d weighted target groups: only the first is modelled", a.Protocol, l.Port, lb.ID, len(act.ForwardConfig.TargetGroups))
					}
				}
				break
			}
			if arn == "" {
				b.note(src, "DefaultActions", ErrNotModelled, "listener %s:%d of %s does not forward (redirect or fixed response): left out", a.Protocol, l.Port, lb.ID)
				continue
			}
			tg := b.tgByARN[arn]
			if tg == nil || v.tgs[string(tg.ID)] != tg {
				b.warn(src, "DefaultActions", ErrOutsideSnapshot, "listener %s:%d of %s forwards to target group %s, which is not in its VPC in the snapshot: left out", a.Protocol, l.Port, lb.ID, arn)
				continue
			}
			if ports[l.Port] {
				b.warn(src, "Port", ErrNotModelled, "a second listener of %s on port %d: left out", lb.ID, l.Port)
				continue
			}
			ports[l.Port] = true
			l.TargetGroup = tg.ID
			lb.Listeners = append(lb.Listeners, l)
		}
		slices.SortStableFunc(lb.Listeners, func(x, y model.Listener) int { return int(x.Port) - int(y.Port) })
	}
	for _, it := range unique(b.s.lbAttributes, func(l *awsAttributesOf) string { return l.LoadBalancerArn }) {
		lb := b.lbByARN[it.v.LoadBalancerArn]
		if lb == nil {
			continue
		}
		if s, ok := it.v.get("load_balancing.cross_zone.enabled"); ok && lb.Type != model.LBApplication {
			lb.CrossZone = s == "true"
		}
	}
}

func (b *builder) buildTargets() {
	for _, it := range unique(b.s.targetHealth, func(t *awsTargetHealthOf) string { return t.TargetGroupArn }) {
		tg := b.tgByARN[it.v.TargetGroupArn]
		if tg == nil {
			continue
		}
		vpc := b.vpcOf[string(tg.ID)]
		for k, d := range it.v.TargetHealthDescriptions {
			src := it.at("TargetHealthDescriptions", k)
			t := model.Target{Source: src}
			port, ok := b.port(d.Target.Port, src.Field("Target"), "Port")
			if !ok {
				continue
			}
			if port != tg.Port {
				t.Port = port
			}
			if d.TargetHealth.State != "" {
				if err := t.Health.UnmarshalText([]byte(d.TargetHealth.State)); err != nil {
					b.warn(src, "TargetHealth", model.ErrInvalidValue, "%s: taken as unavailable", err)
					t.Health = model.HealthUnavailable
				}
			}
			switch tg.TargetType {
			case model.TargetInstance:
				ref := b.instances[d.Target.Id]
				if ref == nil || ref.vpc != vpc {
					b.warn(src, "Target.Id", ErrOutsideSnapshot, "target %s of %s is not an instance of %s in the snapshot: left out", d.Target.Id, tg.ID, vpc)
					continue
				}
				t.ID = ref.in.ID
			case model.TargetIP:
				t.IP = parseAddr(d.Target.Id)
				if tg.IPAddressType == model.IPAddressIPv6 {
					// An IPv6 target group's targets (V-34).
					if a, err := netip.ParseAddr(d.Target.Id); err == nil && a.Is6() && !a.Is4In6() && a.Zone() == "" {
						t.IP = a
					} else {
						t.IP = netip.Addr{}
					}
				}
				if !t.IP.IsValid() {
					b.warn(src, "Target.Id", ErrNotModelled, "target %s of %s is not an %s address: left out", d.Target.Id, tg.ID, map[bool]string{false: "IPv4", true: "IPv6"}[tg.IPAddressType == model.IPAddressIPv6])
					continue
				}
				if d.Target.AvailabilityZone == "all" {
					t.AZ = "all"
				}
			case model.TargetALB:
				lb := b.lbByARN[d.Target.Id]
				if lb == nil {
					b.warn(src, "Target.Id", ErrOutsideSnapshot, "target %s of %s is not a load balancer of the snapshot: left out", d.Target.Id, tg.ID)
					continue
				}
				t.ID = lb.ID
			}
			tg.Targets = append(tg.Targets, t)
		}
	}
	for _, it := range unique(b.s.tgAttributes, func(t *awsAttributesOf) string { return t.TargetGroupArn }) {
		tg := b.tgByARN[it.v.TargetGroupArn]
		if tg == nil {
			continue
		}
		if s, ok := it.v.get("preserve_client_ip.enabled"); ok {
			on, err := strconv.ParseBool(s)
			if err == nil && on != tg.PreservesClientIP() {
				tg.PreserveClientIP = ptr(on)
			}
		}
	}
}
