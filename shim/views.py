"""Class-based views.

A :class:`View` subclass turns into an ordinary view function with
:meth:`View.as_view`, which is what gets registered with ``add_url_rule``.
:class:`MethodView` sends each request to the method named after its HTTP verb.
"""

from __future__ import annotations

import typing as t
from functools import reduce

from . import typing as ft
from .globals import current_app, request

#: The handler names MethodView looks for; each one lends its upper-cased name to ``methods``.
http_method_funcs: frozenset[str] = frozenset({"get", "head", "post", "put", "patch", "delete", "options", "trace"})


_Decorator = t.Callable[..., t.Any]


def _describe(func: t.Any, name: str, owner: type) -> None:
    """Give a generated view function the endpoint name and the class's module."""
    func.__name__ = name
    func.__module__ = owner.__module__


class View:
    """Subclass this and implement :meth:`dispatch_request`; register ``as_view(name)``.

    The class attributes below configure the generated view function.
    """

    #: True builds a fresh instance for every request; False builds one instance in
    #: :meth:`as_view` and shares it between requests (so keep no request state on it).
    init_every_request: t.ClassVar[bool] = True
    #: Wrapped around the generated function in list order: the first entry ends up innermost.
    decorators: t.ClassVar[list[_Decorator]] = []
    #: HTTP methods the view's rules accept when ``add_url_rule`` is not given any.
    methods: t.ClassVar[t.Collection[str] | None] = None
    #: Whether OPTIONS is answered automatically; None leaves it to the app.
    provide_automatic_options: t.ClassVar[bool | None] = None

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Handle the request; receives the URL's variables as keyword arguments."""
        raise NotImplementedError(f"{type(self).__name__} must implement dispatch_request()")

    @classmethod
    def as_view(cls, name: str, *class_args: t.Any, **class_kwargs: t.Any) -> ft.RouteCallable:
        """A view function named ``name`` that runs this class.

        ``class_args`` and ``class_kwargs`` go to the constructor. The function
        carries ``view_class`` (this class) and the class's ``methods`` and
        ``provide_automatic_options`` for ``add_url_rule`` to read.
        """
        shared = None if cls.init_every_request else cls(*class_args, **class_kwargs)

        def run_view(**url_values: t.Any) -> ft.ResponseReturnValue:
            # A per-request instance comes from the registered function's
            # ``view_class``, so tests can swap that attribute for a stand-in.
            instance = shared if shared is not None else registered.view_class(*class_args, **class_kwargs)
            return current_app.ensure_sync(instance.dispatch_request)(**url_values)  # type: ignore[no-any-return]

        # Named before decorating too, for decorators that read or copy the name.
        _describe(run_view, name, cls)
        registered: t.Any = reduce(lambda inner, decorate: decorate(inner), cls.decorators, run_view)
        # And again on the outermost function, which is what gets registered.
        _describe(registered, name, cls)
        registered.__doc__ = cls.__doc__
        registered.view_class = cls
        registered.methods = cls.methods
        registered.provide_automatic_options = cls.provide_automatic_options
        return registered  # type: ignore[no-any-return]


class MethodView(View):
    """Dispatches to the method named after the request's verb (``get``, ``post``, ...).

    Unless a subclass sets ``methods`` itself, it is worked out when the subclass is
    created: the verbs of every handler the class has (its own, inherited or from a
    mixin) plus the ``methods`` of its bases. HEAD falls back to ``get``.
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in vars(cls):
            return
        verbs: set[str] = set()
        for base in cls.__bases__:
            verbs.update(getattr(base, "methods", None) or ())
        verbs.update(name.upper() for name in http_method_funcs if hasattr(cls, name))
        if verbs:
            cls.methods = verbs

    def dispatch_request(self, **kwargs: t.Any) -> ft.ResponseReturnValue:
        verb = request.method.lower()
        handler = getattr(self, verb, None)
        if handler is None and verb == "head":
            handler = getattr(self, "get", None)
        if handler is None:
            # Routing only lets through the verbs in ``methods``; reaching this means
            # a rule was registered with a method the class has no handler for.
            raise AssertionError(f"{type(self).__name__} has no handler for {request.method} requests")
        return current_app.ensure_sync(handler)(**kwargs)  # type: ignore[no-any-return]
