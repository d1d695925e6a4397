"""Values JSON cannot hold that sessions must still round-trip (the tagged JSON
types), shared by the session, session-interface and interoperability tests."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID

from markupsafe import Markup

#: name -> value; each must come back equal and of the same type.
TAGGED_VALUES = {
    "tuple": (1, "a", (2, 3)),
    "bytes": b"\x00\xffraw",
    "markup": Markup("<b>bold</b> &amp; safe"),
    "uuid": UUID("12345678-1234-5678-1234-567812345678"),
    # Tagged datetimes keep whole seconds and come back in UTC.
    "datetime": datetime(2024, 2, 29, 13, 45, 30, tzinfo=timezone.utc),
    # A real one-key dict whose key looks like a tag must not be mistaken for one.
    "tag-like key": {" t": "not a tuple"},
    "nested": {"pairs": [(1, 2), b"x"], "inner": {" di": {" b": "y"}}},
}
