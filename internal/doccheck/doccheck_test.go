package doccheck

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var public = []string{"model", "routing", "sgeval", "solver", "overlap", "lint", "report", "reachtest", "awsimport"}

// TestExportedIdentifiersAreDocumented lists exported types, functions,
// methods, constants and variables without a doc comment.
func TestExportedIdentifiersAreDocumented(t *testing.T) {
	for _, dir := range public {
		path := filepath.Join("..", "..", dir)
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, path, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			d := doc.New(p, dir, 0)
			if strings.TrimSpace(d.Doc) == "" {
				t.Errorf("package %s has no package doc", dir)
			}
			check := func(kind, name, text string, pos token.Pos) {
				if ast.IsExported(name) && strings.TrimSpace(text) == "" {
					t.Errorf("%s: %s %s has no doc comment", fset.Position(pos), kind, name)
				}
			}
			for _, f := range d.Funcs {
				check("func", f.Name, f.Doc, f.Decl.Pos())
			}
			for _, ty := range d.Types {
				check("type", ty.Name, ty.Doc, ty.Decl.Pos())
				for _, f := range ty.Funcs {
					check("func", f.Name, f.Doc, f.Decl.Pos())
				}
				for _, m := range ty.Methods {
					check("method", ty.Name+"."+m.Name, m.Doc, m.Decl.Pos())
				}
				for _, v := range append(ty.Consts, ty.Vars...) {
					for _, n := range v.Names {
						if v.Doc == "" && !specDocumented(v.Decl, n) {
							check("value", n, "", v.Decl.Pos())
						}
					}
				}
			}
			for _, v := range append(d.Consts, d.Vars...) {
				for _, n := range v.Names {
					if v.Doc == "" && !specDocumented(v.Decl, n) {
						check("value", n, "", v.Decl.Pos())
					}
				}
			}
		}
	}
}

// specDocumented reports whether the spec declaring name in a grouped
// declaration has its own comment.
func specDocumented(decl *ast.GenDecl, name string) bool {
	for _, s := range decl.Specs {
		vs, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, n := range vs.Names {
			if n.Name == name && (vs.Doc != nil || vs.Comment != nil) {
				return true
			}
		}
	}
	return false
}
