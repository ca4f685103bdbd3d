# The configuration seed003-private-eks.plan.json is the plan of, for a
# new network (nothing applied yet): testdata/seed003-private-eks.yaml as a
# team would write it in Terraform. AWS provider 5.x, Terraform 1.9.

provider "aws" {
  region = "ap-southeast-1"
}

locals {
  azs           = ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]
  private_cidrs = ["192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19"]
  node_ips      = ["192.168.100.20", "192.168.140.20", "192.168.170.20"]
  # The AWS APIs the nodes need besides EC2 (which the ops VPC uses too).
  api_services = toset(["ecr.api", "ecr.dkr", "sts", "logs", "elasticloadbalancing"])
}

resource "aws_vpc" "eks" {
  cidr_block           = "192.168.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true # both needed for private DNS (S-72)
  tags                 = { Name = "eksctl-private-cluster" }
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.eks.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.private_cidrs[count.index]
  tags              = { Name = "eks-private-${substr(local.azs[count.index], -2, 2)}" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.eks.id
  tags   = { Name = "eks-private" }
}

resource "aws_route_table_association" "private" {
  count          = 3
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# No 0.0.0.0/0: no internet path at all.
resource "aws_route" "eks_to_ops" {
  route_table_id            = aws_route_table.private.id
  destination_cidr_block    = aws_vpc.ops.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ops_eks.id
}

resource "aws_security_group" "nodes" {
  name        = "eks-nodes"
  description = "EKS managed node group"
  vpc_id      = aws_vpc.eks.id
  ingress {
    description = "node to node"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "vpce" {
  name        = "VPCEndpoint"
  description = "interface endpoints for the EKS nodes"
  vpc_id      = aws_vpc.eks.id
  ingress {
    description = "HTTPS from this VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.eks.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "vpce_ops" {
  name        = "VPCEndpoint-ops"
  description = "lets the peered ops VPC use the EC2 endpoint"
  vpc_id      = aws_vpc.eks.id
  ingress {
    description = "HTTPS from the ops VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.ops.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "ec2" {
  vpc_id              = aws_vpc.eks.id
  service_name        = "com.amazonaws.ap-southeast-1.ec2"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.vpce.id, aws_security_group.vpce_ops.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "api" {
  for_each            = local.api_services
  vpc_id              = aws_vpc.eks.id
  service_name        = "com.amazonaws.ap-southeast-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.vpce.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.eks.id
  service_name      = "com.amazonaws.ap-southeast-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_instance" "node" {
  count                  = 3
  ami                    = "ami-0a1b2c3d4e5f60718"
  instance_type          = "m5.large"
  subnet_id              = aws_subnet.private[count.index].id
  private_ip             = local.node_ips[count.index]
  vpc_security_group_ids = [aws_security_group.nodes.id]
}

# An ops VPC, peered with the EKS VPC, also without internet access.
resource "aws_vpc" "ops" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "ops" {
  vpc_id            = aws_vpc.ops.id
  availability_zone = "ap-southeast-1a"
  cidr_block        = "10.20.1.0/24"
}

resource "aws_route" "ops_to_eks" {
  route_table_id            = aws_vpc.ops.main_route_table_id
  destination_cidr_block    = aws_vpc.eks.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ops_eks.id
}

resource "aws_security_group" "ops_tools" {
  name        = "ops-tools"
  description = "ops tooling (runs the AWS CLI)"
  vpc_id      = aws_vpc.ops.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "ops_tools" {
  ami                    = "ami-0a1b2c3d4e5f60718"
  instance_type          = "m5.large"
  subnet_id              = aws_subnet.ops.id
  private_ip             = "10.20.1.10"
  vpc_security_group_ids = [aws_security_group.ops_tools.id]
  tags                   = { Name = "ops-tools" }
}

resource "aws_vpc_peering_connection" "ops_eks" {
  vpc_id      = aws_vpc.ops.id
  peer_vpc_id = aws_vpc.eks.id
  auto_accept = true
  tags        = { Name = "ops-to-eks" }
}

# Part three of the post: the ops VPC resolves the EC2 API's default name
# to the endpoint through a private zone (an alias at the apex).
resource "aws_route53_zone" "ec2" {
  name = "ec2.ap-southeast-1.amazonaws.com"
  vpc {
    vpc_id = aws_vpc.ops.id
  }
}

resource "aws_route53_record" "ec2" {
  zone_id = aws_route53_zone.ec2.zone_id
  name    = "ec2.ap-southeast-1.amazonaws.com"
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ec2.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ec2.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}
