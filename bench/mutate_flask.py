"""Mutation measure: how much of real Flask's behaviour the conformance suite pins.

Run by hand (never as a test; it takes from minutes to hours):

    python bench/mutate_flask.py [--module helpers.py ...] [--sample 0.25] [--jobs 2]

It copies the installed Flask 3.1.x, changes one thing at a time in its source (a
*mutant*), and runs the conformance suite with ``--impl=flask`` against each mutant.
A mutant the suite fails on is *killed*; one it passes is a *survivor*: either the
suite misses a behaviour, or the change is *equivalent* (no documented behaviour can
tell it apart), listed with why in ``bench/mutation_equivalents.toml``.

Why a short AST mutator rather than mutmut or cosmic-ray: both mutate the project
they are run in (mutmut rewrites a copy of its own source tree with trampolines,
cosmic-ray needs a session per module and a test command it runs in place); here
the code under mutation is another distribution's installed package, and the tests
must reach it through ``import flask`` unchanged. A copy of the package first on
``PYTHONPATH`` does that with nothing installed or patched.

Speed: a first pass runs the suite once under coverage and records which tests run
each line of Flask; a mutant then runs only those tests, stopping at the first
failure (``-x``), those that killed mutants of the nearest lines first. A mutant on
a line no test runs is a survivor without a run. A line run at import time stands
for the whole suite, except a decorator or a default value, which runs the tests
of its function's body (and the surface tests, which read signatures).
Results are appended to a JSON Lines file as they come, so a run stopped half-way
resumes where it was; the committed ``bench/mutation_results.jsonl`` holds the
measurement the README reports (``--report`` prints its table without running).

Operators (the usual ones): comparison swaps (``==``/``!=``, ``<``/``<=``, ``in``/
``not in``, ``is``/``is not``), ``and``/``or``, dropping ``not``, ``+``/``-``,
constants (``True``/``False``, ``n`` to ``n + 1``, a string changed), a ``return``
of ``None``, a deleted statement, a dropped keyword argument. Left alone: docstrings,
annotations, ``TYPE_CHECKING`` blocks, ``@overload`` stubs, ``__repr__``, and the text
of exception, warning and log messages (the suite does not pin Flask's wording).
"""

from __future__ import annotations

import argparse
import ast
import fcntl
import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

# A sibling module: run as a script, this file's folder is first on sys.path.
from mutation_report import equivalents_markdown, load_equivalents, summarize, survivor_listing, survivors

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO / "conformance" / "suite"
SURFACE_TESTS = SUITE / "test_surface.py"
RESULTS = Path(__file__).resolve().parent / "mutation_results.jsonl"
OUTCOMES = ("killed", "timeout", "survived", "uncovered", "stale", "equivalent")

# A pytest plugin, written next to the coverage data, that labels coverage with the
# node id of the running test so that a line maps to exactly the tests that run it.
_CONTEXT_PLUGIN = """
import importlib, pkgutil
import coverage, pytest

def pytest_configure(config):
    # Import every module of Flask under one context, so that lines run at import
    # time (module constants, class attributes) map to every test, not to the one
    # test that happened to import the module first.
    cov = coverage.Coverage.current()
    if cov is None:
        return
    cov.switch_context("(import)")
    import flask
    for info in pkgutil.walk_packages(flask.__path__, "flask."):
        if not info.name.endswith("__main__"):  # importing it would run the CLI
            importlib.import_module(info.name)
    cov.switch_context("")

@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(item.nodeid)
    try:
        return (yield)
    finally:
        if cov is not None:
            cov.switch_context("")
"""


@dataclass(frozen=True)
class Mutant:
    """One change to one module of Flask."""

    module: str  # path inside the flask package: "helpers.py", "sansio/app.py"
    line: int
    col: int
    operator: str
    before: str
    after: str
    index: int  # its place among the mutants at the same line, column and operator

    @property
    def key(self) -> str:
        return f"{self.module}:{self.line}:{self.col}:{self.operator}:{self.index}"


# --- generating mutants -------------------------------------------------------

_SWAPS: dict[type[ast.AST], type[ast.AST]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
    ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add,
}
_MESSAGE_CALLS = frozenset({"warn", "debug", "info", "warning", "error", "exception", "critical", "echo"})
#: Calls that only inform type checkers: ``TypeVar("F", bound=...)`` or the type
#: given to ``cast`` changes nothing at run time.
_TYPING_CALLS = frozenset({"TypeVar", "ParamSpec", "NewType", "TypedDict", "cast"})


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


class _Sites(ast.NodeVisitor):
    """Collect (node, operator, apply) triples; ``apply`` changes the node in place
    and returns a function that undoes the change."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, str, Callable[[], Callable[[], None]]]] = []
        self._quiet = 0  # inside a message whose text is not behaviour

    # Places left alone entirely.
    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self._statement(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if "overload" in _decorator_names(node) or node.name == "__repr__":
            return
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        for dec in node.decorator_list:
            self.visit(dec)
        for default in [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]:
            self.visit(default)
        for stmt in body:
            self.visit(stmt)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        for stmt in body:
            self.visit(stmt)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._statement(node)
            self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:  # annotations
        return

    def visit_Raise(self, node: ast.Raise) -> None:
        self._statement(node)
        self._quiet += 1
        self.generic_visit(node)
        self._quiet -= 1

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-strings: message text

    # Statements.
    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a bare string: a comment-like docstring
        self._statement(node)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "attr", getattr(value.func, "id", "")) in _TYPING_CALLS:
            return  # F = t.TypeVar(...): for type checkers only
        self._statement(node)
        self.generic_visit(node)

    visit_AugAssign = visit_Assign

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            def apply(node: ast.Return = node, value: ast.expr = value) -> Callable[[], None]:
                node.value = ast.Constant(None)
                return lambda: setattr(node, "value", value)

            self.sites.append((node, "return-none", apply))
        self.generic_visit(node)

    def _statement(self, node: ast.stmt) -> None:
        """Deleting the statement: it becomes ``pass`` (an ``if`` keeps its test)."""
        if isinstance(node, ast.If):
            return
        self.sites.append((node, "delete-statement", lambda node=node: _replace_statement(node)))

    # Expressions.
    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            if type(op) in _SWAPS:
                self.sites.append((node, "compare", lambda node=node, i=i: _swap_in_list(node.ops, i)))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.sites.append((node, "boolean", lambda node=node: _swap_attr(node, "op")))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if type(node.op) in _SWAPS:
            self.sites.append((node, "arithmetic", lambda node=node: _swap_attr(node, "op")))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.sites.append((node, "drop-not", lambda node=node: _drop_not(node)))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _TYPING_CALLS:
            if name == "cast" and len(node.args) == 2:
                self.visit(node.args[1])  # the value is behaviour, the type is not
            return
        quiet = name in _MESSAGE_CALLS
        self._quiet += quiet
        for i, kw in enumerate(node.keywords):
            if kw.arg is not None:
                self.sites.append((node, "drop-keyword", lambda node=node, i=i: _drop_keyword(node, i)))
        self.generic_visit(node)
        self._quiet -= quiet

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.sites.append((node, "constant", lambda node=node: _set_value(node, not node.value)))
        elif isinstance(value, int):
            self.sites.append((node, "constant", lambda node=node: _set_value(node, node.value + 1)))
        elif isinstance(value, str) and value and not self._quiet:
            self.sites.append((node, "constant", lambda node=node: _set_value(node, f"XX{node.value}XX")))


def _swap_in_list(ops: list[ast.AST], i: int) -> Callable[[], None]:
    old = ops[i]
    ops[i] = _SWAPS[type(old)]()
    return lambda: ops.__setitem__(i, old)


def _swap_attr(node: ast.AST, attr: str) -> Callable[[], None]:
    old = getattr(node, attr)
    setattr(node, attr, _SWAPS[type(old)]())
    return lambda: setattr(node, attr, old)


def _drop_not(node: ast.UnaryOp) -> Callable[[], None]:
    # Double negation keeps the expression valid anywhere: `not x` becomes `x`
    # truth-wise without changing precedence.
    old = node.op
    node.op, node.operand = ast.Not(), ast.UnaryOp(ast.Not(), node.operand)
    inner = node.operand

    def undo() -> None:
        node.op, node.operand = old, inner.operand

    return undo


def _drop_keyword(node: ast.Call, i: int) -> Callable[[], None]:
    kw = node.keywords.pop(i)
    return lambda: node.keywords.insert(i, kw)


def _set_value(node: ast.Constant, value: object) -> Callable[[], None]:
    old = node.value
    node.value = value
    return lambda: setattr(node, "value", old)


def _replace_statement(node: ast.stmt) -> Callable[[], None]:
    # Swap the node's class and fields for a `pass` in place, so the parent's body
    # list needs no lookup; undo restores both.
    saved_class, saved_dict = node.__class__, dict(node.__dict__)
    node.__class__ = ast.Pass
    for field in saved_class._fields:
        node.__dict__.pop(field, None)

    def undo() -> None:
        node.__class__ = saved_class
        node.__dict__.update(saved_dict)

    return undo


def generate(module: str, source: str) -> Iterator[tuple[Mutant, str]]:
    """Every mutant of one module with its whole mutated source."""
    tree = ast.parse(source)
    original_lines = source.splitlines()
    visitor = _Sites()
    visitor.visit(tree)
    seen: Counter[tuple[int, int, str]] = Counter()
    for node, operator, apply in visitor.sites:
        line = getattr(node, "lineno", 0)
        place = (line, getattr(node, "col_offset", 0), operator)
        index = seen[place]
        seen[place] += 1
        before = ast.unparse(node) if isinstance(node, ast.expr) else original_lines[line - 1].strip()
        undo = apply()
        try:
            mutated = ast.unparse(tree)
            after = ast.unparse(node) if isinstance(node, ast.expr) else ast.unparse(node).split("\n")[0]
        finally:
            undo()
        mutant = Mutant(module, line, getattr(node, "col_offset", 0), operator, before[:160], after[:160], index)
        yield mutant, mutated


# --- coverage: which tests run which line -------------------------------------


def coverage_map(flask_dir: Path, work: Path, python: str) -> dict[str, dict[int, list[str]]]:
    """Run the suite once under coverage; map module -> line -> test node ids."""
    cached = work / "coverage-map.json"
    if cached.exists():
        return {m: {int(k): v for k, v in lines.items()} for m, lines in json.loads(cached.read_text()).items()}
    (work / "mutcov_plugin.py").write_text(_CONTEXT_PLUGIN)
    data_file = work / ".coverage"
    env = {**os.environ, "PYTHONPATH": str(work)}
    command = [
        python, "-m", "coverage", "run", f"--data-file={data_file}", f"--include={flask_dir}/*",
        "-m", "pytest", str(SUITE), "--impl=flask", "-p", "no:xdist", "-p", "no:cacheprovider",
        "-p", "mutcov_plugin", "-q", "--no-header",
    ]
    print("coverage pass: running the suite once with --impl=flask ...", flush=True)
    subprocess.run(command, env=env, cwd=REPO, check=False, stdout=subprocess.DEVNULL)
    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    mapping: dict[str, dict[int, list[str]]] = {}
    for filename in data.measured_files():
        module = Path(filename).resolve().relative_to(flask_dir.resolve()).as_posix()
        by_line = data.contexts_by_lineno(filename)
        # A line run outside every test ran at import or collection time: like the
        # "(import)" context, it stands for the whole suite.
        mapping[module] = {line: sorted(c or IMPORT_CONTEXT for c in ctxs) for line, ctxs in by_line.items()}
    cached.write_text(json.dumps(mapping))
    return mapping


IMPORT_CONTEXT = "(import)"


def tests_for(
    mutant: Mutant, lines: dict[int, list[str]], end_line: int, body: tuple[int, int] | None = None
) -> list[str]:
    """Tests that run any line of the mutated node; a line run at import time
    stands for the whole suite.

    A decorator or a default value of a function is evaluated at import time, yet
    it can only change what the function does when called (or what its signature
    says): such a mutant runs the tests that run the function's body, plus the
    surface tests that read signatures, rather than the whole suite.
    """
    found = _covering(lines, mutant.line, end_line)
    if IMPORT_CONTEXT in found and body is not None:
        found = _covering(lines, *body)
        if IMPORT_CONTEXT not in found:
            return sorted(found) + [str(SURFACE_TESTS)]
    if IMPORT_CONTEXT in found:
        return [str(SUITE)]
    return sorted(found)


def _covering(lines: dict[int, list[str]], first: int, last: int) -> set[str]:
    found: set[str] = set()
    for line in range(first, last + 1):
        found.update(lines.get(line, ()))
    return found


# --- running mutants ----------------------------------------------------------


def _ran_nothing(proc: subprocess.CompletedProcess[str]) -> bool:
    """Whether pytest ran no test for a reason other than the mutant: a selected
    node id or file no longer exists (exit 5, or exit 4 naming what it could not
    find). A mutant that breaks ``import flask`` also runs nothing, but the plugin
    refuses the implementation then: that is a kill."""
    if proc.returncode == 5 or "ERROR: not found:" in proc.stderr:
        return True
    return proc.returncode == 4 and "file or directory not found" in proc.stderr


def run_mutant(mutant: Mutant, mutated: str, tests: list[str], copy_dir: Path, python: str, timeout: float) -> dict:
    target = copy_dir / "flask" / mutant.module
    original = target.read_text(encoding="utf-8")
    target.write_text(mutated, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy_dir), "PYTHONDONTWRITEBYTECODE": "1"}
    args_file = copy_dir / "tests.txt"
    args_file.write_text("\n".join(tests) + "\n")
    # A basetemp of the job's own: pytest then clears only what the job's previous
    # mutant left, not every run's leftovers in the shared temporary folder.
    command = [python, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:cacheprovider",
               "-p", "no:xdist", "--impl=flask", f"--basetemp={copy_dir / 'tmp'}", f"@{args_file}"]
    started = time.monotonic()
    try:
        proc = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)
        outcome = "survived" if proc.returncode == 0 else "killed"
        lines = proc.stdout.strip().splitlines()
        tail = (lines or [""])[-1]
        if _ran_nothing(proc):
            # A test or file the coverage map names is gone (renamed since): no verdict.
            outcome, tail = "stale", "selected tests not found: rebuild the coverage map (--recheck)"
        elif not tail:
            tail = (proc.stderr.strip().splitlines() or [""])[-1]
        # pytest's short summary names the failing test: "FAILED <node id> - <reason>".
        killer = next((line.split()[1] for line in lines if line.startswith(("FAILED ", "ERROR "))), None)
    except subprocess.TimeoutExpired:
        outcome, tail, killer = "timeout", f"no verdict in {timeout:.0f} s", None
    finally:
        target.write_text(original, encoding="utf-8")
    return {**asdict(mutant), "key": mutant.key, "outcome": outcome, "tests": len(tests),
            "seconds": round(time.monotonic() - started, 2), "detail": tail[:200], "killer": killer}


def killers_first(tests: list[str], mutant: Mutant, killers: dict[str, dict[int, str]]) -> list[str]:
    """The same tests, those that killed mutants of the nearest lines of the same
    module first: a neighbour's killer is the likeliest to fail, and ``-x`` then
    stops at once. A whole-suite run gets them put in front of the suite."""
    near = sorted(killers.get(mutant.module, {}).items(), key=lambda item: abs(item[0] - mutant.line))
    whole_suite = tests == [str(SUITE)]
    wanted = set(tests)
    front = list(dict.fromkeys(t for _, t in near if whole_suite or t in wanted))[:50]
    if whole_suite:
        return [*front, str(SUITE)]
    first = set(front)
    return [*front, *(t for t in tests if t not in first)]


def _sampled(mutant: Mutant, fraction: float) -> bool:
    digest = hashlib.sha256(mutant.key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < fraction


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", action="append", help="flask module to mutate (e.g. helpers.py); default all")
    parser.add_argument("--sample", type=float, default=1.0, help="fraction of mutants to run, chosen by a hash of their key")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one mutant's tests may take")
    parser.add_argument("--work", type=Path, help="scratch folder (coverage map, copies); default .mutation/")
    parser.add_argument("--results", type=Path,
                        help="JSON Lines results, resumed if present (default: the committed "
                             "bench/mutation_results.jsonl, or WORK/results.jsonl when --work is given)")
    parser.add_argument("--list", action="store_true", help="only count the mutants per module")
    parser.add_argument("--only", action="append", metavar="KEY",
                        help="run just this mutant (a key from survivors.txt); repeatable")
    parser.add_argument("--tests", action="append", metavar="PATH",
                        help="run these tests against every mutant instead of the ones coverage selects")
    parser.add_argument("--recheck", action="store_true",
                        help="run survivors again (after new tests) with a fresh coverage map")
    parser.add_argument("--reverse", action="store_true",
                        help="run the mutants last to first (a second run sharing the results file meets the first half-way)")
    parser.add_argument("--report", action="store_true",
                        help="run nothing: print the table and the survivors recorded so far")
    parser.add_argument("--equivalents", action="store_true",
                        help="run nothing: print the README's list of equivalent mutants")
    args = parser.parse_args(argv)
    if args.equivalents:
        print(equivalents_markdown(load_equivalents()))
        return 0

    import flask  # the installed reference; only its location and version are used

    flask_dir = Path(flask.__file__).resolve().parent
    from importlib.metadata import version

    print(f"Flask {version('flask')} at {flask_dir}", flush=True)
    modules = args.module or sorted(p.relative_to(flask_dir).as_posix() for p in flask_dir.rglob("*.py"))
    mutants: list[tuple[Mutant, str, int, tuple[int, int] | None]] = []
    for module in modules:
        source = (flask_dir / module).read_text(encoding="utf-8")
        tree = ast.parse(source)
        tree_ends, bodies = _end_lines(tree), _signature_bodies(tree)
        for mutant, mutated in generate(module, source):
            if (mutant.key in args.only) if args.only else _sampled(mutant, args.sample):
                place = (mutant.line, mutant.col)
                mutants.append((mutant, mutated, tree_ends.get(place, mutant.line), bodies.get(place)))
    if args.list:
        for module, n in sorted(Counter(m.module for m, *_ in mutants).items()):
            print(f"{module}: {n}")
        print(f"total: {len(mutants)}")
        return 0

    # The canonical results are committed beside this script, so a later run (on
    # another machine) resumes them; a scratch --work keeps results of its own.
    results_path = args.results or (args.work / "results.jsonl" if args.work else RESULTS)
    args.work = args.work or REPO / ".mutation"
    recorded = _load_results(results_path)
    if args.report:
        results = [recorded[m.key] for m, *_ in mutants if m.key in recorded]
        print(f"{len(results)} of {len(mutants)} mutants have a result")
        equivalents = load_equivalents()
        print(summarize(results, equivalents))
        print(survivor_listing(results, equivalents), end="")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    # What counts as done: everything recorded, less the survivors when rechecking,
    # less the chosen mutants when --only or --tests asks for a fresh verdict.
    done = dict(recorded)
    if args.recheck:
        done = {k: r for k, r in done.items() if r["outcome"] not in ("survived", "uncovered", "stale")}
        (args.work / "coverage-map.json").unlink(missing_ok=True)
    if args.only or args.tests:
        for mutant, *_ in mutants:
            done.pop(mutant.key, None)
    cov = {} if args.tests else coverage_map(flask_dir, args.work, sys.executable)
    copies: queue.Queue[Path] = queue.Queue()
    scratch = Path(tempfile.mkdtemp(prefix="mutants-", dir=args.work))
    for job in range(args.jobs):
        shutil.copytree(flask_dir, scratch / f"job{job}" / "flask", ignore=shutil.ignore_patterns("__pycache__"))
        copies.put(scratch / f"job{job}")

    todo = [item for item in mutants if item[0].key not in done]
    if args.reverse:
        todo.reverse()
    print(f"{len(mutants)} mutants ({len(mutants) - len(todo)} already done), {args.jobs} jobs", flush=True)
    started = time.monotonic()

    # module -> line -> a test that killed a mutant on that line (see killers_first)
    # Only tests the coverage pass met: a killer recorded before a test was renamed
    # would make pytest stop at "not found", and the mutant would get no verdict.
    known = {test for lines in cov.values() for tests in lines.values() for test in tests}
    killers: dict[str, dict[int, str]] = defaultdict(dict)
    for r in recorded.values():
        if r.get("killer") in known:
            killers[r["module"]][r["line"]] = r["killer"]

    shared = _SharedResults(results_path)

    def work(item: tuple[Mutant, str, int, tuple[int, int] | None]) -> dict | None:
        mutant, mutated, end, body = item
        latest = shared.get(mutant.key)
        if not args.only and latest is not None and latest != recorded.get(mutant.key):
            return None  # another run sharing the results file has done it meanwhile
        tests = args.tests or tests_for(mutant, cov.get(mutant.module, {}), end, body)
        if not tests:
            return {**asdict(mutant), "key": mutant.key, "outcome": "uncovered", "tests": 0, "seconds": 0, "detail": ""}
        copy_dir = copies.get()
        try:
            result = run_mutant(mutant, mutated, killers_first(tests, mutant, killers), copy_dir, sys.executable, args.timeout)
        finally:
            copies.put(copy_dir)
        return {**result, "tests": len(tests)}

    # Each result is written the moment it is known (not in submission order), so a
    # run stopped half-way keeps everything it finished. Several runs may share one
    # results file: every write and the final compaction hold a lock on it.
    lock = results_path.with_name(results_path.name + ".lock")
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(work, item) for item in todo]
        for n, future in enumerate(as_completed(futures), 1):
            result = future.result()
            if result is None:
                continue
            with _locked(lock), results_path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(result) + "\n")
            done[result["key"]] = recorded[result["key"]] = result
            if result.get("killer"):
                killers[result["module"]][result["line"]] = result["killer"]
            if n % 20 == 0 or n == len(todo):
                print(f"  {n}/{len(todo)} in {time.monotonic() - started:.0f} s", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    # A resumed or rechecked run appends; keep one line per mutant, the latest,
    # re-read under the lock so that lines another run appended meanwhile stay.
    with _locked(lock):
        compacted = results_path.with_suffix(".tmp")
        latest = _load_results(results_path)
        compacted.write_text("".join(json.dumps(r) + "\n" for r in latest.values()), encoding="utf-8")
        compacted.replace(results_path)

    wanted = {m.key for m, *_ in mutants}
    results = [r for k, r in done.items() if k in wanted]
    equivalents = load_equivalents()
    print(summarize(results, equivalents))
    listing = args.work / "survivors.txt"
    listing.write_text(survivor_listing(results, equivalents))
    print(f"{len(survivors(results, equivalents))} survivors not listed as equivalent: {listing}")
    return 0


@contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on LOCK (a file beside the results) while inside."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_results(path: Path) -> dict[str, dict]:
    """Recorded results by mutant key; a later line for the same key wins."""
    if not path.exists():
        return {}
    return {r["key"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


class _SharedResults:
    """The results file as another run may be appending to it: read again only
    when its size or modification time has changed since the last read."""

    def __init__(self, path: Path) -> None:
        self.path, self.stamp, self.records = path, None, {}

    def get(self, key: str) -> dict | None:
        stat = self.path.stat() if self.path.exists() else None
        stamp = (stat.st_size, stat.st_mtime_ns) if stat else None
        if stamp != self.stamp:
            self.stamp, self.records = stamp, _load_results(self.path)
        return self.records.get(key)


def _end_lines(tree: ast.Module) -> dict[tuple[int, int], int]:
    """(line, column) of each node -> its last line, so a mutant of a multi-line
    statement maps to the tests of every line it spans."""
    ends: dict[tuple[int, int], int] = {}
    for node in ast.walk(tree):
        if hasattr(node, "lineno") and getattr(node, "end_lineno", None):
            key = (node.lineno, node.col_offset)
            ends[key] = max(ends.get(key, 0), node.end_lineno)
    return ends


def _signature_bodies(tree: ast.Module) -> dict[tuple[int, int], tuple[int, int]]:
    """(line, column) of each node in a function's decorators or default values ->
    the first and last line of that function's body."""
    bodies: dict[tuple[int, int], tuple[int, int]] = {}
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        span = (func.body[0].lineno, func.body[-1].end_lineno or func.body[-1].lineno)
        defaults = [*func.args.defaults, *(d for d in func.args.kw_defaults if d is not None)]
        for top in [*func.decorator_list, *defaults]:
            for node in ast.walk(top):
                if hasattr(node, "lineno"):
                    bodies.setdefault((node.lineno, node.col_offset), span)
    return bodies


if __name__ == "__main__":
    sys.exit(main())
