"""Application configuration: a dict plus loaders for objects, files and the environment.

Every loader that reads Python names or a mapping keeps only UPPERCASE keys, so
helpers, imports and lowercase scratch variables in a settings file never leak
into the configuration. Only :meth:`Config.from_prefixed_env` takes names as the
environment spells them.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import types
import typing as t

from werkzeug.utils import import_string

T = t.TypeVar("T")

#: ``errno`` values that ``silent=True`` treats as "there is no such file".
_ABSENT_PYFILE = frozenset({errno.ENOENT, errno.EISDIR, errno.ENOTDIR})
_ABSENT_FILE = frozenset({errno.ENOENT, errno.EISDIR})


class ConfigAttribute(t.Generic[T]):
    """A descriptor that exposes one config key as an attribute of the app.

    ``get_converter`` turns the stored value into the attribute's type on read
    (e.g. seconds into a ``timedelta``); writes store the value unchanged.
    """

    def __init__(self, name: str, get_converter: t.Callable[[t.Any], T] | None = None) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    @t.overload
    def __get__(self, obj: None, owner: None) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: t.Any, owner: t.Any) -> T: ...

    def __get__(self, obj: t.Any | None, owner: t.Any | None = None) -> T | ConfigAttribute[T]:
        if obj is None:  # looked up on the class: hand back the descriptor
            return self
        stored = obj.config[self.__name__]
        if self.get_converter is None:
            return stored  # type: ignore[no-any-return]  # (no t.cast: a call on every read)
        return self.get_converter(stored)

    def __set__(self, obj: t.Any, value: t.Any) -> None:
        obj.config[self.__name__] = value


def _uppercase(items: t.Iterable[tuple[str, t.Any]]) -> dict[str, t.Any]:
    """The pairs whose key is an UPPERCASE name, the only ones a loader keeps."""
    return {key: value for key, value in items if key.isupper()}


def _decoded(loads: t.Callable[[str], t.Any], raw: str) -> t.Any:
    """``loads(raw)``, or ``raw`` itself when it does not decode (any error counts)."""
    try:
        return loads(raw)
    except Exception:
        return raw


def _child_dict(node: t.MutableMapping[str, t.Any], key: str) -> t.MutableMapping[str, t.Any]:
    """The dict under ``key``, created empty when missing (for ``A__B`` names)."""
    return t.cast(t.MutableMapping[str, t.Any], node.setdefault(key, {}))


def _note_load_failure(exc: OSError) -> None:
    """Say in the error that it happened while loading configuration."""
    exc.strerror = f"could not read the configuration file: {exc.strerror}"


class Config(dict):  # type: ignore[type-arg]
    """The settings of an application: a plain dict with loading helpers.

    ``root_path`` is the folder that relative file names are resolved against
    (the app's root, or its instance folder with ``instance_relative_config``).
    """

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: t.Mapping[str, t.Any] | None = None,
    ) -> None:
        super().__init__({} if defaults is None else defaults)
        self.root_path = root_path

    # --- objects and mappings ----------------------------------------------

    def from_object(self, obj: object | str) -> None:
        """Copy the UPPERCASE attributes of a module, class or instance.

        A string is imported first (``"pkg.settings"`` or ``"pkg.settings:Prod"``).
        ``dir()`` is used so a config class inherits its bases' settings.
        """
        source = import_string(obj) if isinstance(obj, str) else obj
        self.update(_uppercase((name, getattr(source, name)) for name in dir(source)))

    def from_mapping(self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any) -> bool:
        """Copy the UPPERCASE keys of ``mapping`` and of the keyword arguments."""
        merged = dict(mapping or {})
        merged.update(kwargs)
        self.update(_uppercase(merged.items()))
        return True

    def get_namespace(self, namespace: str, lowercase: bool = True, trim_namespace: bool = True) -> dict[str, t.Any]:
        """A new dict of the keys that start with ``namespace``.

        By default the prefix is cut off and the rest lowercased, which suits
        passing the result as keyword arguments.
        """
        found: dict[str, t.Any] = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            name = key.removeprefix(namespace) if trim_namespace else key
            found[name.lower() if lowercase else name] = value
        return found

    # --- files -------------------------------------------------------------

    def _read_file(
        self, filename: str | os.PathLike[str], mode: str, absent: frozenset[int], silent: bool,
        reader: t.Callable[[t.IO[t.Any]], T],
    ) -> tuple[str, T] | None:
        """Open ``filename`` (relative to :attr:`root_path`) and hand it to ``reader``.

        Returns the resolved path with what ``reader`` produced, or None when
        ``silent`` and the file is absent (an errno in ``absent``). Other OS errors
        are raised, marked as happening during configuration loading.
        """
        path = os.path.join(self.root_path, filename)  # an absolute filename wins
        try:
            with open(path, mode) as handle:
                return path, reader(handle)
        except OSError as exc:
            if silent and exc.errno in absent:
                return None
            _note_load_failure(exc)
            raise

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """Run a Python file as a throwaway module and copy its UPPERCASE names.

        Returns False when ``silent`` and the file does not exist; any other
        problem is raised.
        """
        loaded = self._read_file(filename, "rb", _ABSENT_PYFILE, silent, lambda handle: handle.read())
        if loaded is None:
            return False
        path, source = loaded
        module = types.ModuleType("config")
        module.__file__ = path  # lets the file locate siblings via __file__
        exec(compile(source, path, "exec"), module.__dict__)
        self.from_object(module)
        return True

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """:meth:`from_pyfile` on the path held by an environment variable.

        An unset (or empty) variable is a RuntimeError, or False when ``silent``.
        """
        path = os.environ.get(variable_name)
        if path:
            return self.from_pyfile(path, silent=silent)
        if silent:
            return False
        raise RuntimeError(
            f"cannot load configuration: {variable_name!r} is not set in the environment; "
            "point it at a Python settings file"
        )

    def from_file(self, filename: str | os.PathLike[str], load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
                  silent: bool = False, text: bool = True) -> bool:
        """Parse a file with ``load`` and copy the UPPERCASE keys it returns.

        ``load`` receives the open file object (``json.load``; ``tomllib.load``
        together with ``text=False``, since TOML is read as bytes).
        """
        loaded = self._read_file(filename, "r" if text else "rb", _ABSENT_FILE, silent, load)
        return loaded is not None and self.from_mapping(loaded[1])

    # --- the environment ---------------------------------------------------

    def from_prefixed_env(self, prefix: str = "FLASK", *, loads: t.Callable[[str], t.Any] = json.loads) -> bool:
        """Copy every ``{prefix}_NAME`` environment variable into ``NAME``.

        Each value goes through ``loads`` and stays a string if that fails, so
        ``1``, ``true`` and ``[1, 2]`` arrive typed. ``A__B`` sets key ``B`` of the
        dict at ``A``, creating it when missing. Variables are applied in sorted
        order so the result does not depend on the environment's ordering.
        """
        marker = f"{prefix}_"
        for variable in sorted(name for name in os.environ if name.startswith(marker)):
            *parents, leaf = variable.removeprefix(marker).split("__")
            branch = functools.reduce(_child_dict, parents, t.cast(t.MutableMapping[str, t.Any], self))
            branch[leaf] = _decoded(loads, os.environ[variable])
        return True

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {super().__repr__()}>"
