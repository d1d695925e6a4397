"""``python -m shim``: the same command line as Flask's ``flask`` command."""

from .cli import main

main()
