"""Refresh tokens, encrypted at rest and never logged.

Locally: one file readable only by its owner, each token encrypted with a key kept beside
it (also owner-only). On AWS: one SSM SecureString parameter per user, encrypted with KMS
and readable only by the functions granted its path.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from etl.core.keys import validate_user_id
from etl.core.settings import Settings

if TYPE_CHECKING:
    from cryptography.fernet import Fernet
    from mypy_boto3_ssm import SSMClient


class TokenStore(Protocol):
    def get(self, user_id: str) -> str | None: ...

    def put(self, user_id: str, refresh_token: str) -> None: ...

    def delete(self, user_id: str) -> None: ...

    def users(self) -> list[str]:
        """Every user with a stored refresh token."""


def _owner_only_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


class LocalTokenStore:
    def __init__(self, directory: Path) -> None:
        self._key_path = directory / "token.key"
        self._tokens_path = directory / "refresh_tokens.json"

    def _fernet(self) -> Fernet:
        from cryptography.fernet import Fernet  # deferred: Lambda bundles go without it

        if not self._key_path.exists():
            _owner_only_file(self._key_path, Fernet.generate_key())
        return Fernet(self._key_path.read_bytes())

    def _load(self) -> dict[str, str]:
        if not self._tokens_path.exists():
            return {}
        tokens: dict[str, str] = json.loads(self._tokens_path.read_text())
        return tokens

    def _save(self, tokens: dict[str, str]) -> None:
        _owner_only_file(self._tokens_path, json.dumps(tokens, indent=2).encode())

    def get(self, user_id: str) -> str | None:
        sealed = self._load().get(user_id)
        return None if sealed is None else self._fernet().decrypt(sealed.encode()).decode()

    def put(self, user_id: str, refresh_token: str) -> None:
        tokens = self._load()
        tokens[validate_user_id(user_id)] = self._fernet().encrypt(refresh_token.encode()).decode()
        self._save(tokens)

    def delete(self, user_id: str) -> None:
        tokens = self._load()
        if tokens.pop(user_id, None) is not None:
            self._save(tokens)

    def users(self) -> list[str]:
        return sorted(self._load())


class SsmTokenStore:
    def __init__(self, prefix: str, client: SSMClient | None = None) -> None:
        import boto3  # deferred: only the AWS path needs it

        self._prefix = prefix.rstrip("/") + "/"
        self._client: SSMClient = client or boto3.client("ssm")

    def _name(self, user_id: str) -> str:
        return f"{self._prefix}{validate_user_id(user_id)}/refresh-token"

    def get(self, user_id: str) -> str | None:
        try:
            answer = self._client.get_parameter(Name=self._name(user_id), WithDecryption=True)
        except self._client.exceptions.ParameterNotFound:
            return None
        return answer["Parameter"].get("Value")

    def put(self, user_id: str, refresh_token: str) -> None:
        self._client.put_parameter(
            Name=self._name(user_id), Value=refresh_token, Type="SecureString", Overwrite=True
        )

    def delete(self, user_id: str) -> None:
        with contextlib.suppress(self._client.exceptions.ParameterNotFound):
            self._client.delete_parameter(Name=self._name(user_id))

    def users(self) -> list[str]:
        paginator = self._client.get_paginator("get_parameters_by_path")
        names = [
            parameter["Name"]
            for page in paginator.paginate(Path=self._prefix, Recursive=True)
            for parameter in page.get("Parameters", [])
        ]
        return sorted(name[len(self._prefix) :].split("/")[0] for name in names)


def token_store(settings: Settings) -> TokenStore:
    if settings.token_parameter_prefix:
        return SsmTokenStore(settings.token_parameter_prefix)
    return LocalTokenStore(settings.secrets_dir)
