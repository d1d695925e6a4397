"""Reports on flask-conformance results: the result model, the HTML report, the
diff between two runs, the score badge and the expectations file format.

This package never imports conformance/ (the pytest plugin imports it, not the
other way round; tests/test_layering.py keeps it so)."""
