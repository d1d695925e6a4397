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


class View:
    """Subclass this and implement :meth:`dispatch_request`; register ``as_view(name)``.

    The class attributes below configure the generated view function.
    """

    #: HTTP methods the view's rules accept when ``add_url_rule`` is not given any.
    methods: t.ClassVar[t.Collection[str] | None] = None
    #: Whether OPTIONS is answered automatically; None leaves it to the app.
    provide_automatic_options: t.ClassVar[bool | None] = None
    #: Decorators applied to the view function, the first one innermost.
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []
    #: True builds a fresh instance for every request; False builds one instance in
    #: :meth:`as_view` and shares it between requests (so keep no request state on it).
    init_every_request: t.ClassVar[bool] = True

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
        if cls.init_every_request:

            def instance_for_request() -> View:
                return cls(*class_args, **class_kwargs)

        else:
            shared = cls(*class_args, **class_kwargs)

            def instance_for_request() -> View:
                return shared

        def run_view(**url_values: t.Any) -> ft.ResponseReturnValue:
            handler = instance_for_request().dispatch_request
            return current_app.ensure_sync(handler)(**url_values)  # type: ignore[no-any-return]

        view: t.Any = reduce(lambda inner, decorate: decorate(inner), cls.decorators, run_view)
        # Set after decorating, so the attributes sit on what actually gets registered.
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.view_class = cls
        view.methods = cls.methods
        view.provide_automatic_options = cls.provide_automatic_options
        return view  # type: ignore[no-any-return]


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
