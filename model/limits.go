package model

import (
	"fmt"
	"io"
	"math"
	"os"

	"gopkg.in/yaml.v3"
)

// Default input limits. A topology file larger than DefaultMaxFileSize, or
// holding more than DefaultMaxNodes YAML nodes, is refused with one error
// (ErrTooLarge) before it is decoded, so that a runaway file fails fast
// instead of exhausting memory. The size is checked before the file is
// read, the nodes once the YAML is parsed: parsing costs about 35 bytes of
// memory per byte of a topology file, up to 90 for dense flow lists
// ("[a, b, c, ...]"). LoadOptions changes the limits.
const (
	// DefaultMaxFileSize is 128 MiB: 2.7 times the 47 MiB topology of
	// the 5,000-VPC network that `vpcreach generate --vpcs 5000` writes.
	DefaultMaxFileSize int64 = 128 << 20
	// DefaultMaxNodes is 16 Mi YAML nodes: 3.7 times the 4.6 million of
	// that network.
	DefaultMaxNodes = 16 << 20
	// aliasShare is the divisor of the node budget that gives the budget
	// of nodes reached through aliases: a small file must not stand for
	// an enormous one.
	aliasShare = 16
)

// LoadOptions bound the work of reading topology files. The zero value
// applies the defaults; its methods are the package's loading functions
// (Parse, LoadFiles, ...) with these bounds.
type LoadOptions struct {
	// MaxFileSize is the size in bytes of the largest file read; a larger
	// one is refused before it is read. 0 means DefaultMaxFileSize, a
	// negative value no limit.
	MaxFileSize int64
	// MaxNodes is the most YAML nodes one file may hold, counting the
	// nodes an alias stands for each time the alias is used; at most a
	// sixteenth of them may come from aliases (1 Mi by default). 0 means
	// DefaultMaxNodes, a negative value no limit.
	MaxNodes int
}

func (o LoadOptions) maxFileSize() int64 {
	switch {
	case o.MaxFileSize == 0:
		return DefaultMaxFileSize
	case o.MaxFileSize < 0:
		return math.MaxInt64
	}
	return o.MaxFileSize
}

func (o LoadOptions) maxNodes() int {
	switch {
	case o.MaxNodes == 0:
		return DefaultMaxNodes
	case o.MaxNodes < 0:
		return math.MaxInt
	}
	return o.MaxNodes
}

// readFile reads a file no larger than the size limit. A regular file
// larger than the limit is not read at all.
func (o LoadOptions) readFile(path string) ([]byte, *Diagnostic) {
	limit := o.maxFileSize()
	fail := func(err error) *Diagnostic {
		return &Diagnostic{Severity: SeverityError, Pos: Position{File: path}, Message: err.Error(), Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fail(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, o.tooLarge(path, st.Size())
	}
	var r io.Reader = f
	if limit < math.MaxInt64 {
		r = io.LimitReader(f, limit+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fail(err)
	}
	if int64(len(data)) > limit {
		return nil, o.tooLarge(path, -1)
	}
	return data, nil
}

// tooLarge reports a file above the size limit; size is -1 when only the
// limit is known (a pipe).
func (o LoadOptions) tooLarge(name string, size int64) *Diagnostic {
	what := "the input is larger than"
	if size >= 0 {
		what = "the file is " + byteSize(size) + ", above"
	}
	return &Diagnostic{Severity: SeverityError, Pos: Position{File: name}, Err: ErrTooLarge,
		Message: fmt.Sprintf("%s the %s limit on a topology file; it is not read", what, byteSize(o.maxFileSize()))}
}

// byteSize writes n in bytes, KiB, MiB or GiB.
func byteSize(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f %s", f, units[u])
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}

// countNodes checks the node budgets of a parsed document before it is
// decoded. It walks the document as written, adding for each alias the
// size of what it stands for (computed once per anchor), and returns the
// error at the node that crosses a budget, or at an alias that contains
// itself.
func (o LoadOptions) countNodes(name string, root *yaml.Node) *Diagnostic {
	c := &nodeCounter{maxTotal: o.maxNodes(), sizes: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	c.maxAliased = c.maxTotal
	if c.maxTotal < math.MaxInt {
		c.maxAliased = c.maxTotal / aliasShare
	}
	bad := c.walk(root)
	if bad == nil {
		return nil
	}
	return &Diagnostic{Severity: SeverityError, Pos: Position{File: name, Line: bad.at.Line, Column: bad.at.Column},
		Message: bad.msg + "; the file is not checked further", Err: bad.err}
}

// countError is a node that crossed a budget (ErrTooLarge), or an alias
// inside its own anchor (ErrSyntax).
type countError struct {
	at  *yaml.Node
	err error
	msg string
}

type nodeCounter struct {
	total, aliased       int
	maxTotal, maxAliased int
	// sizes holds the size of each node reached through an alias,
	// aliases expanded, capped at maxTotal+1.
	sizes map[*yaml.Node]int
	// open holds the nodes whose size is being computed, to find an
	// alias inside its own anchor.
	open map[*yaml.Node]bool
}

// walk counts n and what it holds; it returns the first countError, or
// nil.
func (c *nodeCounter) walk(n *yaml.Node) *countError {
	if n.Kind == yaml.AliasNode {
		s, ok := c.size(n.Alias)
		if !ok {
			return &countError{n, ErrSyntax, fmt.Sprintf("alias *%s stands for a node that contains it", n.Value)}
		}
		c.total = addCapped(c.total, s, c.maxTotal)
		c.aliased = addCapped(c.aliased, s, c.maxTotal)
		if c.aliased > c.maxAliased {
			return &countError{n, ErrTooLarge, fmt.Sprintf("YAML aliases expand to more than %d nodes at this alias", c.maxAliased)}
		}
	} else {
		c.total++
	}
	if c.total > c.maxTotal {
		return &countError{n, ErrTooLarge, fmt.Sprintf("the file holds more than %d YAML nodes (aliases expanded)", c.maxTotal)}
	}
	if n.Kind == yaml.AliasNode {
		return nil
	}
	for _, k := range n.Content {
		if bad := c.walk(k); bad != nil {
			return bad
		}
	}
	return nil
}

// size returns the number of nodes n stands for, aliases expanded, capped
// at maxTotal+1; ok is false when n contains an alias to itself.
func (c *nodeCounter) size(n *yaml.Node) (int, bool) {
	if n == nil {
		return 0, true
	}
	if s, ok := c.sizes[n]; ok {
		return s, true
	}
	if c.open[n] {
		return 0, false
	}
	c.open[n] = true
	defer delete(c.open, n)
	s := 1
	for _, k := range n.Content {
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		ks, ok := c.size(k)
		if !ok {
			return 0, false
		}
		s = addCapped(s, ks, c.maxTotal)
	}
	c.sizes[n] = s
	return s, true
}

// addCapped returns a+b, or limit+1 when that is more.
func addCapped(a, b, limit int) int {
	if limit < math.MaxInt && (a > limit || b > limit-a) {
		return limit + 1
	}
	if b > math.MaxInt-a {
		return math.MaxInt
	}
	return a + b
}
