"""Locating the application for the command line, and reading dotenv files.

A target (``--app`` or ``FLASK_APP``) reads ``<where>[:<what>]``. *Where* is a
dotted module name or a path to a ``.py`` file or package folder; *what* is a
variable or a factory call with literal arguments. With no target, the modules
``wsgi`` and then ``app`` of the working directory are tried. Every way of not
getting an application ends in :class:`NoAppException`, a click usage error.

:mod:`shim.cli` re-exports the public names; they live here so the command
line's groups and commands stay readable.
"""

from __future__ import annotations

import ast
import collections
import importlib
import inspect
import os
import sys
import traceback
import types
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import click

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask

#: Module names tried, in order, when no target is given.
_FALLBACK_FILES = ("wsgi.py", "app.py")
#: Variable names that mark the application, then the factories called with no
#: arguments when no variable holds one. Documented lookup order.
_CONVENTIONAL_VARIABLES = ("app", "application")
_CONVENTIONAL_FACTORIES = ("create_app", "make_app")
#: Dotenv files read by default, the one that wins first.
_DEFAULT_DOTENV_FILES = (".env", ".flaskenv")
#: Tells "no such attribute" apart from an attribute that holds None.
_MISSING = object()


class NoAppException(click.UsageError):
    """The command line could not obtain an application (click prints it as a usage error)."""


def _app_class() -> type[Flask]:
    # shim.app imports the CLI for ``Flask.cli``; importing it back at load time would loop.
    from .app import Flask

    return Flask


# --- turning a target into an importable module name ------------------------------


def _split_target(target: str) -> tuple[str, str | None]:
    """``where[:what]`` as (where, what). A colon directly followed by a slash or a
    backslash is a Windows drive (``C:\\site\\app.py``), never the separator."""
    for index, char in enumerate(target):
        if char == ":" and target[index + 1 : index + 2] not in ("/", "\\"):
            return target[:index], target[index + 1 :]
    return target, None


def _search_first(folder: str) -> None:
    """Make ``folder`` the first place imports look, without stacking duplicates."""
    if sys.path[:1] != [folder]:
        sys.path.insert(0, folder)


def prepare_import(path: str) -> str:
    """Return the dotted name under which ``path`` (a file, a package folder or a
    dotted name) imports, and put the folder it imports from first on ``sys.path``.

    Enclosing packages (folders holding ``__init__.py``) are climbed, so
    ``pkg/sub/mod.py`` becomes ``pkg.sub.mod``, imported from above ``pkg``.
    """
    target = Path(path).resolve()
    if target.suffix == ".py":
        target = target.with_suffix("")
    if target.name == "__init__":
        target = target.parent
    dotted = [target.name]
    root = target.parent
    while (root / "__init__.py").is_file():
        dotted.insert(0, root.name)
        root = root.parent
    _search_first(str(root))
    return ".".join(dotted)


# --- importing the module -------------------------------------------------------------


def _is_the_missing_module(error: ImportError, module_name: str) -> bool:
    """True when ``error`` reports ``module_name`` itself (or a package above it) as
    absent; False when the module exists and something it imports failed."""
    if not isinstance(error, ModuleNotFoundError) or error.name is None:
        return False
    return f"{module_name}.".startswith(f"{error.name}.")


def _describe_inner_failure(error: ImportError) -> str:
    """The failure as a traceback limited to the user's frames (no import machinery)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__ and not frame.filename.startswith("<frozen importlib")
    ]
    listing = "".join(traceback.format_list(frames))
    return listing + "".join(traceback.format_exception_only(type(error), error))


def _import_for_app(module_name: str, required: bool) -> types.ModuleType | None:
    """Import ``module_name``. An absent module gives None, or NoAppException when
    ``required``; a module whose own imports fail always gives NoAppException."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        if _is_the_missing_module(error, module_name):
            if required:
                raise NoAppException(f"There is no importable module {module_name!r}.") from None
            return None
        # The module is there but broke while running; "no such module" would mislead.
        details = _describe_inner_failure(error)
        raise NoAppException(f"The module {module_name!r} exists, but importing it failed:\n\n{details}") from error


# --- calling factories -------------------------------------------------------------


def _takes(factory: t.Callable[..., t.Any], args: tuple[t.Any, ...], kwargs: t.Mapping[str, t.Any]) -> bool:
    """Whether ``factory``'s signature accepts these arguments. Checking before the
    call keeps a TypeError raised inside the factory apart from a bad call."""
    try:
        inspect.signature(factory).bind(*args, **kwargs)
    except TypeError:
        return False
    except ValueError:  # a callable without an introspectable signature: just try it
        return True
    return True


@dataclass(frozen=True)
class _Reference:
    """The part after the colon: a plain name, or a factory with its literal arguments."""

    name: str
    args: tuple[t.Any, ...] = ()
    kwargs: dict[str, t.Any] = field(default_factory=dict)


def _reference_from_name(node: ast.Name, text: str) -> _Reference:
    return _Reference(node.id)


def _reference_from_call(node: ast.Call, text: str) -> _Reference:
    if not isinstance(node.func, ast.Name):
        raise NoAppException(f"In {text!r} the factory must be named directly, not reached through attributes.")
    try:
        args = tuple(map(ast.literal_eval, node.args))
        # ``**mapping`` entries carry no name and cannot be literals: they are skipped.
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg is not None}
    except ValueError:
        raise NoAppException(f"The arguments in {text!r} must all be Python literals.") from None
    return _Reference(node.func.id, args, kwargs)


_REFERENCE_READERS: dict[type[ast.AST], t.Callable[[t.Any, str], _Reference]] = {
    ast.Name: _reference_from_name,
    ast.Call: _reference_from_call,
}


def _read_reference(text: str) -> _Reference:
    """Parse ``name`` or ``name(literal, key=literal)`` into a :class:`_Reference`."""
    try:
        node: ast.AST | None = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        node = None
    reader = _REFERENCE_READERS.get(type(node))
    if reader is None:
        raise NoAppException(f"Cannot read {text!r}: write a name, or a factory call like 'create_app()'.")
    return reader(node, text)


# --- finding the app in a module -------------------------------------------------------


def _by_conventional_name(module: types.ModuleType, kind: type[Flask]) -> Flask | None:
    values = (getattr(module, name, None) for name in _CONVENTIONAL_VARIABLES)
    return next((value for value in values if isinstance(value, kind)), None)


def _sole_instance(module: types.ModuleType, kind: type[Flask]) -> Flask | None:
    # Every binding counts: the same app under two names is ambiguous too.
    bound = [value for value in vars(module).values() if isinstance(value, kind)]
    if len(bound) > 1:
        raise NoAppException(
            f"{len(bound)} application objects are bound in {module.__name__!r}, and none of "
            f"them is called 'app'. Pick one with '{module.__name__}:<variable>'."
        )
    return bound[0] if bound else None


def _from_conventional_factory(module: types.ModuleType, kind: type[Flask]) -> Flask | None:
    for name in _CONVENTIONAL_FACTORIES:
        factory = getattr(module, name, None)
        if not inspect.isfunction(factory):
            continue
        if not _takes(factory, (), {}):
            raise NoAppException(
                f"{module.__name__!r} has a factory {name!r}, but it needs arguments. "
                f"Give them with '{module.__name__}:{name}(...)'."
            )
        made = factory()
        if isinstance(made, kind):
            return made
    return None


#: The documented order of the automatic search.
_SEARCHES = (_by_conventional_name, _sole_instance, _from_conventional_factory)


def find_best_app(module: types.ModuleType) -> Flask:
    """The application ``module`` provides, found without a name: a variable ``app``
    or ``application``, else the module's one application object, else the result
    of calling ``create_app`` or ``make_app`` without arguments."""
    kind = _app_class()
    for search in _SEARCHES:
        found = search(module, kind)
        if found is not None:
            return found
    raise NoAppException(
        f"Module {module.__name__!r} holds no application and no factory for one. "
        f"Name it explicitly with '{module.__name__}:<name>'."
    )


def find_app_by_string(module: types.ModuleType, app_name: str) -> Flask:
    """The application that ``app_name`` names in ``module``: a variable, or a
    factory function, called with the literal arguments written after its name."""
    reference = _read_reference(app_name)
    obj = getattr(module, reference.name, _MISSING)
    if obj is _MISSING:
        raise NoAppException(f"Module {module.__name__!r} defines nothing called {reference.name!r}.")
    if inspect.isfunction(obj):
        if not _takes(obj, reference.args, reference.kwargs):
            raise NoAppException(
                f"{app_name!r} does not fit the parameters of the factory {reference.name!r} "
                f"defined by {module.__name__!r}."
            )
        obj = obj(*reference.args, **reference.kwargs)
    if not isinstance(obj, _app_class()):
        raise NoAppException(f"{app_name!r} in {module.__name__!r} gave something that is not an application.")
    return obj


def locate_app(module_name: str, app_name: str | None, raise_if_not_found: bool = True) -> Flask | None:
    """Import ``module_name`` and take its application: the one ``app_name`` names,
    or the automatic search's. None when the module does not exist and
    ``raise_if_not_found`` is false."""
    module = _import_for_app(module_name, required=raise_if_not_found)
    if module is None:
        return None
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def load_target(target: str | None) -> Flask:
    """The application for a ``--app`` value; with an empty or missing value, the
    first of the modules ``wsgi`` and ``app`` that holds one."""
    if target:
        where, what = _split_target(target)
        app = locate_app(prepare_import(where), what)
    else:
        tried = (locate_app(prepare_import(name), None, raise_if_not_found=False) for name in _FALLBACK_FILES)
        app = next((found for found in tried if found is not None), None)
    if app is None:
        raise NoAppException(
            "Could not tell which application to use. Pass '--app', set FLASK_APP, "
            "or run the command where wsgi.py or app.py can be imported."
        )
    return app


# --- dotenv files ------------------------------------------------------------------------


def _dotenv() -> types.ModuleType | None:
    """python-dotenv, or None when it is not installed."""
    try:
        import dotenv
    except ImportError:
        return None
    return dotenv


def dotenv_available() -> bool:
    """Whether python-dotenv can be imported."""
    return _dotenv() is not None


def load_dotenv(path: str | os.PathLike[str] | None = None, load_defaults: bool = True) -> bool:
    """Copy variables from dotenv files into :data:`os.environ`, keeping any variable
    that is already set, and report whether the files defined anything.

    Precedence, highest first: ``path``, then ``.env``, then ``.flaskenv`` (the two
    defaults only with ``load_defaults``; each is searched for from the working
    directory upwards). The working directory is never changed. Without
    python-dotenv nothing is loaded and a hint is printed if such files exist.
    """
    dotenv = _dotenv()
    if dotenv is None:
        if path or any(os.path.isfile(name) for name in _DEFAULT_DOTENV_FILES):
            click.secho(" * Tip: python-dotenv is missing, so the dotenv files here are ignored.", fg="yellow", err=True)
        return False
    sources: list[str | os.PathLike[str]] = []
    if path is not None and os.path.isfile(path):
        sources.append(path)
    if load_defaults:
        sources.extend(filter(None, (dotenv.find_dotenv(name, usecwd=True) for name in _DEFAULT_DOTENV_FILES)))
    layers = [dotenv.dotenv_values(source, encoding="utf-8") for source in sources]
    # The first layer holding a key decides its value, even a value-less key.
    for key, value in collections.ChainMap(*layers).items():
        if value is not None:
            os.environ.setdefault(key, value)
    return any(layers)
