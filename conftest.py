"""Repository-only glue. The suite's fixtures ship in conformance/ (the pytest11
entry point loads them), so nothing here is needed by an installed copy."""

# The harness tests in tests/ drive pytest itself through pytester.
pytest_plugins = ["pytester"]
