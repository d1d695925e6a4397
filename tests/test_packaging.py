"""An installed copy of the suite works from any directory: the wheel ships the
catalog inside the plugin package and `pytest --pyargs conformance.suite` finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("flask_conformance-*.whl")
    return path


def test_the_wheel_ships_the_catalog_and_the_suite(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "conformance/spec/documents.toml" in names
    assert "conformance/spec/redirect.toml" in names
    assert "conformance/suite/test_redirect.py" in names
    assert "shim/__init__.py" in names
    assert "conformance/dropin_site/sitecustomize.py" in names


@pytest.fixture
def installed(wheel, tmp_path):
    """The wheel installed into a folder of its own, and a directory away from this
    checkout with an environment that puts the installed copy first on the path."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return target, elsewhere, {**os.environ, "PYTHONPATH": str(target)}


def test_an_installed_copy_runs_from_any_directory(installed):
    target, elsewhere, env = installed
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", "--impl=shim", "-q",
         "-p", "no:cacheprovider", "-k", "redirect"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "import conformance.catalog as c; print(c.default_spec_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    ).stdout


def test_drop_in_works_from_an_installed_copy(installed):
    target, elsewhere, env = installed
    script = "import flask, shim, importlib.metadata as m; print(flask is shim, shim.__file__, m.version('flask'))"
    result = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "drop-in", "--impl", "shim", "--",
         sys.executable, "-c", script],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    same, path, version = result.stdout.split()
    assert (same, version) == ("True", "3.1.3")
    assert path.startswith(str(target))
