"""``flask-conformance matrix``: the suite on several Flask versions, side by side.

For each Flask version the runner keeps one virtual environment under the output
folder, with the Werkzeug series that Flask was written against (:data:`ERAS`)
and the newest of everything else, installs this project into it without its
dependencies, and runs ``pytest --pyargs conformance.suite --impl=flask`` there.
It then writes one HTML report with the versions side by side and the diff
between consecutive versions, and says whether every test that did not pass is
explained by the spec (not applicable to that version). Environments are reused
when their requirements have not changed; the project is reinstalled every time.

Everything that touches the outside world goes through a :class:`Runner`, so the
logic can be tested with a fake one (tests/test_matrix.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from reports.diff import format_markdown, format_text
from reports.html import write_report
from reports.model import NOT_APPLICABLE, PASS_LIKE, RUN_FAILURES, ResultsError, Result, Run, load_run

from . import versions
from .catalog import Catalog
from .reporting import diff_with_catalog, spec_info

#: Requirements of each Flask series' era, beside ``flask==VERSION``: the Werkzeug
#: series each Flask was written against (Flask 2.3 fails on Werkzeug 3, Flask 3.0
#: on Werkzeug 3.1). Everything else (click, ItsDangerous, Blinker, Jinja2) is the
#: newest release every Flask accepts, the same in every environment, so that a
#: diff between versions shows what Flask and Werkzeug changed and nothing else.
ERAS: dict[str, tuple[str, ...]] = {
    "2.2": ("werkzeug>=2.2.2,<2.3",),
    "2.3": ("werkzeug>=2.3.7,<3.0",),
    "3.0": ("werkzeug>=3.0.0,<3.1",),
    "3.1": ("werkzeug>=3.1,<3.2",),
}
#: Extras of this distribution the suite's environments get too (async views, .env files).
SUITE_EXTRAS = ("async", "dotenv")
#: Distributions each environment pins itself: ``flask==VERSION`` and the era's Werkzeug.
_PINNED = {"flask", "werkzeug"}


def suite_requirements() -> list[str]:
    """What the suite itself needs to run: this distribution's own requirements, read
    from its metadata (so the list cannot drift from pyproject.toml), with the extras
    in :data:`SUITE_EXTRAS`, less what each environment pins itself."""
    from packaging.requirements import Requirement  # installed with pytest, which needs it

    try:
        declared = metadata.requires("flask-conformance") or []
    except metadata.PackageNotFoundError:
        raise MatrixError("flask-conformance is not installed here: pip install -e . (or the release) first") from None
    wanted = []
    for text in declared:
        req = Requirement(text)
        if req.name.lower() in _PINNED:
            continue
        marker = str(req.marker) if req.marker else ""
        if "extra" not in marker:
            wanted.append(text)  # any other marker (a Python version) is pip's to judge
        elif any(req.marker.evaluate({"extra": extra}) for extra in SUITE_EXTRAS):  # type: ignore[union-attr]
            wanted.append(f"{req.name}{req.specifier}")
    return wanted


DEFAULT_OUTPUT = Path(".matrix")
#: The configuration the suite runs under in each environment (as in pyproject.toml).
PYTEST_INI = "[pytest]\naddopts = --strict-markers\nxfail_strict = true\n"
MARKER = "flask-conformance-matrix.json"
#: pytest exit codes after which the results file is usable: all passed, some failed.
USABLE_EXIT = (0, 1)


class MatrixError(Exception):
    """The matrix cannot be built or run; ``str()`` is one line naming the fix."""


def requirements_for(version: str) -> list[str]:
    """Everything a Flask version's environment needs, the project excepted."""
    try:
        versions.check(version)
    except versions.VersionError as exc:
        raise MatrixError(f"--flask {version}: {exc}") from None
    series = ".".join(version.split(".")[:2])
    return [f"flask=={version}", *ERAS.get(series, ()), *suite_requirements()]


@dataclass(frozen=True)
class Target:
    """One Flask version of the matrix and where its files live."""

    version: str
    root: Path
    requirements: tuple[str, ...]

    @property
    def venv(self) -> Path:
        return self.root / f"venv-flask-{self.version}"

    @property
    def python(self) -> Path:
        scripts = "Scripts" if sys.platform == "win32" else "bin"
        return self.venv / scripts / ("python.exe" if sys.platform == "win32" else "python")

    @property
    def results(self) -> Path:
        return self.root / "results" / f"flask-{self.version}.json"

    @property
    def workdir(self) -> Path:
        """An empty folder to run pytest in, so that nothing of a checkout is imported."""
        return self.root / "work" / f"flask-{self.version}"

    def log(self, step: str) -> Path:
        return self.root / "logs" / f"flask-{self.version}-{step}.log"


def plan(flask_versions: Sequence[str], root: Path) -> list[Target]:
    """One target per version, oldest first, repeats dropped."""
    unique = list(dict.fromkeys(v.strip() for v in flask_versions))
    if not unique:
        raise MatrixError("no Flask version given; pass e.g. --flask 3.0.3 3.1.3")
    targets = [Target(v, root, tuple(requirements_for(v))) for v in unique]
    return sorted(targets, key=lambda t: versions.release_key(t.version))


class Runner:
    """Runs commands with their output to a log file; a fake replaces it in tests."""

    def run(self, command: Sequence[str], log: Path, cwd: Path | None = None) -> int:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as out:
            out.write("$ " + " ".join(command) + "\n")
            out.flush()
            return subprocess.run(
                list(command), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=_clean_env()
            ).returncode


def _clean_env() -> dict[str, str]:
    import os

    # The environments must see only what is installed in them.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@dataclass
class Outcome:
    """What one version's run gave."""

    target: Target
    seconds: float
    run: Run | None = None
    problem: str | None = None
    totals: dict[str, int] = field(default_factory=dict)
    unexplained: list[Result] = field(default_factory=list)
    #: Passed tests citing an entry with a recorded change that the version predates.
    old_behaviour: int = 0


@dataclass
class Matrix:
    """The whole run: options, steps and what came out."""

    targets: list[Target]
    root: Path
    catalog: Catalog
    python: str = sys.executable
    workers: int = 2
    rebuild: bool = False
    runner: Runner = field(default_factory=Runner)
    say: Callable[[str], None] = print
    outcomes: list[Outcome] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    # --- steps --------------------------------------------------------------

    def project(self) -> str:
        """What to install as the suite: a wheel of this checkout, else the installed release."""
        source = _checkout()
        if source is None:
            return f"flask-conformance=={metadata.version('flask-conformance')}"
        wheels = self.root / "wheel"
        for old in wheels.glob("*.whl"):
            old.unlink()
        code = self.runner.run(
            [self.python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(source)],
            self.root / "logs" / "wheel.log",
        )
        built = sorted(wheels.glob("flask_conformance-*.whl"))
        if code != 0 or not built:
            raise MatrixError(f"could not build a wheel of {source}; see {self.root / 'logs' / 'wheel.log'}")
        return str(built[-1])

    def environment(self, target: Target, project: str) -> None:
        """Create or reuse the target's environment, then (re)install the project."""
        marker = target.venv / MARKER
        wanted = {"python": self.python, "requirements": list(target.requirements)}
        fresh = self.rebuild or not target.python.exists() or _read_json(marker) != wanted
        if fresh:
            self._step(target, "venv", [self.python, "-m", "venv", "--clear", str(target.venv)])
            self._step(target, "deps", [str(target.python), "-m", "pip", "install", "--quiet", *target.requirements])
            marker.write_text(json.dumps(wanted, indent=1) + "\n", encoding="utf-8")
        else:
            self.say(f"flask {target.version}: reusing {target.venv}")
        self._step(
            target, "install",
            [str(target.python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", project],
        )

    def suite(self, target: Target) -> int:
        """Run the suite on real Flask in the target's environment."""
        target.workdir.mkdir(parents=True, exist_ok=True)
        target.results.unlink(missing_ok=True)
        # An ini file of our own: pytest would otherwise take the configuration
        # of any project above the output folder. The site-packages folder as
        # rootdir gives every version the same test ids ("conformance/suite/...").
        ini = target.workdir / "pytest.ini"
        ini.write_text(PYTEST_INI, encoding="utf-8")
        command = [
            str(target.python), "-m", "pytest", "--pyargs", "conformance.suite", "--impl=flask",
            "-c", str(ini), "--rootdir", str(site_packages(target.venv)),
            "-p", "no:cacheprovider", "-q", "--conformance-json", str(target.results.resolve()),
        ]
        if self.workers > 0:
            command += ["-n", str(self.workers)]
        return self.runner.run(command, target.log("pytest"), cwd=target.workdir)

    def _step(self, target: Target, step: str, command: list[str]) -> None:
        if self.runner.run(command, target.log(step)) != 0:
            raise MatrixError(f"flask {target.version}: step {step!r} failed; see {target.log(step)}")

    # --- the whole run --------------------------------------------------------

    def run(self) -> int:
        """Build, run, report; 0 when every version has no unexplained failure."""
        started = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            project = self.project()
        except MatrixError as exc:
            self.say(f"matrix FAILED: {exc}")
            return 1
        for target in self.targets:
            began = time.perf_counter()
            outcome = Outcome(target, 0.0)
            try:
                self.environment(target, project)
                code = self.suite(target)
                if code not in USABLE_EXIT:
                    raise MatrixError(f"flask {target.version}: pytest exited {code}; see {target.log('pytest')}")
                outcome.run = load_run(target.results, label=f"flask-{target.version}")
            except (MatrixError, ResultsError) as exc:
                outcome.problem = str(exc)
            outcome.seconds = time.perf_counter() - began
            if outcome.run is not None:
                self.explain(outcome)
            self.outcomes.append(outcome)
            self.say(self.line(outcome))
        self.write_reports()
        failed = [o for o in self.outcomes if o.problem or o.unexplained]
        for o in failed:
            for r in o.unexplained[:20]:
                spec = ", ".join(r.spec)
                self.say(f"  UNEXPLAINED flask {o.target.version}: {r.test} [{spec}] {r.outcome}: {r.message}")
            if len(o.unexplained) > 20:
                self.say(f"  ... and {len(o.unexplained) - 20} more in {o.target.results}")
        total = time.perf_counter() - started
        verdict = "FAILED: unexplained failures or broken runs" if failed else "OK: no unexplained failure"
        self.say(f"matrix {verdict} ({len(self.targets)} versions in {total:.0f}s)")
        return 1 if failed else 0

    def explain(self, outcome: Outcome) -> None:
        """Sort a run's results: a test that did not pass must be explained by the spec."""
        run = outcome.run
        assert run is not None
        declared = next((i.conforms_to for i in run.implementations() if i.name == "flask"), outcome.target.version)
        for r in run.results:
            outcome.totals[r.outcome] = outcome.totals.get(r.outcome, 0) + 1
            if r.outcome in RUN_FAILURES:
                outcome.unexplained.append(r)
            elif r.outcome in PASS_LIKE and any(
                versions.pending_changes(self.catalog[s], declared) for s in r.spec if s in self.catalog
            ):
                outcome.old_behaviour += 1
        if not run.complete:
            log = outcome.target.log("pytest")
            outcome.problem = f"flask {outcome.target.version}: the run is incomplete; see {log}"

    def line(self, o: Outcome) -> str:
        head = f"flask {o.target.version}: "
        if o.run is None:
            return head + f"FAILED in {o.seconds:.0f}s: {o.problem}"
        counts = ", ".join(f"{n} {k}" for k, n in sorted(o.totals.items()))
        old = f"; {o.old_behaviour} passed on entries whose behaviour changed since" if o.old_behaviour else ""
        unexplained = f"; {len(o.unexplained)} UNEXPLAINED" if o.unexplained else ""
        return head + f"{counts}{old}{unexplained} ({o.seconds:.0f}s)"

    def write_reports(self) -> None:
        runs = [o.run for o in self.outcomes if o.run is not None]
        if not runs:
            return
        report = self.root / "report.html"
        write_report(runs, report, spec_info(self.catalog), title="Flask version matrix: " + ", ".join(
            o.target.version for o in self.outcomes if o.run is not None))
        self.written.append(report)
        for base, head in zip(runs, runs[1:]):
            result = diff_with_catalog(base, head, self.catalog)
            for suffix, render in ((".txt", format_text), (".md", format_markdown)):
                path = self.root / f"diff-{base.label}-to-{head.label}{suffix}"
                path.write_text(render(result), encoding="utf-8")
                self.written.append(path)
            self.say(
                f"{base.label} -> {head.label}: {len(result.documented)} documented behaviour changes, "
                f"{len(result.newly_failing)} newly failing, {len(result.newly_applicable)} newly applicable"
            )
        self.say("wrote " + ", ".join(str(p) for p in self.written))


def site_packages(venv: Path) -> Path:
    """The environment's site-packages folder, where the suite is installed."""
    found = sorted(venv.glob("lib/python*/site-packages")) or sorted(venv.glob("Lib/site-packages"))
    if not found:
        raise MatrixError(f"no site-packages folder in {venv}; rerun with --rebuild")
    return found[-1]


def _checkout() -> Path | None:
    """The source checkout this package runs from, if any (a wheel has no pyproject)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "spec").is_dir() else None


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
