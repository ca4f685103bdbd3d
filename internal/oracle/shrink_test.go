package oracle_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// A disagreement found on a random model is easier to judge on a small
// one. shrink removes list elements and clears optional fields one at a
// time, keeping each change after which the model is still valid and the
// disagreement still there, until no change can be kept (delta debugging
// one element at a time).

// edit is one change to a model: the reflect path to a value (field
// indexes and slice indexes), and what to do there.
type edit struct {
	path []int
	// remove, when set, removes element path[last] of the slice at
	// path[:last]; else the value at path is set to its zero value.
	remove bool
}

// clone copies a model through the topology format; it fails when the
// model cannot be written and read back (a required value cleared).
func clone(m *model.Model) (*model.Model, bool) {
	y, err := model.Encode(m)
	if err != nil {
		return nil, false
	}
	c, err := model.Parse("repro.yaml", y)
	return c, err == nil
}

var (
	sourceType = reflect.TypeFor[model.Source]()
	addrType   = reflect.TypeFor[netip.Addr]()
)

// edits lists the changes worth trying at v: removing each element of
// each list, and clearing each set pointer, flag, address and text that
// is not a required name.
func edits(v reflect.Value, path []int, out []edit) []edit {
	at := func(i int) []int { return append(append([]int(nil), path...), i) }
	switch v.Kind() {
	case reflect.Slice:
		for i := v.Len() - 1; i >= 0; i-- {
			out = append(out, edit{path: at(i), remove: true})
		}
		if v.Type().Elem().Kind() == reflect.String {
			// Ids in a list go with their element.
			return out
		}
		for i := 0; i < v.Len(); i++ {
			out = edits(v.Index(i), at(i), out)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out = append(out, edit{path: path})
			out = edits(v.Elem(), path, out)
		}
	case reflect.Struct:
		if v.Type() == addrType {
			if v.Interface().(netip.Addr).IsValid() {
				out = append(out, edit{path: path})
			}
			return out
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Type == sourceType || !f.IsExported() || f.Name == "ID" || f.Name == "Version" {
				continue
			}
			if f.Tag.Get("required") == "true" && v.Field(i).Kind() != reflect.Slice {
				// Required values stay (lists may still shrink).
				continue
			}
			out = edits(v.Field(i), at(i), out)
		}
	case reflect.Bool:
		if v.Bool() {
			out = append(out, edit{path: path})
		}
	case reflect.String:
		if v.String() != "" {
			out = append(out, edit{path: path})
		}
	}
	return out
}

// apply makes an edit on a model.
func apply(m *model.Model, e edit) {
	v := reflect.ValueOf(m).Elem()
	last := len(e.path) - 1
	for _, i := range e.path[:last] {
		v = step(v, i)
	}
	if e.remove {
		i := e.path[last]
		v.Set(reflect.AppendSlice(v.Slice(0, i), v.Slice(i+1, v.Len())))
		return
	}
	v = step(v, e.path[last])
	v.Set(reflect.Zero(v.Type()))
}

func step(v reflect.Value, i int) reflect.Value {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice {
		return v.Index(i)
	}
	return v.Field(i)
}

// shrink returns a smaller valid model on which keep still holds.
func shrink(t *testing.T, m *model.Model, keep func(*model.Model) bool) *model.Model {
	cur, ok := clone(m)
	require.True(t, ok)
	for changed := true; changed; {
		changed = false
		for _, e := range edits(reflect.ValueOf(cur).Elem(), nil, nil) {
			c, _ := clone(cur)
			apply(c, e)
			c, ok := clone(c)
			if !ok || model.Validate(c).Err() != nil || !keep(c) {
				continue
			}
			cur, changed = c, true
			break
		}
	}
	return cur
}

// disagreement reports how the engine and the oracle answer q on m, and
// whether they disagree.
func disagreement(t *testing.T, m *model.Model, q oracle.Query) (engine, want outcome, differ bool) {
	s, err := solver.New(m)
	if err != nil {
		return outcome{}, outcome{}, false
	}
	o, err := oracle.New(m, oracle.Options{})
	require.NoError(t, err)
	defer func() {
		if r := recover(); r != nil {
			y, _ := model.Encode(m)
			t.Fatalf("%s on %s:\n%s", r, q, y)
		}
	}()
	engine, want = engineOutcome(s.Reach(toSolver(q))), oracleOutcome(o.Reach(q))
	return engine, want, !engine.equal(want)
}

// explains reports whether leaving out the rules of class cls makes the
// oracle agree with the engine ("" for an unexplained class: nothing does).
func explains(t *testing.T, m *model.Model, q oracle.Query, engine outcome, cls string) bool {
	if cls == "unexplained" {
		return classify(t, m, q, engine) == ""
	}
	n, err := oracle.New(m, oracle.Options{Skip: strings.Split(cls, "+")})
	require.NoError(t, err)
	return oracleOutcome(n.Reach(q)).equal(engine)
}

// repro writes a shrunk model for a disagreement of class cls: a topology
// file whose expectation is the oracle's verdict, with comments saying
// what each side answers.
func repro(t *testing.T, m *model.Model, q oracle.Query, cls string) []byte {
	_, _, differ := disagreement(t, m, q)
	require.True(t, differ)
	engine0, want0, _ := disagreement(t, m, q)
	verdictDiffers := (engine0.verdict == "unreachable") != (want0.verdict == "unreachable")
	small := shrink(t, m, func(c *model.Model) bool {
		engine, want, differ := disagreement(t, c, q)
		if !differ || !explains(t, c, q, engine, cls) {
			return false
		}
		// Keep a verdict difference when there was one.
		return !verdictDiffers || (engine.verdict == "unreachable") != (want.verdict == "unreachable")
	})
	engine, want, _ := disagreement(t, small, q)
	exp := model.Expectation{Name: "oracle: " + cls, From: q.From, To: q.To, Protocol: q.Protocol, ICMP: q.ICMP, Expect: model.ExpectReachable}
	if q.Protocol.HasPorts() {
		exp.Port = &q.Port
	}
	if want.verdict == "unreachable" {
		exp.Expect = model.ExpectUnreachable
	}
	small.Expectations = []model.Expectation{exp}
	y, err := model.Encode(small)
	require.NoError(t, err)
	head := fmt.Sprintf("# Known disagreement %s (see internal/oracle/known_test.go).\n# Query: %s\n# Engine: %s\n# Oracle (AWS rules): %s\n", cls, q, engine, want)
	return append([]byte(head), y...)
}

// TestWriteRepros writes, when VPCREACH_ORACLE_SHRINK names a directory, a
// shrunk model for the first disagreement of each class met in the run.
func TestWriteRepros(t *testing.T) {
	dir := os.Getenv("VPCREACH_ORACLE_SHRINK")
	if dir == "" {
		t.Skip("set VPCREACH_ORACLE_SHRINK to a directory to write minimal models of disagreements")
	}
	done := map[string]bool{}
	for _, seed := range seeds(t, 300) {
		m := generate(seed)
		s, err := solver.New(m)
		require.NoError(t, err)
		o, err := oracle.New(m, oracle.Options{})
		require.NoError(t, err)
		for _, q := range oracle.Queries(m, seed, queriesPerModel) {
			engine, want := engineOutcome(s.Reach(toSolver(q))), oracleOutcome(o.Reach(q))
			if engine.equal(want) {
				continue
			}
			cls := classify(t, m, q, engine)
			if cls == "" {
				cls = "unexplained"
			}
			if done[cls] || strings.Contains(cls, "+") {
				continue
			}
			done[cls] = true
			y := repro(t, m, q, cls)
			name := filepath.Join(dir, strings.NewReplacer("/", "-", "+", "_").Replace(strings.ToLower(cls))+".yaml")
			require.NoError(t, os.WriteFile(name, y, 0o644))
			t.Logf("seed %d: %s -> %s", seed, q, name)
		}
	}
}
