"""Static files: the automatic static route, its folder and URL, caching and send_static_file."""

from __future__ import annotations

import gc
import os
import weakref
from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

spec = pytest.mark.spec

CSS = b"body { color: teal }\n"


@pytest.fixture
def root(tmp_path):
    """An application folder: static/{css/site.css,notes.txt}, assets/a.txt, admin/static/admin.css."""
    for folder, name, data in [
        ("static/css", "site.css", CSS),
        ("static", "notes.txt", b"notes"),
        ("assets", "a.txt", b"asset"),
        ("admin/static", "admin.css", b"admin"),
    ]:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / name).write_bytes(data)
    (tmp_path / "secret.txt").write_bytes(b"secret")
    return tmp_path


@pytest.fixture
def static_app(make_app, root):
    """An application rooted at ``root`` with the default static folder."""
    app = make_app(root_path=str(root))
    app.config["TESTING"] = True
    return app


def get(client_for, app, url, **kwargs):
    """A GET through a neutral client, its body read and the file closed."""
    response = client_for(app).get(url, **kwargs)
    response.get_data()
    response.close()
    return response


# --- the route ---------------------------------------------------------------------------


@spec("static.default-route")
def test_the_static_folder_is_served_under_static(static_app, client_for):
    response = get(client_for, static_app, "/static/css/site.css")
    assert (response.status_code, response.data) == (200, CSS)
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"


@spec("static.default-route")
def test_the_static_route_is_the_static_endpoint(static_app):
    rules = [(r.rule, r.endpoint) for r in static_app.url_map.iter_rules()]
    assert rules == [("/static/<path:filename>", "static")]


@spec("static.default-route")
@pytest.mark.parametrize("url", ["/static/missing.css", "/static/css", "/static/../secret.txt"])
def test_what_is_not_a_file_of_the_folder_is_404(static_app, url, client_for):
    assert get(client_for, static_app, url).status_code == 404


@spec("static.folders")
@pytest.mark.parametrize(
    ("kwargs", "folder", "url_path"),
    [
        ({}, "static", "/static"),
        ({"static_folder": "assets"}, "assets", "/assets"),
        ({"static_folder": "assets/"}, "assets", "/assets"),
        ({"static_folder": "TeX/"}, "TeX", "/TeX"),
        ({"static_folder": "web/assets"}, os.path.join("web", "assets"), "/assets"),
        ({"static_folder": "assets", "static_url_path": "/public"}, "assets", "/public"),
        ({"static_url_path": "/public/"}, "static", "/public"),
        ({"static_url_path": "/MAX//"}, "static", "/MAX"),
    ],
)
def test_static_folder_is_absolute_and_url_path_follows_it(make_app, root, kwargs, folder, url_path):
    app = make_app(root_path=str(root), **kwargs)
    assert app.static_folder == os.path.join(str(root), folder)
    assert app.static_url_path == url_path
    assert app.has_static_folder is True


@spec("static.folders")
def test_an_absolute_static_folder_is_kept(make_app, root, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("shared") / "files"
    app = make_app(root_path=str(root), static_folder=str(elsewhere))
    assert (app.static_folder, app.static_url_path) == (str(elsewhere), "/files")


@spec("static.folders")
def test_no_static_folder_means_no_static_route(make_app, root):
    app = make_app(root_path=str(root), static_folder=None)
    assert (app.static_folder, app.static_url_path, app.has_static_folder) == (None, None, False)
    assert [r.endpoint for r in app.url_map.iter_rules()] == []


@spec("static.custom-url-path")
@pytest.mark.parametrize(
    ("url", "status"),
    [("/public/a.txt", 200), ("/static/a.txt", 404), ("/assets/a.txt", 404)],
)
def test_folder_and_url_path_move_the_route(make_app, root, url, status, client_for):
    app = make_app(root_path=str(root), static_folder="assets", static_url_path="/public")
    assert get(client_for, app, url).status_code == status


@spec("static.custom-url-path")
def test_an_empty_url_path_serves_from_the_site_root(make_app, root, client_for):
    app = make_app(root_path=str(root), static_folder="assets", static_url_path="")
    response = get(client_for, app, "/a.txt")
    assert (response.status_code, response.data) == (200, b"asset")


@spec("static.host")
def test_static_urls_point_at_the_static_host(flask, make_app, root, sync):
    app = make_app(root_path=str(root), host_matching=True, static_host="cdn.example.com")
    app.add_url_rule("/", "index", lambda: "home", host="www.example.com")
    with sync.context(app.test_request_context(base_url="http://www.example.com")):
        assert flask.url_for("static", filename="css/site.css") == "http://cdn.example.com/static/css/site.css"
        assert flask.url_for("index") == "/"


# --- caching ---------------------------------------------------------------------------


@spec("static.caching")
@pytest.mark.parametrize(
    ("setting", "cache_control"),
    [(None, "no-cache"), (60, "public, max-age=60"), (timedelta(hours=1), "public, max-age=3600")],
    ids=["none", "int", "timedelta"],
)
def test_static_files_follow_send_file_max_age_default(static_app, setting, cache_control, client_for):
    static_app.config["SEND_FILE_MAX_AGE_DEFAULT"] = setting
    assert get(client_for, static_app, "/static/css/site.css").headers["Cache-Control"] == cache_control


@spec("static.caching")
@pytest.mark.parametrize(
    ("header", "value", "status"),
    [("If-None-Match", "{etag}", 304), ("If-Modified-Since", "{last_modified}", 304), ("Range", "bytes=0-3", 206)],
)
def test_static_files_answer_conditional_requests(static_app, header, value, status, client_for):
    first = get(client_for, static_app, "/static/css/site.css")
    value = value.format(etag=first.headers["ETag"], last_modified=first.headers["Last-Modified"])
    assert get(client_for, static_app, "/static/css/site.css", headers={header: value}).status_code == status


@spec("static.caching")
@pytest.mark.parametrize(("url", "cache_control"), [("/static/css/site.css", "public, max-age=7"),
                                                    ("/static/notes.txt", "public, max-age=3")])
def test_get_send_file_max_age_is_asked_per_file(flask, root, url, cache_control, client_for):
    asked = []

    class App(flask.Flask):
        def get_send_file_max_age(self, filename):
            asked.append(filename)
            return 7 if filename.endswith(".css") else 3

    response = get(client_for, App(__name__, root_path=str(root)), url)
    assert response.headers["Cache-Control"] == cache_control
    assert asked == [url.removeprefix("/static/")]


@spec("static.caching")
def test_a_blueprint_decides_the_lifetime_of_its_own_files(flask, static_app, root, client_for):
    class Admin(flask.Blueprint):
        def get_send_file_max_age(self, filename):
            return 99

    static_app.register_blueprint(
        Admin("admin", __name__, static_folder="static", url_prefix="/admin", root_path=str(root / "admin"))
    )
    assert get(client_for, static_app, "/admin/static/admin.css").headers["Cache-Control"] == "public, max-age=99"
    assert get(client_for, static_app, "/static/css/site.css").headers["Cache-Control"] == "no-cache"


@spec("static.get-send-file-max-age")
@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, None), (60, 60), (timedelta(hours=1), 3600), (timedelta(seconds=90), 90)],
    ids=["none", "int", "timedelta-hours", "timedelta-seconds"],
)
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_get_send_file_max_age_returns_the_setting(flask, static_app, owner, setting, expected, sync):
    static_app.config["SEND_FILE_MAX_AGE_DEFAULT"] = setting
    target = static_app if owner == "app" else flask.Blueprint("bp", __name__)
    with sync.context(static_app.app_context()):
        assert target.get_send_file_max_age("css/site.css") == expected


@spec("static.get-send-file-max-age")
def test_get_send_file_max_age_needs_an_app_context(static_app):
    with pytest.raises(RuntimeError):
        static_app.get_send_file_max_age("css/site.css")


# --- send_static_file ------------------------------------------------------------------


@spec("static.send-static-file")
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_send_static_file_sends_from_the_static_folder(flask, static_app, root, owner, sync):
    bp = flask.Blueprint("admin", __name__, static_folder="static", root_path=str(root / "admin"))
    target, name, data = (static_app, "css/site.css", CSS) if owner == "app" else (bp, "admin.css", b"admin")
    with sync.context(static_app.test_request_context("/")):
        response = target.send_static_file(name)
        response.direct_passthrough = False
        assert (response.status_code, response.get_data()) == (200, data)
        response.close()


@spec("static.send-static-file")
@pytest.mark.parametrize("filename", ["../secret.txt", "/etc/passwd", "missing.css", "css"])
def test_send_static_file_refuses_what_is_not_a_file_of_the_folder(static_app, filename, sync):
    with sync.context(static_app.test_request_context("/")), pytest.raises(NotFound):
        static_app.send_static_file(filename)


@spec("static.send-static-file")
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_send_static_file_without_a_folder_is_a_runtime_error(flask, make_app, root, owner, sync):
    app = make_app(root_path=str(root), static_folder=None)
    target = app if owner == "app" else flask.Blueprint("bp", __name__)
    with sync.context(app.test_request_context("/")), pytest.raises(RuntimeError):
        target.send_static_file("css/site.css")


# --- url_for ----------------------------------------------------------------------------


@spec("static.url-for")
@pytest.mark.parametrize(
    ("kwargs", "values", "expected"),
    [
        ({}, {"filename": "css/site.css"}, "/static/css/site.css"),
        ({}, {"filename": "a b/ü.css"}, "/static/a%20b/%C3%BC.css"),
        ({}, {"filename": "app.js", "v": 3}, "/static/app.js?v=3"),
        ({"static_folder": "assets", "static_url_path": "/public"}, {"filename": "a.txt"}, "/public/a.txt"),
    ],
)
def test_url_for_static_builds_the_file_url(flask, make_app, root, kwargs, values, expected, sync):
    app = make_app(root_path=str(root), **kwargs)
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("static", **values) == expected


@spec("static.url-for")
@pytest.mark.parametrize("how", ["debug-attribute", "DEBUG-config"])
def test_debug_mode_adds_no_cache_buster(flask, static_app, how, sync):
    if how == "debug-attribute":
        static_app.debug = True
    else:
        static_app.config["DEBUG"] = True
    with sync.context(static_app.test_request_context("/")):
        assert flask.url_for("static", filename="css/site.css") == "/static/css/site.css"


@spec("static.view-holds-app-weakly")
def test_an_unreferenced_app_is_freed_without_the_garbage_collector(flask):
    gc.disable()  # only reference counting may free it
    try:
        app = flask.Flask("freed_app")
        assert "static" in app.view_functions
        alive = weakref.ref(app)
        del app
        assert alive() is None
    finally:
        gc.enable()
