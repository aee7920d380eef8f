"""The migrate step as a custom resource: run on every deploy that changes a migration.

Only the migrator needs the master password, and functions in the VPC cannot reach
Secrets Manager (no interface endpoint). So the custom resource's handler runs outside
the VPC, reads the secret, and invokes the migrator inside the VPC with the credentials
in the payload.
"""

from __future__ import annotations

from aws_cdk import CustomResource, Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

from cdk_app.bundling import REPO_ROOT, tree_digest
from cdk_app.database import APP_USER, DATABASE_NAME, MIGRATOR_CONCURRENCY, Database
from cdk_app.functions import PythonFunction, VpcPlacement, log_group
from cdk_app.nag import BASIC_EXECUTION_ROLE, acknowledge, acknowledge_invoke

MIGRATIONS_DIR = REPO_ROOT / "etl" / "warehouse" / "migrations"


class Migrations(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        database: Database,
        placement: VpcPlacement,
    ) -> None:
        super().__init__(scope, id)
        secret = database.secret
        self.migrator = PythonFunction(
            self,
            "Migrator",
            code=code,
            handler="lambdas.migrate.handler",
            description="Apply the warehouse migrations and set up the application user",
            placement=placement,
            timeout=Duration.minutes(5),
            reserved_concurrency=MIGRATOR_CONCURRENCY,
        )
        self.trigger = PythonFunction(
            self,
            "Trigger",
            code=code,
            handler="lambdas.migrate_trigger.handler",
            description="Custom resource: read the master secret, invoke the migrator",
            environment={"MIGRATOR_FUNCTION_NAME": self.migrator.function.function_name},
            memory_size=256,
            timeout=Duration.minutes(6),  # outlasts the migrator it waits for
        )
        secret.grant_read(self.trigger.function)
        self.migrator.function.grant_invoke(self.trigger.function)
        acknowledge_invoke(self.trigger, self.migrator.function)

        provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.trigger.function,
            log_group=log_group(self, "ProviderLogs"),
        )
        acknowledge_invoke(provider, self.trigger.function)
        acknowledge(
            provider,
            "The custom-resource framework's own function: CDK gives it the basic execution "
            "role, and it logs to the log group above.",
            BASIC_EXECUTION_ROLE,
        )
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=provider.service_token,
            resource_type="Custom::MoodifyMigrations",
            properties={
                "SecretArn": secret.secret_arn,
                "Host": database.instance.db_instance_endpoint_address,
                "Port": database.instance.db_instance_endpoint_port,
                "DatabaseName": DATABASE_NAME,
                "AppUser": APP_USER,
                # A changed or added migration file changes the properties, so
                # CloudFormation sends an Update and the migrator runs again.
                "MigrationsHash": tree_digest(MIGRATIONS_DIR),
            },
        )
        # Not before the database admits the migrator (its security group rule is created
        # alongside the instance, not before it).
        self.resource.node.add_dependency(database)
