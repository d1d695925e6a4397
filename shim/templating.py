"""Jinja integration: the app's environment, a loader over the app's and the
blueprints' template folders, and the functions that render and stream templates."""

from __future__ import annotations

import typing as t

from jinja2 import BaseLoader, ChoiceLoader, Template, TemplateNotFound
from jinja2 import Environment as BaseEnvironment

from .globals import _cv_app, _cv_request, current_app
from .helpers import stream_with_context
from .signals import before_render_template, template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .scaffold import Scaffold

__all__ = [
    "DispatchingJinjaLoader",
    "Environment",
    "explain_template_loading_attempts",
    "TemplateNotFound",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
]


def default_template_context() -> dict[str, t.Any]:
    """What every template context starts with: the current ``g`` and ``request``.

    ``config``, ``session``, ``url_for`` and ``get_flashed_messages`` are environment
    globals instead. The session in particular stays a proxy, so that only a template
    that really reads it marks the session accessed (and the response ``Vary: Cookie``).
    """
    rv: dict[str, t.Any] = {}
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        rv["g"] = app_ctx.g
    req_ctx = _cv_request.get(None)
    if req_ctx is not None:
        rv["request"] = req_ctx.request
    return rv


#: What a Jinja loader's ``get_source`` returns: source, filename, up-to-date check.
_Source = tuple[str, t.Optional[str], t.Optional[t.Callable[[], bool]]]


class Environment(BaseEnvironment):
    """A Jinja environment bound to an application, which it keeps as :attr:`app`.

    Unless a ``loader`` is given, it loads templates with the app's global loader
    (:meth:`shim.Flask.create_global_jinja_loader`).
    """

    def __init__(self, app: Flask, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        self.app = app


class DispatchingJinjaLoader(ChoiceLoader):
    """Jinja's choice loader over the app's loader, then each registered blueprint's.

    The list of loaders is computed on every lookup, so blueprints registered after
    the environment was created still contribute their template folders.
    """

    def __init__(self, app: Flask) -> None:
        # ChoiceLoader's own __init__ would store a fixed list; ours is a property.
        self.app = app

    def _sources(self) -> t.Iterator[tuple[Scaffold, BaseLoader]]:
        """``(owner, loader)`` for the app and each blueprint that has a loader, in order."""
        owners: list[Scaffold] = [self.app, *self.app.iter_blueprints()]
        for owner in owners:
            loader = owner.jinja_loader
            if loader is not None:
                yield owner, loader

    @property
    def loaders(self) -> list[BaseLoader]:  # type: ignore[override]
        """The loaders to try, app first, then blueprints in registration order."""
        return [loader for _, loader in self._sources()]

    def get_source(self, environment: BaseEnvironment, template: str) -> _Source:
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            self._explain(environment, template)
        return super().get_source(environment, template)

    def load(
        self, environment: BaseEnvironment, name: str, globals: t.MutableMapping[str, t.Any] | None = None
    ) -> Template:
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            self._explain(environment, name)
        return super().load(environment, name, globals)

    def _explain(self, environment: BaseEnvironment, template: str) -> None:
        """Try every loader for ``template`` and log what each one found."""
        attempts: list[tuple[BaseLoader, Scaffold, _Source | None]] = []
        for owner, loader in self._sources():
            try:
                source: _Source | None = loader.get_source(environment, template)
            except TemplateNotFound:
                source = None
            attempts.append((loader, owner, source))
        explain_template_loading_attempts(self.app, template, attempts)


def explain_template_loading_attempts(
    app: Flask, template: str, attempts: list[tuple[BaseLoader, Scaffold, _Source | None]]
) -> None:
    """Log, at INFO on the app's logger, which loaders were asked for ``template``
    and what each found (``EXPLAIN_TEMPLATE_LOADING``)."""
    lines = [f"Locating template {template!r}:"]
    found = 0
    for number, (loader, owner, source) in enumerate(attempts, 1):
        kind = "application" if owner is app else "blueprint"
        lines.append(f"  {number}: loader of {kind} {owner.name!r} ({type(loader).__name__})")
        if source is None:
            lines.append("     -> no match")
            continue
        found += 1
        lines.append(f"     -> found ({source[1]!r})")
    if found == 0:
        lines.append("Error: the template was not found.")
    elif found > 1:
        lines.append("Warning: several loaders have this template; the first one is used.")
    app.logger.info("\n".join(lines))


def _render(app: Flask, template: Template, context: dict[str, t.Any]) -> str:
    app.update_template_context(context)
    before_render_template.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    rv = template.render(context)
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    return rv


def render_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> str:
    """Render the template found by name (the first that exists, given a list) with ``context``."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render the template source ``source`` with ``context``; it is always autoescaped."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return _render(app, app.jinja_env.from_string(source), context)


def _stream(app: Flask, template: Template, context: dict[str, t.Any]) -> t.Iterator[str]:
    app.update_template_context(context)
    before_render_template.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)

    def generate() -> t.Iterator[str]:
        yield from template.generate(context)
        template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)

    rv = generate()
    # Inside a request, keep its context alive until the stream is consumed, which
    # is after the view has returned.
    if _cv_request.get(None) is not None:
        rv = stream_with_context(rv)
    return rv


def stream_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template`, but an iterator of rendered pieces, for a streamed response."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template_string`, but an iterator of rendered pieces."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return _stream(app, app.jinja_env.from_string(source), context)
