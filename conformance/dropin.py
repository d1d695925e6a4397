"""``flask-conformance drop-in``: run any command with ``flask`` being an implementation.

``flask-conformance drop-in --impl NAME -- COMMAND [ARGS...]`` runs COMMAND so
that, in it and in every Python process it starts, ``import flask`` and
``import flask.<sub>`` give the implementation's modules and
``importlib.metadata.version("flask")`` the Flask version it declares. That answers
"does this project's test suite pass if flask is my implementation?", e.g.
``flask-conformance drop-in --impl myflask -- pytest`` in a clone of Flask-Login.

The mechanism: the directory conformance/dropin_site/ goes first on PYTHONPATH,
and its ``sitecustomize`` installs conformance/aliasing.py's finder from a JSON
description in the environment (conformance/aliasing.py says what it does).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .aliasing import ENVIRONMENT_KEY, AliasConfig
from .guard import DEFAULT_LOAD_TIMEOUT, probe_loading
from .implementations import Implementation, ImplementationError, resolve

#: The directory whose sitecustomize installs the alias in every interpreter.
SITE_DIR = Path(__file__).resolve().parent / "dropin_site"

#: The newest release of each Flask series we know of. A series declaration
#: ("3.1": the whole series) is reported as its newest release, since that is the
#: behaviour the implementation claims; an unknown series as its ".0" release.
NEWEST_RELEASE = {"2.0": "2.0.3", "2.1": "2.1.3", "2.2": "2.2.5", "2.3": "2.3.3", "3.0": "3.0.3", "3.1": "3.1.3"}
#: What an implementation that declares "the newest Flask" (None) reports.
NEWEST_FLASK = NEWEST_RELEASE["3.1"]

#: Exit status when COMMAND cannot be found, as in POSIX shells.
EXIT_NOT_FOUND = 127


class DropInProblem(Exception):
    """drop-in cannot start the command; the message is one line naming the fix."""


def reported_version(declared: str | None) -> str:
    """The full version ``importlib.metadata.version("flask")`` answers for a
    declared Flask version (``Implementation.declared_version``)."""
    if declared is None:
        return NEWEST_FLASK
    parts = declared.split(".")
    if len(parts) == 1:
        return NEWEST_RELEASE.get(f"{declared}.0", f"{declared}.0.0")
    if len(parts) == 2 and parts[1].isdigit():
        return NEWEST_RELEASE.get(declared, f"{declared}.0")
    return declared


def alias_config(impl: Implementation) -> AliasConfig:
    """Describe the alias for ``impl``, already resolved and importable."""
    if impl.module.startswith("flask."):
        raise DropInProblem(
            f"implementation {impl.name!r} lives inside the flask package ({impl.module}); "
            "drop-in replaces flask, so name a module outside it"
        )
    return AliasConfig(
        name=impl.name,
        module=impl.module,
        version=reported_version(impl.declared_version),
        submodules=dict(impl.submodules),
        root=_root_of(impl.module),
    )


def _root_of(module: str) -> str | None:
    """The sys.path entry the implementation's top-level package was found in."""
    top = module.partition(".")[0]
    spec = importlib.util.find_spec(top)
    if spec is None or spec.origin in (None, "built-in", "frozen"):
        return None
    origin = Path(spec.origin)
    # A package's origin is its __init__.py; a plain module's origin is the file.
    return str(origin.parent.parent if spec.submodule_search_locations else origin.parent)


def environment(config: AliasConfig, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``base`` with the alias hook first on PYTHONPATH and its description set."""
    env = dict(base)
    existing = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(SITE_DIR)]
    env["PYTHONPATH"] = os.pathsep.join([str(SITE_DIR), *existing])
    env[ENVIRONMENT_KEY] = config.dumps()
    return env


def prepare(
    impl_name: str, command: Sequence[str], load_timeout: float = DEFAULT_LOAD_TIMEOUT
) -> tuple[list[str], dict[str, str]]:
    """Resolve the implementation and the command, or raise :class:`DropInProblem`.
    The implementation is first loaded in a child process, so that an import
    that hangs or kills the interpreter is reported instead of stalling here."""
    if load_timeout < 0:
        raise DropInProblem(f"--load-timeout must be 0 (no limit) or more seconds, not {load_timeout:g}")
    command = list(command)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise DropInProblem("no command to run; give one after '--', e.g. drop-in --impl shim -- pytest")
    try:
        if load_timeout:
            probe_loading([impl_name], load_timeout, "--load-timeout")
        impl = resolve(impl_name)
    except ImplementationError as exc:
        raise DropInProblem(str(exc)) from None
    return command, environment(alias_config(impl))


def run(command: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the command and return its exit status (128+N when killed by signal N)."""
    executable = shutil.which(command[0], path=env.get("PATH"))
    if executable is None:
        print(f"flask-conformance: drop-in: command not found: {command[0]!r}", file=sys.stderr)
        return EXIT_NOT_FOUND
    if os.name == "posix":
        # Become the command: its exit status, signals and terminal are exactly its own.
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(executable, [command[0], *command[1:]], dict(env))
    status = subprocess.call([executable, *command[1:]], env=dict(env))  # pragma: no cover (Windows)
    return status if status >= 0 else 128 - status  # pragma: no cover
