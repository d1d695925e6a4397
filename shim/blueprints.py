"""Blueprints as WSGI apps use them: the sans-IO :class:`~shim.sansio.blueprints.Blueprint`
plus sending its static files and opening its resources."""

from __future__ import annotations

from ._files import FilesMixin
from .sansio.blueprints import Blueprint as _SansIOBlueprint
from .sansio.blueprints import BlueprintSetupState as BlueprintSetupState


class Blueprint(FilesMixin, _SansIOBlueprint):
    """Views, hooks, handlers and folders to register on one or more apps (see
    :class:`shim.sansio.blueprints.Blueprint`); its static files are served by the app."""
