"""Guard the run against implementations that misbehave: a crash is never a pass,
a hang never stalls the run, a leaked context never decides a later test.

* **Time limits.** Every conformance test gets pytest-timeout's ``timeout`` marker
  (``--conformance-timeout``, ini ``conformance_timeout``, default 60 s) unless it
  carries its own. We take over pytest-timeout's ``pytest_timeout_set_timer`` hook
  for those tests to combine its two methods, because neither alone does the job:

  - the *signal* method (SIGALRM raises in the test) keeps the process, so the
    test is recorded ``timeout`` and the run goes on with the next test, serial or
    under xdist. It cannot stop a hang that swallows the exception (``except
    BaseException``) or never returns to the interpreter;
  - the *thread* method (dump the stacks, ``os._exit``) stops anything, but ends
    the process: pytest itself in a serial run, a worker under xdist, which xdist
    reports as a crash of the test it was running.

  So the signal comes first and the thread method is the backstop, ``grace``
  seconds later. Before the backstop ends a process it leaves a note: under xdist
  a file in a folder the controller shares with the workers, so that the
  controller records the test ``timeout`` and not ``crashed``; in a serial run the
  result and a footer saying why, straight into the results file.
* **Crashes.** Under xdist a worker that dies (``os._exit``, a segfault, the kernel
  killing it) is replaced by xdist, which reports the test it was running as a
  failure; we record it ``crashed`` (never ``passed``), with the test's metadata.
  Without xdist a crash ends pytest; conformance/results.py keeps every result
  before it and marks the test that was running.
* **Contexts.** Each conformance test runs in a copy of the current
  :mod:`contextvars` context, so a context an implementation pushes and never pops
  (an app or request context, anything kept in a ``ContextVar``, which is where
  Flask and Werkzeug's locals keep them) is gone when the test ends; so is any
  change it made to ``os.environ``.
* **Loading.** ``--impl`` names are first resolved in a child process with a time
  limit (``--conformance-load-timeout``): an import that hangs or kills its
  interpreter stops the run with one line naming the implementation.
* **Selection.** What the run selected (``-k``, ``-m``, ``--deselect``, some of the
  suite's files) goes into the results header, so a narrowed run's score says so.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from . import suite as _suite
from .implementations import ImplementationError
from .results import SELECTION, is_xdist_worker, short_message

DEFAULT_TIMEOUT = 60.0
DEFAULT_LOAD_TIMEOUT = 60.0
#: Seconds the backstop waits after the signal before it ends the process.
MIN_GRACE = 2.0
#: Dead workers xdist replaces, per worker, unless --max-worker-restart says otherwise.
#: xdist's own default (4) guards against a collection that crashes forever; here a
#: misbehaving implementation may crash, or hang until the backstop, in dozens of
#: tests, each costing a worker, and the run must go on past them.
WORKER_RESTARTS = 25

SUITE_DIR = Path(_suite.__file__).resolve().parent
TIMED_OUT = pytest.StashKey[float]()
#: workerinput key: the folder where workers note the tests the backstop ended.
NOTES_KEY = "conformance_guard_notes"
_BROKE = {"timeout": ("timeout", "T", "TIMEOUT"), "crashed": ("crashed", "C", "CRASHED")}
#: Names whose loading this process already checked (pytester runs many sessions).
_PROBED: set[str] = set()


def add_options(group: Any, parser: pytest.Parser) -> None:
    group.addoption(
        "--conformance-timeout",
        dest="conformance_timeout",
        type=float,
        metavar="SECONDS",
        help=f"time limit of each conformance test (setup, call and teardown); past it the test "
        f"is recorded 'timeout' and the run goes on. 0 disables. Default: ini "
        f"conformance_timeout, else {DEFAULT_TIMEOUT:g}.",
    )
    group.addoption(
        "--conformance-load-timeout",
        dest="conformance_load_timeout",
        type=float,
        metavar="SECONDS",
        help=f"time limit for loading each --impl; an import that hangs stops the run. 0 disables. "
        f"Default: ini conformance_load_timeout, else {DEFAULT_LOAD_TIMEOUT:g}.",
    )
    parser.addini("conformance_timeout", f"per-test time limit in seconds (default {DEFAULT_TIMEOUT:g}).")
    parser.addini(
        "conformance_load_timeout", f"time limit for loading an implementation (default {DEFAULT_LOAD_TIMEOUT:g})."
    )


def limit(config: pytest.Config, name: str, default: float) -> float:
    """A time limit from the option, else the ini key, else the default."""
    value = getattr(config.option, name, None)
    if value is None:
        raw = config.getini(name)
        try:
            value = float(raw) if raw not in (None, "") else default
        except ValueError:
            raise pytest.UsageError(f"ini {name} = {raw!r} is not a number of seconds") from None
    if value < 0:
        raise pytest.UsageError(f"--{name.replace('_', '-')} must be 0 (no limit) or more seconds, not {value:g}")
    return float(value)


# --- loading an implementation ------------------------------------------------------

_PROBE = """
import sys
from conformance.implementations import resolve
try:
    resolve(sys.argv[1])
except Exception:
    pass  # the run resolves it again and reports the problem in one line
print("\\n@flask-conformance-probe-done@", flush=True)
"""


def check_loading(config: pytest.Config, names: list[str]) -> None:
    """Resolve each name in a child process first, all at once, within the load
    limit: a hang or a crash there stops the run with one line."""
    seconds = limit(config, "conformance_load_timeout", DEFAULT_LOAD_TIMEOUT)
    if is_xdist_worker(config) or not seconds:
        return  # the controller checked them (or the user turned the check off)
    probe_loading(names, seconds, "--conformance-load-timeout")


def probe_loading(names: list[str], seconds: float, option: str) -> None:
    """Resolve each name in a child process within ``seconds`` (set by ``option``);
    raise :class:`ImplementationError` with one line when an import hangs or crashes.
    Also used by ``flask-conformance drop-in`` before it starts its command."""
    todo = [n for n in dict.fromkeys(names) if n not in _PROBED]
    if not todo:
        return
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    children = {
        name: subprocess.Popen(
            [sys.executable, "-c", _PROBE, name],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        for name in todo
    }
    deadline = time.monotonic() + seconds
    problem = None
    for name, child in children.items():
        try:
            out, _ = child.communicate(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            problem = problem or (
                f"implementation {name!r}: loading it did not finish within {seconds:g} s "
                f"({option}); its import hangs"
            )
            continue
        if b"@flask-conformance-probe-done@" not in out:
            code = child.returncode
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            problem = problem or f"implementation {name!r}: loading it ended the Python process ({how}); its import crashes"
        else:
            _PROBED.add(name)
    for child in children.values():
        if child.poll() is None:
            child.kill()
            child.wait()
    if problem:
        raise ImplementationError(problem)


# --- the plugin ----------------------------------------------------------------------


def _meta(item: pytest.Item | pytest.TestReport) -> dict[str, Any] | None:
    meta = dict(item.user_properties).get("conformance")
    return meta if isinstance(meta, dict) else None


class Guard:
    """A pytest plugin object: time limits, crash records, context isolation, selection."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.timeout = limit(config, "conformance_timeout", DEFAULT_TIMEOUT)
        self.worker = is_xdist_worker(config)
        self.deselected = 0
        self.deselected_paths: set[Path] = set()
        #: Controller only: metadata of the tests workers are running, for crash reports.
        self.running: dict[str, dict[str, Any]] = {}
        self.broke: list[tuple[str, str, str]] = []
        #: Whether a test phase (setup, call, teardown) is running: see on_alarm.
        self.in_phase = False
        if self.worker:
            notes = config.workerinput.get(NOTES_KEY)  # type: ignore[attr-defined]
            self.notes = Path(notes) if notes else None
        else:
            self.notes = Path(tempfile.mkdtemp(prefix="flask-conformance-notes-"))
            workers = getattr(config.option, "numprocesses", None)
            if isinstance(workers, int) and workers and config.option.maxworkerrestart is None:
                config.option.maxworkerrestart = str(WORKER_RESTARTS * workers)

    def pytest_unconfigure(self) -> None:
        if not self.worker and self.notes is not None:
            shutil.rmtree(self.notes, ignore_errors=True)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[NOTES_KEY] = str(self.notes)

    # --- collection ---------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not self.timeout or not self.config.pluginmanager.has_plugin("timeout"):
            return  # no limit asked for, or pytest-timeout turned off (-p no:timeout)
        for item in items:
            if _meta(item) is not None and item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(self.timeout))

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += sum(_meta(i) is not None for i in items)
        self.deselected_paths.update(i.path for i in items)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        items = session.items
        selected = sum(_meta(i) is not None for i in items)
        option = self.config.option
        narrowed = [flag for flag, value in (("-k", option.keyword), ("-m", option.markexpr)) if value]
        if getattr(option, "deselect", None):
            narrowed.append("--deselect")
        shipped = set(SUITE_DIR.glob("test_*.py"))
        modules = {i.path for i in items} | self.deselected_paths
        named = any("::" in str(arg) for arg in self.config.args)
        if (modules & shipped) and (not shipped <= modules or named):
            narrowed.append("files")
        self.config.stash[SELECTION] = {
            "collected": selected + self.deselected,
            "selected": selected,
            "narrowed_by": narrowed,
            "suite_files": [len(modules & shipped), len(shipped)] if modules & shipped else None,
        }

    # --- running: each test in its own context, under a time limit ------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
        if _meta(item) is None:
            return None
        # pytest's own protocol, run in a copy of the context: whatever the test
        # (or the implementation) leaves in a ContextVar is dropped with the copy.
        from _pytest.runner import pytest_runtest_protocol as protocol

        saved = dict(os.environ)
        try:
            return contextvars.copy_context().run(protocol, item, nextitem)
        finally:
            # A variable set for good (FlaskGroup.make_context sets FLASK_RUN_FROM_CLI,
            # which turns every later app.run() into a no-op) must not reach later tests.
            if os.environ != saved:
                os.environ.clear()
                os.environ.update(saved)

    @pytest.hookimpl(optionalhook=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings: Any) -> bool | None:
        if _meta(item) is None:
            return None  # pytest-timeout's own handling
        import pytest_timeout

        seconds = float(settings.timeout)
        cancels = []
        use_signal = (
            settings.method == "signal"
            and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread()
        )
        if use_signal:

            def on_alarm(signum: int, frame: object) -> None:
                __tracebackhide__ = True
                if not self.in_phase:
                    # Between phases pytest itself is working (making a report, say):
                    # an exception raised there breaks pytest, not the test, and can
                    # end an xdist worker's whole session. Raise in the next phase.
                    signal.setitimer(signal.ITIMER_REAL, 0.05)
                    return
                item.stash[TIMED_OUT] = seconds
                pytest_timeout.timeout_sigalrm(item, settings)  # dumps other threads, fails the test

            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds)

            def cancel_alarm() -> None:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

            cancels.append(cancel_alarm)
        grace = max(MIN_GRACE, seconds / 2) if use_signal else 0.0
        backstop = threading.Timer(seconds + grace, self._end_process, (item, settings, seconds + grace))
        backstop.daemon = True
        backstop.name = f"flask-conformance backstop {item.nodeid}"
        backstop.start()
        cancels.append(backstop.cancel)

        def cancel() -> None:
            for step in cancels:
                step()

        item.cancel_timeout = cancel  # type: ignore[attr-defined]  # what pytest-timeout's cancel hook calls
        return True

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Any:
        return (yield from self._phase())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Any:
        return (yield from self._phase())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        return (yield from self._phase())

    def _phase(self) -> Any:
        """Mark the stretch where the test's own code (fixtures included) runs: the
        only place the time limit's signal may raise."""
        self.in_phase = True
        try:
            return (yield)
        finally:
            self.in_phase = False

    def _end_process(self, item: pytest.Item, settings: Any, waited: float) -> None:
        """The test outlived the signal: note it as a timeout, then end the process."""
        import pytest_timeout

        message = f"timeout: still running after {waited:g} s and did not stop; its process was ended"
        if self.worker and self.notes is not None:
            (self.notes / _note_name(item.nodeid)).write_text(message, encoding="utf-8")
        else:
            recorder = self.config.pluginmanager.get_plugin("conformance-results")
            if recorder is not None:
                recorder.record_death(
                    item, "timeout", message, f"{item.nodeid} exceeded its time limit and could not be stopped"
                )
        pytest_timeout.timeout_timer(item, settings)  # dumps the stacks, os._exit(1)

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
        try:
            report = yield
        except Exception as exc:
            # Formatting the failure failed (an implementation's exception whose
            # traceback pytest cannot render, or an interpreter bug while parsing
            # source for it: CPython 3.11 raises SystemError from ast.parse when
            # threads parse at once). Unhandled, that is an internal error that ends
            # an xdist worker's whole session; report the test plainly instead.
            report = _plain_report(item, call, exc)
        if item.stash.get(TIMED_OUT, None) is not None and report.failed and call.when != "teardown":
            # A plain attribute: pytest-xdist carries it to the controller.
            report.conformance_outcome = "timeout"
        if self.worker and report.when == "setup":
            report.conformance_selection = self.config.stash.get(SELECTION, None)
        return report

    # --- the controller: crashed workers ------------------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "setup":
            meta = _meta(report)
            if meta is not None:
                self.running[report.nodeid] = meta
        elif report.when == "teardown":
            self.running.pop(report.nodeid, None)
        broke = getattr(report, "conformance_outcome", None)
        if broke and report.failed:
            self.broke.append((broke, report.nodeid, short_message(report) or ""))

    @pytest.hookimpl(tryfirst=True, optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        note = self.notes / _note_name(crashitem) if self.notes is not None else None
        if note is not None and note.exists():
            report.conformance_outcome = "timeout"
            report.longrepr = note.read_text(encoding="utf-8")
        else:
            report.conformance_outcome = "crashed"
            report.longrepr = f"crashed: {report.longrepr}"
        meta = self.running.pop(crashitem, None) or self._meta_from_nodeid(crashitem)
        if meta is not None:
            report.user_properties = [("conformance", meta)]

    def _meta_from_nodeid(self, nodeid: str) -> dict[str, Any] | None:
        """The metadata of a test whose worker died before its setup report: the
        implementation read off the node id (spec ids cannot be known here)."""
        from .plugin import IMPLS

        base, bracket, rest = nodeid.partition("[")
        if not bracket:
            return None
        ids = rest.removesuffix("]")
        impls = self.config.stash.get(IMPLS, [])
        names = [i.name for i in impls] + [f"{a.name}-to-{b.name}" for a in impls for b in impls]
        for name in sorted(names, key=len, reverse=True):
            if ids == name or ids.startswith(name + "-"):
                rest = ids[len(name) + 1 :]
                test = f"{base}[{rest}]" if rest else base
                return {"implementation": name, "transport": None, "test": test, "spec": [], "params": {}}
        return None

    # --- the terminal -----------------------------------------------------------------

    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        broke = getattr(report, "conformance_outcome", None)
        if broke in _BROKE and report.failed:
            return _BROKE[broke]
        return None

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.worker or not self.broke:
            return
        terminalreporter.section("flask-conformance: timeouts and crashes")
        for outcome, nodeid, message in self.broke:
            terminalreporter.write_line(f"{outcome.upper()} {nodeid}: {message}")


def _plain_report(item: pytest.Item, call: pytest.CallInfo[None], problem: Exception) -> pytest.TestReport:
    """A report of the phase's outcome whose failure text needs no source parsing."""
    excinfo = call.excinfo
    if excinfo is None:
        outcome, longrepr = "passed", None
    elif excinfo.errisinstance(pytest.skip.Exception):
        outcome, longrepr = "skipped", (str(item.path), 0, str(excinfo.value))
    else:
        outcome = "failed"
        try:
            text = str(excinfo.value)
        except Exception:
            text = "(its message could not be read)"
        longrepr = (
            f"{excinfo.typename}: {(text.strip().splitlines() or [''])[0][:500]}\n"
            f"(pytest could not format this failure: {type(problem).__name__}: {problem})"
        )
    return pytest.TestReport(
        item.nodeid, item.location, {k: 1 for k in item.keywords}, outcome, longrepr, call.when,
        duration=call.duration, start=call.start, stop=call.stop, user_properties=item.user_properties,
    )


def _note_name(nodeid: str) -> str:
    return hashlib.sha1(nodeid.encode("utf-8")).hexdigest()

