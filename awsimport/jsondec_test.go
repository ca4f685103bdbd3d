package awsimport

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzKitchen has a field of every kind the decoder decodes.
type fuzzKitchen struct {
	S      string
	N      int
	N32    int32
	B      bool
	P      *int
	Next   *fuzzKitchen
	L      []string
	Leaves []fuzzLeaf
	Leaf   fuzzLeaf
	I      jsonInt
	IP     *jsonInt
	T      jsonText
	Tagged string `json:"tagged_name"`
	Kelvin string // a key with the Kelvin sign (K) folds to it
	Skip   string `json:"-"`
	hidden string
}

type fuzzLeaf struct {
	ID   string
	On   *bool
	Tags []awsTag
}

// fuzzTargets are the types the differential fuzz decodes into: the
// kitchen, lists, and AWS records with nested lists and positioned
// values.
var fuzzTargets = []reflect.Type{
	reflect.TypeFor[fuzzKitchen](),
	reflect.TypeFor[[]fuzzKitchen](),
	reflect.TypeFor[awsSecurityGroup](),
	reflect.TypeFor[awsNetworkACL](),
	reflect.TypeFor[[]awsRoute](),
	reflect.TypeFor[awsSubnet](),
	reflect.TypeFor[awsENI](),
	reflect.TypeFor[string](),
	reflect.TypeFor[*int](),
}

// FuzzDecoderMatchesEncodingJSON checks the decoder against encoding/json:
// it accepts exactly the texts encoding/json accepts (skipping them, and
// decoding them into each of fuzzTargets), and decodes the same values.
// The deliberate differences, both errors here where encoding/json
// succeeds, are checked to be what they claim:
//
//  1. a key given twice in an object decoded into a struct (encoding/json
//     keeps the last value): the two keys are the same, or the same field;
//  2. invalid UTF-8 in a string (encoding/json replaces it with U+FFFD):
//     the text is not UTF-8.
//
// (The byte order mark that files may start with is the files' business,
// not the decoder's: both reject it here.)
func FuzzDecoderMatchesEncodingJSON(f *testing.F) {
	f.Add([]byte(`{"S": "a", "N": -12, "B": true, "L": ["x"], "Leaves": [{"ID": "l", "On": false, "Tags": [{"Key": "k", "Value": "v"}]}]}`))
	f.Add([]byte(`{"s": "case", "n": 1, "tagged_name": "t", "Skip": "no", "hidden": "no", "I": 7, "IP": null, "T": "10.0.0.0/8"}`))
	f.Add([]byte("{\"\u212aelvin\": \"folded\", \"Kelvin\": \"twice\"}"))
	f.Add([]byte(`{"Next": {"Next": {"S": "\u00e9\ud83d\ude00\ud800"}}, "P": 0, "N32": 2147483648}`))
	f.Add([]byte(`[{"S": "a", "S": "b"}, {"Unread": {"k": 1, "k": 2}}]`))
	f.Add([]byte(`{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}`))
	f.Add([]byte(`{"Entries": [{"RuleNumber": 100, "PortRange": {"From": 1.5e1, "To": 01}}]}`))
	f.Add([]byte("\"\xff\""))
	f.Add([]byte(`[1, 2,]`))
	f.Add([]byte(`  null  `))
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		d := &decoder{data: data}
		end, err := d.skip(skipWS(data, 0))
		if err == nil {
			err = d.end(end)
		}
		checkVerdict(t, data, "skipping", err, valid)
		for _, typ := range fuzzTargets {
			ours, theirs := reflect.New(typ), reflect.New(typ)
			errOurs := (&decoder{data: data}).decodeAll(ours.Elem())
			errTheirs := json.Unmarshal(data, theirs.Interface())
			checkVerdict(t, data, "decoding into "+typ.String(), errOurs, errTheirs == nil)
			if errOurs == nil && errTheirs == nil && !reflect.DeepEqual(ours.Interface(), theirs.Interface()) {
				t.Fatalf("%q into %s: decoded %+v, encoding/json %+v", data, typ, ours.Elem(), theirs.Elem())
			}
		}
	})
}

// checkVerdict fails unless the decoder's error err agrees with
// encoding/json's verdict ok, modulo the deliberate differences.
func checkVerdict(t *testing.T, data []byte, what string, err error, ok bool) {
	t.Helper()
	switch {
	case err == nil && !ok:
		t.Fatalf("%q: %s: accepted, encoding/json rejects it", data, what)
	case err == nil || !ok:
		return
	}
	je, isJSON := err.(*jsonError)
	if !isJSON {
		t.Fatalf("%q: %s: %v without an offset", data, what, err)
	}
	switch {
	case je.badUTF8:
		if utf8.Valid(data) {
			t.Fatalf("%q: %s: %v, but the text is UTF-8", data, what, err)
		}
	case je.first > 0:
		k1, _, e1 := (&decoder{data: data}).key(je.first)
		k2, _, e2 := (&decoder{data: data}).key(je.off)
		if e1 != nil || e2 != nil || !strings.EqualFold(string(k1), string(k2)) {
			t.Fatalf("%q: %s: %v, but the keys at %d and %d differ", data, what, err, je.first, je.off)
		}
	default:
		t.Fatalf("%q: %s: %v, encoding/json accepts it", data, what, err)
	}
}

// The seeds of the differential fuzz, and the texts of the strict tests,
// agree with encoding/json (go test runs the fuzz target on its corpus;
// this runs it on more texts, built at random from JSON tokens).
func TestDecoderMatchesEncodingJSONOnRandomTexts(t *testing.T) {
	tokens := []string{`{`, `}`, `[`, `]`, `:`, `,`, ` `, "\n", `"S"`, `"s"`, `"L"`, `"Leaves"`, `"ID"`, `"I"`, `"T"`, `"N"`,
		`"x"`, `"\u00e9"`, `"\ud800"`, `"a\"b"`, `"\x"`, "\"\xff\"", `1`, `-0`, `01`, `1.5`, `1e9`, `-`, `true`, `false`, `null`, `tru`, `x`}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var b bytes.Buffer
		for k := r.IntN(24); k >= 0; k-- {
			b.WriteString(tokens[r.IntN(len(tokens))])
		}
		data := b.Bytes()
		valid := json.Valid(data)
		d := &decoder{data: data}
		end, err := d.skip(skipWS(data, 0))
		if err == nil {
			err = d.end(end)
		}
		checkVerdict(t, data, "skipping", err, valid)
		for _, typ := range fuzzTargets {
			ours, theirs := reflect.New(typ), reflect.New(typ)
			errOurs := (&decoder{data: data}).decodeAll(ours.Elem())
			errTheirs := json.Unmarshal(data, theirs.Interface())
			checkVerdict(t, data, "decoding into "+typ.String(), errOurs, errTheirs == nil)
			if errOurs == nil && errTheirs == nil {
				require.Equal(t, theirs.Interface(), ours.Interface(), "%q into %s", data, typ)
			}
		}
	}
}

// plainWord, which tests eight bytes at once, agrees with the table
// plain on every byte in every position, and on random words.
func TestPlainWordMatchesPlain(t *testing.T) {
	check := func(w [8]byte) {
		want := true
		for _, c := range w {
			want = want && plain[c]
		}
		require.Equal(t, want, plainWord(binary.LittleEndian.Uint64(w[:])), "%q", w)
	}
	for pos := range 8 {
		for c := range 256 {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[pos] = byte(c)
			check(w)
			if pos > 0 {
				w[pos-1] = 0x20 // a borrow from a low byte must not hide a high one
				check(w)
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var w [8]byte
		for k := range w {
			w[k] = byte(0x1e + r.IntN(0x64))
			if r.IntN(8) == 0 {
				w[k] = byte(r.IntN(256))
			}
		}
		check(w)
	}
}

// Positions of jsonInt and jsonText values are those of the values.
func TestPositionedValues(t *testing.T) {
	data := []byte("{\"SecurityGroups\": [{\"GroupId\": \"sg-1\",\n  \"IpPermissions\": [{\"IpProtocol\": \"tcp\",\n    \"FromPort\": 22, \"ToPort\": 23, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}]}]}")
	r := &reader{}
	r.decodeFile("f.json", data, &scope{evidence: map[string]int{}})
	require.NoError(t, r.diags.Err())
	p := r.snap.groups[0].v.IpPermissions[0]
	assert.Equal(t, "f.json:3:17", p.FromPort.Pos.String())
	assert.Equal(t, "f.json:3:31", p.ToPort.Pos.String())
	assert.Equal(t, "f.json:3:59", p.IpRanges[0].CidrIp.Pos.String())
	assert.Equal(t, "f.json:1:21", r.snap.groups[0].src.Position.String())
	assert.Equal(t, "f.json:2:21", r.snap.groups[0].at("IpPermissions", 0).Position.String())
}
