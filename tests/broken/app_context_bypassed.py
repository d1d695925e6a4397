"""The shim, except that a request never calls an overridden ``app_context()``: a
subclass's replacement counts as the stock one, and one assigned to an instance is
dropped, so the request context always stands in for the app context itself."""

from typing import Any

from shim import *  # noqa: F403
from shim import Flask as _Flask


class Flask(_Flask):
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._stock_app_context = cls.app_context

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "app_context":
            super().__setattr__(name, value)
