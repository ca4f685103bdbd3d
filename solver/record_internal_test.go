package solver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

func TestPathRecorderTaintsHopsItDoesNotKnow(t *testing.T) {
	// The matrix shares a path walk between pairs only when the path
	// recorder calls it plain. Which hops keep a path plain is listed
	// here; every other hop kind, including one added later, taints the
	// walk, so that the matrix asks Reach instead of sharing it.
	type kd struct {
		k HopKind
		d Decision
	}
	plain := map[kd]bool{
		{HopRouteTable, DecisionRoute}: true, {HopTGWRouteTable, DecisionRoute}: true,
		{HopSubnet, DecisionForward}: true, {HopPeeringConnection, DecisionForward}: true,
		{HopTGWAttachment, DecisionForward}: true,
		{HopInstance, DecisionDeliver}:      true, {HopNetworkInterface, DecisionDeliver}: true,
	}
	translated := map[kd]bool{
		{HopNATGateway, DecisionTranslate}: true, {HopTGWAttachment, DecisionDeliver}: true,
		{HopExternalNetwork, DecisionDeliver}: true, {HopExternalNetwork, DecisionForward}: true,
		{HopVPNGateway, DecisionDeliver}: true, {HopVPNGateway, DecisionForward}: true,
	}
	for k := HopKind(0); k < HopKind(64); k++ {
		for d := Decision(0); d <= DecisionDrop; d++ {
			var r pathRec
			r.hop(nil, Hop{Kind: k, Decision: d})
			filter := k == HopNetworkACL || k == HopSecurityGroup
			switch {
			case d == DecisionDrop || filter || plain[kd{k, d}]:
				assert.False(t, r.notPlain || r.tainted, "%v %v leaves a path plain", k, d)
			case translated[kd{k, d}]:
				assert.True(t, r.notPlain && !r.tainted, "%v %v ends a plain path without depending on addresses", k, d)
			default:
				assert.True(t, r.notPlain && r.tainted, "%v %v taints a path walk", k, d)
			}
		}
	}
	// A walk blocked before it is tainted is decided by routing alone.
	var r pathRec
	r.block(nil, Blocker{Code: NoRouteToDestination})
	assert.True(t, r.blocked && r.determined)
	r.reset()
	r.hop(nil, Hop{Kind: HopInternetGateway, Decision: DecisionTranslate})
	r.block(nil, Blocker{Code: NoRouteToDestination})
	assert.True(t, r.blocked && !r.determined)
}

func TestVerdictWalksRenderNoText(t *testing.T) {
	// A verdict-only answer has the verdict and the blockers' codes of
	// the full one, and no hop and no message: the walk rendered none.
	m := gen.Generate(gen.Options{VPCs: 8, Seed: 3})
	s, err := New(m)
	require.NoError(t, err)
	for _, q := range verdictQueries(m) {
		for _, p := range []model.Protocol{model.ProtocolTCP, model.ProtocolAll} {
			q.Protocol = p
			full := s.Reach(q)
			v := s.reachQuery(q, verdictRec{})
			assert.Equal(t, full.Verdict, v.Verdict, "%v", q)
			assert.Empty(t, v.Forward, "%v", q)
			assert.Empty(t, v.Return, "%v", q)
			if assert.Equal(t, len(full.Blockers), len(v.Blockers), "%v", q) {
				for i, b := range v.Blockers {
					assert.Empty(t, b.Message, "%v", q)
					assert.Equal(t, full.Blockers[i].Code, b.Code, "%v", q)
				}
			}
			for _, x := range v.Warnings {
				assert.Empty(t, x.Message, "%v", q)
			}
		}
	}
}
