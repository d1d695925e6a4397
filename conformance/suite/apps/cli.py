"""Sample applications for the command-line tests, written on the fly for whichever
implementation is under test, and the fixtures that run its CLI.

A sample module never names flask or shim: it imports the implementation by the
module name the test passes in (``impl.module``). Every app it makes carries a
marker and a ``which`` command that prints ``app=<marker> debug=<app.debug>
value=<$CONFORMANCE_VALUE>``, so a test can tell which app the CLI found, whether
debug mode is on, and what the environment held inside the command.
"""

from __future__ import annotations

import contextvars
import importlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result

_HEADER = '''\
import os

import click
from {impl} import Flask, current_app


def _make(marker):
    app = Flask(__name__)
    app.config["MARKER"] = marker

    @app.cli.command("which")
    def which():
        """Say which app this is."""
        click.echo(
            f"app={{current_app.config['MARKER']}} debug={{current_app.debug}} "
            f"value={{os.environ.get('CONFORMANCE_VALUE')}}"
        )

    @app.route("/")
    def index():
        return f"served {{marker}}"

    return app

'''

def instance(var: str, marker: str | None = None, *, expr: str | None = None) -> str:
    """A module-level app bound to ``var``; its marker is ``marker`` (default
    ``var``) or the value of the Python expression ``expr``."""
    return f"{var} = _make({expr or repr(marker or var)})\n"


def factory(name: str, params: str = "", marker: str | None = None) -> str:
    """A factory function ``name(params)`` whose app's marker is ``marker`` (default
    ``name``) followed by ``:value`` for each parameter."""
    tail = "".join(f" + ':' + str({p.split('=')[0].strip()})" for p in params.split(",") if p.strip())
    return f"def {name}({params}):\n    return _make({marker or name!r}{tail})\n"


def raw(code: str) -> str:
    """Literal Python, placed as it is."""
    return code if code.endswith("\n") else code + "\n"


def write(root: Path, impl_module: str, files: Mapping[str, str | Sequence[str]]) -> None:
    """Write a layout under ``root``: ``.py`` files given as fragments get the sample
    header (importing ``impl_module``); text is written as it is."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content)
        else:
            path.write_text(_HEADER.format(impl=impl_module) + "\n".join(content))
    importlib.invalidate_caches()


def parse_which(output: str) -> dict[str, str]:
    """The ``key=value`` pairs of the last ``which`` line in ``output``."""
    lines = [line for line in output.splitlines() if line.startswith("app=")]
    assert lines, f"the which command printed nothing; output was:\n{output}"
    return dict(item.split("=", 1) for item in lines[-1].split())


# --- running the CLI in process --------------------------------------------------


@pytest.fixture
def cli_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path`` as the working directory, with no FLASK_* variables; the
    environment, ``sys.path`` and the sample modules imported from ``tmp_path``
    are restored afterwards (the CLI and dotenv files change all three)."""
    saved_env = dict(os.environ)
    saved_modules = set(sys.modules)
    monkeypatch.setattr(sys, "path", list(sys.path))
    for key in [k for k in os.environ if k.startswith("FLASK_") or k == "CONFORMANCE_VALUE"]:
        del os.environ[key]
    monkeypatch.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        root = str(tmp_path)
        for name in set(sys.modules) - saved_modules:
            origin = getattr(sys.modules[name], "__file__", None) or ""
            if origin.startswith(root):
                del sys.modules[name]


@pytest.fixture
def run_cli(submodule: Callable[[str], Any], cli_sandbox: Path) -> Callable[..., Result]:
    """Invoke the implementation's ``FlaskGroup`` in process, in the sandbox:
    ``run_cli("--app", "hello", "which", env={...}, group_kwargs...)``."""
    cli = submodule("cli")

    def run(*args: str, env: Mapping[str, str] | None = None, input: str | None = None, **group_kwargs: Any) -> Result:
        os.environ.update(env or {})
        # In a copy of the context variables: with Click before 8.2, an option that
        # exits early (--help) skips the cleanup of what the group pushed (an app
        # context), which would otherwise leak into the tests that follow.
        return contextvars.copy_context().run(
            CliRunner().invoke, cli.FlaskGroup(**group_kwargs), list(args), input=input
        )

    return run


# --- running it in a subprocess ----------------------------------------------------


def subprocess_env(impl_module: str, home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: no FLASK_* variables or startup file,
    ``home`` as HOME (the shell's history goes there), and the implementation's
    folder on PYTHONPATH so a module given by path imports there too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "PYTHONSTARTUP"}
    top = importlib.util.find_spec(impl_module.partition(".")[0])
    if top is not None and top.origin:
        folder = os.path.dirname(top.origin)
        if top.submodule_search_locations:  # a package: its parent folder
            folder = os.path.dirname(folder)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (folder, env.get("PYTHONPATH")) if p)
    env["HOME"] = str(home)
    env.update(extra or {})
    return env


def python_m(
    impl_module: str, *args: str, cwd: Path, input: str | None = None, timeout: float = 20,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m <impl_module> args...`` in ``cwd`` (``env``: extra variables);
    output text, bounded time."""
    return subprocess.run(
        [sys.executable, "-m", impl_module, *args],
        cwd=cwd,
        env=subprocess_env(impl_module, cwd, env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(argv: Sequence[str], cwd: Path, impl_module: str, port: int, timeout: float = 15) -> Iterator[str]:
    """Start ``argv`` (a server on ``port``) and yield its base URL once it answers;
    stop the process by its id afterwards."""
    log_path = cwd / "server.log"
    with open(log_path, "w") as log:
        env = subprocess_env(impl_module, cwd)
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                requests.get(url + "/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer within {timeout} s:\n{log_path.read_text()}")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
