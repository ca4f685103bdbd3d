# The configuration seed001-peering-endpoints.change.json is the plan of:
# testdata/seed001-peering-endpoints.yaml as a team would write it in
# Terraform. AWS provider 5.x, Terraform 1.10. The prior state holds all of
# it applied except the two resources marked "the change": before it, VPC2
# had no route to VPC3 and VPC3's orders group did not admit VPC2.

provider "aws" {
  region = "us-east-1"
}

locals {
  vpc1_subnets = { "us-east-1a" = "10.10.1.0/24", "us-east-1b" = "10.10.2.0/24" }
  vpc3_azs     = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "vpc1" {
  cidr_block           = "10.10.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "VPC1" }
}

resource "aws_vpc" "vpc2" {
  cidr_block = "172.31.0.0/16"
  tags       = { Name = "VPC2" }
}

resource "aws_vpc" "vpc3" {
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "VPC3" }
}

resource "aws_subnet" "vpc1_app" {
  for_each          = local.vpc1_subnets
  vpc_id            = aws_vpc.vpc1.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_subnet" "vpc2_app" {
  vpc_id            = aws_vpc.vpc2.id
  availability_zone = "us-east-1a"
  cidr_block        = "172.31.0.0/20"
}

resource "aws_subnet" "vpc3_app" {
  count             = 2
  vpc_id            = aws_vpc.vpc3.id
  availability_zone = local.vpc3_azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.vpc3.cidr_block, 8, count.index + 1)
}

# VPC1 <-> VPC2 <-> VPC3, peered in a chain.
resource "aws_vpc_peering_connection" "vpc1_vpc2" {
  vpc_id      = aws_vpc.vpc1.id
  peer_vpc_id = aws_vpc.vpc2.id
  auto_accept = true
}

resource "aws_vpc_peering_connection" "vpc2_vpc3" {
  vpc_id      = aws_vpc.vpc2.id
  peer_vpc_id = aws_vpc.vpc3.id
  auto_accept = true
}

resource "aws_default_route_table" "vpc1" {
  default_route_table_id = aws_vpc.vpc1.default_route_table_id
  route {
    cidr_block                = "172.31.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.vpc1_vpc2.id
  }
  # A hopeful route to VPC3 through VPC2: VPC2 receives the packets and
  # does not forward them (no transitive peering, S-42).
  route {
    cidr_block                = aws_vpc.vpc3.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.vpc1_vpc2.id
  }
}

resource "aws_route" "vpc2_to_vpc1" {
  route_table_id            = aws_vpc.vpc2.main_route_table_id
  destination_cidr_block    = aws_vpc.vpc1.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.vpc1_vpc2.id
}

# The change.
resource "aws_route" "vpc2_to_vpc3" {
  route_table_id            = aws_vpc.vpc2.main_route_table_id
  destination_cidr_block    = aws_vpc.vpc3.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.vpc2_vpc3.id
}

resource "aws_route" "vpc3_to_vpc2" {
  route_table_id            = aws_vpc.vpc3.main_route_table_id
  destination_cidr_block    = aws_vpc.vpc2.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.vpc2_vpc3.id
}

resource "aws_security_group" "sg_1_app" {
  name        = "sg-1-app"
  description = "application servers in VPC1"
  vpc_id      = aws_vpc.vpc1.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.vpc1.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "sg_1_endpoints" {
  name        = "sg-1-endpoints"
  description = "interface endpoints in VPC1"
  vpc_id      = aws_vpc.vpc1.id
  ingress {
    description = "HTTPS from VPC1"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.vpc1.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "sg_2_app" {
  name        = "sg-2-app"
  description = "application servers in VPC2"
  vpc_id      = aws_vpc.vpc2.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.vpc1.cidr_block, aws_vpc.vpc3.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# VPC3's orders group keeps its rules in separate resources.
resource "aws_security_group" "sg_3_orders" {
  name        = "sg-3-orders"
  description = "orders service behind the NLB"
  vpc_id      = aws_vpc.vpc3.id
}

resource "aws_vpc_security_group_ingress_rule" "orders_from_nlb" {
  security_group_id = aws_security_group.sg_3_orders.id
  description       = "PrivateLink traffic from the NLB"
  ip_protocol       = "tcp"
  from_port         = 8443
  to_port           = 8443
  cidr_ipv4         = aws_vpc.vpc3.cidr_block # the NLB forwards from its own addresses (S-81)
}

# The change.
resource "aws_vpc_security_group_ingress_rule" "orders_from_vpc2" {
  security_group_id = aws_security_group.sg_3_orders.id
  description       = "direct calls from VPC2"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.vpc2.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "orders_all" {
  security_group_id = aws_security_group.sg_3_orders.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# VPC1 reaches DynamoDB and S3 through gateway endpoints.
resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.vpc1.id
  service_name    = "com.amazonaws.us-east-1.dynamodb"
  route_table_ids = [aws_default_route_table.vpc1.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.vpc1.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_default_route_table.vpc1.id]
}

# The AWS-managed lists the gateway endpoints' routes send (read at plan).
data "aws_prefix_list" "dynamodb" {
  prefix_list_id = aws_vpc_endpoint.dynamodb.prefix_list_id
}

data "aws_prefix_list" "s3" {
  prefix_list_id = aws_vpc_endpoint.s3.prefix_list_id
}

# VPC1 reaches SNS through an interface endpoint with private DNS.
resource "aws_vpc_endpoint" "sns" {
  vpc_id              = aws_vpc.vpc1.id
  service_name        = "com.amazonaws.us-east-1.sns"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.vpc1_app : s.id]
  security_group_ids  = [aws_security_group.sg_1_endpoints.id]
  private_dns_enabled = true
}

# VPC3 offers its orders service behind an NLB; VPC1 consumes it.
resource "aws_lb" "orders" {
  name               = "orders"
  internal           = true
  load_balancer_type = "network"
  subnet_mapping {
    subnet_id            = aws_subnet.vpc3_app[0].id
    private_ipv4_address = "10.30.1.5"
  }
  subnet_mapping {
    subnet_id            = aws_subnet.vpc3_app[1].id
    private_ipv4_address = "10.30.2.5"
  }
}

resource "aws_lb_target_group" "orders" {
  name        = "orders"
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.vpc3.id
}

resource "aws_lb_listener" "orders" {
  load_balancer_arn = aws_lb.orders.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.orders.arn
  }
}

resource "aws_lb_target_group_attachment" "orders" {
  target_group_arn = aws_lb_target_group.orders.arn
  target_id        = aws_instance.orders.private_ip
}

resource "aws_vpc_endpoint_service" "orders" {
  acceptance_required        = false
  allowed_principals         = ["*"]
  network_load_balancer_arns = [aws_lb.orders.arn]
}

resource "aws_vpc_endpoint" "orders" {
  vpc_id              = aws_vpc.vpc1.id
  service_name        = aws_vpc_endpoint_service.orders.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.vpc1_app : s.id]
  security_group_ids  = [aws_security_group.sg_1_endpoints.id]
  private_dns_enabled = false
}

resource "aws_instance" "app1" {
  ami                    = "ami-0c1d2e3f4a5b6c7d8"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.vpc1_app["us-east-1a"].id
  private_ip             = "10.10.1.10"
  vpc_security_group_ids = [aws_security_group.sg_1_app.id]
  tags                   = { Name = "app1" }
}

resource "aws_instance" "app2" {
  ami                    = "ami-0c1d2e3f4a5b6c7d8"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.vpc2_app.id
  private_ip             = "172.31.0.10"
  vpc_security_group_ids = [aws_security_group.sg_2_app.id]
  tags                   = { Name = "app2" }
}

resource "aws_instance" "orders" {
  ami                    = "ami-0c1d2e3f4a5b6c7d8"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.vpc3_app[0].id
  private_ip             = "10.30.1.10"
  vpc_security_group_ids = [aws_security_group.sg_3_orders.id]
  tags                   = { Name = "orders" }
}
