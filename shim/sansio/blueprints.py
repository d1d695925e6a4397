"""Blueprints: routes, hooks and handlers set up once, then applied to apps later.

Everything a blueprint is given is either kept in its own registries (merged into
the app under the blueprint's name) or recorded as a callback that receives a
:class:`BlueprintSetupState` for each registration.
"""

from __future__ import annotations

import functools
import typing as t

from .. import typing as ft
from ..cli import AppGroup
from .scaffold import (
    HOOK_REGISTRIES,
    FolderArg,
    Scaffold,
    _decorator_for,
    _endpoint_from_view_func,
    _Fn,
    setupmethod,
)

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import App

#: What :meth:`Blueprint.record` accepts: a callback run on every registration.
DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]


class _DefaultCliGroup:
    """Type of the ``cli_group`` default, so that signatures show what it means."""

    def __repr__(self) -> str:
        return "<blueprint name>"


#: ``cli_group`` when none is given: the commands go in a group named after the blueprint.
_default_cli_group: t.Any = _DefaultCliGroup()


def _join_paths(prefix: str, path: str) -> str:
    """``prefix`` and ``path`` joined by exactly one slash."""
    return f"{prefix.rstrip('/')}/{path.lstrip('/')}"


def _dotted(*parts: str) -> str:
    """Non-empty ``parts`` joined by dots: the nesting separator of names and endpoints."""
    return ".".join(part for part in parts if part)


def _refuse_dot(what: str, value: str) -> None:
    # A dot inside one part would make nested names and endpoints ambiguous.
    if "." in value:
        raise ValueError(f"{what} {value!r} contains '.', which is reserved for joining nested blueprint names.")


#: How a nested blueprint's setting combines with its parent registration's,
#: ``join(parent, child)``: a child's subdomain goes left of the parent's, a URL
#: prefix goes under the parent's.
_NESTED_SETTINGS: dict[str, t.Callable[[str, str], str]] = {
    "subdomain": lambda parent, child: f"{child}.{parent}",
    "url_prefix": _join_paths,
}


class BlueprintSetupState:
    """One registration of a blueprint on an app, as record callbacks see it.

    :meth:`Blueprint.make_setup_state` creates it; options given to
    ``register_blueprint`` take precedence over the blueprint's own settings.
    """

    def __init__(self, blueprint: Blueprint, app: App, options: t.Any, first_registration: bool) -> None:
        self.app, self.blueprint = app, blueprint
        #: The ``register_blueprint`` keyword arguments (plus ``name_prefix`` when nested).
        self.options = options
        #: False when this same blueprint object is already registered on the app.
        self.first_registration = first_registration
        #: The registered name (without the parents' names) and the parents' dotted name.
        self.name: str = options.get("name", blueprint.name)
        self.name_prefix: str = options.get("name_prefix", "")
        #: Subdomain and URL prefix of every rule of this registration, or None.
        self.subdomain: str | None = self._setting("subdomain")
        self.url_prefix: str | None = self._setting("url_prefix")
        #: Default view arguments: the blueprint's, overridden by the registration's.
        self.url_defaults: dict[str, t.Any] = {**blueprint.url_values_defaults, **options.get("url_defaults", {})}

    def _setting(self, key: str) -> t.Any:
        """The registration's value for ``key``, else the blueprint's."""
        given = self.options.get(key)
        return getattr(self.blueprint, key) if given is None else given

    def add_url_rule(
        self, rule: str, endpoint: str | None = None, view_func: ft.RouteCallable | None = None, **options: t.Any
    ) -> None:
        """Add a rule to the app, placed under this registration's prefix, subdomain and name."""
        if self.url_prefix is not None:
            # The empty rule means the prefix itself (no trailing slash added).
            rule = _join_paths(self.url_prefix, rule) if rule else self.url_prefix
        options.setdefault("subdomain", self.subdomain)
        options["defaults"] = {**self.url_defaults, **options.get("defaults", {})}
        short = _endpoint_from_view_func(view_func) if endpoint is None else endpoint
        self.app.add_url_rule(rule, _dotted(self.name_prefix, self.name, short), view_func, **options)


def _app_wide(decorator: str, app_decorator: str) -> t.Any:
    """The ``Blueprint`` decorator ``decorator``: on the blueprint's first registration
    on an app it passes ``f`` to the app's own ``app_decorator``."""

    def add(self: Blueprint, f: _Fn) -> _Fn:
        self.record_once(lambda state: getattr(state.app, app_decorator)(f))
        return f

    return _blueprint_method(add, decorator, f"Like ``{app_decorator}``, but for the whole app, not just this blueprint.")


def _app_template_helper(kind: str) -> tuple[t.Any, t.Any]:
    """``(app_template_<kind>, add_app_template_<kind>)``: a decorator and a method that
    give a Jinja filter, test or global to the whole app on its first registration."""

    def add(self: Blueprint, f: t.Callable[..., t.Any], name: str | None = None) -> None:
        self.record_once(lambda state: getattr(state.app, f"add_template_{kind}")(f, name=name))

    def decorator(self: Blueprint, name: str | None = None) -> t.Callable[[_Fn], _Fn]:
        return _decorator_for(functools.partial(getattr(self, f"add_app_template_{kind}"), name=name))

    return (
        _blueprint_method(decorator, f"app_template_{kind}", f"Decorator form of ``add_app_template_{kind}``."),
        _blueprint_method(add, f"add_app_template_{kind}", f"Make ``f`` a Jinja {kind} in all of the app's templates."),
    )


#: Blueprint decorator -> the app decorator it passes functions to, so that they
#: apply to the whole app rather than to the blueprint's own requests.
_APP_WIDE: dict[str, str] = {
    "before_app_request": "before_request",
    "after_app_request": "after_request",
    "teardown_app_request": "teardown_request",
    "app_context_processor": "context_processor",
    "app_url_value_preprocessor": "url_value_preprocessor",
    "app_url_defaults": "url_defaults",
}

#: Kinds of Jinja helpers a blueprint can give to every template of the app.
_TEMPLATE_HELPER_KINDS = ("filter", "test", "global")


def _with_app_wide_methods(cls: type[Blueprint]) -> type[Blueprint]:
    """Class decorator: add the methods generated from :data:`_APP_WIDE` and
    :data:`_TEMPLATE_HELPER_KINDS` to ``cls``."""
    generated: dict[str, t.Any] = {name: _app_wide(name, target) for name, target in _APP_WIDE.items()}
    for kind in _TEMPLATE_HELPER_KINDS:
        generated[f"app_template_{kind}"], generated[f"add_app_template_{kind}"] = _app_template_helper(kind)
    for name, method in generated.items():
        setattr(cls, name, method)
    return cls


def _blueprint_method(func: t.Callable[..., t.Any], name: str, doc: str) -> t.Any:
    """``func`` dressed as the method ``Blueprint.name``, guarded by :func:`setupmethod`."""
    func.__name__, func.__qualname__, func.__doc__ = name, f"Blueprint.{name}", doc
    return setupmethod(func)


@_with_app_wide_methods
class Blueprint(Scaffold):
    """Views, hooks, handlers and folders to register on one or more apps.

    Nothing reaches an app until ``app.register_blueprint(bp)`` calls :meth:`register`;
    endpoints then carry the blueprint's (dotted) name.
    """

    #: Set by the first registration; later setup calls are refused.
    _registered = False

    # Parameters grouped by topic: identity, folders, placement on the app, the rest.
    def __init__(
        self, name: str, import_name: str,
        static_folder: FolderArg = None, static_url_path: str | None = None, template_folder: FolderArg = None,
        url_prefix: str | None = None, subdomain: str | None = None, url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None, cli_group: str | None = _default_cli_group,
    ) -> None:
        if not name:
            raise ValueError("A blueprint needs a non-empty name.")
        _refuse_dot("Blueprint name", name)
        super().__init__(import_name, static_folder, static_url_path, template_folder, root_path)
        self.name = name
        self.url_prefix, self.subdomain = url_prefix, subdomain
        # The constructor's ``url_defaults`` values; the name itself is the decorator.
        self.url_values_defaults: dict[str, t.Any] = {} if url_defaults is None else url_defaults
        self.deferred_functions: list[DeferredSetupFunction] = []
        self.cli_group = cli_group
        # An AppGroup, so that the blueprint's commands also run inside the app context.
        self.cli: AppGroup = AppGroup(name)
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if not self._registered:
            return
        # Registration already copied the setup into apps; a later change would reach some but not all.
        late = f"Blueprint {self.name!r} is already registered, so {f_name}() may not change it any more."
        raise AssertionError(f"{late} Finish setting up a blueprint before registering it.")

    # --- recording ---------------------------------------------------------------

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Have ``func(state)`` called on every registration of the blueprint."""
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Same as :meth:`record`, except that ``func`` runs on the first registration on each app only."""

        def only_first(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(functools.update_wrapper(only_first, func))

    def make_setup_state(
        self, app: App, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """Create the state record callbacks receive (override to use a subclass)."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest ``blueprint`` here: it is registered, under this one, wherever this one is."""
        if blueprint is self:
            raise ValueError(f"Blueprint {self.name!r} cannot be nested inside itself.")
        self._blueprints.append((blueprint, options))

    @setupmethod
    def add_url_rule(
        self, rule: str, endpoint: str | None = None, view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None, **options: t.Any,
    ) -> None:
        """Record a rule, added to the app under the blueprint's prefix and name when registered."""
        if endpoint:
            _refuse_dot("Endpoint", endpoint)
        if view_func is not None:
            _refuse_dot("View function name", getattr(view_func, "__name__", ""))
        options["provide_automatic_options"] = provide_automatic_options
        self.record(lambda state: state.add_url_rule(rule, endpoint, view_func, **options))

    # --- registration ----------------------------------------------------------------

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        """Apply everything set up on the blueprint to ``app`` (``register_blueprint`` calls this)."""
        name = _dotted(options.get("name_prefix", ""), options.get("name", self.name))
        holder = app.blueprints.get(name)
        if holder is not None:
            other = "this blueprint" if holder is self else "another blueprint"
            raise ValueError(f"{other.capitalize()} is already registered as {name!r}; pass name=... to choose another.")
        first_registration = all(registered is not self for registered in app.blueprints.values())
        app.blueprints[name] = self
        self._registered = True
        state = self.make_setup_state(app, options, first_registration)
        for step in (self._add_static_route, self._merge_into, self._run_recorded, self._attach_cli, self._nest):
            step(state, name)

    def _add_static_route(self, state: BlueprintSetupState, name: str) -> None:
        if self.has_static_folder:
            rule = f"{self.static_url_path}/<path:filename>"
            state.add_url_rule(rule, "static", self.send_static_file)

    def _merge_into(self, state: BlueprintSetupState, name: str) -> None:
        """Copy this blueprint's registries into the app's, re-scoped under ``name``."""

        def scoped(key: ft.AppOrBlueprintKey) -> str:
            return _dotted(name, key or "")

        app = state.app
        # Views given through the endpoint decorator keep the endpoint as written:
        # it must already be the full dotted name (no prefix is added to these).
        app.view_functions.update(self.view_functions)
        for key, by_code in self.error_handler_spec.items():
            target = app.error_handler_spec[scoped(key)]
            for code, handlers in by_code.items():
                target[code].update(handlers)
        for registry in HOOK_REGISTRIES.values():
            into = getattr(app, registry)
            for key, funcs in getattr(self, registry).items():
                if funcs:
                    into.setdefault(scoped(key), []).extend(funcs)

    def _run_recorded(self, state: BlueprintSetupState, name: str) -> None:
        for deferred in self.deferred_functions:
            deferred(state)

    def _attach_cli(self, state: BlueprintSetupState, name: str) -> None:
        """Add the blueprint's commands to the app's CLI, as ``cli_group`` says."""
        if not self.cli.commands:
            return
        group = state.options.get("cli_group", self.cli_group)
        if group is None:
            # No group at all: the commands join the app's top level.
            state.app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _default_cli_group else group
        state.app.cli.add_command(self.cli)

    def _nest(self, state: BlueprintSetupState, name: str) -> None:
        """Register the nested blueprints, inside this registration."""
        for child, given in self._blueprints:
            placed = dict(given, name_prefix=name)
            for key, join in _NESTED_SETTINGS.items():
                chosen = given.get(key)
                inner = getattr(child, key) if chosen is None else chosen
                # Either side may be unset; only when both are set do they combine.
                present = [value for value in (getattr(state, key), inner) if value is not None]
                if present:
                    placed[key] = functools.reduce(join, present)
            child.register(state.app, placed)

    # --- app-wide registrations (the table-driven ones are added by _with_app_wide_methods)

    @setupmethod
    def app_errorhandler(self, code: type[Exception] | int) -> t.Callable[[_Fn], _Fn]:
        """``errorhandler`` for errors raised by any request to the app."""
        return _decorator_for(lambda f: self.record_once(lambda state: state.app.register_error_handler(code, f)))
