"""The application's Jinja side: its environment, autoescaping and the template context."""

from __future__ import annotations

import typing as t
from functools import cached_property, partial

from ._scopes import APP_ONLY, for_request, in_order
from .globals import _cv_request, g, request, session
from .helpers import get_flashed_messages
from .sansio.scaffold import _decorator_for, setupmethod
from .templating import DispatchingJinjaLoader, Environment

if t.TYPE_CHECKING:  # pragma: no cover
    from . import typing as ft
    from .config import Config
    from .json.provider import JSONProvider

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

# Data, not code: the file types Flask documents as autoescaped by default.
_AUTOESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg")

#: Environment globals that are the same for every app. The proxies resolve when a
#: template reads them, so one environment serves every request.
_SHARED_GLOBALS: dict[str, t.Any] = {
    "request": request,
    "session": session,
    "g": g,
    "get_flashed_messages": get_flashed_messages,
}


def _registration_pair(kind: str, namespace: str) -> tuple[t.Any, t.Any]:
    """The setup methods ``template_<kind>`` (a decorator) and ``add_template_<kind>``,
    which put a function into the environment's ``namespace`` mapping. The decorator
    goes through the ``add_`` method, so a subclass overriding that sees both uses."""
    adder_name = f"add_template_{kind}"

    def add(self: TemplatingMixin, f: t.Callable[..., t.Any], name: str | None = None) -> None:
        getattr(self.jinja_env, namespace)[name or f.__name__] = f

    def decorate(self: TemplatingMixin, name: str | None = None) -> t.Callable[[F], F]:
        return _decorator_for(partial(getattr(self, adder_name), name=name))

    article = "an" if kind[0] in "aeiou" else "a"
    add.__doc__ = f"Make ``f`` {article} Jinja {kind} called ``name`` (default: the function's name)."
    decorate.__doc__ = f"Decorator form of :meth:`{adder_name}`: the decorated function becomes {article} Jinja {kind}."
    for method, method_name in ((add, adder_name), (decorate, f"template_{kind}")):
        method.__name__ = method_name
        method.__qualname__ = f"Flask.{method_name}"
    return setupmethod(decorate), setupmethod(add)


class TemplatingMixin:
    """Creates and configures the app's :class:`~shim.templating.Environment`."""

    config: Config
    debug: bool
    json: JSONProvider
    jinja_environment: type[Environment]
    jinja_options: dict[str, t.Any]
    template_context_processors: dict[ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]]
    url_for: t.Callable[..., str]
    ensure_sync: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]

    @cached_property
    def jinja_env(self) -> Environment:
        """The app's Jinja environment, made by :meth:`create_jinja_environment` on first use."""
        return self.create_jinja_environment()

    def _auto_reload_default(self) -> bool:
        """Whether templates reload when changed: ``TEMPLATES_AUTO_RELOAD``, or debug mode
        when that is left unset."""
        configured = self.config["TEMPLATES_AUTO_RELOAD"]
        return bool(self.debug) if configured is None else configured

    def _debug_changed(self, debug: bool) -> None:
        """Keep an existing environment's reloading in step with debug mode, unless
        ``TEMPLATES_AUTO_RELOAD`` decides it (an environment made later reads it itself)."""
        if "jinja_env" in self.__dict__ and self.config["TEMPLATES_AUTO_RELOAD"] is None:
            self.jinja_env.auto_reload = debug

    def create_jinja_environment(self) -> Environment:
        """A fresh environment: :attr:`jinja_options` over the app's defaults for
        autoescaping and reloading, plus the globals and JSON policy templates rely on."""
        options = {"autoescape": self.select_jinja_autoescape, **self.jinja_options}
        if "auto_reload" not in options:
            options["auto_reload"] = self._auto_reload_default()
        env = self.jinja_environment(self, **options)  # type: ignore[arg-type]
        env.globals.update(_SHARED_GLOBALS, url_for=self.url_for, config=self.config)
        # ``|tojson`` must serialize exactly as the app's JSON provider does.
        env.policies["json.dumps_function"] = self.json.dumps
        return env

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        """The loader the environment searches: the app's templates, then each
        blueprint's. To move the app's own templates, override ``jinja_loader``."""
        return DispatchingJinjaLoader(self)  # type: ignore[arg-type]

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Autoescape templates made from strings (no file name) and files whose
        extension is one of .html, .htm, .xml, .xhtml and .svg."""
        return filename is None or filename.endswith(_AUTOESCAPED)

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Fill ``context`` for rendering with what the context processors return (app
        first, the request's blueprints after; the first supplies ``g`` and ``request``). Values
        the caller put in ``context`` are kept over anything added."""
        explicit = dict(context)
        req_ctx = _cv_request.get(None)
        registry = self.template_context_processors
        found = in_order(registry, APP_ONLY) if req_ctx is None else for_request(registry, req_ctx.request)
        for processor in found:
            context.update(self.ensure_sync(processor)())
        context.update(explicit)

    # The documented trios: template_filter/add_template_filter, and so on.
    template_filter, add_template_filter = _registration_pair("filter", "filters")
    template_test, add_template_test = _registration_pair("test", "tests")
    template_global, add_template_global = _registration_pair("global", "globals")
