package overlap_test

import (
	"fmt"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
)

func ExampleFind() {
	m, err := model.Parse("net.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}
  - {id: vpc-b, region: eu-west-1, cidr_blocks: [10.0.128.0/17]}
`))
	if err != nil {
		panic(err)
	}
	for _, o := range overlap.Find(m) {
		fmt.Println(o.Severity(), o.Class, o.A.ID, o.B.ID)
	}
	// Output:
	// note unconnected vpc-a vpc-b
}
