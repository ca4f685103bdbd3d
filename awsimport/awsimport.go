package awsimport

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/model"
)

// Sentinel errors wrapped by the importer's diagnostics, for errors.Is.
// Model's sentinels (model.ErrSyntax, ...) mark files that are not usable
// JSON.
var (
	// ErrOutsideSnapshot: the snapshot refers to a resource it does not
	// hold (a group of another account, a peer VPC of an account that was
	// not collected). The importer says how it stood in for it; answers
	// that depend on it are unknown, not "no".
	ErrOutsideSnapshot = errors.New("outside the snapshot")
	// ErrNotModelled: an AWS feature vpcreach does not model (NAT64, an
	// edge route table association, a carrier gateway, ...).
	ErrNotModelled = errors.New("not modelled")
	// ErrInferred: a fact the snapshot implies without stating it (an
	// internet gateway attachment shown only by an active route to it).
	ErrInferred = errors.New("inferred")
	// ErrInactive: a resource whose state passes no traffic (a stopped
	// instance, a deleted attachment).
	ErrInactive = errors.New("inactive")
	// ErrSkipped: a file, a key or a resource that was not read.
	ErrSkipped = errors.New("skipped")
	// ErrNothingImported: a snapshot (or file) that gave no resource at
	// all: only unrelated JSON, empty lists, resources all skipped. It is
	// an error, as an empty directory is.
	ErrNothingImported = errors.New("nothing imported")
)

// DefaultRegion is the region of a snapshot directory whose layout and data
// name none (Batfish's convention for flat snapshots).
const DefaultRegion = "us-west-2"

// ImportDir reads an AWS snapshot directory (see the package doc for the
// layouts), maps it to a model and validates it, as model.LoadFiles does
// for topology files. It returns the model and every warning and note (of
// the import and of validation); err, when not nil, is a model.Diagnostics
// holding every error, and the model is then nil.
func ImportDir(dir string) (*model.Model, model.Diagnostics, error) {
	return finish(ReadDir(dir))
}

// ImportFile reads one JSON file, an np-guard cloud-resource-collector
// bundle or a single describe-* output, and validates the model, as
// ImportDir does.
func ImportFile(name string) (*model.Model, model.Diagnostics, error) {
	return finish(ReadFile(name))
}

// ImportBundle reads a bundle written by np-guard's cloud-resource-collector
// ({"provider": "aws", "vpcs": [...], ...}) and validates the model. It is
// ImportFile, and fails on a file that is not such a bundle.
func ImportBundle(name string) (*model.Model, model.Diagnostics, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name}, Message: err.Error(), Err: err}}
	}
	r := newReader()
	r.readFile(name, data, r.scopeFor(filepath.ToSlash(filepath.Dir(name))))
	if r.diags.Err() == nil && !isBundle(data) {
		return nil, nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name, Line: 1},
			Message: `not an np-guard cloud-resource-collector bundle (no "provider": "aws" key)`, Err: model.ErrInvalidValue}}
	}
	return finish(r.build())
}

// Import reads the snapshot rooted at root in fsys (a directory, or one
// JSON file) and validates the model. Positions name files by their path
// in fsys.
func Import(fsys fs.FS, root string) (*model.Model, model.Diagnostics, error) {
	r := newReader()
	r.readFS(fsys, root, func(p string) string { return p })
	return finish(r.build())
}

// Read reads a snapshot directory or JSON file and maps it to a model
// without validating it, as model.ReadFiles does: it returns the model
// (nil only when nothing could be read) with every diagnostic of the
// import. Merge it with other models and validate the result.
func Read(name string) (*model.Model, model.Diagnostics) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name}, Message: err.Error(), Err: err}}
	}
	if st.IsDir() {
		return ReadDir(name)
	}
	return ReadFile(name)
}

// ReadDir is Read for a directory.
func ReadDir(dir string) (*model.Model, model.Diagnostics) {
	r := newReader()
	clean := filepath.Clean(dir)
	r.readFS(os.DirFS(clean), ".", func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
	return r.build()
}

// ReadFile is Read for one JSON file.
func ReadFile(name string) (*model.Model, model.Diagnostics) {
	r := newReader()
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name}, Message: err.Error(), Err: err}}
	}
	r.readFile(name, data, r.scopeFor(filepath.ToSlash(filepath.Dir(name))))
	return r.build()
}

// IsSnapshot reports whether name is an AWS snapshot: a directory, or a
// JSON file whose top level holds a key the importer reads (or an np-guard
// bundle). Topology files (YAML, or JSON with a "version" key) are not.
func IsSnapshot(name string) bool {
	st, err := os.Stat(name)
	if err != nil {
		return false
	}
	if st.IsDir() {
		return true
	}
	if !strings.EqualFold(filepath.Ext(name), ".json") {
		return false
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	return recognise(data)
}

// finish validates what a Read returned.
func finish(m *model.Model, diags model.Diagnostics) (*model.Model, model.Diagnostics, error) {
	if m == nil {
		if err := diags.Err(); err != nil {
			return nil, notErrors(diags), err
		}
		return nil, diags, model.Diagnostics{{Severity: model.SeverityError, Message: "nothing to import", Err: ErrSkipped}}
	}
	all := append(diags, model.Validate(m)...)
	all.Sort()
	if err := all.Err(); err != nil {
		return nil, notErrors(all), err
	}
	return m, all, nil
}

func notErrors(ds model.Diagnostics) model.Diagnostics {
	var out model.Diagnostics
	for _, d := range ds {
		if d.Severity != model.SeverityError {
			out = append(out, d)
		}
	}
	return out
}

// readFS reads every .json file under root (or root itself, a file),
// with scopes from the layout. display turns a path in fsys into the name
// positions use.
func (r *reader) readFS(fsys fs.FS, root string, display func(string) string) {
	st, err := fs.Stat(fsys, root)
	if err != nil {
		r.errorf(model.Position{File: display(root)}, err, "%s", err)
		return
	}
	if !st.IsDir() {
		data, err := fs.ReadFile(fsys, root)
		if err != nil {
			r.errorf(model.Position{File: display(root)}, err, "%s", err)
			return
		}
		r.readFile(display(root), data, r.scopeFor(path.Dir(root)))
		return
	}
	r.root = display(root)
	// A Batfish snapshot folder holds its files in aws_configs/.
	if st, err := fs.Stat(fsys, path.Join(root, "aws_configs")); err == nil && st.IsDir() {
		root = path.Join(root, "aws_configs")
	}
	var files []string
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			r.errorf(model.Position{File: display(p)}, err, "%s", err)
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && p != root {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".json") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		r.errorf(model.Position{File: display(root)}, err, "%s", err)
	}
	// Files are decoded concurrently, each by its own reader, and merged in
	// the order WalkDir found them (lexical), so the result does not
	// depend on the schedule.
	scopes := make([]*scope, len(files))
	for k, p := range files {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		scopes[k] = r.scopeFor(path.Dir(rel))
		if scopes[k].file == "" {
			scopes[k].file = display(p)
		}
		r.files++
	}
	subs := make([]*reader, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				sub := &reader{}
				if data, err := fs.ReadFile(fsys, files[k]); err != nil {
					sub.errorf(model.Position{File: display(files[k])}, err, "%s", err)
				} else {
					sub.decodeFile(display(files[k]), data, scopes[k])
				}
				subs[k] = sub
			}
		}()
	}
	for k := range files {
		next <- k
	}
	close(next)
	wg.Wait()
	snaps := make([]*snapshot, len(subs))
	for k, sub := range subs {
		snaps[k] = &sub.snap
		r.diags = append(r.diags, sub.diags...)
		r.lists += sub.lists
	}
	r.snap.mergeAll(snaps)
	if len(files) == 0 {
		r.errorf(model.Position{File: display(root)}, ErrSkipped, "no .json files: not an AWS snapshot directory")
	}
}
