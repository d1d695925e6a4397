"""The differential area's machinery: not applicable to Flask itself, a difference
fails with a program that reproduces it, bad settings are one line, and the
comparison normalises exactly what depends on time."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

import pytest
from conftest import TESTS_DIR
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import Headers

from conformance.differential.compare import normalise_headers

FILES = ("test_differential.py",)


def test_flask_itself_is_not_applicable(run_suite):
    run = run_suite("--impl=flask", files=FILES)
    assert run.ret == 0, run.stdout
    assert {r["outcome"] for r in run.results} == {"not-applicable"}
    assert {r["spec"][0].partition(".")[0] for r in run.results} == {"differential"}


def test_a_difference_prints_a_program_that_shows_it(run_suite, tmp_path):
    run = run_suite("--impl=broken.nested_after_hooks_outer_first", "-k", "generated_hooks", files=FILES)
    assert run.failed_functions() == {"test_generated_hooks_run_as_flask"}
    assert "Traceback" not in run.stdout
    match = re.search(r"Reproduce it \(python repro.py\):\n\n(.*?)\n(?:=+|_+) ", run.stdout, re.S)
    assert match, run.stdout
    program = tmp_path / "repro.py"
    program.write_text(match.group(1))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    flask_part, broken_part = out.stdout.split("--- broken.nested_after_hooks_outer_first\n")
    assert flask_part.startswith("--- flask\n")
    assert flask_part.splitlines()[1].endswith("['hook1', 'hook0']")
    assert broken_part.splitlines()[0].endswith("['hook0', 'hook1']")


@pytest.mark.parametrize("option", ["--differential-examples=0", "-odifferential_examples=many"])
def test_a_bad_number_of_examples_is_one_usage_line(run_suite, option):
    run = run_suite("--impl=shim", option, files=FILES)
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    assert "Traceback" not in run.stdout + run.stderr
    assert "differential" in run.stderr


def _session_cookie(payload: dict[str, object], salt: str = "cookie-session") -> str:
    serializer = URLSafeTimedSerializer(
        "key", salt=salt, signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1}
    )
    return serializer.dumps(payload)


def test_time_dependent_headers_are_normalised():
    one = Headers([("Date", "Sat, 05 Dec 2026 22:00:00 GMT"), ("Expires", "x"), ("Allow", "GET, HEAD")])
    two = Headers([("Expires", "y"), ("Allow", "HEAD, GET"), ("Date", "Sun, 06 Dec 2026 01:00:00 GMT")])
    assert normalise_headers(one, None) == normalise_headers(two, None)


def test_values_of_one_header_keep_their_order():
    one = Headers([("X-A", "1"), ("X-A", "2")])
    two = Headers([("X-A", "2"), ("X-A", "1")])
    assert normalise_headers(one, None) != normalise_headers(two, None)


def test_session_cookies_compare_by_their_verified_payload():
    cookie = "session={}; HttpOnly; Path=/"
    a = normalise_headers(Headers([("Set-Cookie", cookie.format(_session_cookie({"b": 1, "a": 2})))]), "key")
    b = normalise_headers(Headers([("Set-Cookie", cookie.format(_session_cookie({"a": 2, "b": 1})))]), "key")
    other_salt = _session_cookie({"a": 2, "b": 1}, salt="elsewhere")
    c = normalise_headers(Headers([("Set-Cookie", cookie.format(other_salt))]), "key")
    assert a == b
    assert a != c
    assert dict(c)["set-cookie"] == ("session=<a value Flask's session serializer does not verify>; HttpOnly; Path=/",)
