package model_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/formatgen"
	"github.com/vpcreach/vpcreach/model"
)

// fieldValueCases are, for each field that accepts fewer values than its
// enum type (model.FieldValues), a topology that writes it as VALUE and
// the path validation reports it at.
var fieldValueCases = map[string]struct {
	enum, path, topology string
}{
	"Endpoint.IPAddressType": {"IPAddressType", "vpcs[0].endpoints[0].ip_address_type", fieldValueVPC + `
    endpoints: [{id: vpce-a, type: interface, service: com.amazonaws.eu-west-1.sqs, subnets: [sn-a], ip_address_type: VALUE}]
`},
	"LoadBalancer.IPAddressType": {"IPAddressType", "vpcs[0].load_balancers[0].ip_address_type", fieldValueVPC + `
    load_balancers: [{id: alb-a, type: application, scheme: internet-facing, subnets: [sn-a, sn-b], ip_address_type: VALUE}]
`},
	"TargetGroup.IPAddressType": {"IPAddressType", "vpcs[0].target_groups[0].ip_address_type", fieldValueVPC + `
    target_groups: [{id: tg-a, target_type: ip, protocol: tcp, port: 443, ip_address_type: VALUE}]
`},
	"TargetGroup.TargetType": {"TargetType", "vpcs[0].target_groups[0].target_type", fieldValueVPC + `
    target_groups: [{id: tg-a, target_type: VALUE, protocol: tcp, port: 443}]
`},
	"EndpointService.SupportedIPAddressTypes": {"IPAddressType", "endpoint_services[0].supported_ip_address_types[0]", fieldValueVPC + `
    load_balancers: [{id: nlb-a, type: network, scheme: internal, subnets: [sn-a], ip_address_type: dualstack}]
endpoint_services:
  - {id: vpce-svc-a, region: eu-west-1, load_balancers: [nlb-a], supported_ip_address_types: [VALUE]}
`},
	"ExternalNetwork.TunnelInsideIPVersion": {"IPAddressType", "external_networks[0].tunnel_inside_ip_version", fieldValueVPC + `
transit_gateways:
  - {id: tgw-a, region: eu-west-1, attachments: [{id: att-vpn, type: vpn}]}
external_networks:
  - {id: branch, cidrs: ["2001:db8:bb::/48"], via: att-vpn, tunnel_inside_ip_version: VALUE}
`},
}

// fieldValueVPC is the dual-stack VPC of the fieldValueCases.
const fieldValueVPC = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: ["2600:1f18:1:100::/56"]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: "2600:1f18:1:101::/64"}
      - {id: sn-b, az: eu-west-1b, cidr_block: 10.0.2.0/24, ipv6_cidr_block: "2600:1f18:1:102::/64"}`

// TestFieldValuesAgreeWithValidation writes every value of each listed
// field's enum type into a topology: validation must refuse exactly the
// values model.FieldValues leaves out (ErrInvalidValue at the field), so
// the format reference and the JSON Schema, which list FieldValues, say
// what validation accepts. The generator's reading of the list from the
// source must be the list.
func TestFieldValuesAgreeWithValidation(t *testing.T) {
	fromSource, err := formatgen.FieldValues(".")
	require.NoError(t, err)
	require.NotEmpty(t, fromSource)
	enums, err := formatgen.EnumValues(".")
	require.NoError(t, err)
	for field, vals := range fromSource {
		require.Equal(t, model.FieldValues(field), vals, "formatgen read the values of %s wrong", field)
		c, ok := fieldValueCases[field]
		require.True(t, ok, "%s is in fieldValues but has no case here: add one", field)
		all := enums[c.enum]
		require.NotEmpty(t, all, "%s: no values for enum %s", field, c.enum)
		for _, v := range all {
			t.Run(field+"/"+v, func(t *testing.T) {
				_, _, err := model.LoadBytes("t.yaml", []byte(strings.Replace(c.topology, "VALUE", v, 1)))
				var refused []string
				var diags model.Diagnostics
				if errors.As(err, &diags) {
					for _, d := range diags {
						if errors.Is(d, model.ErrInvalidValue) && strings.Contains(d.Error(), ": "+c.path+": ") {
							refused = append(refused, d.Error())
						}
					}
				} else {
					require.NoError(t, err)
				}
				if slices.Contains(vals, v) {
					require.Empty(t, refused, "%s takes %s (fieldValues), but validation refuses it", field, v)
				} else {
					require.NotEmpty(t, refused, "%s does not take %s (fieldValues), but validation accepts it", field, v)
					require.Equal(t, model.FieldAccepts(field, v), false)
				}
			})
		}
	}
}
