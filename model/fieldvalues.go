package model

import (
	"slices"
	"strings"
)

// fieldValues lists the enum fields that accept only some of their type's
// values: for each, keyed by "Type.Field" (the struct that declares the Go
// field), the YAML spellings validation accepts, in the type's order. It
// is the one list: validation refuses the other values (FieldAccepts),
// the importers check against it, and the format reference
// (internal/formatgen, which reads this literal) and the JSON Schema give
// these values for the field instead of its type's (EnumValues).
var fieldValues = map[string][]string{
	// V-30: an endpoint's addresses; dualstack-without-public-ipv4 is an
	// application load balancer's.
	"Endpoint.IPAddressType": {"ipv4", "dualstack", "ipv6"},
	// V-33: no ipv6 load balancer; dualstack-without-public-ipv4 for an
	// application load balancer only.
	"LoadBalancer.IPAddressType": {"ipv4", "dualstack", "dualstack-without-public-ipv4"},
	// V-34: the family of the targets.
	"TargetGroup.IPAddressType": {"ipv4", "ipv6"},
	// S-81: lambda targets are not modelled.
	"TargetGroup.TargetType": {"instance", "ip", "alb"},
	// V-32: the families of requests an endpoint service accepts.
	"EndpointService.SupportedIPAddressTypes": {"ipv4", "ipv6"},
	// V-35: a VPN connection's tunnels carry one IP version.
	"ExternalNetwork.TunnelInsideIPVersion": {"ipv4", "ipv6"},
}

// FieldValues returns the YAML spellings field ("Type.Field", such as
// "Endpoint.IPAddressType") accepts when they are fewer than its enum
// type's (EnumValues), or nil when it accepts every value of its type.
func FieldValues(field string) []string { return slices.Clone(fieldValues[field]) }

// FieldAccepts reports whether field ("Type.Field") accepts the value
// spelled v: a value of FieldValues, or any value for a field that is not
// listed there. The unset value ("") is accepted.
func FieldAccepts(field, v string) bool {
	vals, ok := fieldValues[field]
	return !ok || v == "" || slices.Contains(vals, v)
}

// fieldValuesText writes field's values for a message: "a, b or c".
func fieldValuesText(field string) string {
	vals := fieldValues[field]
	if len(vals) < 2 {
		return strings.Join(vals, "")
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}
