"""The application object: configuration, URL map, and the request cycle."""

from __future__ import annotations

import collections.abc as cabc
import inspect
import os
import sys
import typing as t
from datetime import timedelta
from functools import cached_property
from itertools import chain
from urllib.parse import quote as _url_quote

from werkzeug.datastructures import Headers, ImmutableDict
from werkzeug.exceptions import Aborter, BadRequestKeyError, HTTPException, InternalServerError
from werkzeug.routing import BuildError, Map, MapAdapter, RequestRedirect, RoutingException, Rule
from werkzeug.sansio.response import Response as BaseResponse
from werkzeug.utils import redirect as _wz_redirect

from . import typing as ft
from .cli import AppGroup
from .config import Config, ConfigAttribute
from .ctx import AppContext, RequestContext, _AppCtxGlobals
from .globals import _cv_app, _cv_request, g, request, request_ctx, session
from .helpers import get_debug_flag, get_flashed_messages
from .json.provider import DefaultJSONProvider, JSONProvider
from .logging import create_logger
from .scaffold import Scaffold, _endpoint_from_view_func, find_package, open_file, setupmethod
from .sessions import SecureCookieSessionInterface, SessionInterface
from .signals import (
    appcontext_tearing_down,
    got_request_exception,
    request_finished,
    request_started,
    request_tearing_down,
)
from .templating import DispatchingJinjaLoader, Environment, default_template_context
from .wrappers import Request, Response

if t.TYPE_CHECKING:  # pragma: no cover
    import logging

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .blueprints import Blueprint

T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_filter = t.TypeVar("T_template_filter", bound=ft.TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=ft.TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=ft.TemplateTestCallable)
T_shell_context_processor = t.TypeVar("T_shell_context_processor", bound=ft.ShellContextProcessorCallable)

#: Marks an argument that was not passed, where None is a meaningful value.
_NOT_PASSED: t.Any = object()

#: Characters an anchor keeps as they are; everything else is percent-encoded.
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def _split_blueprint_path(name: str) -> list[str]:
    """``"a.b.c"`` -> ``["a.b.c", "a.b", "a"]``: a blueprint and its parents."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


class Flask(Scaffold):
    """A WSGI application: the registry of views, hooks and configuration.

    ``import_name`` locates the application's files (templates, static files,
    instance folder); pass ``__name__`` of the module that creates it.
    """

    request_class: type[Request] = Request
    response_class: type[Response] = Response
    aborter_class = Aborter
    app_ctx_globals_class = _AppCtxGlobals
    config_class = Config
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    url_rule_class = Rule
    url_map_class = Map
    test_client_class: type[t.Any] | None = None
    test_cli_runner_class: type[t.Any] | None = None
    session_interface: SessionInterface = SecureCookieSessionInterface()
    #: The class of :attr:`jinja_env`.
    jinja_environment = Environment
    #: Options for :attr:`jinja_env`; read once, when the environment is created.
    jinja_options: dict[str, t.Any] = {}

    testing = ConfigAttribute[bool]("TESTING")
    secret_key = ConfigAttribute[t.Union[str, bytes, None]]("SECRET_KEY")
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME",
        get_converter=lambda v: v if isinstance(v, timedelta) else timedelta(seconds=v),
    )

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
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError("If an instance path is provided it must be absolute. A relative path was given instead.")
        self.instance_path = instance_path
        self.config = self.make_config(instance_relative_config)
        self.aborter = self.make_aborter()
        self.json: JSONProvider = self.json_provider_class(self)
        self.url_build_error_handlers: list[
            t.Callable[[Exception, str, dict[str, t.Any]], str]
        ] = []
        self.teardown_appcontext_funcs: list[ft.TeardownCallable] = []
        self.shell_context_processors: list[ft.ShellContextProcessorCallable] = []
        #: Commands for the ``flask``-style CLI; they run in this app's context.
        self.cli: AppGroup = AppGroup(self.name)
        self.blueprints: dict[str, Blueprint] = {}
        self.extensions: dict[str, t.Any] = {}
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        self._got_first_request = False

        if self.has_static_folder:
            assert bool(static_host) == host_matching, "Invalid static_host/host_matching combination"
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=lambda **kw: self.send_static_file(**kw),
            )

    # --- identity and configuration ----------------------------------------

    @property
    def name(self) -> str:
        """The import name, or the script's name when it is ``__main__``."""
        if self.import_name == "__main__":
            fn = getattr(sys.modules["__main__"], "__file__", None)
            if fn is None:
                return "__main__"
            return os.path.splitext(os.path.basename(fn))[0]
        return self.import_name

    @property
    def debug(self) -> bool:
        """Debug mode, bound to the ``DEBUG`` config key (read back as stored)."""
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        # Without an explicit TEMPLATES_AUTO_RELOAD, template reloading follows debug
        # mode; an environment not created yet reads it when it is.
        if self.config["TEMPLATES_AUTO_RELOAD"] is None and "jinja_env" in self.__dict__:
            self.jinja_env.auto_reload = value

    @cached_property
    def logger(self) -> logging.Logger:
        """The :mod:`logging` logger named :attr:`name` (DEBUG level in debug mode)."""
        return create_logger(self)

    def make_config(self, instance_relative: bool = False) -> Config:
        """The config object, filled with :attr:`default_config`."""
        root_path = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """The object :func:`~shim.abort` calls while this app is active."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """``instance`` beside the module or the package folder, or
        ``<prefix>/var/<name>-instance`` when the package is installed."""
        prefix, folder = find_package(self.import_name)
        if prefix is None:
            return os.path.join(folder, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = None) -> t.IO[t.Any]:
        """Open ``resource``, a path relative to :attr:`root_path`, for reading only; text
        is decoded with the locale's encoding unless ``encoding`` is given (blueprints: UTF-8)."""
        return super().open_resource(resource, mode, encoding)

    def open_instance_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """Open ``resource``, a path relative to :attr:`instance_path`, in any mode (writing too)."""
        return open_file(os.path.join(self.instance_path, resource), mode, encoding)

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the application. "
                "It has already handled its first request; make all changes to the "
                "application before it serves requests."
            )

    # --- routing -------------------------------------------------------------

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Register ``rule`` for ``endpoint`` (default: the view's name) and its view.

        Without ``methods``, the view's own ``methods`` attribute or else GET is used.
        The view's ``required_methods`` are always added, and OPTIONS is answered
        automatically unless the argument, the view's ``provide_automatic_options``
        attribute or the ``PROVIDE_AUTOMATIC_OPTIONS`` config turns that off.
        """
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)  # type: ignore[arg-type]
        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            # Iterating a string would register one "method" per letter.
            raise TypeError(f"'methods' must be a list of method names such as ['POST'], not the string {methods!r}")
        wanted = {name.upper() for name in methods}
        extra = set(getattr(view_func, "required_methods", ()))
        if provide_automatic_options is None:
            provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
        if provide_automatic_options is None:
            # A view that lists OPTIONS itself answers it; otherwise the config decides.
            provide_automatic_options = "OPTIONS" not in wanted and bool(self.config["PROVIDE_AUTOMATIC_OPTIONS"])
            if provide_automatic_options:
                extra.add("OPTIONS")
        url_rule = self.url_rule_class(rule, methods=wanted | extra, endpoint=endpoint, **options)
        url_rule.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]
        self.url_map.add(url_rule)
        if view_func is None:
            return  # the view arrives later, through endpoint()
        current = self.view_functions.get(endpoint)
        if current is not None and current != view_func:
            raise AssertionError(
                f"endpoint {endpoint!r} is already bound to {current!r}; give the new view another endpoint name"
            )
        self.view_functions[endpoint] = view_func

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
        """Run ``f(error)`` when the application context is popped."""
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(self, f: T_shell_context_processor) -> T_shell_context_processor:
        """Register ``f``; the dict it returns is added to the ``shell`` command's names."""
        self.shell_context_processors.append(f)
        return f

    def make_shell_context(self) -> dict[str, t.Any]:
        """The ``shell`` command's namespace: ``app``, ``g``, then each processor's names."""
        rv: dict[str, t.Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            rv.update(processor())
        return rv

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """A URL adapter bound to ``request``, or to ``SERVER_NAME`` when there is none."""
        if request is not None:
            if self.config["TRUSTED_HOSTS"] is not None:
                request.trusted_hosts = self.config["TRUSTED_HOSTS"]
            # Reading the host checks it against the trusted hosts.
            request.host  # noqa: B018
            subdomain = None
            server_name = self.config["SERVER_NAME"]
            if self.url_map.host_matching:
                # Host matching reads the full host from the request.
                server_name = None
            elif not self.subdomain_matching:
                # Without subdomain matching every request is on the default subdomain.
                subdomain = self.url_map.default_subdomain or ""
            return self.url_map.bind_to_environ(request.environ, server_name=server_name, subdomain=subdomain)
        if self.config["SERVER_NAME"] is not None:
            return self.url_map.bind(
                self.config["SERVER_NAME"],
                script_name=self.config["APPLICATION_ROOT"],
                url_scheme=self.config["PREFERRED_URL_SCHEME"],
            )
        return None

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Apply the app's, then each enclosing blueprint's, ``url_defaults`` functions."""
        names: t.Iterable[str | None] = (None,)
        if "." in endpoint:
            names = chain(names, reversed(_split_blueprint_path(endpoint.rpartition(".")[0])))
        for name in names:
            for func in self.url_default_functions.get(name, ()):
                func(endpoint, values)

    def handle_url_build_error(self, error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        """Ask :attr:`url_build_error_handlers` for a URL; re-raise if none gives one."""
        for handler in self.url_build_error_handlers:
            try:
                rv = handler(error, endpoint, values)
            except BuildError as e:
                error = e  # let the next handler see the newest error
            else:
                if rv is not None:
                    return rv
        if error is sys.exc_info()[1]:
            raise
        raise error

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint``; :func:`shim.url_for` calls this."""
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            blueprint_name = req_ctx.request.blueprint
            if endpoint[:1] == ".":
                endpoint = f"{blueprint_name}{endpoint}" if blueprint_name is not None else endpoint[1:]
            if _external is None:
                # In a request URLs are relative, unless a scheme is asked for.
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            url_adapter = app_ctx.url_adapter if app_ctx is not None and app_ctx.app is self else self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request without 'SERVER_NAME' "
                    "configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed."
                )
            if _external is None:
                _external = True
        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")

        self.inject_url_defaults(endpoint, values)
        try:
            rv = url_adapter.build(  # type: ignore[union-attr]
                endpoint, values, method=_method, url_scheme=_scheme, force_external=_external
            )
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external)
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            rv = f"{rv}#{_url_quote(_anchor, safe=_ANCHOR_SAFE)}"
        return rv

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """A redirect response of this app's :attr:`response_class`."""
        return _wz_redirect(location, code=code, Response=self.response_class)

    # --- templates -------------------------------------------------------------

    @cached_property
    def jinja_env(self) -> Environment:
        """The Jinja environment, created by :meth:`create_jinja_environment` on first use."""
        return self.create_jinja_environment()

    def create_jinja_environment(self) -> Environment:
        """A new environment from :attr:`jinja_options`, with the app's autoescaping,
        reloading, JSON and template globals."""
        options = dict(self.jinja_options)
        options.setdefault("autoescape", self.select_jinja_autoescape)
        if "auto_reload" not in options:
            auto_reload = self.config["TEMPLATES_AUTO_RELOAD"]
            options["auto_reload"] = bool(self.debug) if auto_reload is None else auto_reload
        env = self.jinja_environment(self, **options)
        # Proxies, so templates see whatever is current when they are rendered.
        env.globals.update(
            url_for=self.url_for,
            get_flashed_messages=get_flashed_messages,
            config=self.config,
            request=request,
            session=session,
            g=g,
        )
        # The |tojson filter serializes with the app's JSON provider.
        env.policies["json.dumps_function"] = self.json.dumps
        return env

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        """The environment's loader: the app's template folder, then each blueprint's.
        Override :attr:`jinja_loader` instead to change where the app's templates are."""
        return DispatchingJinjaLoader(self)

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether a template is autoescaped: always for a string template (no name),
        else by its extension (.html, .htm, .xml, .xhtml, .svg)."""
        if filename is None:
            return True
        return filename.endswith((".html", ".htm", ".xml", ".xhtml", ".svg"))

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add ``g``, ``request`` and the output of the context processors for the
        current request's scopes to ``context``; keys already in it keep their value."""
        given = context.copy()
        context.update(default_template_context())
        names: tuple[str | None, ...] = (None,)
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            # Outer blueprints first, so an inner one's values win.
            names = (None, *reversed(req_ctx.request.blueprints))
        for name in names:
            for func in self.template_context_processors.get(name, ()):
                context.update(self.ensure_sync(func)())
        context.update(given)

    @setupmethod
    def template_filter(self, name: str | None = None) -> t.Callable[[T_template_filter], T_template_filter]:
        """Register the decorated function as a Jinja filter, under ``name`` or its own name."""

        def decorator(f: T_template_filter) -> T_template_filter:
            self.add_template_filter(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_filter(self, f: ft.TemplateFilterCallable, name: str | None = None) -> None:
        """Register ``f`` as a Jinja filter, under ``name`` or its own name."""
        self.jinja_env.filters[name or f.__name__] = f

    @setupmethod
    def template_test(self, name: str | None = None) -> t.Callable[[T_template_test], T_template_test]:
        """Register the decorated function as a Jinja test, under ``name`` or its own name."""

        def decorator(f: T_template_test) -> T_template_test:
            self.add_template_test(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_test(self, f: ft.TemplateTestCallable, name: str | None = None) -> None:
        """Register ``f`` as a Jinja test, under ``name`` or its own name."""
        self.jinja_env.tests[name or f.__name__] = f

    @setupmethod
    def template_global(self, name: str | None = None) -> t.Callable[[T_template_global], T_template_global]:
        """Register the decorated function as a Jinja global, under ``name`` or its own name."""

        def decorator(f: T_template_global) -> T_template_global:
            self.add_template_global(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_template_global(self, f: ft.TemplateGlobalCallable, name: str | None = None) -> None:
        """Register ``f`` as a Jinja global, under ``name`` or its own name."""
        self.jinja_env.globals[name or f.__name__] = f

    # --- contexts ------------------------------------------------------------

    def app_context(self) -> AppContext:
        """A new application context for this app (use it with ``with``)."""
        return AppContext(self)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """A request context for a WSGI environment."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """A request context for a request built from :class:`werkzeug.test.EnvironBuilder` arguments."""
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> t.Any:
        """A test client for this app (:attr:`test_client_class` when set)."""
        cls = self.test_client_class
        if cls is None:
            from .testing import FlaskClient as cls  # noqa: N813
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: t.Any) -> t.Any:
        """A CLI runner for this app (:attr:`test_cli_runner_class`, by default
        :class:`~shim.testing.FlaskCliRunner`), given the app and ``kwargs``."""
        cls = self.test_cli_runner_class
        if cls is None:
            from .testing import FlaskCliRunner as cls  # noqa: N813
        return cls(self, **kwargs)

    def run(
        self, host: str | None = None, port: int | None = None, debug: bool | None = None,
        load_dotenv: bool = True, **options: t.Any,
    ) -> None:
        """Serve the app with Werkzeug's development server (not for production);
        ``options`` go to :func:`werkzeug.serving.run_simple`. Does nothing while a
        CLI command runs, so a stray call at import time cannot block it."""
        from .cli import _run_app

        _run_app(self, host, port, debug, load_dotenv, options)

    # --- the request cycle ---------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """The WSGI application; wrap this, not the app, to add middleware."""
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:  # noqa: E722 - record it for teardown, then let it go
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def full_dispatch_request(self) -> Response:
        """Run hooks and the view, turning errors and return values into a response."""
        self._got_first_request = True
        try:
            request_started.send(self, _async_wrapper=self.ensure_sync)
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        return self.finalize_request(rv)

    def preprocess_request(self) -> ft.ResponseReturnValue | None:
        """URL value preprocessors, then ``before_request`` functions, app first."""
        names = (None, *reversed(request.blueprints))
        for name in names:
            for url_func in self.url_value_preprocessors.get(name, ()):
                url_func(request.endpoint, request.view_args)
        for name in names:
            for before_func in self.before_request_funcs.get(name, ()):
                rv = self.ensure_sync(before_func)()
                if rv is not None:
                    return rv  # type: ignore[no-any-return]
        return None

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the routing error; redirects of form posts get a debug explanation."""
        exc = request.routing_exception
        if (
            not self.debug
            or not isinstance(exc, RequestRedirect)
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc  # type: ignore[misc]
        from .debughelpers import FormDataRoutingRedirect

        raise FormDataRoutingRedirect(request)

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Call the matched view with the URL's values."""
        req = request_ctx.request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule: Rule = req.url_rule  # type: ignore[assignment]
        if getattr(rule, "provide_automatic_options", False) and req.method == "OPTIONS":
            return self.make_default_options_response()
        view_args: dict[str, t.Any] = req.view_args  # type: ignore[assignment]
        return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)  # type: ignore[no-any-return]

    def make_default_options_response(self) -> Response:
        """An empty response whose ``Allow`` lists the URL's methods."""
        adapter = request_ctx.url_adapter
        methods = adapter.allowed_methods()  # type: ignore[union-attr]
        rv = self.response_class()
        rv.allow.update(methods)
        return rv

    def make_response(self, rv: ft.ResponseReturnValue) -> Response:
        """Turn a view's return value into a :attr:`response_class` instance.

        ``rv`` is a body or a ``(body, status, headers)``, ``(body, status)`` or
        ``(body, headers)`` tuple. A body is a response (used as it is, or coerced to
        :attr:`response_class`), str or bytes, a dict or list (sent as JSON), an
        iterator (streamed) or a WSGI callable.
        """
        body: t.Any = rv
        status: t.Any = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                body, status, headers = rv
            elif len(rv) == 2:
                body, second = rv
                # A mapping or a sequence of pairs in second place is headers.
                if isinstance(second, (Headers, dict, tuple, list)):
                    headers = second
                else:
                    status = second
            else:
                raise TypeError(
                    f"a view's tuple must be (body, status, headers), (body, status) or (body, headers), "
                    f"not {len(rv)} items"
                )
        if body is None:
            raise TypeError("the view gave no response: it returned None or ended without a return statement")

        response: Response
        if isinstance(body, self.response_class):
            response = body
        elif isinstance(body, (str, bytes, bytearray, cabc.Iterator)):
            # The constructor takes status and headers itself, keeping repeated header names.
            return self.response_class(body, status=status, headers=headers)
        elif isinstance(body, (dict, list)):
            response = self.json.response(body)
        elif isinstance(body, BaseResponse) or callable(body):
            try:
                response = self.response_class.force_type(body, request.environ)  # type: ignore[arg-type]
            except TypeError as e:
                raise TypeError(f"the view returned a {type(body).__name__} that is not a usable response: {e}") from e
        else:
            raise TypeError(
                f"the view returned a {type(body).__name__}; return str, bytes, a dict or list, an iterator, "
                "a response, a WSGI callable, or a tuple adding a status and/or headers to one of those"
            )
        if status is not None:
            # A string carries its own reason phrase ("201 CREATED"); an int gets the standard one.
            if isinstance(status, (str, bytes, bytearray)):
                response.status = status  # type: ignore[assignment]
            else:
                response.status_code = status
        if headers:
            # Merged into the response: a name it already has is replaced.
            response.headers.update(headers)
        return response

    def finalize_request(self, rv: ft.ResponseReturnValue | HTTPException, from_error_handler: bool = False) -> Response:
        """Make a response, run ``after_request`` processing and send ``request_finished``."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
        except Exception:
            if not from_error_handler:
                raise
            self.log_exception(sys.exc_info())
        return response

    def process_response(self, response: Response) -> Response:
        """``after_this_request`` functions, then ``after_request`` functions innermost
        scope first and in reverse registration order, then the session is saved."""
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        for name in chain(request.blueprints, (None,)):
            for func in reversed(self.after_request_funcs.get(name, ())):
                response = self.ensure_sync(func)(response)
        # ``_session``, not the ``session`` property: saving is not a use by the
        # view and must not add ``Vary: Cookie`` on its own.
        opened = ctx._session
        if not self.session_interface.is_null_session(opened):
            self.session_interface.save_session(self, opened, response)
        return response

    # --- errors ---------------------------------------------------------------

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether an HTTP error should propagate instead of reaching its handler."""
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None and self.debug and isinstance(e, BadRequestKeyError):
            return True
        if trap_bad_request:
            return isinstance(e, HTTPException) and e.code == 400
        return False

    def _find_error_handler(self, e: Exception, blueprints: list[str]) -> ft.ErrorHandlerCallable | None:
        """The handler for ``e``: by status code before by class, innermost blueprint
        before the app, and the most specific class of the exception's MRO first."""
        exc_class, code = self._get_exc_class_and_code(type(e))
        scopes = (*blueprints, None)
        for key in (code, None) if code is not None else (None,):
            for scope in scopes:
                handlers = self.error_handler_spec.get(scope, {}).get(key)
                if not handlers:
                    continue
                for cls in exc_class.__mro__:
                    handler = handlers.get(cls)
                    if handler is not None:
                        return handler
        return None

    def handle_http_exception(self, e: HTTPException) -> HTTPException | ft.ResponseReturnValue:
        """Answer an HTTP error with its handler, or with the error itself."""
        # Exceptions without a code (proxy errors) and routing redirects are
        # responses in their own right; they never reach handlers.
        if e.code is None or isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_user_exception(self, e: Exception) -> HTTPException | ft.ResponseReturnValue:
        """Handle an error raised while dispatching; re-raise it when no handler fits."""
        if isinstance(e, BadRequestKeyError) and (self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]):
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._find_error_handler(e, request.blueprints)
        if handler is None:
            raise
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_exception(self, e: Exception) -> Response:
        """An unhandled error: propagate it in testing/debug, else answer 500."""
        exc_info = sys.exc_info()
        got_request_exception.send(self, _async_wrapper=self.ensure_sync, exception=e)
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            if exc_info[1] is e:
                raise
            raise e
        self.log_exception(exc_info)
        server_error: InternalServerError | ft.ResponseReturnValue = InternalServerError(original_exception=e)
        handler = self._find_error_handler(server_error, request.blueprints)  # type: ignore[arg-type]
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(self, exc_info: t.Any) -> None:
        """Log an unhandled exception (the app logger arrives with shim.logging)."""
        logger = getattr(self, "logger", None)
        if logger is not None:
            logger.error(f"Exception on {request.path} [{request.method}]", exc_info=exc_info)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether teardown functions should see ``error`` (always, by default)."""
        return False

    def do_teardown_request(self, exc: BaseException | None = _NOT_PASSED) -> None:  # type: ignore[assignment]
        """``teardown_request`` functions, innermost scope first, in reverse order.

        Called without ``exc``, they get the exception being handled, if any.
        """
        if exc is _NOT_PASSED:
            exc = sys.exc_info()[1]
        for name in chain(request.blueprints, (None,)):
            for func in reversed(self.teardown_request_funcs.get(name, ())):
                self.ensure_sync(func)(exc)
        request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _NOT_PASSED) -> None:  # type: ignore[assignment]
        """``teardown_appcontext`` functions in reverse order; without ``exc``, they get
        the exception being handled, if any."""
        if exc is _NOT_PASSED:
            exc = sys.exc_info()[1]
        for func in reversed(self.teardown_appcontext_funcs):
            self.ensure_sync(func)(exc)
        appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    # --- async -------------------------------------------------------------------

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """``func`` itself when synchronous; a coroutine function wrapped to run to completion."""
        if inspect.iscoroutinefunction(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(self, func: t.Callable[..., cabc.Coroutine[t.Any, t.Any, t.Any]]) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function with asgiref so it runs synchronously."""
        try:
            from asgiref.sync import async_to_sync as asgiref_async_to_sync
        except ImportError:
            raise RuntimeError(
                "Install the 'async' extra to use async views: pip install 'flask-conformance[async]' "
                "(it provides asgiref)."
            ) from None
        return asgiref_async_to_sync(func)
