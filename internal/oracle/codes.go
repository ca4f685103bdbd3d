package oracle

// Blocking and warning codes, spelled as the engine spells them (see the
// README's list), so that answers compare as sets of names. The oracle
// does not import the engine: these are written out again.
const (
	codeNoRoute            = "NO_ROUTE_TO_DESTINATION"
	codeBadStateRoute      = "BAD_STATE_ROUTE"
	codeSGMismatch         = "ENI_SG_RULES_MISMATCH"
	codeACL                = "SUBNET_ACL_RESTRICTION"
	codePCXAddress         = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
	codeIGWNoPublicIP      = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	codeIGWPrivateDst      = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
	codeSourceDestCheck    = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
	codeTGWNoAssociation   = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
	codeTGWNoRoute         = "TGW_RTB_CANNOT_ROUTE"
	codeTGWBlackhole       = "TGW_RTB_BAD_STATE_ROUTE"
	codeTGWZone            = "TGW_ROUTE_AZ_RESTRICTION"
	codeRefsNotPreserved   = "SG_REFERENCES_NOT_PRESERVED"
	codeRefsUnsupported    = "SG_REFERENCING_SUPPORT"
	codeBadState           = "BAD_STATE"
	codeBadAttachment      = "BAD_STATE_ATTACHMENT"
	codeReturnRoute        = "RETURN_ROUTE_MISSING"
	codeLoop               = "ROUTING_LOOP"
	codeACLPartialReturn   = "ACL_PARTIAL_RETURN"
	codeACLPartialProto    = "ACL_PARTIAL_PROTOCOLS"
	codeNoIGW              = "NO_INTERNET_GATEWAY"
	codeNATInbound         = "NGW_INBOUND_NOT_ALLOWED"
	codeNATProtocol        = "NGW_PROTOCOL_RESTRICTION"
	codeEndpointFromPeer   = "VPCE_GATEWAY_NOT_FROM_PEER"
	codeEndpointProtocol   = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
	codeNotRunning         = "INSTANCE_NOT_RUNNING"
	codeNotFound           = "DESTINATION_NOT_FOUND"
	codeTGWAmbiguous       = "TGW_RTB_AMBIGUOUS_ROUTE"
	codeNoPublicAddress    = "NO_PUBLIC_ADDRESS"
	codeApplianceAsymmetry = "APPLIANCE_ASYMMETRIC_ROUTING"

	codeServiceNotInAZ       = "VPCE_SERVICE_NOT_INSTALLED_IN_AZ"
	codeNoTargetsInAZ        = "ELBV2_NO_TARGETS_IN_AZ"
	codeNoHealthyTargets     = "ELBV2_NO_HEALTHY_TARGETS"
	codeInspectionDrop       = "GWLB_INSPECTION_DROP"
	codeReturnSkipsAppliance = "GWLB_RETURN_SKIPS_APPLIANCE"
	codeDNS64Disabled        = "DNS64_DISABLED"
)
