package draw_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// This file holds a syntax checker for the subset of Mermaid's flowchart
// grammar the draw package writes. It follows Mermaid's flowchart grammar
// (flow.jison) for the rules used: a "flowchart LR" or "flowchart TB"
// header; "subgraph
// ID["title"]" ... "end" blocks, balanced; node statements ID OPEN "text"
// CLOSE with the shapes [..], (..), ((..)), {{..}} and [(..)]; link
// statements ID ARROW ID and ID ARROW|"text"| ID with the arrows -->,
// ---, -.-> and -.-; "classDef NAME STYLES", "class ID,ID NAME" and
// "linkStyle N STYLES"; "%%" comments. Quoted text may not hold a quote;
// "#...;" must be an entity (#quot; or a decimal code), and "<" may only
// start <br/>. Ids are words that are not keywords, defined once (nodes
// and subgraphs apart), and links, classes and linkStyle indexes refer to
// what exists.

var (
	mmID        = `[A-Za-z][A-Za-z0-9_]*`
	mmText      = `"([^"]*)"`
	mmSubgraph  = regexp.MustCompile(`^subgraph (` + mmID + `)\[` + mmText + `\]$`)
	mmNode      = regexp.MustCompile(`^(` + mmID + `)(\[\(|\(\(|\{\{|\[|\()` + mmText + `(\)\]|\)\)|\}\}|\]|\))$`)
	mmLink      = regexp.MustCompile(`^(` + mmID + `) (-->|---|-\.->|-\.-)(?:\|` + mmText + `\|)? (` + mmID + `)$`)
	mmClassDef  = regexp.MustCompile(`^classDef (` + mmID + `) ([a-z-]+:[^,; ]+(?:,[a-z-]+:[^,; ]+)*)$`)
	mmClass     = regexp.MustCompile(`^class (` + mmID + `(?:,` + mmID + `)*) (` + mmID + `)$`)
	mmLinkStyle = regexp.MustCompile(`^linkStyle (\d+) ([a-z-]+:[^,; ]+(?:,[a-z-]+:[^,; ]+)*)$`)
	mmEntity    = regexp.MustCompile(`^#(?:quot|\d+);`)
	mmKeywords  = []string{"end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "linkStyle", "click", "call", "href", "default", "direction"}
	mmShapes    = map[string]string{"[": "]", "(": ")", "((": "))", "{{": "}}", "[(": ")]"}
)

// checkMermaid checks text against the grammar above and returns every
// problem, with its line.
func checkMermaid(text string) []string {
	var errs []string
	fail := func(n int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("line %d: %s", n, fmt.Sprintf(format, args...)))
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart LR" && lines[0] != "flowchart TB" {
		return []string{"line 1: want the header \"flowchart LR\" or \"flowchart TB\""}
	}
	nodes, subgraphs, classes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	type ref struct {
		line int
		id   string
	}
	var uses []ref
	var depth, links int
	var linkStyles []int
	id := func(n int, s string) {
		for _, k := range mmKeywords {
			if strings.EqualFold(s, k) {
				fail(n, "id %q is a keyword", s)
			}
		}
	}
	text1 := func(n int, s string) {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == '#':
				m := mmEntity.FindString(s[i:])
				if m == "" {
					fail(n, "%q: # does not start an entity", s)
					return
				}
				i += len(m) - 1
			case c == '<':
				if !strings.HasPrefix(s[i:], "<br/>") {
					fail(n, "%q: < other than <br/>", s)
					return
				}
				i += len("<br/>") - 1
			case c == '>' || c == '`' || c == '|' || c == ';' || c == '&':
				fail(n, "%q: raw %q", s, c)
				return
			case c < 0x20 || c == 0x7f:
				fail(n, "%q: control character", s)
				return
			}
		}
	}
	for i, raw := range lines[1:] {
		n := i + 2
		l := strings.TrimLeft(raw, " ")
		if l != strings.TrimSpace(raw) {
			fail(n, "trailing space")
		}
		switch {
		case strings.HasPrefix(l, "%%"):
		case l == "end":
			depth--
			if depth < 0 {
				fail(n, "end without subgraph")
			}
		case mmSubgraph.MatchString(l):
			m := mmSubgraph.FindStringSubmatch(l)
			id(n, m[1])
			if subgraphs[m[1]] || nodes[m[1]] {
				fail(n, "id %s defined twice", m[1])
			}
			subgraphs[m[1]] = true
			text1(n, m[2])
			depth++
		case mmNode.MatchString(l):
			m := mmNode.FindStringSubmatch(l)
			id(n, m[1])
			if mmShapes[m[2]] != m[4] {
				fail(n, "shape %s closed by %s", m[2], m[4])
			}
			if subgraphs[m[1]] || nodes[m[1]] {
				fail(n, "id %s defined twice", m[1])
			}
			nodes[m[1]] = true
			text1(n, m[3])
		case mmLink.MatchString(l):
			m := mmLink.FindStringSubmatch(l)
			uses = append(uses, ref{n, m[1]}, ref{n, m[4]})
			text1(n, m[3])
			links++
		case mmClassDef.MatchString(l):
			classes[mmClassDef.FindStringSubmatch(l)[1]] = true
		case mmClass.MatchString(l):
			m := mmClass.FindStringSubmatch(l)
			if !classes[m[2]] {
				fail(n, "class %s used before classDef", m[2])
			}
			for _, x := range strings.Split(m[1], ",") {
				uses = append(uses, ref{n, x})
			}
		case mmLinkStyle.MatchString(l):
			k, _ := strconv.Atoi(mmLinkStyle.FindStringSubmatch(l)[1])
			linkStyles = append(linkStyles, k)
		default:
			fail(n, "not a statement of the grammar: %q", l)
		}
	}
	if depth != 0 {
		errs = append(errs, fmt.Sprintf("%d subgraphs not ended", depth))
	}
	for _, u := range uses {
		if !nodes[u.id] && !subgraphs[u.id] {
			fail(u.line, "%s is not defined", u.id)
		}
	}
	for _, k := range linkStyles {
		if k >= links {
			errs = append(errs, fmt.Sprintf("linkStyle %d: only %d links", k, links))
		}
	}
	return errs
}

// mermaidUnescape undoes the draw package's label escaping: entities back
// to characters, <br/> to newlines.
func mermaidUnescape(s string) string {
	s = strings.ReplaceAll(s, "<br/>", "\n")
	return regexp.MustCompile(`#(\d+);`).ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		return string(rune(n))
	})
}

// TestMermaidCheckerCatchesMistakes: the checker is only worth its passes
// if it fails broken text.
func TestMermaidCheckerCatchesMistakes(t *testing.T) {
	good := "flowchart LR\n  subgraph c0[\"a<br/>b #34;q#34;\"]\n    n0[\"x\"]\n  end\n  n1((\"y\"))\n  n0 -->|\"r\"| n1\n  classDef blocked fill:#fff\n  class n0 blocked\n  linkStyle 0 stroke:red\n"
	assert.Empty(t, checkMermaid(good))
	for name, bad := range map[string]string{
		"no header":           "graph TD\n  n0[\"x\"]\n",
		"quote in a label":    "flowchart LR\n  n0[\"a\"b\"]\n",
		"raw markup":          "flowchart LR\n  n0[\"<b>x</b>\"]\n",
		"bare hash":           "flowchart LR\n  n0[\"a#b\"]\n",
		"unbalanced subgraph": "flowchart LR\n  subgraph c0[\"a\"]\n    n0[\"x\"]\n",
		"extra end":           "flowchart LR\n  n0[\"x\"]\n  end\n",
		"undefined node":      "flowchart LR\n  n0[\"x\"]\n  n0 --> n9\n",
		"keyword id":          "flowchart LR\n  end[\"x\"]\n",
		"twice":               "flowchart LR\n  n0[\"x\"]\n  n0[\"y\"]\n",
		"mismatched shape":    "flowchart LR\n  n0((\"x\")]\n",
		"pipe in edge label":  "flowchart LR\n  n0[\"x\"]\n  n1[\"y\"]\n  n0 -->|\"a|b\"| n1\n",
		"newline in label":    "flowchart LR\n  n0[\"x\n\"]\n",
		"linkStyle too far":   "flowchart LR\n  n0[\"x\"]\n  linkStyle 0 stroke:red\n",
		"class before def":    "flowchart LR\n  n0[\"x\"]\n  class n0 blocked\n",
		"statement":           "flowchart LR\n  n0[\"x\"] --> n1\n",
	} {
		assert.NotEmpty(t, checkMermaid(bad), "the checker passes %s", name)
	}
}
