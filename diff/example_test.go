package diff_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/vpcreach/vpcreach/diff"
	"github.com/vpcreach/vpcreach/model"
)

// A change that opens ssh to the world on a web server: what it exposes,
// which expectation it breaks, and the rule that causes both.
func Example() {
	data, _ := os.ReadFile("testdata/web-old.yaml")
	old, _ := model.Parse("old.yaml", data)
	changed := strings.Replace(string(data),
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}\n",
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}\n          - {protocol: tcp, ports: 22, sources: [0.0.0.0/0]}\n", 1)
	next, _ := model.Parse("new.yaml", []byte(changed))

	r, err := diff.Compare(old, next, diff.Options{})
	if err != nil {
		panic(err)
	}
	for _, e := range r.ExposureGained {
		fmt.Printf("exposed: %s %s %s from %s, cause %s\n", e.Destination, e.Protocol, e.Ports, e.From, e.Cause[0])
	}
	for _, e := range r.ExpectationsBroken {
		fmt.Printf("broken: %s (was %s, now %s)\n", e.Name, e.Old, e.New)
	}
	fmt.Println(r.Summary)
	// Output:
	// exposed: i-web tcp 22 from anywhere, cause sg-web (security group) modified: allow tcp 22 from 0.0.0.0/0 at new.yaml:27:13
	// broken: no ssh from the internet (was unreachable, now reachable)
	// 1 gained, 0 lost, 0 changed; exposure: 1 gained, 0 lost; expectations: 1 broken, 0 fixed; overlaps: 0 added, 0 removed (1 resource changed)
}
