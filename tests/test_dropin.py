"""``flask-conformance drop-in``: a project's own tests run with flask being an
implementation (conformance/dropin.py, conformance/aliasing.py).

The sample project in tests/samples/dropin_project is a tiny app and its tests;
they check, from the inside, that ``flask`` is the expected module, that
monkeypatching ``flask.x`` patches it, that a subprocess sees it too and that
``importlib.metadata`` reports the expected version.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TESTS_DIR

from conformance import cli, dropin
from conformance.aliasing import AliasConfig

SAMPLE = TESTS_DIR / "samples" / "dropin_project"


def drop_in(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", "drop-in", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def run_sample(sample: Path, impl: str, module: str, version: str) -> subprocess.CompletedProcess[str]:
    return drop_in(
        "--impl", impl, "--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(sample),
        env={"SAMPLE_EXPECTED_MODULE": module, "SAMPLE_EXPECTED_VERSION": version},
        cwd=sample,
    )  # fmt: skip


def test_the_sample_project_runs_on_the_shim(sample):
    done = run_sample(sample, "shim", "shim", "3.1.3")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout


def test_the_sample_project_runs_on_flask_unchanged(sample):
    done = run_sample(sample, "flask", "flask", importlib.metadata.version("flask"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout


def test_the_sample_fails_when_flask_is_not_what_it_expects(sample):
    # The sample's checks can fail: without drop-in, flask is the real one.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(sample)],
        capture_output=True, text=True, timeout=300, cwd=sample,
        env={**os.environ, "SAMPLE_EXPECTED_MODULE": "shim", "SAMPLE_EXPECTED_VERSION": "0.1"},
    )  # fmt: skip
    assert done.returncode == 1
    assert "4 failed, 1 passed" in done.stdout


@pytest.mark.parametrize("status", [0, 3])
def test_the_exit_status_is_the_commands(status):
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", f"raise SystemExit({status})")
    assert done.returncode == status
    assert done.stderr == ""


def test_the_real_flask_cannot_be_imported_under_the_alias():
    script = (
        "import sys, flask, flask.app, flask.json.tag; "
        "print(sorted(m for m, v in sys.modules.items() "
        "if getattr(v, '__file__', None) and '/flask/' in v.__file__ and 'site-packages' in v.__file__))"
    )
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_missing_flask_submodule_is_a_module_not_found_error_naming_it():
    script = (
        "try:\n    import flask.no_such_module\n"
        "except ModuleNotFoundError as exc:\n    print(exc.name)\n"
    )
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "flask.no_such_module"


def test_the_metadata_of_flask_is_the_declared_version():
    script = (
        "import importlib.metadata as m; "
        "d = m.distribution('flask'); "
        "print(m.version('Flask'), d.metadata['Name'], 'flask' in m.packages_distributions(), "
        "[e.value for e in d.entry_points if e.name == 'flask'])"
    )
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3.1.3 Flask True ['flask.cli:main']"


def test_an_existing_sitecustomize_still_runs(tmp_path):
    (tmp_path / "sitecustomize.py").write_text("import builtins\nbuiltins.SAMPLE_CHAINED = True\n")
    script = "import builtins, flask; print(getattr(builtins, 'SAMPLE_CHAINED', False), flask.__name__)"
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", script, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "flask"]


def test_a_warning_filter_naming_flask_app_applies_to_the_implementation():
    # Flask's own tests silence Werkzeug's SERVER_NAME mismatch warning by the module
    # it is attributed to, flask.app; every aliased module answers to its flask name.
    script = (
        "import warnings, flask  # flask.app is imported by the package itself\n"
        "warnings.simplefilter('error')\n"
        "warnings.filterwarnings('ignore', 'Current server name', UserWarning, 'flask.app')\n"
        "app = flask.Flask('a')\n"
        "app.config['SERVER_NAME'] = 'example.com'\n"
        "app.add_url_rule('/', 'i', lambda: 'ok')\n"
        "print(flask.app.__name__, app.test_client().get('/', base_url='http://other.test').status_code)\n"
    )
    done = drop_in("--impl", "shim", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["flask.app", "200"]


def test_the_flask_command_runs_the_implementations_cli(tmp_path):
    # The real distribution's console script imports flask.cli: the implementation's.
    script = Path(sys.executable).parent / "flask"
    (tmp_path / "hello.py").write_text(
        "import flask.cli\nfrom flask import Flask\nprint('cli:', flask.cli.__name__)\napp = Flask(__name__)\n"
    )
    done = drop_in("--impl", "shim", "--", str(script), "--app", "hello", "routes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "cli: flask.cli"
    assert "static" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--impl", "no_such_impl", "--", "true"], "drop-in: unknown implementation 'no_such_impl'"),
        (["--impl", "dropin_broken_impl", "--", "true"],
         "drop-in: implementation 'dropin_broken_impl': cannot import 'dropin_broken_impl': RuntimeError: broken on purpose"),
        (["--impl", "shim", "--"], "drop-in: no command to run; give one after '--'"),
        (["--impl", "shim"], "drop-in: no command to run; give one after '--'"),
        (["--", "true"], "the following arguments are required: --impl"),
        (["--impl", "shim", "--load-timeout", "-1", "--", "true"],
         "drop-in: --load-timeout must be 0 (no limit) or more seconds, not -1"),
        (["--impl", "dropin_hanging_impl", "--load-timeout", "1", "--", "true"],
         "drop-in: implementation 'dropin_hanging_impl': loading it did not finish within 1 s (--load-timeout); "
         "its import hangs\n"),
        (["--impl", "dropin_crashing_impl", "--", "true"],
         "drop-in: implementation 'dropin_crashing_impl': loading it ended the Python process (exit status 3); "
         "its import crashes\n"),
    ],
)  # fmt: skip
def test_a_bad_invocation_is_one_line_and_exit_2(args, message, tmp_path, monkeypatch, capsys):
    (tmp_path / "dropin_broken_impl.py").write_text("raise RuntimeError('broken on purpose')\n")
    (tmp_path / "dropin_hanging_impl.py").write_text("import time\ntime.sleep(600)\n")
    (tmp_path / "dropin_crashing_impl.py").write_text("import os\nos._exit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cli.main(["drop-in", *args]) == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("flask-conformance: ")
    assert message in err


def test_a_command_not_found_is_one_line_and_exit_127():
    done = drop_in("--impl", "shim", "--", "no-such-command-for-drop-in")
    assert done.returncode == 127
    assert done.stderr == "flask-conformance: drop-in: command not found: 'no-such-command-for-drop-in'\n"


@pytest.mark.parametrize(
    ("declared", "reported"),
    [
        (None, "3.1.3"),
        ("3.1", "3.1.3"),
        ("3.0", "3.0.3"),
        ("2.3", "2.3.3"),
        ("3.0.1", "3.0.1"),
        ("3", "3.0.3"),
        ("4.2", "4.2.0"),
        ("4", "4.0.0"),
    ],
)
def test_a_declared_version_is_reported_as_a_full_release(declared, reported):
    assert dropin.reported_version(declared) == reported


#: (submodule renames, a flask name, the implementation's module it stands for)
NAMES = [
    ({}, "flask", "impl"),
    ({}, "flask.json.provider", "impl.json.provider"),
    ({"json.provider": "impl.jsonio"}, "flask.json.provider", "impl.jsonio"),
    ({"json": "impl.j"}, "flask.json.tag", "impl.j.tag"),
    ({"json": "impl.j", "json.tag": "impl.tags"}, "flask.json.tag", "impl.tags"),
    ({"json": "impl.j"}, "flask.jsonish", "impl.jsonish"),
]


@pytest.mark.parametrize(("submodules", "flask_name", "target"), NAMES)
def test_flask_names_map_to_the_implementations_modules(submodules, flask_name, target):
    config = AliasConfig(name="x", module="impl", version="3.1.3", submodules=submodules)
    assert config.target(flask_name) == target


@pytest.mark.parametrize(("submodules", "flask_name", "target"), NAMES)
def test_the_implementations_modules_answer_to_their_flask_names(submodules, flask_name, target):
    config = AliasConfig(name="x", module="impl", version="3.1.3", submodules=submodules)
    assert config.flask_name(target) == flask_name


@pytest.mark.parametrize("module", ["implx", "other.impl", "im"])
def test_a_module_outside_the_implementation_has_no_flask_name(module):
    assert AliasConfig(name="x", module="impl", version="3.1.3").flask_name(module) is None


def test_the_hook_goes_first_on_pythonpath_once():
    config = AliasConfig(name="shim", module="shim", version="3.1.3")
    base = {"PYTHONPATH": os.pathsep.join(["/a", str(dropin.SITE_DIR), "/b"])}
    env = dropin.environment(config, base)
    assert env["PYTHONPATH"].split(os.pathsep) == [str(dropin.SITE_DIR), "/a", "/b"]
    assert AliasConfig.loads(env["FLASK_CONFORMANCE_DROPIN"]) == config


def test_python_m_flask_runs_the_implementations_main(tmp_path):
    package = tmp_path / "dropin_fake_impl"
    package.mkdir()
    (package / "__init__.py").write_text("class Flask:\n    pass\n")
    (package / "__main__.py").write_text("import sys\nprint('main of', __spec__.name, sys.argv[1:])\n")
    done = drop_in(
        "--impl", "dropin_fake_impl", "--", sys.executable, "-m", "flask", "routes",
        env={"PYTHONPATH": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "main of flask.__main__ ['routes']\n"


def test_an_interpreter_without_the_implementation_on_its_path_still_gets_it(tmp_path):
    # As in another virtual environment: only the hook is on the child's path.
    (tmp_path / "dropin_fake_impl.py").write_text("Flask = object\n")
    inner = "import flask; print(flask.__name__, flask.__file__)"
    outer = (
        "import os, subprocess, sys\n"
        "env = dict(os.environ, PYTHONPATH=os.environ['PYTHONPATH'].split(os.pathsep)[0])\n"
        f"raise SystemExit(subprocess.call([sys.executable, '-c', {inner!r}], env=env))\n"
    )
    done = drop_in("--impl", "dropin_fake_impl", "--", sys.executable, "-c", outer, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["flask", str(tmp_path / "dropin_fake_impl.py")]
