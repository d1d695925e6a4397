"""The shim, except that unhandled errors are logged by the base class's own
log_exception: a subclass overriding log_exception is never called."""

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.log_exception = _Flask.log_exception
