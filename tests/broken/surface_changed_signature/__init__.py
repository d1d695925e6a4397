"""The shim's API with one changed signature: ``url_for``'s keyword-only parameters
(``_anchor``, ``_method``, ``_scheme``, ``_external``) accept positional arguments too
(see ``_surface_base``)."""

from .._surface_base import build


def _loosen(modules):
    strict = modules["helpers"].url_for

    def url_for(endpoint, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        return strict(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values)

    # The same object in both places, as in Flask, so only the signature differs.
    modules[""].url_for = modules["helpers"].url_for = url_for


globals().update(build(__name__, _loosen, "helpers"))
