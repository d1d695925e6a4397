"""Real test suites on an implementation: Flask's own and those of Flask extensions.

Run by hand (never in CI; it downloads from PyPI and takes minutes):

    python bench/bench_extensions.py [--impl shim] [--only NAME ...] [-o DIR] [--work DIR]

For each suite below it downloads the source distribution from PyPI (the tests
ship only there), installs the released package and what its tests need into one
throwaway virtual environment under ``--work`` (never this repository), and runs
the suite twice: with real Flask, then through ``flask-conformance drop-in
--impl NAME``, where ``import flask`` is the implementation. It prints a table
(tests, passed on Flask, passed on the implementation, the tests whose outcome
differs with a one-line reason each) and writes ``results.json`` and
``summary.txt`` into ``-o DIR`` (default ``WORK/results``).

Every pytest run is bounded: ``--timeout`` seconds per test (pytest-timeout) and
``--suite-timeout`` for the whole run, after which the run is killed and the
tests it did not report count as not passed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path(os.environ.get("TMPDIR", "/tmp")) / "flask-conformance-extensions"
FLASK_VERSION = "3.1.3"


@dataclass(frozen=True)
class Suite:
    """One project whose test suite runs on both implementations."""

    name: str  # the suite's short name in the table
    project: str  # the PyPI project
    version: str  # pinned, so runs compare
    requires: tuple[str, ...] = ()  # what its tests need besides the package
    args: tuple[str, ...] = ("tests",)  # pytest arguments, from the sdist's root
    install: bool = True  # install the released package (Flask is installed apart)
    #: pytest plugins the suite uses. Plugins are not auto-loaded: one suite's
    #: plugin must not change another's run (Flask's warnings-as-errors fails on
    #: a plugin that imports pytest early).
    plugins: tuple[str, ...] = ()


#: Each suite's test requirements, from its tox.ini / pyproject test group, minus
#: coverage and services (Redis, Memcached, MongoDB via Docker) we do not start.
SUITES: tuple[Suite, ...] = (
    Suite("flask", "Flask", FLASK_VERSION, ("asgiref", "python-dotenv", "greenlet"), install=False),
    Suite("flask-login", "Flask-Login", "0.6.3", ("semantic-version", "asgiref")),
    Suite("flask-wtf", "Flask-WTF", "1.3.0", ("Flask-Babel", "Flask-Reuploaded")),
    # Its tests predate SQLAlchemy 2.1 (declarative base classes are checked differently).
    Suite("flask-sqlalchemy", "Flask-SQLAlchemy", "3.1.1", ("SQLAlchemy>=2.0,<2.1",)),
    Suite("flask-caching", "Flask-Caching", "2.5.1", ("asgiref", "pytest-xprocess"), plugins=("xprocess.pytest_xprocess",)),
    Suite("flask-cors", "Flask-Cors", "6.0.5", ("packaging",)),
    Suite("flask-migrate", "Flask-Migrate", "4.1.0", ("SQLAlchemy>=2.0,<2.1",)),
    Suite("flask-httpauth", "Flask-HTTPAuth", "4.8.1", ("asgiref",), ("-p", "no:logging", "tests")),
    Suite("flask-smorest", "flask-smorest", "0.47.0", ("packaging", "asgiref", "PyYAML")),
    Suite("flask-compress", "Flask-Compress", "1.25", ("Flask-Caching",)),
    Suite("flask-jwt-extended", "Flask-JWT-Extended", "4.7.4", ("cryptography", "python-dateutil")),
    Suite("flask-marshmallow", "flask-marshmallow", "1.5.0", ("marshmallow-sqlalchemy", "SQLAlchemy>=2.0,<2.1")),
    Suite("flask-socketio", "Flask-SocketIO", "5.7.0", ("redis",), ("-p", "no:logging", "test_socketio.py")),
    Suite(
        "flask-dance",
        "Flask-Dance",
        "7.1.0",
        ("responses", "freezegun", "betamax", "oauthlib[signedtoken]", "pytest-mock", "SQLAlchemy>=2.0,<2.1"),
        plugins=("pytest_mock", "flask_dance.fixtures.pytest"),
    ),
    Suite(
        "flask-limiter",
        "Flask-Limiter",
        "4.1.1",
        ("flask-restful", "flask-restx", "asgiref", "redis", "pymemcache", "pymongo", "hiro",
         "pytest-check", "pytest-mock", "lovely-pytest-docker", "rich"),
        # test_storage.py needs Redis, Memcached and MongoDB servers.
        ("tests", "--ignore=tests/test_storage.py"),
        plugins=("pytest_check.plugin", "pytest_mock", "lovely.pytest.docker.compose"),
    ),
)
#: Installed in the environment for every suite.
#: pytest 8: Flask 3.1.3's tests import a name pytest 9 removed.
COMMON = ("pytest>=8,<9", "pytest-timeout")


@dataclass
class Outcome:
    outcome: str  # passed, failed, error, skipped
    message: str = ""


@dataclass
class Run:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    status: int | None = None  # pytest's exit status; None when killed
    seconds: float = 0.0
    note: str = ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="shim", help="implementation to run through drop-in (default: shim)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these suites (names in the table)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"scratch directory (default: {DEFAULT_WORK})")
    parser.add_argument("-o", "--output", type=Path, help="where results.json and summary.txt go (default: WORK/results)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per test (default: 30)")
    parser.add_argument("--suite-timeout", type=int, default=900, help="seconds per suite run (default: 900)")
    parser.add_argument("--reference-only", action="store_true", help="skip the implementation; only real Flask")
    parser.add_argument("--show", action="store_true", help="print the table of the results in -o DIR; run nothing")
    args = parser.parse_args(argv)

    suites = [s for s in SUITES if not args.only or s.name in args.only]
    unknown = set(args.only or ()) - {s.name for s in SUITES}
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in SUITES)}")
    work = args.work.resolve()
    output = (args.output or work / "results").resolve()
    if work == REPO or REPO in work.parents:
        parser.error("--work must be outside the repository")
    if args.show:
        print(_table(json.loads((output / "results.json").read_text())))
        return 0
    work.mkdir(parents=True, exist_ok=True)
    output.mkdir(parents=True, exist_ok=True)

    python = _environment(work, SUITES)  # one environment for all, whatever --only says
    results: dict[str, dict[str, Run]] = {}
    for suite in suites:
        source = _source(work, suite)
        results[suite.name] = {}
        for label in ("flask", *(() if args.reference_only else (args.impl,))):
            run = _pytest(suite, source, python, work, label if label != "flask" else None, args)
            results[suite.name][label] = run
            print(f"  {suite.name} on {label}: {_count(run, 'passed')}/{len(run.outcomes)} passed "
                  f"in {run.seconds:.0f}s{' (' + run.note + ')' if run.note else ''}", file=sys.stderr, flush=True)
        document = _write(output, suites, results, args.impl)
    print(_table(document))
    print(f"wrote {output / 'results.json'} and {output / 'summary.txt'}", file=sys.stderr)
    return 0


# --- environment ------------------------------------------------------------------


def _environment(work: Path, suites: Sequence[Suite]) -> Path:
    """One virtual environment with Flask, every suite's package and test needs."""
    venv = work / "venv"
    python = venv / "bin" / "python"
    wanted = [f"flask[async]=={FLASK_VERSION}", *COMMON]
    for suite in suites:
        if suite.install:
            wanted.append(f"{suite.project}=={suite.version}")
        wanted.extend(suite.requires)
    stamp = venv / "flask-conformance-bench.txt"
    digest = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return python
    if not python.exists():
        _check([sys.executable, "-m", "venv", str(venv)], "create the virtual environment", 300)
    print(f"installing {len(wanted)} requirements into {venv} ...", file=sys.stderr, flush=True)
    _check([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], "upgrade pip", 600)
    # Flask is pinned in the same resolution, so no extension moves it.
    _check([str(python), "-m", "pip", "install", "--quiet", *wanted], "install the requirements", 1800)
    stamp.write_text(digest)
    return python


def _check(command: list[str], what: str, timeout: int) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"bench_extensions: could not {what}: timed out after {timeout}s")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        sys.exit(f"bench_extensions: could not {what}:\n" + "\n".join(tail))


def _source(work: Path, suite: Suite) -> Path:
    """The sdist of the suite's project, downloaded from PyPI and extracted once."""
    target = work / "src" / f"{suite.project}-{suite.version}"
    if (target / ".extracted").exists():
        return target
    url = f"https://pypi.org/pypi/{suite.project}/json"
    with urllib.request.urlopen(url, timeout=60) as response:
        info = json.load(response)
    (sdist,) = [u for u in info["releases"][suite.version] if u["packagetype"] == "sdist"]
    archive = work / "sdist" / sdist["filename"]
    if not archive.exists():
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_suffix(".part")
        # The index may give a URL relative to the JSON document.
        with urllib.request.urlopen(urllib.parse.urljoin(url, sdist["url"]), timeout=300) as response:
            partial.write_bytes(response.read())
        partial.rename(archive)
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(work / "src", filter="data")
    (work / "src" / top).rename(target)
    (target / ".extracted").touch()
    return target


# --- running --------------------------------------------------------------------


def _pytest(suite: Suite, source: Path, python: Path, work: Path, impl: str | None, args: argparse.Namespace) -> Run:
    label = impl or "flask"
    report = work / "junit" / f"{suite.name}-{label}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    basetemp = work / "tmp" / f"{suite.name}-{label}"
    shutil.rmtree(basetemp, ignore_errors=True)
    basetemp.parent.mkdir(parents=True, exist_ok=True)  # pytest makes only the last level
    cache = work / "cache" / f"{suite.name}-{label}"
    shutil.rmtree(cache, ignore_errors=True)
    command = [
        str(python), "-m", "pytest", *suite.args,
        # pytest-xprocess keeps its state in pytest's cache: give each run its own.
        "-q", "-o", f"cache_dir={cache}", "-o", "addopts=", "-p", "pytest_timeout", f"--timeout={args.timeout}",
        *(f"-p{plugin}" for plugin in suite.plugins),
        f"--junitxml={report}", f"--basetemp={basetemp}",
    ]  # fmt: skip
    if impl is not None:
        command = [sys.executable, "-m", "conformance.cli", "drop-in", "--impl", impl, "--", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Tests that run `flask db ...` in a shell find the environment's console scripts.
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if impl is not None:
        # drop-in itself runs from this repository's environment.
        env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    run = Run()
    started = time.monotonic()
    log = work / "logs" / f"{suite.name}-{label}.txt"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=source, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            run.status = process.wait(timeout=args.suite_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
            run.note = f"killed after {args.suite_timeout}s"
    run.seconds = time.monotonic() - started
    run.outcomes = _junit(report)
    if not run.outcomes and not run.note:
        tail = [line for line in log.read_text(errors="replace").splitlines() if line.strip()][-1:]
        run.note = f"no results (exit {run.status}): {tail[0][:160] if tail else 'no output'}"
    return run


def _junit(path: Path) -> dict[str, Outcome]:
    if not path.exists():
        return {}
    outcomes: dict[str, Outcome] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        # A module that fails to import is a case named after the module alone.
        test = f"{classname}::{name}" if classname else name
        outcome = Outcome("passed")
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                message = child.get("message") or (child.text or "")
                if message == "collection failure":  # the import error is the last "E" line
                    errors = [line[1:].strip() for line in (child.text or "").splitlines() if line.startswith("E ")]
                    message = errors[-1] if errors else message
                outcome = Outcome({"failure": "failed"}.get(child.tag, child.tag), _one_line(message))
                if child.tag != "skipped":
                    break  # a teardown error after a failure: keep the failure
        if test in outcomes and outcomes[test].outcome != "passed":
            continue  # junit repeats a test that errors in teardown; keep the first failure
        outcomes[test] = outcome
    return outcomes


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else "")[:200]


def _short(text: str, width: int = 140) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _count(run: Run, outcome: str) -> int:
    return sum(1 for o in run.outcomes.values() if o.outcome == outcome)


# --- reporting ------------------------------------------------------------------


def _differences(flask: Run, impl: Run) -> list[dict[str, str]]:
    """Tests whose outcome differs, each with the reason in one line. A test the
    implementation's run did not report because a module failed to import
    carries a ``"group"`` (that module) and the reason."""
    unimported = {t: o.message for t, o in impl.outcomes.items() if "::" not in t and o.outcome == "error"}
    rows = []
    for test in sorted(set(flask.outcomes) | set(impl.outcomes)):
        f = flask.outcomes.get(test, Outcome("missing", "not reported"))
        i = impl.outcomes.get(test, Outcome("missing", impl.note or "not reported"))
        if f.outcome == i.outcome:
            continue
        row = {"test": test, "flask": f.outcome, "impl": i.outcome}
        module = next((m for m in unimported if test.startswith(m + ".") or test.startswith(m + "::")), None)
        if i.outcome == "missing" and module is not None:
            row.update(group=module, reason=f"not collected: {unimported[module]}")
        elif i.outcome == "missing" and unimported:
            # pytest runs nothing when a module fails to import.
            row.update(group="other modules", reason="not run: pytest stopped at the modules that failed to import")
        elif i.outcome == "passed":
            row["reason"] = f"passes here; on Flask: {f.outcome}: {f.message}"
        else:
            row["reason"] = i.message
        rows.append(row)
    return rows


def _condensed(rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """One row per group (a module that failed to import) instead of one per test."""
    out: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    for row in rows:
        group = row.get("group")
        if group is None:
            out.append(row)
        elif group not in counts:
            counts[group] = 0
            out.append({**row, "test": group})
        if group is not None:
            counts[group] += 1
    # The module's own error row says the same as its group's row.
    out = [r for r in out if r.get("group") or r["test"] not in counts]
    return [{**r, "test": f"{r['test']} ({counts[r['test']]} tests)"} if r.get("group") else r for r in out]


def _entry(suite: Suite, runs: dict[str, Run], impl: str) -> dict[str, object]:
    """The JSON record of one suite's runs."""
    entry: dict[str, object] = {"name": suite.name, "project": suite.project, "version": suite.version}
    for label, run in runs.items():
        entry["flask" if label == "flask" else "impl"] = {
            "status": run.status, "seconds": round(run.seconds, 1), "note": run.note,
            "tests": len(run.outcomes), "passed": _count(run, "passed"),
            "outcomes": {t: [o.outcome, o.message] for t, o in run.outcomes.items()},
        }  # fmt: skip
    if "flask" in runs and impl in runs:
        entry["differences"] = _differences(runs["flask"], runs[impl])
    return entry


def _write(output: Path, suites: Sequence[Suite], results: dict[str, dict[str, Run]], impl: str) -> dict:
    """Write results.json and summary.txt; suites of an earlier run of the same
    implementation that this one did not run (``--only``) are kept."""
    path = output / "results.json"
    entries: dict[str, dict] = {}
    try:
        earlier = json.loads(path.read_text())
        if earlier.get("impl") == impl and earlier.get("flask") == FLASK_VERSION:
            entries = {e["name"]: e for e in earlier["suites"]}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    for suite in suites:
        if results.get(suite.name):
            entries[suite.name] = _entry(suite, results[suite.name], impl)
    order = [s.name for s in SUITES]
    document = {
        "impl": impl,
        "flask": FLASK_VERSION,
        "suites": sorted(entries.values(), key=lambda e: order.index(e["name"]) if e["name"] in order else len(order)),
    }
    lines = [
        f"{e['name']}\t{d['test']}\t{d['flask']}->{d['impl']}\t{d['reason']}"
        for e in document["suites"]
        for d in _condensed(e.get("differences", ()))
    ]
    path.write_text(json.dumps(document, indent=1) + "\n")
    (output / "summary.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
    return document


def _table(document: dict, details: bool = True) -> str:
    """The Markdown table of a results document, then each differing test."""
    impl = document["impl"]
    lines = [
        f"| suite | tests | passed on Flask {document['flask']} | passed on {impl} | differ |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows = []
    for e in document["suites"]:
        if "impl" not in e:
            lines.append(f"| {e['name']} {e['version']} | {e['flask']['tests']} | {e['flask']['passed']} | - | - |")
            continue
        differences = e["differences"]
        tests = len(set(e["flask"]["outcomes"]) | set(e["impl"]["outcomes"]))
        lines.append(
            f"| {e['name']} {e['version']} | {tests} | {e['flask']['passed']} | {e['impl']['passed']} | "
            f"{len(differences)} |"
        )
        rows.extend(f"- {e['name']}: `{d['test']}`: {d['flask']} on Flask, {d['impl']} on {impl}: {_short(d['reason'])}"
                    for d in _condensed(differences))
    return "\n".join(lines + ([""] + rows if rows and details else [])) + "\n"


if __name__ == "__main__":
    sys.exit(main())
