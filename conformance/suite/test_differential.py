"""Differential tests: apps and requests generated from Flask's documented vocabulary
are answered by the implementation under test and by real Flask, and must match.

The ``differential`` fixture builds each generated case on both (real Flask comes
through the implementation registry, never imported here) and fails with the
smallest differing case and a program that reproduces it. A fixed seed keeps CI
deterministic; ``--differential-examples N`` raises the number of examples for a
long hunt. Cases a hunt found are kept below as explicit examples.
"""

from __future__ import annotations

import pytest

from conformance.differential import strategies
from conformance.differential.model import Blueprint, Case, Hook, Request, Route

spec = pytest.mark.spec


@spec("differential.routing")
def test_generated_routing_answers_as_flask(differential):
    differential.check(strategies.routing())


@spec("differential.responses")
def test_generated_return_values_answer_as_flask(differential):
    differential.check(strategies.responses())


#: after_request functions unwind from the innermost blueprint outwards (found
#: against tests/broken/nested_after_hooks_outer_first.py; no table had nesting).
HOOK_EXAMPLES = [
    Case(
        routes=(Route("/", "return 'view'", blueprint="b1"),),
        requests=(Request("/bp/in/"),),
        blueprints=(Blueprint("b0", "/bp"), Blueprint("b1", "/in", parent="b0")),
        hooks=(Hook("after_request", "return response", "b0"), Hook("after_request", "return response", "b1")),
    ),
]


@spec("differential.hooks")
def test_generated_hooks_run_as_flask(differential):
    differential.check(strategies.hooks(), HOOK_EXAMPLES)


@spec("differential.errors")
def test_generated_error_handlers_answer_as_flask(differential):
    differential.check(strategies.errors())


@spec("differential.blueprints")
def test_generated_blueprints_route_as_flask(differential):
    differential.check(strategies.blueprints())


@spec("differential.url-for")
def test_generated_url_for_calls_build_as_flask(differential):
    differential.check(strategies.url_for())


@spec("differential.json")
def test_generated_json_answers_as_flask(differential):
    differential.check(strategies.json())


@spec("differential.sessions")
def test_generated_sessions_and_flashes_carry_as_flask(differential):
    differential.check(strategies.sessions())


@spec("differential.send-file")
def test_generated_file_responses_answer_as_flask(differential):
    differential.check(strategies.send_file())


@spec("differential.request-data")
def test_generated_request_data_reads_as_flask(differential):
    differential.check(strategies.request_data())


@spec("differential.templates")
def test_generated_templates_and_static_files_render_as_flask(differential):
    differential.check(strategies.templates())
