"""tests/samples holds projects that tests run in their own pytest sessions
(tests/test_dropin.py); the harness's own run must not collect them."""

collect_ignore = ["dropin_project"]
