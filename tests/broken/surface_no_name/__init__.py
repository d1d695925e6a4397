"""The shim's API without one public name: ``get_template_attribute`` is gone from
both ``flask`` and ``flask.helpers`` (see ``_surface_base``)."""

from .._surface_base import build


def _remove(modules):
    del modules[""].get_template_attribute
    del modules["helpers"].get_template_attribute


globals().update(build(__name__, _remove, "helpers"))
