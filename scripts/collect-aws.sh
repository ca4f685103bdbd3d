#!/usr/bin/env bash
# collect-aws.sh writes an AWS snapshot for vpcreach: the JSON that the
# AWS CLI prints for the network resources of some accounts and regions, in
# the layout `vpcreach import aws DIR` (and --from-aws DIR) reads:
#
#   DIR/accounts/ACCOUNT/REGION/KEY.json   one file per describe-* call
#   DIR/accounts/ACCOUNT/global/KEY.json   Route 53 (global)
#
# Every call is read-only (describe, get, list, search); the IAM actions it
# needs are listed in the README ("Importing an AWS network"). A call that
# fails (access denied, a service not offered in a region) is reported and
# skipped: vpcreach then says what the snapshot lacks.
#
# Usage:
#   scripts/collect-aws.sh -o DIR [--accounts PROFILE,...] [--regions REGION,...]
#
#   -o, --output DIR      where to write the snapshot (created if needed)
#   --accounts PROFILES   AWS CLI profiles, one per account (comma-separated);
#                         default: the default credentials
#   --regions REGIONS     regions to collect (comma-separated); default: the
#                         region configured for each profile
#
# Needs the AWS CLI v2 (aws), and nothing else.
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

out=""
profiles=""
regions=""
while [ $# -gt 0 ]; do
	case "$1" in
	-o | --output) out=${2:?"$1 needs a directory"}; shift 2 ;;
	--accounts) profiles=${2:?"--accounts needs profiles"}; shift 2 ;;
	--regions) regions=${2:?"--regions needs regions"}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "collect-aws.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
	esac
done
if [ -z "$out" ]; then
	echo "collect-aws.sh: -o DIR is required" >&2
	usage >&2
	exit 2
fi
if ! command -v aws >/dev/null 2>&1; then
	echo "collect-aws.sh: the AWS CLI (aws) is not installed" >&2
	exit 2
fi

warn() { echo "collect-aws.sh: $*" >&2; }

# The current profile and region, for awscli.
PROFILE_ARGS=()
REGION=""

# awscli runs a read-only AWS CLI call for the current profile and region.
awscli() {
	aws ${PROFILE_ARGS[@]+"${PROFILE_ARGS[@]}"} --region "$REGION" "$@"
}

# save FILE CMD... writes the output of one describe-* call to FILE.
save() {
	local file=$1
	shift
	if ! awscli --output json "$@" >"$file.tmp" 2>"$file.err"; then
		warn "$REGION: aws $1 $2 failed, skipped: $(tr '\n' ' ' <"$file.err")"
		rm -f "$file.tmp" "$file.err"
		return 0
	fi
	mv "$file.tmp" "$file"
	rm -f "$file.err"
}

# ids CMD... prints the ids an AWS CLI call returns (--query ... --output
# text), one per line; nothing when it fails.
ids() {
	awscli --output text "$@" 2>/dev/null | tr '\t' '\n' | grep -v '^None$' | grep -v '^$' || true
}

# A wrapped list: the outputs of one call per parent resource, gathered as
# {"KEY": [output, output, ...]}. Each output names its parent (through
# --query), as vpcreach needs.
list_begin() {
	LIST_FILE=$1
	LIST_FIRST=1
	printf '{"%s": [\n' "$2" >"$LIST_FILE.tmp"
}

list_add() {
	local item
	if ! item=$(awscli --output json "$@" 2>/dev/null); then
		warn "$REGION: aws $1 $2 failed for one resource, skipped"
		return 0
	fi
	if [ "$LIST_FIRST" = 0 ]; then
		printf ',\n' >>"$LIST_FILE.tmp"
	fi
	printf '%s\n' "$item" >>"$LIST_FILE.tmp"
	LIST_FIRST=0
}

list_end() {
	printf ']}\n' >>"$LIST_FILE.tmp"
	mv "$LIST_FILE.tmp" "$LIST_FILE"
}

collect_region() {
	local dir=$1
	mkdir -p "$dir"

	save "$dir/AvailabilityZones.json" ec2 describe-availability-zones
	save "$dir/Vpcs.json" ec2 describe-vpcs
	save "$dir/Subnets.json" ec2 describe-subnets
	save "$dir/RouteTables.json" ec2 describe-route-tables
	save "$dir/NetworkAcls.json" ec2 describe-network-acls
	save "$dir/SecurityGroups.json" ec2 describe-security-groups
	save "$dir/Reservations.json" ec2 describe-instances
	save "$dir/NetworkInterfaces.json" ec2 describe-network-interfaces
	save "$dir/Addresses.json" ec2 describe-addresses
	save "$dir/InternetGateways.json" ec2 describe-internet-gateways
	save "$dir/NatGateways.json" ec2 describe-nat-gateways
	save "$dir/VpnGateways.json" ec2 describe-vpn-gateways
	save "$dir/VpnConnections.json" ec2 describe-vpn-connections
	save "$dir/VpcPeeringConnections.json" ec2 describe-vpc-peering-connections
	save "$dir/TransitGateways.json" ec2 describe-transit-gateways
	save "$dir/TransitGatewayAttachments.json" ec2 describe-transit-gateway-attachments
	save "$dir/TransitGatewayVpcAttachments.json" ec2 describe-transit-gateway-vpc-attachments
	save "$dir/TransitGatewayPeeringAttachments.json" ec2 describe-transit-gateway-peering-attachments
	save "$dir/TransitGatewayRouteTables.json" ec2 describe-transit-gateway-route-tables
	save "$dir/VpcEndpoints.json" ec2 describe-vpc-endpoints
	save "$dir/VpcEndpointServiceConfigurations.json" ec2 describe-vpc-endpoint-service-configurations
	save "$dir/VpcEndpointConnections.json" ec2 describe-vpc-endpoint-connections
	save "$dir/PrefixLists.json" ec2 describe-prefix-lists
	save "$dir/ManagedPrefixLists.json" ec2 describe-managed-prefix-lists
	save "$dir/LoadBalancers.json" elbv2 describe-load-balancers
	save "$dir/TargetGroups.json" elbv2 describe-target-groups

	local id
	# DNS attributes, one call per VPC and attribute.
	list_begin "$dir/VpcAttributes.json" VpcAttributes
	for id in $(ids ec2 describe-vpcs --query 'Vpcs[].VpcId'); do
		list_add ec2 describe-vpc-attribute --vpc-id "$id" --attribute enableDnsSupport
		list_add ec2 describe-vpc-attribute --vpc-id "$id" --attribute enableDnsHostnames
	done
	list_end

	# Transit gateway route tables: static and blackhole routes, and
	# propagations, wrapped with the table's id.
	local tables
	tables=$(ids ec2 describe-transit-gateway-route-tables --query 'TransitGatewayRouteTables[].TransitGatewayRouteTableId')
	list_begin "$dir/TransitGatewayStaticRoutes.json" TransitGatewayStaticRoutes
	for id in $tables; do
		list_add ec2 search-transit-gateway-routes --transit-gateway-route-table-id "$id" \
			--filters Name=type,Values=static \
			--query "{TransitGatewayRouteTableId: '$id', Routes: Routes, AdditionalRoutesAvailable: AdditionalRoutesAvailable}"
	done
	list_end
	list_begin "$dir/TransitGatewayPropagations.json" TransitGatewayPropagations
	for id in $tables; do
		list_add ec2 get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "$id" \
			--query "{TransitGatewayRouteTableId: '$id', TransitGatewayRouteTablePropagations: TransitGatewayRouteTablePropagations}"
	done
	list_end

	# Customer-managed prefix lists' entries.
	list_begin "$dir/ManagedPrefixListEntries.json" ManagedPrefixListEntries
	for id in $(ids ec2 describe-managed-prefix-lists --query "PrefixLists[?OwnerId!='AWS'].PrefixListId"); do
		list_add ec2 get-managed-prefix-list-entries --prefix-list-id "$id" \
			--query "{PrefixListId: '$id', Entries: Entries}"
	done
	list_end

	# Endpoint services this account provides: who may connect.
	list_begin "$dir/VpcEndpointServicePermissions.json" VpcEndpointServicePermissions
	for id in $(ids ec2 describe-vpc-endpoint-service-configurations --query 'ServiceConfigurations[].ServiceId'); do
		list_add ec2 describe-vpc-endpoint-service-permissions --service-id "$id" \
			--query "{ServiceId: '$id', AllowedPrincipals: AllowedPrincipals}"
	done
	list_end

	# Load balancers: listeners and attributes, wrapped with the load
	# balancer's ARN; target groups: health and attributes, wrapped with
	# the target group's ARN.
	local lbs tgs
	lbs=$(ids elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn')
	tgs=$(ids elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupArn')
	list_begin "$dir/LoadBalancerListeners.json" LoadBalancerListeners
	for id in $lbs; do
		list_add elbv2 describe-listeners --load-balancer-arn "$id" \
			--query "{LoadBalancerArn: '$id', Listeners: Listeners}"
	done
	list_end
	list_begin "$dir/LoadBalancerAttributes.json" LoadBalancerAttributes
	for id in $lbs; do
		list_add elbv2 describe-load-balancer-attributes --load-balancer-arn "$id" \
			--query "{LoadBalancerArn: '$id', Attributes: Attributes}"
	done
	list_end
	list_begin "$dir/LoadBalancerTargetHealth.json" LoadBalancerTargetHealth
	for id in $tgs; do
		list_add elbv2 describe-target-health --target-group-arn "$id" \
			--query "{TargetGroupArn: '$id', TargetHealthDescriptions: TargetHealthDescriptions}"
	done
	list_end
	list_begin "$dir/TargetGroupAttributes.json" TargetGroupAttributes
	for id in $tgs; do
		list_add elbv2 describe-target-group-attributes --target-group-arn "$id" \
			--query "{TargetGroupArn: '$id', Attributes: Attributes}"
	done
	list_end
}

# collect_route53 writes the account's hosted zones, their VPC
# associations (get-hosted-zone) and their records, wrapped with the
# zone's id.
collect_route53() {
	local dir=$1 id
	mkdir -p "$dir"
	save "$dir/HostedZones.json" route53 list-hosted-zones
	local zones
	zones=$(ids route53 list-hosted-zones --query 'HostedZones[].Id')
	list_begin "$dir/HostedZoneDetails.json" HostedZoneDetails
	for id in $zones; do
		list_add route53 get-hosted-zone --id "$id"
	done
	list_end
	list_begin "$dir/HostedZoneRecordSets.json" HostedZoneRecordSets
	for id in $zones; do
		list_add route53 list-resource-record-sets --hosted-zone-id "$id" \
			--query "{HostedZoneId: '$id', ResourceRecordSets: ResourceRecordSets}"
	done
	list_end
}

IFS=, read -r -a profile_list <<<"${profiles:-}"
if [ ${#profile_list[@]} -eq 0 ]; then
	profile_list=("")
fi
IFS=, read -r -a region_list <<<"${regions:-}"

status=0
for profile in "${profile_list[@]}"; do
	PROFILE_ARGS=()
	if [ -n "$profile" ]; then
		PROFILE_ARGS=(--profile "$profile")
	fi
	if ! account=$(aws ${PROFILE_ARGS[@]+"${PROFILE_ARGS[@]}"} sts get-caller-identity --query Account --output text); then
		warn "profile ${profile:-default}: cannot identify the account, skipped"
		status=1
		continue
	fi
	regs=(${region_list[@]+"${region_list[@]}"})
	if [ ${#regs[@]} -eq 0 ]; then
		r=$(aws ${PROFILE_ARGS[@]+"${PROFILE_ARGS[@]}"} configure get region || true)
		if [ -z "$r" ]; then
			warn "profile ${profile:-default}: no region configured; give --regions"
			status=1
			continue
		fi
		regs=("$r")
	fi
	for REGION in "${regs[@]}"; do
		echo "collect-aws.sh: account $account (${profile:-default}), $REGION" >&2
		collect_region "$out/accounts/$account/$REGION"
	done
	REGION=${regs[0]}
	collect_route53 "$out/accounts/$account/global"
done
echo "collect-aws.sh: wrote $out; read it with: vpcreach import aws $out" >&2
exit $status
