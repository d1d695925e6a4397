"""The pytest plugin: run the conformance suite against the implementations named
with ``--impl``. Hooks appear in the order pytest calls them.

A test citing a spec entry newer (``since``) than the Flask version an
implementation declares is *not applicable* to it: skipped at setup and reported
with that outcome (conformance/versions.py).
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from . import suite as _suite
from . import versions
from .catalog import Catalog, CatalogError, load_catalog
from .implementations import Implementation, ImplementationError, ImplementationPair, resolve_all
from .results import ResultsRecorder, is_xdist_worker

pytest_plugins = ("conformance.fixtures",)

IMPLS = pytest.StashKey[list[Implementation]]()
CATALOG = pytest.StashKey[Catalog]()
PROBLEM = pytest.StashKey[str]()
NOT_APPLICABLE = pytest.StashKey[str]()

SUITE_DIR = Path(_suite.__file__).resolve().parent
DEFAULT_IMPLS = ["shim"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Flask API conformance")
    group.addoption(
        "--impl",
        action="append",
        dest="conformance_impls",
        metavar="NAME",
        help="implementation of the Flask API to test: a registered name (shim, flask) "
        "or an importable module path; repeat to test several side by side.",
    )
    group.addoption(
        "--spec-dir",
        dest="conformance_spec_dir",
        metavar="DIR",
        help="behaviour catalog to check tests against (default: the one shipped with the suite).",
    )
    group.addoption(
        "--conformance-json",
        dest="conformance_json",
        metavar="PATH",
        help="write the run's results as one JSON document to PATH.",
    )
    group.addoption(
        "--conformance-html",
        dest="conformance_html",
        metavar="PATH",
        help="write a self-contained HTML report of the run to PATH.",
    )
    group.addoption(
        "--expectations",
        dest="conformance_expectations",
        metavar="FILE",
        help="TOML file of known deviations per implementation: expected failures and skips "
        "(see the README, 'Known deviations').",
    )
    parser.addini(
        "conformance_impls",
        type="args",
        default=DEFAULT_IMPLS,
        help="implementations to test when --impl is not given (default: shim).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "spec(*ids): the spec entries (spec/*.toml) that this conformance test checks."
    )
    names = config.option.conformance_impls or config.getini("conformance_impls") or DEFAULT_IMPLS
    try:
        config.stash[IMPLS] = resolve_all(names)
    except ImplementationError as exc:
        raise pytest.UsageError(str(exc)) from None
    if config.option.conformance_expectations:
        # Registered in xdist workers too: reports are rewritten where tests run.
        from .expectations import ExpectationsPlugin

        plugin = ExpectationsPlugin.from_config(config, [i.name for i in config.stash[IMPLS]])
        config.pluginmanager.register(plugin, "conformance-expectations")
    json_path = config.option.conformance_json
    if config.option.conformance_html and not is_xdist_worker(config):
        from reports.html import HtmlReportPlugin

        html = HtmlReportPlugin(config, Path(config.option.conformance_html), json_path)
        json_path = str(html.results_path)  # a scratch file without --conformance-json
        config.pluginmanager.register(html, "conformance-html")
    if json_path and not is_xdist_worker(config):
        recorder = ResultsRecorder(config, Path(json_path), config.stash[IMPLS])
        config.pluginmanager.register(recorder, "conformance-results")


def pytest_report_header(config: pytest.Config) -> str:
    described = ", ".join(f"{i.name} {i.version or '(unknown version)'}" for i in config.stash[IMPLS])
    return f"flask-conformance implementations: {described}"


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # tryfirst puts the implementation first in the test id: test_x[flask-301].
    own = {n.strip() for m in metafunc.definition.iter_markers("parametrize") for n in _argnames(m.args[0])}
    impls = metafunc.config.stash[IMPLS]
    if "impl" in metafunc.fixturenames and "impl" not in own:
        metafunc.parametrize("impl", impls, ids=[i.name for i in impls], indirect=True)
    elif "impl_pair" in metafunc.fixturenames and "impl_pair" not in own:
        # Every ordered pair, an implementation with itself included, so that a
        # single --impl still runs the test as a round trip.
        pairs = [ImplementationPair(a, b) for a in impls for b in impls]
        metafunc.parametrize("impl_pair", pairs, ids=[p.name for p in pairs], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        subject = _subject_of(item)
        spec_ids = [i for mark in item.iter_markers("spec") for i in mark.args]
        # Suite tests must cite the catalog; a user's own test that borrows the
        # fixtures is linted only once it cites spec ids itself.
        if item.path.is_relative_to(SUITE_DIR) or spec_ids:
            problem = _lint(item, spec_ids, spec_catalog(config))
            if problem:
                item.stash[PROBLEM] = problem
        if subject is not None and spec_ids and PROBLEM not in item.stash:
            catalog = spec_catalog(config)
            entries = [catalog[i] for i in spec_ids if i in catalog]
            reason = versions.not_applicable(entries, _declared(subject))
            if reason:
                item.stash[NOT_APPLICABLE] = reason
        if subject is not None:
            metadata = {
                "implementation": subject.name,
                "test": _test_id(item, subject),
                "spec": spec_ids,
                "params": _params(item),
            }
            item.user_properties.append(("conformance", metadata))


def pytest_runtest_setup(item: pytest.Item) -> None:
    problem = item.stash.get(PROBLEM, None)
    if problem:
        pytest.fail(problem, pytrace=False)
    reason = item.stash.get(NOT_APPLICABLE, None)
    if reason:
        pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if call.excinfo is not None and report.failed:
        message = _missing_member(item, call.excinfo)
        if message:
            report.longrepr = message
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = item.stash.get(NOT_APPLICABLE, None)
        if call.excinfo is not None and call.excinfo.errisinstance(versions.NotApplicable):
            reason = str(call.excinfo.value)  # raised by the test through behaviour_at
            if isinstance(report.longrepr, tuple):  # (path, line, message): keep the message plain
                report.longrepr = (*report.longrepr[:2], reason)
        if reason:
            # A plain attribute: pytest-xdist carries it to the controller, where
            # the results file and the terminal tell it apart from a skip.
            report.conformance_not_applicable = reason
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    if getattr(report, "conformance_not_applicable", None) and report.skipped:
        return "not applicable", "n", "NOT APPLICABLE"
    return None


# --- helpers -------------------------------------------------------------


def _argnames(names: str | list[str] | tuple[str, ...]) -> list[str]:
    return names.split(",") if isinstance(names, str) else list(names)


def spec_catalog(config: pytest.Config) -> Catalog:
    """The catalog the run checks tests against, loaded once."""
    if CATALOG not in config.stash:
        try:
            config.stash[CATALOG] = load_catalog(config.option.conformance_spec_dir)
        except CatalogError as exc:
            raise pytest.UsageError(f"spec catalog: {exc}") from None
    return config.stash[CATALOG]


def _lint(item: pytest.Item, spec_ids: list[str], catalog: Catalog) -> str | None:
    """What is wrong with a conformance test's metadata, as one line, or None."""
    if not {"impl", "impl_pair"} & set(getattr(item, "fixturenames", ())):
        return "conformance test does not use the implementation (use the flask, impl, app or impl_pair fixture)"
    if not spec_ids:
        return 'conformance test cites no spec entry; add @pytest.mark.spec("<id>")'
    unknown = [i for i in spec_ids if i not in catalog]
    if unknown:
        return f"conformance test cites unknown spec id {unknown[0]!r}; add it to spec/ or fix the id"
    return None


def _subject_of(item: pytest.Item) -> Implementation | ImplementationPair | None:
    """What the test runs against: one implementation, a pair, or nothing."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    subject = callspec.params.get("impl", callspec.params.get("impl_pair"))
    return subject if isinstance(subject, (Implementation, ImplementationPair)) else None


def _declared(subject: Implementation | ImplementationPair) -> str | None:
    """The Flask version a test's subject declares; a pair needs what both do."""
    if isinstance(subject, ImplementationPair):
        return versions.oldest([subject.first.declared_version, subject.second.declared_version])
    return subject.declared_version


def _impl_of(item: pytest.Item) -> Implementation | None:
    subject = _subject_of(item)
    return subject if isinstance(subject, Implementation) else None


def _test_id(item: pytest.Item, subject: Implementation | ImplementationPair) -> str:
    """The node id without the implementation, the same for every implementation."""
    callspec = item.callspec  # type: ignore[attr-defined]
    base = item.nodeid[: item.nodeid.index("[")]
    rest = callspec.id.removeprefix(subject.name).removeprefix("-")
    return f"{base}[{rest}]" if rest else base


def _params(item: pytest.Item) -> dict[str, object]:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return {}
    return {k: _jsonable(v) for k, v in callspec.params.items() if k not in ("impl", "impl_pair")}


def _jsonable(value: object) -> object:
    """A JSON-safe copy: exact built-in types only, since subclasses (an IntEnum
    such as HTTPStatus) cannot cross to xdist's controller; the rest as repr()."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind in (list, tuple):
        return [_jsonable(v) for v in value]  # type: ignore[attr-defined]
    if kind is dict:
        return {str(k): _jsonable(v) for k, v in value.items()}  # type: ignore[attr-defined]
    return repr(value)


def _missing_member(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]) -> str | None:
    """Name the member an implementation lacks, when a test reached for it directly."""
    exc = excinfo.value
    if isinstance(exc, ImplementationError):
        return str(exc)
    impl = _impl_of(item)
    if impl is None or not isinstance(exc, AttributeError) or getattr(exc, "obj", None) is None:
        return None
    # Only when the test itself touched the attribute: an AttributeError deep
    # inside the implementation is a bug whose traceback the author needs.
    if Path(str(excinfo.traceback[-1].path)) != item.path:
        return None
    owner = exc.obj
    if isinstance(owner, types.ModuleType):
        module, shown = owner.__name__, "flask" + owner.__name__[len(impl.module) :]
    else:
        cls = owner if isinstance(owner, type) else type(owner)
        module, shown = cls.__module__, cls.__name__
    if module != impl.module and not module.startswith(impl.module + "."):
        return None
    return f"implementation {impl.name!r} lacks {shown}.{exc.name} (AttributeError: {exc})"
