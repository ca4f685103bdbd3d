// Package cost prices paths: what AWS charges per GB for the request and
// the response of a reach answer, hop by hop, and which resources on the
// path are charged by the hour.
//
// AWS bills a network path in a few places, and vpcreach prices each where
// the packet meets it (PricePath states the rules): a NAT gateway
// processes every GB either way; a transit gateway processes every GB sent
// into it from a VPC, VPN or Direct Connect attachment; an interface
// endpoint (PrivateLink) processes every GB either way; a gateway endpoint
// is free. Moving between availability zones of a region costs per GB out
// of one zone and again into the other (for instances, NAT gateways,
// network load balancers and peering connections alike), but nothing to
// and from transit gateway attachments and PrivateLink endpoints (since
// April 2022) or between an application load balancer and its targets;
// within a zone it is free, over a peering connection too. Leaving a
// region costs the sender's inter-region rate; leaving AWS for the
// internet costs internet egress, and arriving from it nothing. NAT
// gateways, interface endpoints (per zone) and transit gateway attachments
// are also charged per hour whatever the traffic: PricePath lists them
// apart. Load balancer hours and capacity units, and VPN and Direct
// Connect transfer, are not priced; a note says so.
//
// Prices come from a Table: Default is embedded (us-east-1 list prices,
// with the date they were read and each figure's source, DefaultText), and
// ParseTable or LoadTable read a file in the same small YAML or JSON
// format, which can price several regions. A region the table lacks is
// priced as its fallback region, and the answer notes it. Amounts are
// Money, exact micro-dollars, so that sums print the same everywhere.
package cost
