"""The warehouse: RDS PostgreSQL 16 in the isolated subnets, with IAM authentication."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_app.functions import VpcPlacement
from cdk_app.nag import acknowledge

DATABASE_NAME = "moodify"
MASTER_USER = "moodify_admin"
APP_USER = "moodify_app"  # signs in with IAM tokens; created by the migrate step

# Connections a db.t4g.micro accepts: RDS sets max_connections to
# DBInstanceClassMemory / 9531392, about 81 on its 1 GiB class. PostgreSQL keeps 3 for
# superusers and RDS 2 for rdsadmin; 6 more stay free for the migrate step and an operator's
# psql, leaving 70 for the functions' reserved concurrency, each container holding
# CONNECTIONS_PER_API_CONTAINER or 1 (every other function). An API container serves one
# request at a time: its pool is one answer's independent reads, side by side, kept open
# between requests, and a write (settings, exclusions, erasure, sharing) opens one more:
#   API 11 x (4 + 1) + Export 4 x 1 + 2 ETL steps x 2 x 1 + Migrator 1 x 1 = 64 <= 70.
MAX_CONNECTIONS = 81
FUNCTION_CONNECTION_BUDGET = MAX_CONNECTIONS - 3 - 2 - 6
API_POOL_SIZE = 4
CONNECTIONS_PER_API_CONTAINER = API_POOL_SIZE + 1
API_CONCURRENCY = 11
EXPORT_CONCURRENCY = 4
ETL_STEP_CONCURRENCY = 2
MIGRATOR_CONCURRENCY = 1


class Database(Construct):
    def __init__(self, scope: Construct, id: str, *, placement: VpcPlacement) -> None:
        super().__init__(scope, id)
        security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=placement.vpc,
            description="Moodify PostgreSQL, reachable from the Moodify functions only",
            allow_all_outbound=False,
        )
        # Every setting below that RDS or CDK would otherwise default to something that
        # costs more is spelled out: about $14/month as configured.
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            # A full version: RDS no longer creates instances from the bare major "16"
            # (cfn-lint's W3691). Minor upgrades within 16 still come automatically.
            engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16_13),
            instance_type=ec2.InstanceType.of(
                ec2.InstanceClass.BURSTABLE4_GRAVITON, ec2.InstanceSize.MICRO
            ),
            allocated_storage=20,
            # Grows by itself when free space runs low, up to 100 GiB (gp3: ~$0.115/GiB-month
            # only for what is allocated).
            max_allocated_storage=100,
            storage_type=rds.StorageType.GP3,
            multi_az=False,
            enable_performance_insights=False,
            monitoring_interval=Duration.seconds(0),  # no enhanced monitoring
            backup_retention=Duration.days(7),  # within the free backup storage
            storage_encrypted=True,
            iam_authentication=True,
            credentials=rds.Credentials.from_generated_secret(MASTER_USER),
            database_name=DATABASE_NAME,
            vpc=placement.vpc,
            vpc_subnets=placement.subnets,
            security_groups=[security_group],
            publicly_accessible=False,
            # Removing the stack takes turning this off first (README: "Removing the
            # stack"); it then leaves a final snapshot.
            deletion_protection=True,
            removal_policy=RemovalPolicy.SNAPSHOT,
        )
        self.instance.connections.allow_default_port_from(
            placement.security_group, "Moodify functions"
        )
        acknowledge(
            self.instance,
            "Single-AZ keeps the instance at about $14/month; the warehouse can be rebuilt "
            "from the lake, so an AZ outage costs availability, not data.",
            "AwsSolutions-RDS3",
        )
        acknowledge(
            self.instance,
            "Isolated subnets and a security group that admits only Moodify's functions; "
            "a non-default port would add nothing to that.",
            "AwsSolutions-RDS11",
        )
        acknowledge(
            self.instance,
            "The master password is read only by the migrate custom resource during deploys; "
            "applications sign in with IAM tokens. Rotation would need a function with routes "
            "both into the VPC and to Secrets Manager (a NAT gateway or interface endpoint).",
            "AwsSolutions-SMG4",
        )
        secret = self.instance.secret
        assert secret is not None, "credentials are generated into a secret"
        self.secret: secretsmanager.ISecret = secret
        self.environment = {
            "MOODIFY_DB_HOST": self.instance.db_instance_endpoint_address,
            "MOODIFY_DB_PORT": self.instance.db_instance_endpoint_port,
            "MOODIFY_DB_NAME": DATABASE_NAME,
            "MOODIFY_DB_USER": APP_USER,
            "MOODIFY_DB_IAM_AUTH": "true",
        }
        """What a function needs to connect as the application user with IAM auth."""

    def grant_connect(self, grantee: iam.IGrantable) -> None:
        """`rds-db:connect` as the application user, never as the master user."""
        self.instance.grant_connect(grantee, APP_USER)
