"""The bundles' bytecode: compiled by the runtime's Python where the build machine has one,
as unchecked hash-based .pyc that Lambda loads without reading the sources' timestamps."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_app.bundling import LAMBDA_PYTHON_VERSION, PipBundling, runtime_python

_UNCHECKED_HASH = 0b01  # PEP 552: hash-based, source not checked


def test_bundling_compiles_each_module_into_unchecked_hash_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "src" / "pkg"
    (package / "sub").mkdir(parents=True)
    for module in ("__init__.py", "mod.py", "sub/__init__.py", "sub/deep.py"):
        (package / module).write_text("VALUE = 1\n", encoding="utf-8")
    real_run = subprocess.run

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if command[1:3] == ["-m", "pip"]:
            return subprocess.CompletedProcess(command, 0)  # no wheels: the sources alone
        return real_run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    output = tmp_path / "out"
    output.mkdir()
    bundler = PipBundling([tmp_path / "requirements.txt"], [package], compiler=sys.executable)
    assert bundler.try_bundle(str(output), cdk.BundlingOptions(image=cdk.DockerImage("unused")))

    sources = sorted(output.rglob("*.py"))
    assert len(sources) == 4
    for source in sources:
        bytecode = Path(importlib.util.cache_from_source(str(source)))
        header = bytecode.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, source
        assert int.from_bytes(header[4:8], "little") == _UNCHECKED_HASH, source
        assert header[8:16] == importlib.util.source_hash(source.read_bytes()), source


def _fake_python(path: Path, version: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize(("installed", "found"), [("3.13", True), ("3.12", False)])
def test_the_runtimes_python_is_found_where_pyenv_installed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: str, found: bool
) -> None:
    name = f"python{LAMBDA_PYTHON_VERSION}"
    python = tmp_path / "versions" / f"{LAMBDA_PYTHON_VERSION}.9" / "bin" / name
    _fake_python(python, installed)  # answers as the version it claims to run
    _fake_python(tmp_path / "shims" / name, "")  # pyenv's shim, which runs nothing here
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "shims"))
    runtime_python.cache_clear()
    try:
        assert runtime_python() == (str(python) if found else None)
    finally:
        runtime_python.cache_clear()
