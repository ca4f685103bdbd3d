package model_test

import (
	"errors"
	"fmt"

	"github.com/vpcreach/vpcreach/model"
)

func ExampleLoadBytes() {
	_, _, err := model.LoadBytes("net.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.1.0.0/24, route_table: rtb-mian}
    route_tables:
      - {id: rtb-main, main: true}
`))
	var diags model.Diagnostics
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Println(d)
		}
	}
	fmt.Println(errors.Is(err, model.ErrUnknownRef))
	// Output:
	// net.yaml:7:48: vpcs[0].subnets[0].cidr_block: subnet 10.1.0.0/24 is not inside any CIDR block of vpc-a (10.0.0.0/16) (S-01)
	// net.yaml:7:74: vpcs[0].subnets[0].route_table: unknown route table "rtb-mian" (did you mean "rtb-main"?)
	// true
}
