package awsimport_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/vpcreach/vpcreach/awsimport"
)

// FuzzImport feeds arbitrary bytes to the importer as one file of a
// snapshot, beside a fixed valid VPC file: it must never panic, a model it
// returns must have passed validation, and it accepts only JSON (or an
// empty file, which it skips). Its seeds are in testdata/fuzz/FuzzImport:
// real AWS CLI output (see testdata/fuzz/README.md) and values AWS never
// writes.
func FuzzImport(f *testing.F) {
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
		text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark is allowed
		if err == nil && !json.Valid(text) && len(bytes.TrimSpace(text)) > 0 {
			t.Fatalf("%q is not JSON, and was imported", data)
		}
	})
}
