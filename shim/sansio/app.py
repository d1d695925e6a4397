"""The sans-IO application: settings, folders, rule and blueprint registration,
and the URL, error and template machinery, with nothing tied to WSGI.

:class:`App` is assembled from mixins kept in private modules: :mod:`shim._urls`
(URL adapters, ``url_for``, redirects), :mod:`shim._errors` (finding and answering
error handlers) and :mod:`shim._jinja` (the template environment). The WSGI app,
:class:`shim.Flask`, adds the request cycle, contexts and the test and CLI entry points.
"""

from __future__ import annotations

import os
import sys
import typing as t
import weakref
from datetime import timedelta
from functools import cached_property

from werkzeug.datastructures import ImmutableDict
from werkzeug.exceptions import Aborter
from werkzeug.routing import Map, Rule

from .. import typing as ft
from .._errors import ErrorsMixin
from .._jinja import TemplatingMixin
from .._urls import UrlsMixin
from ..cli import AppGroup
from ..config import Config, ConfigAttribute
from ..ctx import _AppCtxGlobals
from ..helpers import get_debug_flag
from ..json.provider import DefaultJSONProvider, JSONProvider
from ..logging import create_logger
from ..templating import Environment
from .scaffold import Scaffold, _decorator_for, _endpoint_from_view_func, find_package, setupmethod

if t.TYPE_CHECKING:  # pragma: no cover
    import logging

    from ..testing import FlaskClient, FlaskCliRunner
    from .blueprints import Blueprint

T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_shell_context_processor = t.TypeVar("T_shell_context_processor", bound=ft.ShellContextProcessorCallable)


def _session_lifetime(value: timedelta | int) -> timedelta:
    """``PERMANENT_SESSION_LIFETIME`` as a timedelta; the setting may be seconds."""
    return value if isinstance(value, timedelta) else timedelta(seconds=value)



class App(TemplatingMixin, UrlsMixin, ErrorsMixin, Scaffold):
    """The registry of views, hooks and configuration, independent of any server
    interface; :class:`shim.Flask` makes it a WSGI application.

    ``import_name`` locates the application's files (templates, static files,
    instance folder); pass ``__name__`` of the module that creates it.
    """
    aborter_class = Aborter
    app_ctx_globals_class = _AppCtxGlobals
    config_class = Config
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    url_rule_class = Rule
    url_map_class = Map
    #: The classes behind :meth:`test_client` and :meth:`test_cli_runner`; None means
    #: the ones in :mod:`shim.testing`.
    test_client_class: type[FlaskClient] | None = None
    test_cli_runner_class: type[FlaskCliRunner] | None = None
    #: The class of :attr:`jinja_env`.
    jinja_environment = Environment
    #: Options for :attr:`jinja_env`; read once, when the environment is created.
    jinja_options: dict[str, t.Any] = {}

    # Shortcuts to configuration keys.
    testing = ConfigAttribute[bool]("TESTING")
    secret_key = ConfigAttribute[t.Union[str, bytes, None]]("SECRET_KEY")
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME", get_converter=_session_lifetime
    )

    # Data, not code: the documented configuration keys and their default values.
    default_config: ImmutableDict = ImmutableDict(  # type: ignore[type-arg]
        {
            "DEBUG": None,
            "TESTING": False,
            "PROPAGATE_EXCEPTIONS": None,
            "SECRET_KEY": None,
            "SECRET_KEY_FALLBACKS": None,
            "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
            "USE_X_SENDFILE": False,
            "TRUSTED_HOSTS": None,
            "SERVER_NAME": None,
            "APPLICATION_ROOT": "/",
            "SESSION_COOKIE_NAME": "session",
            "SESSION_COOKIE_DOMAIN": None,
            "SESSION_COOKIE_PATH": None,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_PARTITIONED": False,
            "SESSION_COOKIE_SAMESITE": None,
            "SESSION_REFRESH_EACH_REQUEST": True,
            "MAX_CONTENT_LENGTH": None,
            "MAX_FORM_MEMORY_SIZE": 500_000,
            "MAX_FORM_PARTS": 1_000,
            "SEND_FILE_MAX_AGE_DEFAULT": None,
            "TRAP_BAD_REQUEST_ERRORS": None,
            "TRAP_HTTP_EXCEPTIONS": False,
            "EXPLAIN_TEMPLATE_LOADING": False,
            "PREFERRED_URL_SCHEME": "http",
            "TEMPLATES_AUTO_RELOAD": None,
            "MAX_COOKIE_SIZE": 4093,
            "PROVIDE_AUTOMATIC_OPTIONS": True,
        }
    )

    def __init__(
        self, import_name: str, static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static", static_host: str | None = None,
        host_matching: bool = False, subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates", instance_path: str | None = None,
        instance_relative_config: bool = False, root_path: str | None = None,
    ) -> None:
        super().__init__(import_name, static_folder=static_folder, static_url_path=static_url_path,
                         template_folder=template_folder, root_path=root_path)
        # Setup methods check this flag, and the static route below is added through one.
        self._got_first_request = False
        self.instance_path = self._checked_instance_path(instance_path)
        self.config = self.make_config(instance_relative_config)
        self.aborter = self.make_aborter()
        self.json: JSONProvider = self.json_provider_class(self)
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        #: Commands for the ``flask``-style CLI; they run in this app's context.
        self.cli: AppGroup = AppGroup(self.name)
        #: Registered blueprints by name, and the state extensions keep on the app.
        self.blueprints: dict[str, Blueprint] = {}
        self.extensions: dict[str, t.Any] = {}
        #: Called in turn when url_for cannot build a URL (see handle_url_build_error).
        self.url_build_error_handlers: list[t.Callable[[Exception, str, dict[str, t.Any]], str]] = []
        self.teardown_appcontext_funcs: list[ft.TeardownCallable] = []
        self.shell_context_processors: list[ft.ShellContextProcessorCallable] = []
        if self.has_static_folder:
            self._add_static_route(static_host, host_matching)

    def _checked_instance_path(self, given: str | None) -> str:
        """The instance folder: ``given`` when absolute, else the default location."""
        if given is None:
            return self.auto_find_instance_path()
        if not os.path.isabs(given):
            raise ValueError(f"instance_path must be an absolute path; {given!r} is relative.")
        return given

    def _add_static_route(self, static_host: str | None, host_matching: bool) -> None:
        """Serve the static folder under :attr:`static_url_path` (on ``static_host``)."""
        # With host matching every rule needs a host, and the static rule's can only be
        # static_host; without it a host on that rule could never match.
        if host_matching != bool(static_host):
            raise AssertionError("static_host must be given exactly when host_matching=True.")
        # A weak reference: the view lives in the app's own registry, and a strong one
        # would make a cycle that keeps an unused app alive until the garbage collector runs.
        app = weakref.ref(self)

        def serve_static(**kwargs: t.Any) -> t.Any:
            # Looked up per call, so a replaced send_static_file is used.
            return app().send_static_file(**kwargs)  # type: ignore[union-attr]

        pattern = f"{self.static_url_path}/<path:filename>"
        self.add_url_rule(pattern, endpoint="static", host=static_host, view_func=serve_static)

    # --- identity and configuration ----------------------------------------

    @cached_property
    def name(self) -> str:
        """The import name; for an app defined in a script run as ``__main__``, the
        script's file name without its extension. Cached, so it can be assigned."""
        if self.import_name != "__main__":
            return self.import_name
        script = getattr(sys.modules["__main__"], "__file__", None)
        return "__main__" if script is None else os.path.splitext(os.path.basename(script))[0]

    def _read_debug(self) -> bool:
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    def _write_debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        # Settings that follow debug mode and were already applied must follow it now.
        self._debug_changed(value)

    debug = property(_read_debug, _write_debug, doc="Debug mode: the ``DEBUG`` config key, read back as stored.")

    @cached_property
    def logger(self) -> logging.Logger:
        """The :mod:`logging` logger named :attr:`name` (DEBUG level in debug mode)."""
        return create_logger(self)

    def make_config(self, instance_relative: bool = False) -> Config:
        """A :attr:`config_class` holding :attr:`default_config`, with ``DEBUG`` taken
        from the environment; relative file names resolve against the root path, or
        the instance path when ``instance_relative``."""
        base = self.instance_path if instance_relative else self.root_path
        return self.config_class(base, {**self.default_config, "DEBUG": get_debug_flag()})

    def make_aborter(self) -> Aborter:
        """The object :func:`~shim.abort` calls while this app is active."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """``instance`` beside the module or the package folder, or
        ``<prefix>/var/<name>-instance`` when the package is installed."""
        prefix, folder = find_package(self.import_name)
        parts = (folder, "instance") if prefix is None else (prefix, "var", f"{self.name}-instance")
        return os.path.join(*parts)

    def _check_setup_finished(self, f_name: str) -> None:
        """Refuse setup methods once a request has been handled: workers that already
        serve would not all see the change."""
        if self._got_first_request:
            raise AssertionError(
                f"{f_name}() changes how the app is set up, but the app has already handled a "
                "request. Finish registering views, hooks and blueprints before it serves."
            )

    # --- routing -------------------------------------------------------------

    @setupmethod
    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: ft.RouteCallable | None = None,
                     provide_automatic_options: bool | None = None, **options: t.Any) -> None:
        """Register ``rule`` for ``endpoint`` (default: the view's name) and its view.

        Without ``methods``, the view's own ``methods`` attribute or else GET is used.
        The view's ``required_methods`` are always added, and OPTIONS is answered
        automatically unless the argument, the view's ``provide_automatic_options``
        attribute or the ``PROVIDE_AUTOMATIC_OPTIONS`` config turns that off.
        """
        name = _endpoint_from_view_func(view_func) if endpoint is None else endpoint  # type: ignore[arg-type]
        listed = _listed_methods(options.pop("methods", None), view_func)
        methods = listed | set(getattr(view_func, "required_methods", ()))
        automatic = provide_automatic_options
        if automatic is None:
            automatic = getattr(view_func, "provide_automatic_options", None)
        if automatic is None:
            # Left to the config, unless the rule lists OPTIONS itself (then its view answers).
            automatic = "OPTIONS" not in listed and bool(self.config["PROVIDE_AUTOMATIC_OPTIONS"])
            if automatic:
                methods.add("OPTIONS")
        url_rule = self.url_rule_class(rule, methods=methods, endpoint=name, **options)
        url_rule.provide_automatic_options = automatic  # type: ignore[attr-defined]
        self.url_map.add(url_rule)
        if view_func is not None:  # otherwise the view arrives later, through endpoint()
            self._bind_view(name, view_func)

    def _bind_view(self, endpoint: str, view_func: ft.RouteCallable) -> None:
        """Make ``view_func`` the view of ``endpoint``; a different one already there is an error."""
        bound = self.view_functions.setdefault(endpoint, view_func)
        if bound != view_func:
            raise AssertionError(
                f"Endpoint {endpoint!r} already has the view {bound!r}; register the new view under another endpoint."
            )

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register ``blueprint``; keyword options override its own settings and reach
        its record callbacks (``url_prefix``, ``subdomain``, ``url_defaults``, ``name``)."""
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    @setupmethod
    def teardown_appcontext(self, f: T_teardown) -> T_teardown:
        """Call ``f(error)`` as each application context of this app ends (error or None)."""
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(self, f: T_shell_context_processor) -> T_shell_context_processor:
        """Register ``f``; the dict it returns is added to the ``shell`` command's names."""
        return _decorator_for(self.shell_context_processors.append)(f)


def _listed_methods(methods: t.Any, view_func: t.Any) -> set[str]:
    """The rule's methods, upper-cased: as given, else the view's ``methods``, else GET."""
    if methods is None:
        methods = getattr(view_func, "methods", None) or ("GET",)
    if isinstance(methods, str):
        # Iterating a string would register one "method" per letter.
        raise TypeError(f"'methods' takes a collection of HTTP method names such as ['POST'], not a single string ({methods!r}).")
    return {method.upper() for method in methods}
