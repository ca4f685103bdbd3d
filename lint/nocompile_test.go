package lint_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRulesReadTheSolversCompiledNetwork guards the rule that the linter
// asks the solver which route table, ACL or group applies (Solver's
// read-only view) instead of compiling a second copy that could disagree
// with the engine: no file of the package calls a compiler of routing or
// sgeval.
func TestRulesReadTheSolversCompiledNetwork(t *testing.T) {
	compilers := map[string][]string{
		"github.com/vpcreach/vpcreach/routing": {"CompileVPCTable", "CompileTGWTable"},
		"github.com/vpcreach/vpcreach/sgeval":  {"CompileACL", "CompileSG", "DefaultSG", "AllowAllACL"},
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		checked++
		// The names the file imports the compiling packages under.
		local := map[string][]string{}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			fns, ok := compilers[path]
			if !ok {
				continue
			}
			name := path[strings.LastIndex(path, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			assert.NotEqual(t, ".", name, "%s: dot import of %s", fset.Position(imp.Pos()), path)
			local[name] = fns
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok {
				for _, fn := range local[pkg.Name] {
					if sel.Sel.Name == fn {
						t.Errorf("%s: %s.%s compiles a second copy of what the solver compiled; use the Solver's view (SubnetRouteTable, RouteTable, TGWRouteTable, AttachmentRouteTable, NetworkACL, SubnetACL, InterfaceGroups)",
							fset.Position(sel.Pos()), pkg.Name, fn)
					}
				}
			}
			return true
		})
	}
	assert.Positive(t, checked, "no source file checked")
}
