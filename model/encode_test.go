package model_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// clearSources zeroes every Source in a model, so that models read from
// different text compare equal.
func clearSources(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			clearSources(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Type() == reflect.TypeFor[model.Source]() {
				f.Set(reflect.Zero(f.Type()))
				continue
			}
			if v.Type().Field(i).IsExported() {
				clearSources(f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			clearSources(v.Index(i))
		}
	}
}

func TestEncodeRoundTrips(t *testing.T) {
	files, err := filepath.Glob("../testdata/*.yaml")
	require.NoError(t, err)
	files = append(files, "../solver/testdata/network.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			m1, err := model.Parse(f, data)
			require.NoError(t, err)
			out, err := model.Encode(m1)
			require.NoError(t, err)
			m2, err := model.Parse("encoded.yaml", out)
			require.NoError(t, err, "%s", out)
			again, err := model.Encode(m2)
			require.NoError(t, err)
			assert.Equal(t, string(out), string(again), "encoding is deterministic and stable")
			clearSources(reflect.ValueOf(m1))
			clearSources(reflect.ValueOf(m2))
			assert.Equal(t, m1, m2)
		})
	}
}

func TestEncodeKeepsNilAndEmptyApart(t *testing.T) {
	m := &model.Model{Version: 1, VPCs: []model.VPC{{ID: "vpc-a", Region: "r", CIDRBlocks: nil,
		SecurityGroups: []model.SecurityGroup{{ID: "sg-default-egress"}, {ID: "sg-no-egress", Egress: []model.EgressRule{}}}}}}
	out, err := model.Encode(m)
	require.NoError(t, err)
	assert.Contains(t, string(out), "{id: sg-default-egress}")
	assert.Contains(t, string(out), "{id: sg-no-egress, egress: []}")
}

// vpcsOf yields the VPCs of a list, one at a time.
func vpcsOf(vpcs []model.VPC) func(yield func(*model.VPC, error) bool) {
	return func(yield func(*model.VPC, error) bool) {
		for i := range vpcs {
			v := vpcs[i]
			if !yield(&v, nil) {
				return
			}
		}
	}
}

// TestEncodeStreamMatchesEncode: a model written a VPC at a time is the
// bytes Encode writes, for the test topologies (with and without VPCs,
// lint settings, merged files) and a model with nothing but accounts.
func TestEncodeStreamMatchesEncode(t *testing.T) {
	files, err := filepath.Glob("../testdata/*.yaml")
	require.NoError(t, err)
	files = append(files, "../solver/testdata/network.yaml")
	var models []*model.Model
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := model.Parse(f, data)
		require.NoError(t, err)
		models = append(models, m)
	}
	models = append(models, model.Merge(models...),
		&model.Model{Version: 1, Accounts: []model.Account{{ID: "111111111111"}}},
		&model.Model{Version: 1, Lint: []model.LintSettings{{Disable: []string{"a"}}, {Disable: []string{"b", "a"}}}})
	for i, m := range models {
		want, err := model.Encode(m)
		require.NoError(t, err)
		rest := *m
		rest.VPCs = nil
		var got bytes.Buffer
		require.NoError(t, model.EncodeStream(&got, &rest, vpcsOf(m.VPCs)))
		assert.Equal(t, string(want), got.String(), "model %d (%d VPCs)", i, len(m.VPCs))
	}
}

// TestEncodeStreamErrors: VPCs in the model are refused, and an error
// of the VPCs' source stops the stream.
func TestEncodeStreamErrors(t *testing.T) {
	var out bytes.Buffer
	err := model.EncodeStream(&out, &model.Model{VPCs: []model.VPC{{ID: "vpc-a"}}}, vpcsOf(nil))
	require.ErrorContains(t, err, "m.VPCs must be empty")
	boom := errors.New("boom")
	err = model.EncodeStream(&out, &model.Model{Version: 1}, func(yield func(*model.VPC, error) bool) {
		if yield(&model.VPC{ID: "vpc-a", Region: "eu-west-1"}, nil) {
			yield(nil, boom)
		}
	})
	require.ErrorIs(t, err, boom)
}
