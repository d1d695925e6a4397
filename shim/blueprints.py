"""Blueprints: routes, hooks and handlers recorded now and applied to an app later."""

from __future__ import annotations

import os
import typing as t
from functools import update_wrapper

from . import typing as ft
from .cli import AppGroup
from .scaffold import Scaffold, _endpoint_from_view_func, setupmethod

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask

DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_template_filter = t.TypeVar("T_template_filter", bound=t.Callable[..., t.Any])
T_template_global = t.TypeVar("T_template_global", bound=t.Callable[..., t.Any])
T_template_test = t.TypeVar("T_template_test", bound=t.Callable[..., bool])
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar("T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable)


class _DefaultCliGroup:
    """The type of :data:`_default_cli_group`, so its repr says what it means."""

    def __repr__(self) -> str:
        return "<blueprint name>"


#: ``cli_group`` when none was given: commands go in a group named after the blueprint.
_default_cli_group: t.Any = _DefaultCliGroup()


def _join_paths(prefix: str, path: str) -> str:
    """``prefix`` and ``path`` joined by exactly one slash."""
    return f"{prefix.rstrip('/')}/{path.lstrip('/')}"


class BlueprintSetupState:
    """What one registration of a blueprint on an app works with.

    :meth:`Blueprint.make_setup_state` creates it and every :meth:`Blueprint.record`
    callback receives it. Registration options override the blueprint's own settings.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        app: Flask,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        #: The application the blueprint is being registered on.
        self.app = app
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The keyword arguments given to ``register_blueprint`` (plus nesting details).
        self.options = options
        #: False when this blueprint object was registered on the app before.
        self.first_registration = first_registration

        subdomain = options.get("subdomain")
        #: The subdomain the blueprint's rules match on, or None.
        self.subdomain: str | None = blueprint.subdomain if subdomain is None else subdomain
        url_prefix = options.get("url_prefix")
        #: The path every rule of the blueprint is placed under, or None.
        self.url_prefix: str | None = blueprint.url_prefix if url_prefix is None else url_prefix
        #: The name of this registration (before the parents' names are added).
        self.name: str = options.get("name", blueprint.name)
        #: The dotted name of the parent blueprints, empty on an app.
        self.name_prefix: str = options.get("name_prefix", "")
        #: Default view arguments: the blueprint's, updated with the registration's.
        self.url_defaults: dict[str, t.Any] = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the app under this registration's prefix, subdomain and name."""
        if self.url_prefix is not None:
            # An empty rule stands for the prefix itself.
            rule = _join_paths(self.url_prefix, rule) if rule else self.url_prefix
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)  # type: ignore[arg-type]
        defaults = {**self.url_defaults, **options.pop("defaults", {})}
        # Without parents (an empty prefix) the leading dot goes.
        endpoint = f"{self.name_prefix}.{self.name}.{endpoint}".lstrip(".")
        self.app.add_url_rule(rule, endpoint, view_func, defaults=defaults, **options)


class Blueprint(Scaffold):
    """A group of views, hooks, handlers and files to register on apps later.

    Everything set up on a blueprint is recorded; :meth:`register` (called by
    ``register_blueprint``) applies it to an app under the blueprint's name.
    """

    _got_registered_once = False

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _default_cli_group,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if not name:
            raise ValueError("'name' may not be empty.")
        # The dot separates nested blueprint names and endpoints.
        if "." in name:
            raise ValueError("'name' may not contain a dot '.' character.")
        self.name = name
        self.url_prefix = url_prefix
        self.subdomain = subdomain
        self.deferred_functions: list[DeferredSetupFunction] = []
        # ``url_defaults`` is the decorator; the constructor's values live here.
        self.url_values_defaults: dict[str, t.Any] = url_defaults or {}
        self.cli_group = cli_group
        # An AppGroup, so the blueprint's commands run in the app context too.
        self.cli: AppGroup = AppGroup(name)
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the blueprint "
                f"'{self.name}'. It has already been registered at least once, so a change "
                "would not reach every registration. Finish setting up the blueprint "
                "before registering it."
            )

    # --- recording -----------------------------------------------------------

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Call ``func(state)`` each time the blueprint is registered."""
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Call ``func(state)`` on the first registration on each app only."""

        def once(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(once, func))

    def make_setup_state(
        self, app: Flask, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """The :class:`BlueprintSetupState` that record callbacks receive."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest ``blueprint`` in this one; it is registered wherever this one is."""
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    # --- registration ----------------------------------------------------------

    def register(self, app: Flask, options: dict[str, t.Any]) -> None:
        """Apply everything recorded to ``app``; ``Flask.register_blueprint`` calls this."""
        own_name = options.get("name", self.name)
        name = f"{options.get('name_prefix', '')}.{own_name}".lstrip(".")
        existing = app.blueprints.get(name)
        if existing is not None:
            whose = "this" if existing is self else "a different"
            raise ValueError(
                f"The name '{name}' is already registered for {whose} blueprint. "
                "Use 'name=' to provide a unique name."
            )
        first_registration = all(bp is not self for bp in app.blueprints.values())
        app.blueprints[name] = self
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_registration)

        if self.has_static_folder:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>", view_func=self.send_static_file, endpoint="static"
            )
        self._merge_into(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_cli(app, name, options)
        for child, child_options in self._blueprints:
            child.register(app, self._child_options(state, child, child_options, name))

    def _merge_into(self, app: Flask, name: str) -> None:
        """Copy this blueprint's registries into the app's, scoped to ``name``."""

        def scope(key: ft.AppOrBlueprintKey) -> str:
            return name if key is None else f"{name}.{key}"

        # Views from the endpoint decorator keep the endpoint exactly as given: it
        # must already be the full dotted name (Flask does not prefix these).
        app.view_functions.update(self.view_functions)
        for key, by_code in self.error_handler_spec.items():
            for code, handlers in by_code.items():
                app.error_handler_spec[scope(key)][code].update(handlers)
        registries: list[tuple[dict[t.Any, list[t.Any]], dict[t.Any, list[t.Any]]]] = [
            (self.before_request_funcs, app.before_request_funcs),
            (self.after_request_funcs, app.after_request_funcs),
            (self.teardown_request_funcs, app.teardown_request_funcs),
            (self.url_default_functions, app.url_default_functions),
            (self.url_value_preprocessors, app.url_value_preprocessors),
            (self.template_context_processors, app.template_context_processors),
        ]
        for own, target in registries:
            for key, funcs in own.items():
                if funcs:
                    target.setdefault(scope(key), []).extend(funcs)

    def _register_cli(self, app: Flask, name: str, options: dict[str, t.Any]) -> None:
        """Add the blueprint's commands to the app's CLI, grouped as ``cli_group`` says."""
        if not self.cli.commands:
            return
        group = options.get("cli_group", self.cli_group)
        if group is None:
            app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _default_cli_group else group
        app.cli.add_command(self.cli)

    @staticmethod
    def _child_options(
        state: BlueprintSetupState, child: Blueprint, options: dict[str, t.Any], name: str
    ) -> dict[str, t.Any]:
        """A nested blueprint's options: subdomain and prefix combined with this registration's."""
        options = dict(options)
        subdomain = options.get("subdomain")
        if subdomain is None:
            subdomain = child.subdomain
        if subdomain is not None and state.subdomain is not None:
            options["subdomain"] = f"{subdomain}.{state.subdomain}"
        elif subdomain is not None or state.subdomain is not None:
            options["subdomain"] = subdomain if subdomain is not None else state.subdomain
        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = child.url_prefix
        if url_prefix is not None and state.url_prefix is not None:
            options["url_prefix"] = _join_paths(state.url_prefix, url_prefix)
        elif url_prefix is not None or state.url_prefix is not None:
            options["url_prefix"] = url_prefix if url_prefix is not None else state.url_prefix
        options["name_prefix"] = name
        return options

    # --- routes -------------------------------------------------------------------

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a rule; it is added under the blueprint's prefix and name on registration."""
        if endpoint and "." in endpoint:
            raise ValueError("'endpoint' may not contain a dot '.' character.")
        if view_func is not None and "." in getattr(view_func, "__name__", ""):
            raise ValueError("'view_func' name may not contain a dot '.' character.")
        self.record(
            lambda s: s.add_url_rule(
                rule, endpoint, view_func, provide_automatic_options=provide_automatic_options, **options
            )
        )

    # --- app-wide registrations ------------------------------------------------------

    @setupmethod
    def app_template_filter(self, name: str | None = None) -> t.Callable[[T_template_filter], T_template_filter]:
        """Decorator form of :meth:`add_app_template_filter`."""

        def decorator(f: T_template_filter) -> T_template_filter:
            self.add_app_template_filter(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_filter(self, f: ft.TemplateFilterCallable, name: str | None = None) -> None:
        """Register a Jinja filter for every template of the app."""
        self.record_once(lambda s: s.app.add_template_filter(f, name=name))

    @setupmethod
    def app_template_test(self, name: str | None = None) -> t.Callable[[T_template_test], T_template_test]:
        """Decorator form of :meth:`add_app_template_test`."""

        def decorator(f: T_template_test) -> T_template_test:
            self.add_app_template_test(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_test(self, f: ft.TemplateTestCallable, name: str | None = None) -> None:
        """Register a Jinja test for every template of the app."""
        self.record_once(lambda s: s.app.add_template_test(f, name=name))

    @setupmethod
    def app_template_global(self, name: str | None = None) -> t.Callable[[T_template_global], T_template_global]:
        """Decorator form of :meth:`add_app_template_global`."""

        def decorator(f: T_template_global) -> T_template_global:
            self.add_app_template_global(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_global(self, f: ft.TemplateGlobalCallable, name: str | None = None) -> None:
        """Register a Jinja global for every template of the app."""
        self.record_once(lambda s: s.app.add_template_global(f, name=name))

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """Like :meth:`before_request`, but for every request to the app."""
        self.record_once(lambda s: s.app.before_request(f))
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """Like :meth:`after_request`, but for every request to the app."""
        self.record_once(lambda s: s.app.after_request(f))
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """Like :meth:`teardown_request`, but for every request to the app."""
        self.record_once(lambda s: s.app.teardown_request(f))
        return f

    @setupmethod
    def app_context_processor(self, f: T_template_context_processor) -> T_template_context_processor:
        """Like :meth:`context_processor`, but for templates rendered by any view."""
        self.record_once(lambda s: s.app.context_processor(f))
        return f

    @setupmethod
    def app_errorhandler(self, code: type[Exception] | int) -> t.Callable[[T_error_handler], T_error_handler]:
        """Like :meth:`errorhandler`, but for errors from every request."""

        def decorator(f: T_error_handler) -> T_error_handler:
            self.record_once(lambda s: s.app.register_error_handler(code, f))
            return f

        return decorator

    @setupmethod
    def app_url_value_preprocessor(self, f: T_url_value_preprocessor) -> T_url_value_preprocessor:
        """Like :meth:`url_value_preprocessor`, but for every request."""
        self.record_once(lambda s: s.app.url_value_preprocessor(f))
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Like :meth:`url_defaults`, but for building any URL."""
        self.record_once(lambda s: s.app.url_defaults(f))
        return f
