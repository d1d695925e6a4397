"""Flask versions: what an implementation declares and what the spec says about it.

Every implementation declares the Flask version whose behaviour it claims
(:attr:`Implementation.declared_version`): real Flask declares the installed
release, the shim the newest series it implements, and ``None`` means "the
newest Flask", so every entry applies as written. Spec entries carry two kinds
of version fact (spec/README.md):

* ``since = "3.1"``: the behaviour was introduced in 3.1. A test citing such an
  entry is *not applicable* to an implementation that declares an older version:
  it is reported with its own outcome, never as a pass and never as a failure.
* ``[[entry.changed]] version = "3.1", before = "..."``: the behaviour changed in
  3.1. A test of such an entry asks the ``behaviour_at`` fixture (fixtures.py)
  which expectation holds for the declared version, so that no test ever
  branches on the implementation's name.

A declaration with fewer than three parts names a whole series: ``"3.1"`` covers
3.1.0 up to its newest patch, so it includes a fix released in 3.1.3. A full
release (``"3.0.3"``) covers exactly that release and everything before it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pytest

if TYPE_CHECKING:  # the catalog imports nothing from here; keep it that way
    from .catalog import Change, Entry

T = TypeVar("T")

#: Major[.minor[.patch]] with an optional PEP 440 pre-, post- or dev-release tail.
_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[.-]?(dev|a|b|rc|post)[.-]?\d*)?$")
#: Where a release tail sorts against the final release of the same number.
_TAIL_RANK = {"dev": 0, "a": 1, "b": 2, "rc": 3, None: 4, "post": 5}

Key = tuple[float, float, float, int]


class NotApplicable(pytest.skip.Exception):  # type: ignore[misc]
    """What a test checks is newer than the Flask version the implementation
    declares: the test is reported as not applicable (never a pass or a failure).
    Here rather than in fixtures.py so the plugin can catch it without importing
    the fixtures module before pytest registers it for assertion rewriting."""


class _NotApplicable:
    """The ``before`` value of a variant that did not exist before a change."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


#: In ``behaviour_at(..., before={"3.1": NOT_APPLICABLE})``: before 3.1 the variant
#: did not exist, so the test is not applicable to those versions.
NOT_APPLICABLE: Any = _NotApplicable()


@dataclass(frozen=True)
class Changed(Generic[T]):
    """A cell of a parametrize table whose expectation changed between Flask versions:
    what the newest Flask does, and what versions before each recorded change of the
    spec entry did. The ``behaviour_at`` fixture resolves it."""

    spec: str
    current: T
    before: Mapping[str, T]


class VersionError(ValueError):
    """A version or a version fact cannot be used; ``str()`` is one line naming the fix."""


def _parts(text: str) -> tuple[list[str | None], str | None]:
    match = _VERSION.match(text.strip())
    if match is None:
        raise VersionError(f"{text!r} is not a Flask version like '3.1' or '3.0.3'")
    return [match.group(1), match.group(2), match.group(3)], match.group(4)


def check(text: str) -> str:
    """Return ``text`` stripped, or raise :class:`VersionError` if it is no version."""
    _parts(text)
    return text.strip()


def release_key(text: str) -> Key:
    """Sort key of the first release a version names: ``"3.1"`` is 3.1.0."""
    numbers, tail = _parts(text)
    major, minor, patch = (float(n) if n is not None else 0.0 for n in numbers)
    return (major, minor, patch, _TAIL_RANK[tail])


def coverage_key(declared: str) -> Key:
    """Sort key of the last release a declaration covers: ``"3.1"`` is every 3.1.x."""
    numbers, tail = _parts(declared)
    if numbers[1] is None:
        return (float(numbers[0] or 0), math.inf, math.inf, _TAIL_RANK["post"])
    if numbers[2] is None:
        return (float(numbers[0] or 0), float(numbers[1]), math.inf, _TAIL_RANK["post"])
    return release_key(declared)


def covers(declared: str | None, version: str) -> bool:
    """Whether an implementation declaring ``declared`` includes what ``version`` introduced.

    ``None`` declares the newest Flask and covers every version.
    """
    return declared is None or release_key(version) <= coverage_key(declared)


def oldest(declared: Iterable[str | None]) -> str | None:
    """The oldest of several declarations (a test using two implementations needs
    what both do); ``None`` (the newest) only when every one is ``None``."""
    known = [d for d in declared if d is not None]
    return min(known, key=coverage_key) if known else None


def describe(declared: str | None) -> str:
    return f"Flask {declared}" if declared is not None else "the newest Flask"


def not_applicable(entries: Iterable[Entry], declared: str | None) -> str | None:
    """Why a test citing ``entries`` does not apply to ``declared``, or None when it does."""
    late = [e for e in entries if e.since is not None and not covers(declared, e.since)]
    if not late:
        return None
    cited = ", ".join(f"{e.id} (since {e.since})" for e in late)
    return f"not applicable: {cited} is newer than {describe(declared)}, which the implementation declares"


def pending_changes(entry: Entry, declared: str | None) -> list[Change]:
    """The entry's recorded changes that ``declared`` predates, oldest first."""
    return sorted(
        (c for c in entry.changed if not covers(declared, c.version)),
        key=lambda c: release_key(c.version),
    )


def expected(entry: Entry, declared: str | None, current: T, before: Mapping[str, T]) -> T:
    """What a test of a changed ``entry`` expects from an implementation declaring ``declared``.

    ``current`` is what the newest Flask does; ``before`` maps the version of a
    recorded change to what versions before it did. The oldest change the
    declaration predates decides; a change the test gives no value for is an
    error, so a missing expectation can never pass silently.
    """
    if not entry.changed:
        raise VersionError(
            f"spec entry {entry.id!r} records no [[entry.changed]]; add the change to spec/{entry.file} "
            "or expect one behaviour"
        )
    recorded = {c.version for c in entry.changed}
    unknown = sorted(set(before) - recorded)
    if unknown:
        raise VersionError(
            f"spec entry {entry.id!r} records no change in {unknown[0]} (it records {', '.join(sorted(recorded))}); "
            "fix the test's 'before' keys or the spec"
        )
    pending = pending_changes(entry, declared)
    if not pending:
        return current
    change = pending[0]
    if change.version not in before:
        raise VersionError(
            f"{describe(declared)} predates the change of {entry.id!r} in {change.version} "
            f"({change.before}); the test gives no expectation for it: add before={{'{change.version}': ...}}"
        )
    return before[change.version]


def in_range(low: str | None, high: str | None, version: str) -> bool:
    """Whether ``version`` is covered by one declaration and not the other: the
    change or addition lies between the two, in either direction."""
    return covers(low, version) != covers(high, version)
