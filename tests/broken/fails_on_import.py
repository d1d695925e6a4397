"""An implementation whose import fails, as a half-installed package's would."""

raise ImportError("No module named 'werkzeug_extras'")
