"""Run a generated case on one implementation and compare what two answered.

Each request's answer is reduced to what a client can observe and what must not
depend on the implementation: the status line, every header (grouped by name,
case-insensitively; the values of one name keep their order, and the methods of
``Allow`` are a set), the body, the hooks and handlers that ran, the classes of
the warnings issued, or the exception
that escaped (its class name and the built-in and Werkzeug classes it derives from,
since each implementation has classes of its own). Time-dependent values are
normalised: ``Date`` and ``Expires`` values, and the session cookie, which is compared by its
verified, decoded payload rather than by its signed bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import warnings
from collections.abc import Callable
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.test import Client

from .model import Case, Request

Answer = tuple[object, ...]
MakeApp = Callable[[types.ModuleType, list[object], str], Any]

_EXPIRES = re.compile(r"(?i)(expires=)[^;]*")


def exception_kind(exc: BaseException) -> tuple[str, ...]:
    """What identifies an exception across implementations: its class name and
    the names of the built-in and Werkzeug classes it derives from."""
    shared = [
        c.__name__
        for c in type(exc).__mro__[1:]
        if c is not object and (c.__module__ == "builtins" or c.__module__.startswith("werkzeug."))
    ]
    return (type(exc).__name__, *shared)


class _RawJSON:
    """The session payload as plain JSON (the tagged form, not the decoded values)."""

    @staticmethod
    def loads(data: str | bytes) -> Any:
        return json.loads(data)

    @staticmethod
    def dumps(obj: Any) -> str:
        return json.dumps(obj)


def _session_payload(value: str, secret_key: str) -> str:
    """The session cookie's payload if it verifies as Flask signs it, else a marker."""
    serializer = URLSafeTimedSerializer(
        secret_key,
        salt="cookie-session",
        serializer=_RawJSON,
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    try:
        return "<signed " + json.dumps(serializer.loads(value), sort_keys=True) + ">"
    except BadSignature:
        return "<a value Flask's session serializer does not verify>"


def _cookie(value: str, secret_key: str | None) -> str:
    value = _EXPIRES.sub(r"\1<date>", value)
    pair, sep, attributes = value.partition(";")
    name, _, data = pair.partition("=")
    if secret_key and data and data.count(".") >= 2:
        data = _session_payload(data, secret_key)
    return f"{name}={data}{sep}{attributes}"


def normalise_headers(headers: Any, secret_key: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    grouped: dict[str, list[str]] = {}
    for name, value in headers.items():
        key = name.lower()
        if key in ("expires", "date"):
            value = "<date>"
        elif key == "set-cookie":
            value = _cookie(value, secret_key)
        grouped.setdefault(key, []).append(value)
    if "allow" in grouped:
        grouped["allow"] = sorted({m.strip() for v in grouped["allow"] for m in v.split(",")})
    return tuple(sorted((k, tuple(v)) for k, v in grouped.items()))


def run(make_app: MakeApp, module: types.ModuleType, case: Case, root: str) -> list[Answer]:
    """The app built on ``module`` answers the case's requests; one answer each
    (or one answer for an app that could not be built)."""
    log: list[object] = []
    try:
        client = Client(make_app(module, log, root))
    except Exception as exc:
        return [("building the app raised", exception_kind(exc), tuple(log), ())]
    answers: list[Answer] = []
    for request in case.requests:
        log.clear()
        answer: Answer
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            answer = _answer(client, request, case.secret_key)
        answers.append((*answer, tuple(log), tuple(sorted({w.category.__name__ for w in caught}))))
    return answers


def _answer(client: Client, request: Request, secret_key: str | None) -> Answer:
    try:
        response = client.open(
            request.path,
            method=request.method,
            base_url=f"http://{request.host}/",
            headers=list(request.headers),
            data=request.data,
        )
        try:
            body = response.get_data()
        finally:
            response.close()  # runs the teardowns of a streamed response
    except Exception as exc:
        return ("raised", exception_kind(exc))
    return ("answered", response.status, normalise_headers(response.headers, secret_key), body)


def describe(answer: Answer) -> str:
    """One answer, a line per part."""
    *outcome, log, warned = answer
    if outcome[0] == "answered":
        _, status, headers, body = outcome
        lines = [f"  status {status}"]
        lines += [f"  {name}: {' | '.join(values)}" for name, values in headers]  # type: ignore[attr-defined]
        lines.append(f"  body {body!r}")
    else:
        lines = [f"  {outcome[0]} {' < '.join(outcome[1])}"]  # type: ignore[arg-type]
    lines.append(f"  log {list(log)}")  # type: ignore[call-overload]
    if warned:
        lines.append(f"  warned {', '.join(warned)}")  # type: ignore[arg-type]
    return "\n".join(lines)


def first_difference(case: Case, expected: list[Answer], actual: list[Answer], name: str) -> str | None:
    """A message naming the first request whose answers differ, or None."""
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want != got:
            if want[0] == "building the app raised" or got[0] == "building the app raised":
                where = "building the app"
            else:
                r = case.requests[index]
                where = f"request {index + 1}: {r.method} http://{r.host}{r.path} {list(r.headers) or ''}".rstrip()
            return f"{where}\nFlask:\n{describe(want)}\n{name}:\n{describe(got)}"
    if len(expected) != len(actual):
        return f"Flask gave {len(expected)} answers, {name} {len(actual)}"
    return None

