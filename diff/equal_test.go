package diff

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// leaf is a settable string, number, boolean or address inside a value,
// with its path, for messages.
type leaf struct {
	v    reflect.Value
	path string
}

// leaves returns the leaves inside v (at path), but for those under a
// Source or AWSID field (which fingerprints leave out too).
func leaves(v reflect.Value, path string, out *[]leaf) {
	switch v.Type() {
	case sourceType:
		return
	case addrType, prefixType:
		*out = append(*out, leaf{v, path})
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			leaves(v.Elem(), path, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Name != "AWSID" {
				leaves(v.Field(i), path+"."+f.Name, out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			leaves(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		*out = append(*out, leaf{v, path})
	}
}

// mutateLeaf changes a leaf value so that it differs.
func mutateLeaf(v reflect.Value) {
	switch v.Type() {
	case addrType:
		a := valueOf[netip.Addr](v)
		if a.IsValid() {
			a = a.Next()
		} else {
			a = netip.MustParseAddr("192.0.2.1")
		}
		v.Set(reflect.ValueOf(a))
		return
	case prefixType:
		p := valueOf[netip.Prefix](v)
		if p.IsValid() && p.Bits() > 0 {
			p = netip.PrefixFrom(p.Addr(), p.Bits()-1)
		} else {
			p = netip.MustParsePrefix("192.0.2.0/24")
		}
		v.Set(reflect.ValueOf(p))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() ^ 1)
	default:
		v.SetUint(v.Uint() ^ 1)
	}
}

// TestEqualVPCsAgreesWithFingerprints changes one value at random deep
// inside one VPC of a generated network, hundreds of times: the VPC is
// then never taken as equal, and the resources compared one by one (the
// slow path) show a change in it. A change to where things are written
// (Source) leaves every VPC equal.
func TestEqualVPCsAgreesWithFingerprints(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		old := gen.Generate(gen.Options{VPCs: 4, Seed: uint64(round % 7), InstancesPerVPC: 3, DualStack: round%2 == 1})
		next := gen.Generate(gen.Options{VPCs: 4, Seed: uint64(round % 7), InstancesPerVPC: 3, DualStack: round%2 == 1})
		none := func(model.ID) model.ID { return "" }
		require.Len(t, equalVPCs(old, next, nil, none), 4, "a network is equal to its copy")
		vi := rng.IntN(len(next.VPCs))
		var ls []leaf
		leaves(reflect.ValueOf(&next.VPCs[vi]).Elem(), string(next.VPCs[vi].ID), &ls)
		l := ls[rng.IntN(len(ls))]
		before := l.v.Interface()
		mutateLeaf(l.v)
		same := equalVPCs(old, next, nil, none)
		require.False(t, same[next.VPCs[vi].ID], "round %d: changed %s %v -> %v, still equal", round, l.path, before, l.v.Interface())
		require.Len(t, same, 3, "round %d: only %s changed", round, next.VPCs[vi].ID)
		changes := compareResources(fingerprintAll(resources(old, nil), nil), fingerprintAll(resources(next, nil), nil))
		require.NotEmpty(t, changes, "round %d: changed %s %v -> %v, no resource differs", round, l.path, before, l.v.Interface())
	}
	// The resources outside VPCs: one value changed anywhere in them is a
	// change.
	for round := range 200 {
		old := gen.Generate(gen.Options{VPCs: 4, Seed: uint64(round % 5), InstancesPerVPC: 3, DualStack: round%2 == 1})
		next := gen.Generate(gen.Options{VPCs: 4, Seed: uint64(round % 5), InstancesPerVPC: 3, DualStack: round%2 == 1})
		var ls []leaf
		for _, f := range []string{"Accounts", "PeeringConnections", "TransitGateways", "PrefixLists", "EndpointServices", "HostedZones", "ExternalNetworks"} {
			leaves(reflect.ValueOf(next).Elem().FieldByName(f), f, &ls)
		}
		l := ls[rng.IntN(len(ls))]
		mutateLeaf(l.v)
		changes := compareResources(fingerprintAll(resources(old, nil), nil), fingerprintAll(resources(next, nil), nil))
		require.NotEmpty(t, changes, "round %d: changed %s, no resource differs", round, l.path)
	}
	// Positions do not count.
	old, next := gen.Generate(gen.Options{VPCs: 3, Seed: 1}), gen.Generate(gen.Options{VPCs: 3, Seed: 1})
	next.VPCs[1].Subnets[0].Source.Position = model.Position{File: "x.yaml", Line: 9, Column: 3}
	require.Len(t, equalVPCs(old, next, nil, func(model.ID) model.ID { return "" }), 3)
}
