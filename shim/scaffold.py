"""What applications and blueprints share: routes, hooks, error handlers, folders."""

from __future__ import annotations

import importlib.util
import os
import sys
import typing as t
from collections import defaultdict
from datetime import timedelta
from functools import cached_property, update_wrapper

from jinja2 import FileSystemLoader
from werkzeug.exceptions import HTTPException, default_exceptions

from . import typing as ft
from .globals import current_app
from .helpers import get_root_path, send_from_directory

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
T_route = t.TypeVar("T_route", bound=ft.RouteCallable)
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar("T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable)

_sentinel = object()


def setupmethod(f: F) -> F:
    """Mark a method that changes setup, refused once the app has handled a request."""

    def wrapper(self: Scaffold, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(f.__name__)
        return f(self, *args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def _package_folder(import_name: str) -> str:
    """The folder that holds the top-level module or package of ``import_name``
    (for a package, the folder above it); the cwd when it cannot be found."""
    top = import_name.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):  # e.g. __main__ run as a script has no spec
        spec = None
    if spec is None:
        return os.getcwd()
    if spec.submodule_search_locations:
        # A regular package has an origin (its __init__); a namespace package
        # only has search locations.
        if spec.has_location and spec.origin:
            inside = os.path.dirname(spec.origin)
        else:
            inside = spec.submodule_search_locations[0]
        return os.path.dirname(os.path.abspath(inside))
    if spec.has_location and spec.origin:
        return os.path.dirname(os.path.abspath(spec.origin))
    return os.getcwd()


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives on Windows
        return False


def find_package(import_name: str) -> tuple[str | None, str]:
    """``(prefix, folder)``: the folder holding ``import_name``'s top-level package,
    and the installation prefix when that folder is an installed location (else None)."""
    folder = _package_folder(import_name)
    prefix = os.path.abspath(sys.prefix)
    if _is_within(folder, prefix):
        return prefix, folder
    parent, name = os.path.split(folder)
    if name.lower() != "site-packages":
        return None, folder
    # <prefix>/lib/site-packages (Windows) or <prefix>/lib/pythonX.Y/site-packages.
    grandparent, parent_name = os.path.split(parent)
    if parent_name.lower() == "lib":
        return grandparent, folder
    if os.path.basename(grandparent).lower() == "lib":
        return os.path.dirname(grandparent), folder
    return parent, folder


def open_file(path: str, mode: str, encoding: str | None) -> t.IO[t.Any]:
    """Open ``path``; ``encoding`` applies to text modes only (binary ones refuse it)."""
    if "b" in mode:
        return open(path, mode)  # noqa: SIM115 - the caller closes it
    return open(path, mode, encoding=encoding)  # noqa: SIM115


def _endpoint_from_view_func(view_func: t.Callable[..., t.Any]) -> str:
    assert view_func is not None, "expected view func if endpoint is not provided."
    return view_func.__name__


class Scaffold:
    """The registration API common to :class:`~shim.Flask` and :class:`~shim.Blueprint`."""

    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        self.import_name = import_name
        self.static_folder = static_folder  # type: ignore[assignment]
        self.static_url_path = static_url_path
        self.template_folder = template_folder
        self.root_path = root_path if root_path is not None else get_root_path(import_name)

        self.view_functions: dict[str, ft.RouteCallable] = {}
        # scope (None for the app, else a blueprint name) -> code (None for
        # class-only registrations) -> exception class -> handler
        self.error_handler_spec: dict[
            ft.AppOrBlueprintKey, dict[int | None, dict[type[Exception], ft.ErrorHandlerCallable]]
        ] = defaultdict(lambda: defaultdict(dict))
        self.before_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]] = defaultdict(list)
        self.after_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]] = defaultdict(list)
        self.teardown_request_funcs: dict[ft.AppOrBlueprintKey, list[ft.TeardownCallable]] = defaultdict(list)
        self.template_context_processors: dict[
            ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]
        ] = defaultdict(list, {None: []})
        self.url_value_preprocessors: dict[
            ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]
        ] = defaultdict(list)
        self.url_default_functions: dict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]] = defaultdict(list)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        raise NotImplementedError

    # --- folders -----------------------------------------------------------

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or None."""
        if self._static_folder is not None:
            return os.path.join(self.root_path, self._static_folder)
        return None

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is configured."""
        return self.static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of the static route, derived from the folder's name by default."""
        if self._static_url_path is not None:
            return self._static_url_path
        if self.static_folder is not None:
            basename = os.path.basename(self.static_folder)
            return f"/{basename}".rstrip("/")
        return None

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """Cache lifetime for files sent by the app: ``SEND_FILE_MAX_AGE_DEFAULT`` in seconds."""
        value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if value is None:
            return None
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        return value  # type: ignore[no-any-return]

    def send_static_file(self, filename: str) -> t.Any:
        """Serve ``filename`` from :attr:`static_folder` (the view of the static route)."""
        if not self.has_static_folder:
            raise RuntimeError("'static_folder' must be set to serve static_files.")
        # Ask this object, so a blueprint's own setting applies to its files.
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(t.cast(str, self.static_folder), filename, max_age=max_age)

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """Open ``resource``, a path relative to :attr:`root_path`, for reading only."""
        if mode not in {"r", "rt", "rb"}:
            raise ValueError(f"open_resource opens files for reading only, not with mode {mode!r}.")
        return open_file(os.path.join(self.root_path, resource), mode, encoding)

    @cached_property
    def jinja_loader(self) -> FileSystemLoader | None:
        """A loader for :attr:`template_folder` (relative to :attr:`root_path`), or None
        without one. Created on first use."""
        if self.template_folder is None:
            return None
        return FileSystemLoader(os.path.join(self.root_path, self.template_folder))

    # --- routes ------------------------------------------------------------

    def _method_route(self, method: str, rule: str, options: dict[str, t.Any]) -> t.Callable[[T_route], T_route]:
        if "methods" in options:
            raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
        return self.route(rule, methods=[method], **options)

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """``route(rule, methods=["GET"])``."""
        return self._method_route("GET", rule, options)

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """``route(rule, methods=["POST"])``."""
        return self._method_route("POST", rule, options)

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """``route(rule, methods=["PUT"])``."""
        return self._method_route("PUT", rule, options)

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """``route(rule, methods=["DELETE"])``."""
        return self._method_route("DELETE", rule, options)

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """``route(rule, methods=["PATCH"])``."""
        return self._method_route("PATCH", rule, options)

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[T_route], T_route]:
        """Register the decorated function as the view for ``rule``."""

        def decorator(f: T_route) -> T_route:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register a URL rule; see :meth:`shim.Flask.add_url_rule`."""
        raise NotImplementedError

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Register the decorated function as the view of an existing endpoint."""

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    # --- request hooks ----------------------------------------------------

    @setupmethod
    def before_request(self, f: T_before_request) -> T_before_request:
        """Run ``f()`` before each request; a non-None return value answers the request."""
        self.before_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_request(self, f: T_after_request) -> T_after_request:
        """Run ``f(response)`` after each request; it returns the response to send."""
        self.after_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def teardown_request(self, f: T_teardown) -> T_teardown:
        """Run ``f(error)`` when the request context is popped, whatever happened."""
        self.teardown_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def context_processor(self, f: T_template_context_processor) -> T_template_context_processor:
        """Register a function whose returned dict is merged into template contexts."""
        self.template_context_processors[None].append(f)
        return f

    @setupmethod
    def url_value_preprocessor(self, f: T_url_value_preprocessor) -> T_url_value_preprocessor:
        """Run ``f(endpoint, values)`` on matched URL values before ``before_request``."""
        self.url_value_preprocessors[None].append(f)
        return f

    @setupmethod
    def url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Run ``f(endpoint, values)`` to fill in values when URLs are built."""
        self.url_default_functions[None].append(f)
        return f

    # --- error handlers ---------------------------------------------------

    @setupmethod
    def errorhandler(self, code_or_exception: type[Exception] | int) -> t.Callable[[T_error_handler], T_error_handler]:
        """Register the decorated function to handle an HTTP status code or an exception class."""

        def decorator(f: T_error_handler) -> T_error_handler:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    @setupmethod
    def register_error_handler(
        self, code_or_exception: type[Exception] | int, f: ft.ErrorHandlerCallable
    ) -> None:
        """Register ``f`` as the handler of a status code or an exception class."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(exc_class_or_code: type[Exception] | int) -> tuple[type[Exception], int | None]:
        """The exception class and status code (None for non-HTTP errors) a key stands for."""
        exc_class: type[Exception]
        if isinstance(exc_class_or_code, int):
            try:
                exc_class = default_exceptions[exc_class_or_code]
            except KeyError:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP error code. "
                    "Use a subclass of HTTPException with that code instead."
                ) from None
        else:
            exc_class = exc_class_or_code
        if not isinstance(exc_class, type):
            # An instance (or a code given as a string) is a misuse of the API, not a bad value.
            raise TypeError(f"{exc_class!r} is not a class. Handlers can only be registered for classes or codes.")
        if not issubclass(exc_class, Exception):
            raise ValueError(
                f"'{exc_class.__name__}' is not a subclass of Exception. "
                "Handlers can only be registered for Exception classes or HTTP error codes."
            )
        if issubclass(exc_class, HTTPException):
            return exc_class, exc_class.code
        return exc_class, None
