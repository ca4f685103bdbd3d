package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoExportedPackageVariables guards the rule that nothing a user can
// assign changes an answer once solver.New returns: the public packages
// export constants and functions, never variables. Sentinel errors
// (ErrXxx, for errors.Is) are the one exception, as in the standard
// library. Internal packages, which users cannot import, are not checked.
func TestNoExportedPackageVariables(t *testing.T) {
	for _, dir := range public {
		path := filepath.Join("..", "..", dir)
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, path, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			for _, f := range p.Files {
				for _, d := range f.Decls {
					g, ok := d.(*ast.GenDecl)
					if !ok || g.Tok != token.VAR {
						continue
					}
					for _, s := range g.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							if ast.IsExported(n.Name) && !strings.HasPrefix(n.Name, "Err") {
								t.Errorf("%s: package %s exports variable %s: make it a constant or a function returning a fresh value",
									fset.Position(n.Pos()), dir, n.Name)
							}
						}
					}
				}
			}
		}
	}
}
