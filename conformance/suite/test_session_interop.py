"""Session cookies across implementations: for every ordered pair of the selected
implementations (``shim-to-flask``, ``flask-to-shim``, each with itself), an app of
the first signs a session cookie and an app of the second reads it.

The signed-cookie format (itsdangerous settings plus tagged JSON) is documented,
so an app can move between implementations without logging anyone out.
"""

from __future__ import annotations

import pytest

from .tagged_values import TAGGED_VALUES

spec = pytest.mark.spec


def _app(impl, key, **config):
    module = impl.load()
    app = module.Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY=key, **config)
    return module, app


def write_cookie(client_for, impl, key, write, **config):
    """The session cookie an app of ``impl`` sends after ``write(flask_module)`` ran in a view."""
    module, app = _app(impl, key, **config)

    @app.route("/")
    def view():
        write(module)
        return ""

    client = client_for(app)
    client.get("/")
    return client.get_cookie("session").value


def read_cookie(client_for, impl, key, cookie, read, **config):
    """What ``read(flask_module)`` returns in a view of an app of ``impl`` given ``cookie``."""
    module, app = _app(impl, key, **config)
    result = []

    @app.route("/")
    def view():
        result.append(read(module))
        return ""

    client = client_for(app)
    client.set_cookie("session", cookie)
    client.get("/")
    return result[0]


@spec("sessions.cross-implementation", "sessions.tagged-types")
@pytest.mark.parametrize("name", ["plain", *TAGGED_VALUES])
def test_a_cookie_one_implementation_signs_the_other_reads(impl_pair, name, client_for):
    value = {"user": "ann", "visits": 3, "tags": ["a", "b"]} if name == "plain" else TAGGED_VALUES[name]
    cookie = write_cookie(client_for, impl_pair.first, "shared-secret", lambda f: f.session.__setitem__("value", value))
    back = read_cookie(client_for, impl_pair.second, "shared-secret", cookie, lambda f: f.session.get("value"))
    assert back == value
    assert type(back) is type(value)


@spec("sessions.cross-implementation", "sessions.permanent-persists")
def test_permanence_crosses_implementations(impl_pair, client_for):
    def write(flask):
        flask.session.permanent = True
        flask.session["user"] = "ann"

    cookie = write_cookie(client_for, impl_pair.first, "shared-secret", write)
    read = read_cookie(
        client_for,
        impl_pair.second, "shared-secret", cookie, lambda f: (f.session.permanent, dict(f.session).get("user"))
    )
    assert read == (True, "ann")


@spec("sessions.cross-implementation", "flashing.next-request")
def test_flashed_messages_cross_implementations(impl_pair, client_for, sync):
    def write(flask):
        sync(flask.flash("Saved."))
        sync(flask.flash("Broken", "error"))

    cookie = write_cookie(client_for, impl_pair.first, "shared-secret", write)
    read = read_cookie(
        client_for,
        impl_pair.second, "shared-secret", cookie, lambda f: f.get_flashed_messages(with_categories=True)
    )
    assert read == [("message", "Saved."), ("error", "Broken")]


@spec("sessions.cross-implementation", "sessions.bad-cookie-ignored")
def test_a_cookie_signed_with_another_key_is_refused_by_the_other(impl_pair, client_for):
    cookie = write_cookie(client_for, impl_pair.first, "first-secret", lambda f: f.session.__setitem__("user", "ann"))
    assert read_cookie(client_for, impl_pair.second, "second-secret", cookie, lambda f: dict(f.session)) == {}


@spec("sessions.cross-implementation", "sessions.key-fallbacks-read")
def test_a_fallback_key_reads_the_other_implementations_cookie(impl_pair, client_for):
    cookie = write_cookie(client_for, impl_pair.first, "old-secret", lambda f: f.session.__setitem__("user", "ann"))
    read = read_cookie(
        client_for,
        impl_pair.second, "new-secret", cookie, lambda f: dict(f.session), SECRET_KEY_FALLBACKS=["old-secret"]
    )
    assert read == {"user": "ann"}
