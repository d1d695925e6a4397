"""The harness's transports (--transport) and capabilities (needs, not-applicable,
--no-waivers), run on suite files in a pytester session."""

from __future__ import annotations

import pytest

from conformance.capabilities import CAPABILITIES, FLASK_CAPABILITIES
from conformance.implementations import FLASK, SHIM
from conformance.transports import TRANSPORTS

STREAMING_WIRE_TESTS = {"test_streamed_responses_go_out_chunked", "test_headers_arrive_before_the_generator_finishes"}


def test_one_transport_leaves_test_ids_alone(run_suite):
    run = run_suite("--impl=shim", "--transport=asgi", files=("test_redirect.py",))
    assert run.ret == 0, run.stdout[-2000:]
    ids = {r["nodeid"] for r in run.results}
    assert "conformance/suite/test_redirect.py::test_redirect_from_a_view_answers_302_found[shim]" in ids
    assert {r["transport"] for r in run.results} == {None, "asgi"}


def test_several_transports_parametrize_only_tests_that_make_requests(run_suite):
    run = run_suite("--impl=shim", "--transport=wsgi", "--transport=asgi", files=("test_redirect.py",))
    assert run.ret == 0, run.stdout[-2000:]
    by_test: dict[str, set[object]] = {}
    for r in run.results:
        by_test.setdefault(r["test"], set()).add(r["transport"])
        assert "asgi" not in r["test"] and "wsgi" not in r["test"]
    name = "conformance/suite/test_redirect.py::test_redirect_from_a_view_answers_302_found"
    assert by_test[name] == {"wsgi", "asgi"}
    nodeids = {r["nodeid"] for r in run.results}
    assert f"{name}[shim-asgi]" in nodeids and f"{name}[shim-wsgi]" in nodeids
    # A test that makes no request runs once, over no transport.
    assert by_test["conformance/suite/test_redirect.py::test_redirect_defaults_to_302[none]"] == {None}


def test_wire_tests_are_not_applicable_in_process_and_pass_over_http(run_suite):
    run = run_suite("--impl=shim", "--transport=wsgi", "--transport=http", files=("test_wire.py",))
    assert run.ret == 0, run.stdout[-2000:]
    outcomes = {(r["transport"], r["outcome"]) for r in run.results}
    assert outcomes == {("wsgi", "not-applicable"), ("http", "passed")}
    assert {r.get("capability") for r in run.results if r["outcome"] == "not-applicable"} == {"wire"}


def test_streamed_responses_with_a_length_fail_exactly_the_streaming_wire_tests(run_suite):
    run = run_suite("--impl=broken.stream_sized", "--transport=http", files=("test_wire.py", "test_redirect.py"))
    assert run.failed_functions() == STREAMING_WIRE_TESTS


def test_an_implementation_with_its_own_server_runs_over_http(run_suite):
    run = run_suite("--impl=broken.own_server", "--transport=http", files=("test_wire.py", "test_redirect.py"))
    assert run.ret == 0, run.stdout[-2000:]
    assert {r["outcome"] for r in run.results if r["transport"] == "http"} == {"passed"}


def test_a_missing_capability_is_not_applicable_and_no_waivers_fails_it(run_suite):
    run = run_suite("--impl=broken.no_cli", files=("test_cli_discovery.py",))
    assert run.ret == 0, run.stdout[-2000:]
    assert {(r["outcome"], r.get("capability")) for r in run.results} == {("not-applicable", "cli")}
    strict = run_suite("--impl=broken.no_cli", "--no-waivers", files=("test_cli_discovery.py",))
    assert strict.ret == 1
    assert {r["outcome"] for r in strict.results} == {"failed"}
    assert "does not declare capability 'cli'" in strict.stdout


def test_no_waivers_keeps_a_transports_gap_not_applicable(run_suite):
    run = run_suite("--impl=shim", "--transport=wsgi", "--no-waivers", files=("test_wire.py",))
    assert run.ret == 0, run.stdout[-2000:]
    assert {r["outcome"] for r in run.results} == {"not-applicable"}


def test_an_unknown_transport_is_one_usage_line(run_suite):
    run = run_suite("--impl=shim", "--transport=carrier-pigeon", files=("test_redirect.py",))
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown transport 'carrier-pigeon'" in run.stderr


@pytest.mark.parametrize("impl", [FLASK, SHIM], ids=["flask", "shim"])
def test_flask_and_the_shim_declare_every_flask_capability(impl):
    assert impl.capabilities == FLASK_CAPABILITIES
    assert impl.transports == ("wsgi", "asgi", "http")
    assert set(impl.describe()["capabilities"]) <= set(CAPABILITIES)


def test_every_capability_a_transport_changes_is_known():
    for transport in TRANSPORTS.values():
        assert (transport.provides | transport.removes) <= set(CAPABILITIES)


def test_an_asgi_only_implementation_runs_in_process_and_behind_uvicorn(run_suite):
    run = run_suite(
        "--impl=broken.asgi_only", "--transport=asgi", "--transport=http", files=("test_wire.py", "test_redirect.py")
    )
    assert run.ret == 0, run.stdout[-2000:]
    assert {r["transport"] for r in run.results if r["outcome"] == "passed"} >= {"asgi", "http"}


def test_an_implementation_is_not_driven_over_a_transport_it_does_not_declare(run_suite):
    run = run_suite("--impl=broken.asgi_only", "--transport=wsgi", files=("test_redirect.py",))
    assert run.ret == 0, run.stdout[-2000:]
    gaps = {r.get("capability") for r in run.results if r["outcome"] == "not-applicable"}
    assert gaps == {"wsgi"}
