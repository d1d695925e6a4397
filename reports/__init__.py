"""Reports on flask-conformance results: the result model, the HTML report, the
diff between two runs, the score badge and the expectations file format."""
