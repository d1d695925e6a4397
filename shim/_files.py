"""Files an app or blueprint serves or reads: the WSGI side of its folders.

The folders themselves (``static_folder``, ``template_folder`` ...) are sans-IO
settings on :class:`~shim.sansio.scaffold.Scaffold`; sending and opening the files
needs an active app and real files, so it lives here, mixed into
:class:`~shim.Flask` and :class:`~shim.Blueprint`.
"""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

from .globals import current_app
from .helpers import send_from_directory

#: Modes ``open_resource`` accepts: resources are part of the code, never written.
_READ_ONLY_MODES = frozenset({"r", "rt", "rb"})


def open_file(path: str, mode: str, encoding: str | None) -> t.IO[t.Any]:
    """Open ``path``; ``encoding`` is passed on in text modes only, since binary
    ``open`` rejects one."""
    text_only = {} if "b" in mode else {"encoding": encoding}
    return open(path, mode, **text_only)  # noqa: SIM115 - the caller owns the file


class FilesMixin:
    """Sends the static folder's files and opens resources under the root path."""

    root_path: str
    static_folder: str | None

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """``max_age`` for files this object sends: ``SEND_FILE_MAX_AGE_DEFAULT``, in seconds."""
        configured = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        # The setting may be a timedelta; send_file wants whole seconds (or None).
        return int(configured.total_seconds()) if isinstance(configured, timedelta) else configured

    def send_static_file(self, filename: str) -> t.Any:
        """The static route's view: ``filename`` from :attr:`static_folder`."""
        folder = self.static_folder
        if folder is None:
            raise RuntimeError(f"{self!r} has no static folder, so it has no static files to send.")
        # Asked of self, so a blueprint subclass can give its own files another lifetime.
        return send_from_directory(folder, filename, max_age=self.get_send_file_max_age(filename))

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """A read-only file object for ``resource``, a path under :attr:`root_path`."""
        if mode not in _READ_ONLY_MODES:
            raise ValueError(f"open_resource only reads; mode {mode!r} is not one of 'r', 'rt' or 'rb'.")
        return open_file(os.path.join(self.root_path, resource), mode, encoding)
