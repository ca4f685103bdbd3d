package tfimport_test

import (
	"fmt"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
	"github.com/vpcreach/vpcreach/tfimport"
)

// A plan of a new network: ids unknown until apply, references in the
// configuration. The instance's address is assumed, with a warning; the
// region comes from the subnet's zone.
func ExampleDecode() {
	plan := `{"format_version": "1.2",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.0.0.0/16"}},
  {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a", "values": {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}},
  {"address": "aws_instance.app", "type": "aws_instance", "name": "app", "values": {}},
  {"address": "aws_instance.db", "type": "aws_instance", "name": "db", "values": {"private_ip": "10.0.1.20"}}]}},
 "resource_changes": [
  {"address": "aws_subnet.a", "change": {"after_unknown": {"id": true, "vpc_id": true}}},
  {"address": "aws_instance.app", "change": {"after_unknown": {"id": true, "subnet_id": true, "private_ip": true}}},
  {"address": "aws_instance.db", "change": {"after_unknown": {"id": true, "subnet_id": true}}}],
 "configuration": {"root_module": {"resources": [
  {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
  {"address": "aws_instance.app", "type": "aws_instance", "name": "app", "expressions": {"subnet_id": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}},
  {"address": "aws_instance.db", "type": "aws_instance", "name": "db", "expressions": {"subnet_id": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}}]}}}`
	im, diags := tfimport.Decode("plan.json", []byte(plan))
	for _, d := range diags.Warnings() {
		fmt.Println(d.Error())
	}
	if err := model.Validate(im.Planned).Err(); err != nil {
		fmt.Println(err)
		return
	}
	s, _ := solver.New(im.Planned)
	res := s.Reach(solver.Query{From: "aws_instance.app", To: "aws_instance.db", Protocol: model.ProtocolICMP, ICMP: &model.ICMPMatch{Type: 8}})
	fmt.Println(res.Verdict)
	// Output:
	// plan.json:5:84: aws_instance.app.private_ip: warning: assumed address 10.0.1.4 for the instance's private address, unknown until apply (the first free address of subnet aws_subnet.a)
	// reachable
}
