"""The sessions behind the reference cookies in ``data/reference_cookies.json``.

Real Flask signed one cookie per case with :data:`SECRET_KEY` while itsdangerous'
clock read :data:`TIMESTAMP` (``conformance/tools/make_reference_cookies.py``, run
by hand). The reference-cookie tests read those cookies with each implementation and
sign the same sessions again, expecting the same bytes.

Changing a case here means running the generator again.
"""

from __future__ import annotations

import dataclasses
import json
import typing as t
from datetime import datetime, timezone
from pathlib import Path
from uuid import UUID

from markupsafe import Markup

SECRET_KEY = "reference-cookie-secret"
#: What itsdangerous' clock reads while the cookies are signed and read (2023-11-14 22:13:20 UTC).
TIMESTAMP = 1_700_000_000
DATA_FILE = Path(__file__).with_name("data") / "reference_cookies.json"


@dataclasses.dataclass(frozen=True)
class Case:
    """One session: what a view puts in it, and what reading its cookie gives."""

    values: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    flashes: tuple[tuple[str, str], ...] = ()  # (category, message), flashed in order
    permanent: bool = False
    #: What the session holds once read back, when it differs from ``values``.
    read_back: dict[str, t.Any] | None = None

    def expected(self) -> dict[str, t.Any]:
        """The session's contents after its cookie is read."""
        expected = dict(self.values if self.read_back is None else self.read_back)
        if self.flashes:
            expected["_flashes"] = [(category, message) for category, message in self.flashes]
        return expected


CASES: dict[str, Case] = {
    "plain": Case({"user": "ann", "visits": 3, "ratio": 0.5, "admin": False, "none": None, "tags": ["a", "b"]}),
    "unicode": Case({"name": "Zoë €", "emoji": "\U0001f600"}),
    "tuple": Case({"value": (1, "a", (2, 3))}),
    "bytes": Case({"value": b"\x00\xffraw"}),
    "markup": Case({"value": Markup("<b>bold</b> &amp; safe")}),
    "uuid": Case({"value": UUID("12345678-1234-5678-1234-567812345678")}),
    "datetime": Case({"value": datetime(2024, 2, 29, 13, 45, 30, tzinfo=timezone.utc)}),
    # A tagged datetime keeps whole seconds only.
    "datetime-microseconds": Case(
        {"value": datetime(2024, 2, 29, 13, 45, 30, 123456, tzinfo=timezone.utc)},
        read_back={"value": datetime(2024, 2, 29, 13, 45, 30, tzinfo=timezone.utc)},
    ),
    "tag-like-key": Case({"value": {" t": "not a tuple"}, "other": {" di": "nor a dict"}}),
    "nested": Case(
        {"value": {"pairs": [(1, 2), b"x"], "inner": {" di": {" b": "y"}}, "when": [UUID(int=7), Markup("<i>")]}}
    ),
    "flashes": Case(flashes=(("message", "Saved."), ("error", "Broken <b>"))),
    "flashes-and-values": Case({"user": "ann"}, flashes=(("info", "Welcome back"),)),
    "permanent": Case({"user": "ann", "cart": [1, 2]}, permanent=True),
    # Long and repetitive: itsdangerous compresses the payload ('.'-prefixed cookie).
    "compressed": Case({"text": "abc" * 200, "list": list(range(50))}),
}


def contents(session: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """A session's values, without the key that records its permanence."""
    return {key: value for key, value in session.items() if key != "_permanent"}


def split_expires(set_cookie: str) -> tuple[str, bool]:
    """A Set-Cookie header without its Expires attribute (which follows the wall
    clock, not itsdangerous'), and whether it had one."""
    parts = set_cookie.split("; ")
    kept = [part for part in parts if not part.startswith("Expires=")]
    return "; ".join(kept), len(kept) != len(parts)


def load_reference() -> dict[str, t.Any]:
    """The recorded cookies: ``{"cookies": {name: {"cookie", "set_cookie", "expires"}}, ...}``
    where ``set_cookie`` is the header without Expires and ``expires`` says whether it had one."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))
