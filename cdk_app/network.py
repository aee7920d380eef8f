"""The VPC: isolated subnets only, S3 through the free gateway endpoint.

No NAT gateway (about $33/month per AZ) and no interface endpoints (about $7/month per AZ
each): functions that call the internet or other AWS APIs run outside the VPC, and the
ones inside talk only to PostgreSQL and S3.
"""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from cdk_app.functions import VpcPlacement
from cdk_app.nag import acknowledge


class Network(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr("10.40.0.0/16"),
            max_azs=2,  # RDS subnet groups need two AZs, even for a single-AZ instance
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                )
            ],
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
            },
        )
        acknowledge(
            self.vpc,
            "The subnets have no route off the VPC: the only traffic is Lambda to PostgreSQL "
            "and to S3's gateway endpoint, so flow logs would record nothing worth their "
            "ingestion cost.",
            "AwsSolutions-VPC7",
        )
        # Outbound stays open: the subnets' only routes lead to the database and to S3,
        # whose gateway endpoint has no fixed address to name in a rule.
        self.functions_security_group = ec2.SecurityGroup(
            self,
            "FunctionsSecurityGroup",
            vpc=self.vpc,
            description="Moodify functions that connect to PostgreSQL",
        )
        self.placement = VpcPlacement(self.vpc, self.functions_security_group)
