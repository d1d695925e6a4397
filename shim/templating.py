"""Jinja integration: the app's environment, a loader that searches the app's and
the blueprints' template folders, and the render and stream functions."""

from __future__ import annotations

import typing as t

from blinker import Signal
from jinja2 import BaseLoader, ChoiceLoader, Template, TemplateNotFound
from jinja2 import Environment as BaseEnvironment

from .globals import _cv_app, _cv_request, current_app
from .helpers import stream_with_context
from .signals import before_render_template, template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .sansio.scaffold import Scaffold

__all__ = [
    "DispatchingJinjaLoader",
    "Environment",
    "TemplateNotFound",
    "explain_template_loading_attempts",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
]

#: What a Jinja loader's ``get_source`` returns: source, filename, up-to-date check.
_Source = tuple[str, t.Optional[str], t.Optional[t.Callable[[], bool]]]
#: One loader asked for a template: the loader, whose it is, and what it found.
_Attempt = tuple[BaseLoader, "Scaffold", t.Optional[_Source]]
#: A template as the render functions accept it: a name, a list of names to try, or a template.
_TemplateSpec = t.Union[str, Template, list[t.Union[str, Template]]]

#: Context variables every template gets from the active contexts:
#: ``(context variable, attribute of the context object, template name)``.
_CONTEXT_OBJECTS = ((_cv_app, "g", "g"), (_cv_request, "request", "request"))


def default_template_context() -> dict[str, t.Any]:
    """The objects every template context starts with: ``g`` and ``request`` when their
    contexts are active.

    ``config``, ``session``, ``url_for`` and ``get_flashed_messages`` are environment
    globals instead. The session in particular stays a proxy, so that only a template
    that really reads it marks the session accessed (and the response ``Vary: Cookie``).
    """
    found: dict[str, t.Any] = {}
    for var, attribute, template_name in _CONTEXT_OBJECTS:
        active = var.get(None)
        if active is not None:
            found[template_name] = getattr(active, attribute)
    return found


class Environment(BaseEnvironment):
    """A Jinja environment that belongs to an application (:attr:`app`).

    Without an explicit ``loader`` it uses the app's global loader
    (:meth:`shim.Flask.create_global_jinja_loader`).
    """

    def __init__(self, app: Flask, **options: t.Any) -> None:
        chosen = options if "loader" in options else {**options, "loader": app.create_global_jinja_loader()}
        super().__init__(**chosen)
        self.app = app


def _ask(loader: BaseLoader, environment: BaseEnvironment, template: str) -> _Source | None:
    """``loader``'s source for ``template``, or None when it does not have it."""
    try:
        return loader.get_source(environment, template)
    except TemplateNotFound:
        return None


class DispatchingJinjaLoader(ChoiceLoader):
    """Jinja's choice loader over the app's loader, then each registered blueprint's.

    The list of loaders is computed on every lookup, so blueprints registered after
    the environment was created still contribute their template folders.
    """

    def __init__(self, app: Flask) -> None:
        # ChoiceLoader's own __init__ would store a fixed list; ours is a property.
        self.app = app

    def _owned_loaders(self) -> t.Iterator[tuple[Scaffold, BaseLoader]]:
        """``(owner, loader)`` for the app and each blueprint that has a loader, in order."""
        owners: list[Scaffold] = [self.app, *self.app.iter_blueprints()]
        return ((owner, loader) for owner in owners if (loader := owner.jinja_loader) is not None)

    @property
    def loaders(self) -> list[BaseLoader]:  # type: ignore[override]
        """The loaders to try, app first, then blueprints in registration order."""
        return [loader for _, loader in self._owned_loaders()]

    def _report_if_asked(self, environment: BaseEnvironment, template: str) -> None:
        # Under EXPLAIN_TEMPLATE_LOADING every loader is asked, only to log what each has;
        # the lookup itself is left to ChoiceLoader.
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            attempts = [(loader, owner, _ask(loader, environment, template)) for owner, loader in self._owned_loaders()]
            explain_template_loading_attempts(self.app, template, attempts)

    def get_source(self, environment: BaseEnvironment, template: str) -> _Source:
        self._report_if_asked(environment, template)
        return super().get_source(environment, template)

    def load(
        self, environment: BaseEnvironment, name: str, globals: t.MutableMapping[str, t.Any] | None = None
    ) -> Template:
        # Environment.get_template goes through load, not get_source, so report here too.
        self._report_if_asked(environment, name)
        return super().load(environment, name, globals)


def explain_template_loading_attempts(app: Flask, template: str, attempts: list[_Attempt]) -> None:
    """Log at INFO, on the app's logger, which loaders were asked for ``template`` and
    what each one had (the ``EXPLAIN_TEMPLATE_LOADING`` report)."""
    hits = sum(source is not None for _, _, source in attempts)
    report = [f"Template {template!r}: asked {len(attempts)} loader(s), {hits} had it."]
    for position, (loader, owner, source) in enumerate(attempts, 1):
        whose = f"the app {owner.name!r}" if owner is app else f"blueprint {owner.name!r}"
        outcome = "nothing" if source is None else f"the file {source[1]!r}"
        report.append(f"  #{position} {type(loader).__name__} of {whose}: {outcome}")
    if hits == 0:
        report.append("No loader has this template, so loading it fails.")
    elif hits > 1:
        report.append("More than one loader has it; the first one listed wins.")
    app.logger.info("\n".join(report))


# --- rendering -----------------------------------------------------------------------


def _announce(signal: Signal, app: Flask, template: Template, context: dict[str, t.Any]) -> None:
    signal.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)


def _prepare(spec: _TemplateSpec, context: dict[str, t.Any], *, from_source: bool) -> tuple[Flask, Template]:
    """Load the template, complete ``context`` and announce the render that follows."""
    # The real app, not the proxy: it is the sender of the signals.
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    env = app.jinja_env
    template = env.from_string(spec) if from_source else env.get_or_select_template(spec)  # type: ignore[arg-type]
    app.update_template_context(context)
    _announce(before_render_template, app, template, context)
    return app, template


def _render_now(spec: _TemplateSpec, context: dict[str, t.Any], *, from_source: bool) -> str:
    app, template = _prepare(spec, context, from_source=from_source)
    text = template.render(context)
    _announce(template_rendered, app, template, context)
    return text


def _render_lazily(spec: _TemplateSpec, context: dict[str, t.Any], *, from_source: bool) -> t.Iterator[str]:
    app, template = _prepare(spec, context, from_source=from_source)

    def pieces() -> t.Iterator[str]:
        yield from template.generate(context)
        _announce(template_rendered, app, template, context)

    # A streamed body is consumed after the view returned; inside a request, keep the
    # request context alive until then.
    return pieces() if _cv_request.get(None) is None else stream_with_context(pieces())


def render_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> str:
    """Render the named template (the first that exists, given a list) with ``context``."""
    return _render_now(template_name_or_list, context, from_source=False)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render the template source ``source`` with ``context``; it is always autoescaped."""
    return _render_now(source, context, from_source=True)


def stream_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template`, but an iterator of rendered pieces, for a streamed response."""
    return _render_lazily(template_name_or_list, context, from_source=False)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template_string`, but an iterator of rendered pieces."""
    return _render_lazily(source, context, from_source=True)
