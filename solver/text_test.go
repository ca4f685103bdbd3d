package solver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Text escapes what a terminal would act on in ids, rules and messages;
// ordinary ids print unchanged; JSON keeps them as they are.
func TestTextEscapesIds(t *testing.T) {
	evil := model.ID("i-a\x1b[2J\nreachable: forged")
	r := solver.Result{
		Query:   solver.Query{From: string(evil), To: "i-b", Protocol: model.ProtocolTCP, Port: 22},
		Verdict: solver.VerdictUnreachable,
		Forward: []solver.Hop{
			{Component: evil, Kind: solver.HopInstance, Decision: solver.DecisionSend, Rule: "sends from " + string(evil)},
			{Component: "sg-\u202eb", Kind: solver.HopSecurityGroup, Direction: "ingress", Decision: solver.DecisionDeny, Rule: "no rule"},
		},
		Blockers: []solver.Blocker{{Code: solver.ENISGRulesMismatch, Component: "sg-\u202eb", Leg: solver.LegForward, Message: "blocked\tat\x07sg"}},
	}
	text := r.Text()
	assert.NotContains(t, text, "\x1b")
	assert.NotContains(t, text, "\u202e")
	assert.NotContains(t, text, "\x07")
	assert.NotContains(t, text, "\nreachable: forged")
	assert.True(t, strings.HasPrefix(text, `unreachable: i-a\x1b[2J\nreachable: forged -> i-b tcp/22`+"\n"), text)
	assert.Contains(t, text, `sg-\u202eb`)
	assert.Contains(t, text, `blocked\tat\asg`)

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back struct {
		Query struct{ From string } `json:"query"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, string(evil), back.Query.From)
}
