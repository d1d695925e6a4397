"""The shim's API with Flask.url_for's ``self`` no longer positional-only, so a URL
value named ``self`` collides with it (see ``_surface_base``)."""

from .._surface_base import build


def _plain_self(modules):
    class Flask(modules["app"].Flask):
        def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )

    Flask.__module__ = modules["app"].__name__
    Flask.__qualname__ = "Flask"
    modules[""].Flask = modules["app"].Flask = Flask


globals().update(build(__name__, _plain_self, "app"))
