package awsimport_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
)

// V-15: list-resource-record-sets' AAAA records are imported with their
// IPv6 values; the A and AAAA alias records of one name and target
// become one ALIAS, which answers for both families; an AAAA alias alone
// is an ALIAS too; other types are still counted as not modelled.
func TestAAAARecordsImported(t *testing.T) {
	text := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111122223333"}],
"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "corp.internal.", "Config": {"PrivateZone": true}}],
"HostedZoneDetails": [{"HostedZone": {"Id": "/hostedzone/Z1", "Name": "corp.internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "us-east-1", "VPCId": "vpc-1"}]}],
"HostedZoneRecordSets": [{"HostedZoneId": "/hostedzone/Z1", "ResourceRecordSets": [
	{"Name": "www.corp.internal.", "Type": "A", "ResourceRecords": [{"Value": "10.0.1.20"}]},
	{"Name": "www.corp.internal.", "Type": "AAAA", "ResourceRecords": [{"Value": "2600:1f18:a:c01::20"}]},
	{"Name": "lb.corp.internal.", "Type": "A", "AliasTarget": {"DNSName": "dualstack.my-lb-1.us-east-1.elb.amazonaws.com.", "HostedZoneId": "Z35SXDOTRQ7X7K"}},
	{"Name": "lb.corp.internal.", "Type": "AAAA", "AliasTarget": {"DNSName": "dualstack.my-lb-1.us-east-1.elb.amazonaws.com.", "HostedZoneId": "Z35SXDOTRQ7X7K"}},
	{"Name": "lb6.corp.internal.", "Type": "AAAA", "AliasTarget": {"DNSName": "dualstack.my-lb-2.us-east-1.elb.amazonaws.com.", "HostedZoneId": "Z35SXDOTRQ7X7K"}},
	{"Name": "mail.corp.internal.", "Type": "MX", "ResourceRecords": [{"Value": "10 mx.corp.internal."}]}]}]}`
	_, m, diags := readOne(t, text)
	require.NoError(t, diags.Err())
	require.Len(t, m.HostedZones, 1)
	type rec struct{ name, typ, values, target string }
	var got []rec
	for _, r := range m.HostedZones[0].Records {
		v := ""
		for _, x := range r.Values {
			v += x + " "
		}
		got = append(got, rec{r.Name, r.Type.String(), v, r.Target})
	}
	assert.Equal(t, []rec{
		{"www.corp.internal.", "A", "10.0.1.20 ", ""},
		{"www.corp.internal.", "AAAA", "2600:1f18:a:c01::20 ", ""},
		{"lb.corp.internal.", "ALIAS", "", "my-lb-1.us-east-1.elb.amazonaws.com"},
		{"lb6.corp.internal.", "ALIAS", "", "my-lb-2.us-east-1.elb.amazonaws.com"},
	}, got)
	var notModelled []string
	for _, d := range diags {
		if errors.Is(d, awsimport.ErrNotModelled) {
			notModelled = append(notModelled, d.Message)
		}
	}
	assert.Equal(t, []string{"records of types other than A, AAAA, CNAME and alias (MX, TXT, ...) skipped: 1"}, notModelled)

	// Export writes the AAAA record back as an AAAA record set.
	m2, diags2 := exportImport(t, m)
	require.NoError(t, diags2.Err())
	require.Len(t, m2.HostedZones, 1)
	var types []model.RecordType
	for _, r := range m2.HostedZones[0].Records {
		types = append(types, r.Type)
	}
	assert.Equal(t, []model.RecordType{model.RecordA, model.RecordAAAA, model.RecordAlias, model.RecordAlias}, types)
}
