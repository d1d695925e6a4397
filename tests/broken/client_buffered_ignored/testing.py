"""shim.testing, unchanged.

Taken as the ``shim`` package's attribute rather than re-imported, so this is the
very module Flask.test_client uses even after an in-process run dropped it from
sys.modules."""

from shim import testing as _testing

globals().update({name: value for name, value in vars(_testing).items() if not name.startswith("_")})
