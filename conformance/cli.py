"""The ``flask-conformance`` command: work with results files after a run.

Subcommands: ``report`` (HTML), ``diff`` (the CI gate), ``expectations`` (a
starting known-deviations file), ``badge`` (SVG), ``smoke`` (does an
implementation load and serve a request at all), ``matrix`` (the suite on several
Flask versions, conformance/matrix.py) and ``surface`` (the API-surface tool,
conformance/surface.py) and ``drop-in`` (run any command with ``flask`` being an
implementation, conformance/dropin.py). Exit codes: 0 success, 1 the check failed (diff: a
regression; smoke: the implementation is broken; matrix: an unexplained failure),
2 unusable input, always reported as one line on stderr naming the fix.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from reports.badge import score_badge
from reports.diff import FORMATS
from reports.expectations import ExpectationsError, render_expectations
from reports.html import DEFAULT_TITLE, write_report
from reports.model import Combined, ResultsError, Run, combine, load_run, load_runs

from .catalog import CatalogError, load_catalog
from .implementations import Implementation, ImplementationError, resolve
from .matrix import DEFAULT_OUTPUT, Matrix, MatrixError, plan
from .reporting import diff_with_catalog, spec_info

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROG = "flask-conformance"


class UsageProblem(Exception):
    """Bad input; the message is one line naming the problem and the fix."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage over several lines
        raise UsageProblem(f"{message}; see '{self.prog} --help'")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["surface"]:
        # The surface tool keeps its own command line (record, diff, coverage).
        from . import surface

        return surface.main(argv[1:])
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.run(args))
    except (UsageProblem, ResultsError, ExpectationsError, CatalogError, MatrixError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _build_parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Reports, diffs and checks for flask-conformance results.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser("report", help="write the HTML report of one or more results files")
    report.add_argument("results", nargs="+", metavar="RESULTS.json")
    report.add_argument("-o", "--output", required=True, metavar="PATH", help="the HTML file to write")
    report.add_argument("--title", default=DEFAULT_TITLE)
    report.add_argument("--spec-dir", metavar="DIR", help="catalog for titles, sources and errata")
    report.add_argument("--allow-incomplete", action="store_true", help="show interrupted runs, marked incomplete")
    report.add_argument("--summary", action="store_true", help="also print a Markdown table of scores")
    report.set_defaults(run=_report)

    diff = commands.add_parser("diff", help="compare two runs; exit 1 on a regression")
    diff.add_argument("base", metavar="BASE.json")
    diff.add_argument("head", metavar="HEAD.json")
    diff.add_argument("--format", choices=sorted(FORMATS), default="text")
    diff.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    diff.add_argument("--spec-dir", metavar="DIR", help="catalog whose since/changed facts list documented changes")
    diff.set_defaults(run=_diff)

    exp = commands.add_parser("expectations", help="write a starting expectations file from a run")
    exp.add_argument("results", metavar="RESULTS.json")
    exp.add_argument("-o", "--output", required=True, metavar="FILE")
    exp.add_argument("--impl", action="append", metavar="NAME", help="only this implementation (repeatable)")
    exp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    exp.set_defaults(run=_expectations)

    badge = commands.add_parser("badge", help="write a shields-style SVG badge of the score")
    badge.add_argument("results", metavar="RESULTS.json")
    badge.add_argument("-o", "--output", required=True, metavar="PATH")
    badge.add_argument("--impl", metavar="NAME", help="the implementation (needed when the run has several)")
    badge.add_argument("--label", default="flask conformance")
    badge.add_argument("--allow-incomplete", action="store_true", help="badge an interrupted run (grey)")
    badge.set_defaults(run=_badge)

    smoke = commands.add_parser("smoke", help="check in seconds that an implementation serves a request")
    smoke.add_argument("--impl", required=True, metavar="NAME", help="registered name or module path")
    smoke.set_defaults(run=_smoke)

    matrix = commands.add_parser(
        "matrix", help="run the suite on several Flask versions; one report and the diffs between them"
    )
    matrix.add_argument("--flask", nargs="+", required=True, metavar="VERSION", help="Flask releases, e.g. 3.0.3 3.1.3")
    matrix.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), metavar="DIR",
                        help=f"where environments, results, report and diffs go (default: {DEFAULT_OUTPUT}/)")
    matrix.add_argument("--python", default=sys.executable, metavar="PATH", help="interpreter for the environments")
    matrix.add_argument("-n", "--workers", type=int, default=2, metavar="N", help="pytest-xdist workers (0: none)")
    matrix.add_argument("--rebuild", action="store_true", help="recreate the environments even when up to date")
    matrix.add_argument("--spec-dir", metavar="DIR", help="catalog for the report, diffs and explanations")
    matrix.set_defaults(run=_matrix)

    dropin = commands.add_parser(
        "drop-in", help="run a command with flask being the implementation: drop-in --impl NAME -- COMMAND [ARGS...]"
    )
    dropin.add_argument("--impl", required=True, metavar="NAME", help="registered name or module path")
    dropin.add_argument("--load-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long loading the implementation may take (default: 60; 0: no limit)")
    dropin.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS...]")
    dropin.set_defaults(run=_dropin)

    # Listed for --help; main() hands the arguments to conformance.surface.
    commands.add_parser("surface", help="the API-surface tool: surface {record,diff,coverage} ... (see surface --help)")
    return parser


def _write(path: str, text: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot write {path}: {exc.strerror or exc}; pick a writable path") from None


def _implementations(run: Run, wanted: Sequence[str]) -> None:
    names = [i.name for i in run.implementations()]
    for name in wanted:
        if name not in names:
            raise UsageProblem(
                f"implementation {name!r} is not in {run.source} (it has: {', '.join(names) or 'none'}); "
                "pick one of those with --impl"
            )


# --- report ---------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    runs = load_runs(args.results, allow_incomplete=args.allow_incomplete)
    catalog = load_catalog(args.spec_dir)
    try:
        write_report(runs, args.output, spec_info(catalog), title=args.title)
    except OSError as exc:
        raise UsageProblem(f"cannot write {args.output}: {exc.strerror or exc}; pick a writable path") from None
    if args.summary:
        print(scores_markdown(combine(runs)), end="")
    else:
        print(f"{PROG}: wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def scores_markdown(combined: Combined) -> str:
    lines = [
        "| implementation | score | passing | counted | skipped | known-skip | not applicable | timeout | crashed |",
        "|" + " --- |" * 9,
    ]
    for c in combined.columns:
        s = c.score
        label = c.label + ("" if c.run.complete else " (incomplete)")
        selection = c.run.header.selection
        if selection is not None and selection.partial:
            label += f" ({selection.text})"
        counts = (s.passed, s.counted, s.skipped, s.known_skip, s.not_applicable, s.timeout, s.crashed)
        lines.append(f"| {label} | {s.text} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(lines) + "\n"


# --- diff -----------------------------------------------------------------------


def _diff(args: argparse.Namespace) -> int:
    base, head = load_run(args.base), load_run(args.head)
    result = diff_with_catalog(base, head, load_catalog(args.spec_dir))
    text = FORMATS[args.format](result)
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FAILED if result.regression else EXIT_OK


# --- matrix ---------------------------------------------------------------------


def _matrix(args: argparse.Namespace) -> int:
    root = Path(args.output).resolve()
    matrix = Matrix(
        targets=plan(args.flask, root),
        root=root,
        catalog=load_catalog(args.spec_dir),
        python=args.python,
        workers=args.workers,
        rebuild=args.rebuild,
    )
    return matrix.run()


# --- expectations ---------------------------------------------------------------


def _expectations(args: argparse.Namespace) -> int:
    run = load_run(args.results)
    _implementations(run, args.impl or [])
    if Path(args.output).exists() and not args.force:
        raise UsageProblem(f"{args.output} exists; pass --force to overwrite it or choose another -o")
    _write(args.output, render_expectations(run, args.impl))
    print(f"{PROG}: wrote {args.output}", file=sys.stderr)
    return EXIT_OK


# --- badge ----------------------------------------------------------------------


def _badge(args: argparse.Namespace) -> int:
    run = load_run(args.results, allow_incomplete=args.allow_incomplete)
    names = [i.name for i in run.implementations()]
    if args.impl:
        _implementations(run, [args.impl])
        name = args.impl
    elif len(names) == 1:
        name = names[0]
    else:
        raise UsageProblem(
            f"{args.results} holds {len(names)} implementations ({', '.join(names) or 'none'}); "
            "pick one with --impl"
        )
    (column,) = [c for c in combine([run]).columns if c.implementation.name == name]
    _write(args.output, score_badge(column.score, label=args.label, complete=run.complete, partial=run.partial))
    print(f"{PROG}: wrote {args.output} ({name} {column.score.text})", file=sys.stderr)
    return EXIT_OK


# --- drop-in --------------------------------------------------------------------


def _dropin(args: argparse.Namespace) -> int:
    from . import dropin

    try:
        command, env = dropin.prepare(args.impl, args.command, args.load_timeout)
    except dropin.DropInProblem as exc:
        raise UsageProblem(f"drop-in: {exc}") from None
    return dropin.run(command, env)


# --- smoke ----------------------------------------------------------------------


class _SmokeFailure(Exception):
    pass


def _smoke(args: argparse.Namespace) -> int:
    name = args.impl
    started = time.perf_counter()
    state: dict[str, Any] = {}

    def load() -> str:
        try:
            impl: Implementation = resolve(name)
            state["flask"] = impl.load()
        except ImplementationError as exc:
            raise _SmokeFailure(f"{exc}; check the name and that its package is installed") from None
        return f"module {impl.module}, version {impl.version or 'unknown'}"

    def build() -> str:
        cls = getattr(state["flask"], "Flask", None)
        if not callable(cls):
            raise _SmokeFailure(f"module {state['flask'].__name__!r} has no Flask class; export one")
        app = cls("flask_conformance_smoke")
        app.config["TESTING"] = True  # a failing view raises here instead of answering 500
        app.route("/")(lambda: "ok")
        state["app"] = app
        return f"{type(app).__module__}.{type(app).__qualname__}"

    def serve() -> str:
        from werkzeug.test import Client

        response = Client(state["app"]).get("/")
        body = response.get_data()
        if response.status_code != 200 or body != b"ok":
            raise _SmokeFailure(
                f"GET / answered {response.status!r} with body {body[:80]!r}; "
                "expected 200 with the view's return value b'ok'"
            )
        return f"GET / -> {response.status}, {response.headers.get('Content-Type')}"

    steps: list[tuple[str, Callable[[], str]]] = [
        ("load the implementation", load),
        ("build an app and a route", build),
        ("serve one request", serve),
    ]
    for label, step in steps:
        try:
            detail = step()
        except _SmokeFailure as exc:
            return _smoke_failed(name, label, str(exc))
        except Exception as exc:  # the implementation's own bug: name it, no traceback
            return _smoke_failed(name, label, f"{type(exc).__name__}: {_first_line(exc)}")
        print(f"smoke {name}: {label}: ok ({detail})")
    print(f"smoke {name}: OK in {time.perf_counter() - started:.2f}s")
    return EXIT_OK


def _smoke_failed(name: str, step: str, problem: str) -> int:
    print(f"smoke {name}: {step}: FAILED: {problem}", file=sys.stderr)
    return EXIT_FAILED


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "(no message)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
