package awsimport_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/vpcreach/vpcreach/awsimport"
)

// FuzzImport feeds arbitrary bytes to the importer as one file of a
// snapshot, beside a fixed valid VPC file: it must never panic, and a
// model it returns must have passed validation.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("../../shared/external/batfish-aws/test-vpc-peering/aws_configs/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`))
	f.Add([]byte(`{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "-1"}]}]}`))
	f.Add([]byte(`{"provider": "aws", "vpcs": [], "subnets": []}`))
	f.Add([]byte(`{"Reservations": [{"Instances": [{"InstanceId": "i-1", "SubnetId": "s", "PrivateIpAddress": "10.0.0.999"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"snap/vpcs.json":  {Data: []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111111111111"}]}`)},
			"snap/fuzz.json":  {Data: data},
			"snap/other.json": {Data: []byte(`{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-west-2a"}]}`)},
		}
		m, _, err := awsimport.Import(fsys, "snap")
		if err == nil && m == nil {
			t.Fatal("nil model without an error")
		}
	})
}
