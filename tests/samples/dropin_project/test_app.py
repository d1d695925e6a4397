"""The sample project's own tests. They know nothing of drop-in except two
environment variables the harness sets: which module should stand behind
``flask`` and which version ``importlib.metadata`` should report."""

import importlib.metadata
import os
import subprocess
import sys

import flask
import flask.json.provider
import pytest
from app import create_app

EXPECTED_MODULE = os.environ["SAMPLE_EXPECTED_MODULE"]
EXPECTED_VERSION = os.environ["SAMPLE_EXPECTED_VERSION"]


@pytest.fixture
def client():
    return create_app().test_client()


def test_flask_is_the_expected_module():
    assert flask is sys.modules[EXPECTED_MODULE]
    assert flask.json.provider is sys.modules[f"{EXPECTED_MODULE}.json.provider"]
    assert flask.Flask.__module__.partition(".")[0] == EXPECTED_MODULE


def test_the_app_answers(client):
    response = client.get("/hello/World")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello, World!"


def test_monkeypatching_flask_patches_the_module_behind_it(monkeypatch, client):
    monkeypatch.setattr(flask, "url_for", lambda endpoint, **values: f"patched:{endpoint}")
    assert sys.modules[EXPECTED_MODULE].url_for("x") == "patched:x"
    assert client.get("/where").get_json() == {"url": "patched:hello"}


def test_the_flask_version_is_the_declared_one():
    assert importlib.metadata.version("flask") == EXPECTED_VERSION
    assert importlib.metadata.distribution("Flask").metadata["Name"] == "Flask"


def test_a_subprocess_sees_the_same_flask():
    script = "import flask, importlib.metadata as m; print(flask.__spec__.name, m.version('flask'))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [EXPECTED_MODULE, EXPECTED_VERSION]
