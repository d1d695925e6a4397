"""The registration surface shared by applications and blueprints.

Most of it is table-driven: the per-scope hook registries, the decorators that
fill them and the HTTP-verb shortcuts of ``route`` are generated from small
tables, so that adding one is a single line rather than another copy of a method.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import typing as t
from collections import defaultdict
from pathlib import PurePath

from jinja2 import BaseLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException, default_exceptions

from .. import typing as ft
from ..helpers import get_root_path
from ..templating import default_template_context

#: Any decorated callable; the decorators here hand back what they were given.
_Fn = t.TypeVar("_Fn", bound=t.Callable[..., t.Any])

#: A scope's handlers: status code (None for plain exceptions) -> class -> handler.
_HandlersByCode = dict[t.Optional[int], dict[type[Exception], ft.ErrorHandlerCallable]]

#: A folder setting as the constructors accept it; None means no such folder.
FolderArg = t.Union[str, "os.PathLike[str]", None]


def setupmethod(f: _Fn) -> _Fn:
    """Guard a setup method: the owner's ``_check_setup_finished`` may refuse the
    call once setup is over (an app after its first request, a registered blueprint)."""

    @functools.wraps(f)
    def guarded(self: Scaffold, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(f.__name__)
        return f(self, *args, **kwargs)

    return t.cast(_Fn, guarded)


def _decorator_for(register: t.Callable[[t.Any], object]) -> t.Callable[[_Fn], _Fn]:
    """A decorator that passes the function to ``register`` and returns it as it was."""

    def decorate(func: _Fn) -> _Fn:
        register(func)
        return func

    return decorate


def _endpoint_from_view_func(view_func: t.Callable[..., t.Any] | None) -> str:
    """The endpoint of a view registered without one: the function's name."""
    if view_func is None:
        raise AssertionError("No endpoint was named and there is no view function to take the name from.")
    return view_func.__name__


# --- where a package lives ----------------------------------------------------


def _module_location(import_name: str) -> str | None:
    """The folder on ``sys.path`` that the top-level package of ``import_name`` is
    imported from, or None when the import system cannot say (e.g. ``__main__``)."""
    top_level = import_name.split(".", 1)[0]
    try:
        spec = importlib.util.find_spec(top_level)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations is None:
        # A plain module: its file sits directly in the sys.path entry.
        return os.path.dirname(os.path.abspath(spec.origin)) if spec.has_location and spec.origin else None
    # A package: a regular one has an __init__ file as its origin; a namespace
    # package has only its folders. Either way the entry is one level up.
    package_dir = os.path.dirname(spec.origin) if spec.has_location and spec.origin else None
    if package_dir is None and import_name != top_level:
        package_dir = _portion_holding(import_name, spec.submodule_search_locations)
    package_dir = package_dir or next(iter(spec.submodule_search_locations), None)
    return os.path.dirname(os.path.abspath(package_dir)) if package_dir else None


def _portion_holding(import_name: str, portions: t.Iterable[str]) -> str | None:
    """Of a namespace package's folders, the one holding the package ``import_name``
    (a namespace may be split over several sys.path entries); None for a module."""
    try:
        inner = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        return None
    if inner is None or not inner.submodule_search_locations:
        return None
    inner_dir = PurePath(os.path.abspath(next(iter(inner.submodule_search_locations))))
    return next((p for p in portions if inner_dir.is_relative_to(os.path.abspath(p))), None)


def _install_prefix(folder: str) -> str | None:
    """The installation prefix that ``folder`` (a sys.path entry) belongs to, if any."""
    interpreter_prefix = os.path.abspath(sys.prefix)
    if PurePath(folder).is_relative_to(interpreter_prefix):
        return interpreter_prefix
    parts = PurePath(folder).parts
    if not parts or parts[-1].lower() != "site-packages":
        return None
    # Outside sys.prefix (e.g. a virtual environment), the prefix is the folder that
    # holds "lib": its parent on Windows, its grandparent where "lib" holds a
    # per-version "python3.N" folder; failing both, the folder just above.
    for depth in (2, 3):
        if len(parts) > depth and parts[-depth].lower() == "lib":
            return str(PurePath(*parts[:-depth]))
    return str(PurePath(*parts[:-1]))


def find_package(import_name: str) -> tuple[str | None, str]:
    """``(prefix, folder)`` for ``import_name``: the sys.path folder its top-level
    package is imported from (the working directory if unknown), and the installation
    prefix when that folder is an installed location (None for a source checkout)."""
    folder = _module_location(import_name) or os.getcwd()
    return _install_prefix(folder), folder


# --- generated registration methods ---------------------------------------------

#: Each hook decorator and the public per-scope registry it appends to (the
#: blueprint merge walks the same table).
HOOK_REGISTRIES: dict[str, str] = {
    "before_request": "before_request_funcs",
    "after_request": "after_request_funcs",
    "teardown_request": "teardown_request_funcs",
    "context_processor": "template_context_processors",
    "url_value_preprocessor": "url_value_preprocessors",
    "url_defaults": "url_default_functions",
}


def _named(func: t.Callable[..., t.Any], owner: str, name: str, doc: str) -> t.Any:
    """``func`` dressed as the method ``owner.name``, then guarded by :func:`setupmethod`."""
    func.__name__ = name
    func.__qualname__ = f"{owner}.{name}"
    func.__doc__ = doc
    return setupmethod(func)


def _hook(decorator: str, doc: str) -> t.Any:
    """The ``Scaffold`` decorator ``decorator``: it appends ``f`` to the scaffold's own
    (``None``) list in the registry :data:`HOOK_REGISTRIES` names."""
    registry = HOOK_REGISTRIES[decorator]

    def add(self: Scaffold, f: _Fn) -> _Fn:
        getattr(self, registry)[None].append(f)
        return f

    return _named(add, "Scaffold", decorator, doc)


def _verb(method: str) -> t.Any:
    """The ``route`` shortcut for one HTTP method, e.g. ``get`` for GET."""
    shortcut = method.lower()

    def route_one_method(self: Scaffold, rule: str, **options: t.Any) -> t.Callable[[_Fn], _Fn]:
        if "methods" in options:
            raise TypeError(f"{shortcut}() always routes {method} only; call route(..., methods=[...]) to list methods.")
        return self.route(rule, methods=[method], **options)

    return _named(route_one_method, "Scaffold", shortcut, f"Shortcut for ``route(rule, methods=[{method!r}])``.")


def _resolve_handler_key(key: type[Exception] | int) -> type[Exception]:
    """The exception class an error-handler key stands for, refusing bad keys."""
    if isinstance(key, int):
        found = default_exceptions.get(key)
        if found is None:
            raise ValueError(
                f"No HTTP error class exists for status {key}; define an HTTPException subclass"
                f" whose code is {key} and register the handler for it."
            )
        return found
    if not isinstance(key, type):
        # An instance (or a code as a string) is a misuse of the API, not a bad value.
        raise TypeError(f"Error handlers are keyed by exception class or status code; got {key!r}.")
    if not issubclass(key, Exception):
        raise ValueError(f"{key.__name__} does not derive from Exception, so it cannot have an error handler.")
    return key


class Scaffold:
    """What :class:`~shim.Flask` and :class:`~shim.Blueprint` have in common: folders,
    routes, request hooks and error handlers. Registries are keyed by scope: ``None``
    for the object itself, a dotted blueprint name for what a blueprint brought in."""

    name: str
    #: Each subclass decides when setup is over; called with the setup method's name,
    #: it raises once that method may no longer change the object.
    _check_setup_finished: t.Callable[[str], None]

    view_functions: dict[str, ft.RouteCallable]
    error_handler_spec: dict[ft.AppOrBlueprintKey, _HandlersByCode]
    before_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]]
    after_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]]
    teardown_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.TeardownCallable]]
    template_context_processors: dict[ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]]
    url_value_preprocessors: dict[ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]]
    url_default_functions: dict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]]

    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self, import_name: str, static_folder: FolderArg = None, static_url_path: str | None = None,
        template_folder: FolderArg = None, root_path: str | None = None,
    ) -> None:
        self.import_name = import_name
        self.root_path = get_root_path(import_name) if root_path is None else root_path
        self.template_folder = template_folder
        # Through the property setters, which normalise the values.
        self.static_folder, self.static_url_path = static_folder, static_url_path  # type: ignore[assignment]
        self.view_functions = {}
        self.error_handler_spec = defaultdict(lambda: defaultdict(dict))
        for registry in HOOK_REGISTRIES.values():
            setattr(self, registry, defaultdict(list))
        # Every app and blueprint starts with the processor that supplies ``g`` and ``request``.
        self.template_context_processors[None] = [default_template_context]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    # --- folders and files -------------------------------------------------------

    def _get_static_folder(self) -> str | None:
        folder = self._static_folder
        return None if folder is None else os.path.join(self.root_path, folder)

    def _set_static_folder(self, value: FolderArg) -> None:
        # A trailing separator would make the folder's base name (the default URL path) empty.
        self._static_folder = None if value is None else os.fspath(value).rstrip("\\/")

    static_folder = property(
        _get_static_folder, _set_static_folder, doc="The static folder as an absolute path (None without one)."
    )

    def _get_static_url_path(self) -> str | None:
        folder = self.static_folder
        if self._static_url_path is None and folder is not None:
            # By default the folder's own name: "static" is served under "/static".
            return ("/" + os.path.basename(folder)).rstrip("/")
        return self._static_url_path

    def _set_static_url_path(self, value: str | None) -> None:
        self._static_url_path = None if value is None else value.rstrip("/")

    static_url_path = property(
        _get_static_url_path, _set_static_url_path, doc="Where the static route is mounted (no trailing slash)."
    )

    @property
    def has_static_folder(self) -> bool:
        """True when there is a static folder (and so a static route)."""
        return self.static_folder is not None

    @functools.cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A file-system loader for :attr:`template_folder` under :attr:`root_path`, made on
        first access; None when there is no template folder."""
        folder = self.template_folder
        return None if folder is None else FileSystemLoader(os.path.join(self.root_path, folder))

    # --- routes ------------------------------------------------------------------

    @setupmethod
    def add_url_rule(
        self, rule: str, endpoint: str | None = None, view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None, **options: t.Any,
    ) -> None:
        """Register ``rule`` for ``endpoint`` and its view: an app adds it to its URL map,
        a blueprint records it for its registrations."""
        raise NotImplementedError(f"{type(self).__name__} must say how it registers a rule.")

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[_Fn], _Fn]:
        """Decorator: the function becomes the view of ``rule`` (options as for ``add_url_rule``)."""

        def add(view: t.Callable[..., t.Any]) -> None:
            # Taken out on use, so the rest of the options go to the rule unchanged.
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, view, **options)

        return _decorator_for(add)

    get = _verb("GET")
    post = _verb("POST")
    put = _verb("PUT")
    delete = _verb("DELETE")
    patch = _verb("PATCH")

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[_Fn], _Fn]:
        """Decorator: the function becomes the view of ``endpoint``, whose rule is added separately."""
        return _decorator_for(functools.partial(self.view_functions.__setitem__, endpoint))

    # --- request hooks -----------------------------------------------------------

    before_request = _hook(
        "before_request", "Call ``f()`` before each request; if it returns a value, that answers the request."
    )
    after_request = _hook(
        "after_request", "Call ``f(response)`` after each request; what it returns is sent instead."
    )
    teardown_request = _hook(
        "teardown_request", "Call ``f(error)`` whenever a request context ends, error or not."
    )
    context_processor = _hook(
        "context_processor", "Call ``f()`` before rendering; the dict it returns joins the template context."
    )
    url_value_preprocessor = _hook(
        "url_value_preprocessor", "Call ``f(endpoint, values)`` on a matched request's URL values, before hooks."
    )
    url_defaults = _hook(
        "url_defaults", "Call ``f(endpoint, values)`` while building a URL, to fill in missing values."
    )

    # --- error handlers ------------------------------------------------------------

    @setupmethod
    def errorhandler(self, code_or_exception: type[Exception] | int) -> t.Callable[[_Fn], _Fn]:
        """Decorator form of :meth:`register_error_handler`."""
        return _decorator_for(functools.partial(self.register_error_handler, code_or_exception))

    @setupmethod
    def register_error_handler(self, code_or_exception: type[Exception] | int, f: ft.ErrorHandlerCallable) -> None:
        """Let ``f(error)`` answer errors of a class, or HTTP errors with a status code."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(exc_class_or_code: type[Exception] | int) -> tuple[type[Exception], int | None]:
        """``(class, code)`` for a handler key; the code is None unless it is an HTTP error."""
        exc_class = _resolve_handler_key(exc_class_or_code)
        code = exc_class.code if issubclass(exc_class, HTTPException) else None
        return exc_class, code
