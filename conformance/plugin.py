"""The pytest plugin: run the conformance suite against the implementations named
with ``--impl``. Hooks appear in the order pytest calls them.

A test citing a spec entry newer (``since``) than the Flask version an
implementation declares is *not applicable* to it: skipped at setup and reported
with that outcome (conformance/versions.py).

A test runs over one transport (``--transport wsgi|asgi|http``, repeatable; default:
each implementation's first) when it uses the ``transport`` fixture (``client`` and
``client_for`` do). A test needing a capability (``@pytest.mark.needs(...)`` or a cited
entry's ``needs``) that the implementation or the transport lacks is not applicable,
decided here at collection; ``--no-waivers`` makes an implementation's gap a failure
(conformance/capabilities.py).
"""

from __future__ import annotations

import copy
import sys
import types
from pathlib import Path

import pytest

from . import capabilities as _capabilities
from . import guard
from . import suite as _suite
from . import versions
from .catalog import Catalog, CatalogError, Entry, load_catalog
from .implementations import Implementation, ImplementationError, ImplementationPair, resolve_all
from .results import ResultsRecorder, is_xdist_worker
from .transports import TRANSPORTS, TransportError
from .transports import check as check_transports

pytest_plugins = ("conformance.fixtures", "conformance.differential", "conformance.bridge")

IMPLS = pytest.StashKey[list[Implementation]]()
CATALOG = pytest.StashKey[Catalog]()
PROBLEM = pytest.StashKey[str]()
NOT_APPLICABLE = pytest.StashKey[str]()
MISSING_CAPABILITY = pytest.StashKey[str]()
UNWAIVED = pytest.StashKey[str]()
CHOSEN_TRANSPORTS = pytest.StashKey[list[str]]()

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
    group.addoption(
        "--transport",
        action="append",
        dest="conformance_transports",
        metavar="NAME",
        help="how requests reach the app: wsgi, asgi (in process) or http (a real server); "
        "repeat to run every test over several. Default: each implementation's own first transport.",
    )
    group.addoption(
        "--no-waivers",
        action="store_true",
        dest="conformance_no_waivers",
        help="fail, instead of marking not applicable, every test needing a capability the "
        "implementation does not declare (for implementations claiming to be drop-in replacements).",
    )
    parser.addini(
        "conformance_transports",
        type="args",
        default=[],
        help="transports to run over when --transport is not given (default: each implementation's own).",
    )
    guard.add_options(group, parser)
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
    config.addinivalue_line(
        "markers",
        "needs(*capabilities): capabilities (conformance/capabilities.py) the test needs; without "
        "them it is not applicable.",
    )
    try:
        config.stash[CHOSEN_TRANSPORTS] = check_transports(
            config.option.conformance_transports or config.getini("conformance_transports")
        )
    except TransportError as exc:
        raise pytest.UsageError(f"--transport: {exc}") from None
    names = config.option.conformance_impls or config.getini("conformance_impls") or DEFAULT_IMPLS
    try:
        guard.check_loading(config, names)  # a hanging or crashing import: one line, not a stall
        config.stash[IMPLS] = resolve_all(names)
    except ImplementationError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(guard.Guard(config), "conformance-guard")
    if config.option.conformance_expectations:
        # Registered in xdist workers too: reports are rewritten where tests run.
        from .expectations import ExpectationsPlugin

        plugin = ExpectationsPlugin.from_config(config, [i.name for i in config.stash[IMPLS]])
        config.pluginmanager.register(plugin, "conformance-expectations")
    json_path = config.option.conformance_json
    if config.option.conformance_html and not is_xdist_worker(config):
        from .reporting import HtmlReportPlugin

        html = HtmlReportPlugin(config, Path(config.option.conformance_html), json_path)
        json_path = str(html.results_path)  # a scratch file without --conformance-json
        config.pluginmanager.register(html, "conformance-html")
    if json_path and not is_xdist_worker(config):
        recorder = ResultsRecorder(config, Path(json_path), config.stash[IMPLS])
        config.pluginmanager.register(recorder, "conformance-results")


def pytest_report_header(config: pytest.Config) -> str:
    described = ", ".join(f"{i.name} {i.version or '(unknown version)'}" for i in config.stash[IMPLS])
    chosen = config.stash[CHOSEN_TRANSPORTS]
    over = ", ".join(chosen) if chosen else "each implementation's default"
    return [f"flask-conformance implementations: {described}", f"flask-conformance transports: {over}"]


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
    chosen = metafunc.config.stash[CHOSEN_TRANSPORTS]
    # One transport leaves test ids as they are; several put it after the implementation.
    if len(chosen) > 1 and "transport" in metafunc.fixturenames and "transport" not in own:
        metafunc.parametrize("transport", chosen, ids=chosen, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        _own_copies_of_mutable_params(item)
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
            elif PROBLEM not in item.stash:
                _check_capabilities(config, item, subject, entries)
        transport = _transport_of(item, subject) if subject is not None else None
        if subject is not None:
            metadata = {
                "implementation": subject.name,
                "transport": transport,
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
    unwaived = item.stash.get(UNWAIVED, None)
    if unwaived:
        pytest.fail(unwaived, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "setup" and report.failed and UNWAIVED in item.stash:
        report.when = "call"  # the test fails (it is not an error of its setup)
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
            capability = item.stash.get(MISSING_CAPABILITY, None)
            if capability:
                report.conformance_missing_capability = capability
    return report


def pytest_unconfigure(config: pytest.Config) -> None:
    # The http transport's servers live as long as the process (one per worker);
    # stop them when the run ends rather than leave it to interpreter exit.
    http = sys.modules.get("conformance.transports.http")
    if http is not None:
        http.stop_all()


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
    """The node id without the implementation and the transport, the same for every
    implementation and transport."""
    callspec = item.callspec  # type: ignore[attr-defined]
    base = item.nodeid[: item.nodeid.index("[")]
    rest = callspec.id.removeprefix(subject.name).removeprefix("-")
    transport = callspec.params.get("transport")
    if isinstance(transport, str):
        rest = rest.removeprefix(transport).removeprefix("-")
    return f"{base}[{rest}]" if rest else base


def subject_impls(item: pytest.Item) -> list[Implementation]:
    """The implementations a test runs against: one, or the two of a pair."""
    subject = _subject_of(item)
    if isinstance(subject, ImplementationPair):
        return [subject.first, subject.second]
    return [subject] if subject is not None else []


def transport_name(config: pytest.Config, impls: list[Implementation]) -> str:
    """The transport of a test that is not parametrized over several: the one chosen,
    else the implementation's default (for a pair, the first of the first one's
    transports that the second one has too)."""
    chosen = config.stash[CHOSEN_TRANSPORTS]
    if chosen:
        return chosen[0]
    common = [t for t in impls[0].transports if all(t in i.transports for i in impls[1:])]
    return (common or list(impls[0].transports))[0]


def _transport_of(item: pytest.Item, subject: Implementation | ImplementationPair) -> str | None:
    """The transport a test's requests go over; None when it makes no request."""
    if "transport" not in getattr(item, "fixturenames", ()):
        return None
    param = item.callspec.params.get("transport")  # type: ignore[attr-defined]
    return param if isinstance(param, str) else transport_name(item.config, subject_impls(item))


def _check_capabilities(
    config: pytest.Config, item: pytest.Item, subject: Implementation | ImplementationPair, entries: list[Entry]
) -> None:
    """Make the test not applicable (or, under --no-waivers, failing) when the
    implementation or its transport lacks a capability the test needs."""
    needed: list[str] = [c for mark in item.iter_markers("needs") for c in mark.args]
    needed += [c for e in entries for c in e.needs]
    unknown = sorted(set(needed) - _capabilities.CAPABILITIES.keys())
    if unknown:
        item.stash[PROBLEM] = (
            f"the test needs unknown capability {unknown[0]!r}; known: {', '.join(sorted(_capabilities.CAPABILITIES))}"
        )
        return
    impls = subject_impls(item)
    transport = _transport_of(item, subject)
    gap = _gap(impls, transport, needed)
    if gap is None:
        return
    capability, reason, by_transport = gap
    if config.option.conformance_no_waivers and not by_transport:
        item.stash[UNWAIVED] = f"{reason}, which this test needs (--no-waivers)"
        return
    item.stash[NOT_APPLICABLE] = f"not applicable: {reason}"
    item.stash[MISSING_CAPABILITY] = capability


def _gap(impls: list[Implementation], transport: str | None, needed: list[str]) -> tuple[str, str, bool] | None:
    """The first capability the test lacks, why, and whether the transport (rather than
    an implementation) is the reason; None when nothing is missing."""
    if transport is not None:
        for impl in impls:
            if transport not in impl.transports:
                return transport, (
                    f"implementation {impl.name!r} cannot be driven over the {transport!r} transport "
                    f"(it declares {', '.join(impl.transports)})"
                ), False
    for capability in dict.fromkeys(needed):
        via = TRANSPORTS[transport] if transport is not None else None
        if via is not None and capability in via.provides:
            continue
        if via is not None and capability in via.removes:
            return capability, f"the {transport!r} transport takes away capability {capability!r} ({_describe(capability)})", True
        if capability in _capabilities.TRANSPORT_ONLY:
            over = transport or "no transport"
            return capability, f"capability {capability!r} ({_describe(capability)}) needs another transport than {over}", True
        for impl in impls:
            if capability not in impl.capabilities:
                return capability, (
                    f"implementation {impl.name!r} does not declare capability {capability!r} ({_describe(capability)})"
                ), False
    return None


def _describe(capability: str) -> str:
    return _capabilities.CAPABILITIES[capability]


def _params(item: pytest.Item) -> dict[str, object]:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return {}
    return {k: _jsonable(v) for k, v in callspec.params.items() if k not in ("impl", "impl_pair", "transport")}


def _own_copies_of_mutable_params(item: pytest.Item) -> None:
    """Give the item its own copy of each list, dict, set or bytearray it is
    parametrized with. A table row is one object shared by every implementation's
    item, so a test (or an implementation: click's parser consumes the argument list
    it is handed) that changes its row would hand the next implementation a different
    row, and that one could pass on nothing."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return
    for name, value in callspec.params.items():
        if isinstance(value, (list, dict, set, bytearray)):
            try:
                callspec.params[name] = copy.deepcopy(value)
            except Exception:  # something inside cannot be copied: the row stays shared
                pass


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
