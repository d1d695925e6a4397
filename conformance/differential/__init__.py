"""Differential testing: generated apps and requests, answered by the implementation
under test and by real Flask, must match.

Strategies (``strategies.py``) draw small app descriptions (``model.py``); each is
built on both implementations from the same generated source and sent the same
requests, and the answers are compared (``compare.py``). A difference fails with
the shrunk case and a short program that reproduces it with ``import flask``.

This module is a pytest plugin (listed in the conformance plugin's
``pytest_plugins``): the ``--differential-examples`` option, the
``reference_flask`` fixture (real Flask, loaded through the implementation
registry; the area is not applicable when Flask itself is under test) and the
``differential`` fixture that runs the comparison.
"""

from __future__ import annotations

import logging
import pprint
import shutil
import tempfile
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings

from .. import versions
from ..implementations import FLASK, Implementation, ImplementationError
# Hypothesis loads with the plugin, once per process: a pytester run in the same
# process then never drops it and loads a second copy beside the first.
from . import compare, strategies  # noqa: F401
from .model import Case, app_source, reproducer

#: Examples per differential test in an ordinary run: small enough for CI, the
#: option or the ini key raises it for a long hunt.
DEFAULT_EXAMPLES = 25


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Flask API conformance")
    group.addoption(
        "--differential-examples",
        dest="differential_examples",
        type=int,
        metavar="N",
        help=f"generated examples per differential test (default {DEFAULT_EXAMPLES}, or the "
        "differential_examples ini key); raise it for a long hunt against real Flask.",
    )
    group.addoption(
        "--differential-seed",
        dest="differential_seed",
        type=int,
        metavar="SEED",
        help="draw the differential examples from this seed instead of the fixed one: "
        "a further long hunt explores other cases.",
    )
    parser.addini(
        "differential_examples",
        default=str(DEFAULT_EXAMPLES),
        help="generated examples per differential test when --differential-examples is not given.",
    )


EXAMPLES = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[EXAMPLES] = examples_per_test(config)  # a bad value stops the run at start-up


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A long hunt outlasts the per-test time limit meant for ordinary tests: allow
    # up to a second per example (a typical one takes a hundredth).
    examples = config.stash[EXAMPLES]
    if examples <= DEFAULT_EXAMPLES or getattr(config.option, "conformance_timeout", None) == 0:
        return
    for item in items:
        if "differential" in getattr(item, "fixturenames", ()) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(float(max(60, examples))))


def examples_per_test(config: pytest.Config) -> int:
    value = config.option.differential_examples
    if value is None:
        text = config.getini("differential_examples")
        try:
            value = int(text)
        except ValueError:
            raise pytest.UsageError(f"differential_examples = {text!r}: expected a whole number") from None
    if value < 1:
        raise pytest.UsageError(f"--differential-examples {value}: expected at least 1")
    return value


@pytest.fixture
def reference_flask(impl: Implementation) -> types.ModuleType:
    """Real Flask, the reference the differential area compares with.

    Not applicable when the implementation under test is that very module, or
    declares a Flask series other than the installed reference's.
    """
    try:
        reference = FLASK.load()
    except ImplementationError as exc:
        pytest.fail(f"differential tests need real Flask as the reference: {exc}", pytrace=False)
    if impl.load() is reference:
        raise versions.NotApplicable("not applicable: the implementation under test is the reference Flask itself")
    installed = FLASK.version
    declared = impl.declared_version
    if installed and declared and not (versions.covers(declared, installed) and versions.covers(installed, declared)):
        raise versions.NotApplicable(
            f"not applicable: the reference is Flask {installed}, the implementation declares Flask {declared}"
        )
    return reference


class Differential:
    """Runs generated cases on the implementation and on the reference."""

    def __init__(self, impl: Implementation, module: types.ModuleType, reference: types.ModuleType,
                 examples: int, scratch: Path, seed: int | None = None) -> None:
        self.impl = impl
        self.module = module
        self.reference = reference
        self.examples = examples
        self.scratch = scratch
        self.seed = seed

    def compare(self, case: Case) -> None:
        """Fail with a reproducer when the two implementations answer ``case`` differently."""
        source = app_source(case)
        namespace: dict[str, Any] = {"__name__": "differential_app"}
        exec(compile(source, "<differential app>", "exec"), namespace)
        root = tempfile.mkdtemp(dir=self.scratch)
        try:
            namespace["setup"](root)
            expected = compare.run(namespace["make_app"], self.reference, case, root)
            actual = compare.run(namespace["make_app"], self.module, case, root)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        problem = compare.first_difference(case, expected, actual, self.impl.name)
        if problem:
            # A plain failure (no traceback of the harness): Hypothesis still shrinks it.
            pytest.fail(
                f"{self.impl.name} answers differently from Flask at {problem}\n\n"
                f"Smallest case (an @example row):\n{pprint.pformat(case, width=110)}\n\n"
                f"Reproduce it (python repro.py):\n\n{reproducer(case, self.impl.module)}",
                pytrace=False,
            )

    def check(self, cases: Any, examples: Iterable[Case] = ()) -> None:
        """Compare the saved ``examples`` and then generated ``cases`` (a strategy)."""
        def one(case: Case) -> None:
            self.compare(case)

        test = given(case=cases)(one)
        for row in reversed(list(examples)):
            test = example(case=row)(test)
        if self.seed is not None:
            test = seed(self.seed)(test)
        test = settings(
            max_examples=self.examples,
            # The same examples on every run (CI stays deterministic) unless a seed is given.
            derandomize=self.seed is None,
            database=None,  # nothing written into the repository
            deadline=None,
            print_blob=False,
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        )(test)
        test()


@pytest.fixture
def differential(
    impl: Implementation, flask: types.ModuleType, reference_flask: types.ModuleType, request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[Differential]:
    """Compare generated cases on the implementation under test and on real Flask."""
    # The generated apps are named 'differential'; an unhandled error logged by
    # thousands of examples would bury the report.
    logger = logging.getLogger("differential")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield Differential(
            impl, flask, reference_flask, request.config.stash[EXAMPLES], tmp_path, request.config.option.differential_seed
        )
    finally:
        logger.disabled = disabled
