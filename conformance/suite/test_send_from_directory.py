"""``flask.send_from_directory``: serving files from a folder, and the paths it refuses."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from werkzeug.exceptions import NotFound

spec = pytest.mark.spec

SECRET = b"outside the served directory"

#: Paths that would leave the served directory ``public``, whose parent holds
#: ``secret.txt`` and ``outside/secret.txt``. "{root}" is that parent's absolute path.
ESCAPES = [
    "../secret.txt",
    "../../secret.txt",
    "..",
    "../",
    "./../secret.txt",
    "..//secret.txt",
    "../outside/secret.txt",
    "../public/a.txt",
    "sub/../../secret.txt",
    "sub/./../../secret.txt",
    "sub/../sub/../../secret.txt",
    "..\\secret.txt",
    "sub\\..\\..\\secret.txt",
    "..\\..\\windows\\win.ini",
    "{root}/secret.txt",
    "{root}/public/a.txt",
    "/etc/passwd",
    "//etc/passwd",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "\\\\server\\share\\secret.txt",
    "a.txt\x00",
    "a.txt\x00.png",
    "\x00../secret.txt",
    "%2e%2e/secret.txt",
    "%2e%2e%2fsecret.txt",
    "..%2fsecret.txt",
    "....//secret.txt",
    ".../secret.txt",
    "~/secret.txt",
]

#: Paths inside the directory that do not name a file.
NOT_FILES = ["", ".", "sub", "sub/", "missing.txt", "sub/missing.txt"]

HOSTILE = [pytest.param(p, marks=spec("send-file.from-directory-escape")) for p in ESCAPES] + [
    pytest.param(p, marks=spec("send-file.from-directory-not-a-file")) for p in NOT_FILES
]

#: URL spellings that a client may use to smuggle a parent reference past a check.
RAW_URLS = [
    "/%2E%2e/secret.txt",
    "/.%2e/secret.txt",
    "/%2e./secret.txt",
    "/..%5csecret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/..%c0%afsecret.txt",
    "/%252e%252e%252fsecret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/..;/secret.txt",
    "/a.txt%00.png",
]


def every_byte_encoded(path):
    return "".join(f"%{byte:02X}" for byte in path.encode())


#: How a hostile path is put into the URL of a request.
SPELLINGS = {
    "as-is": lambda path: quote(path, safe="/"),
    "percent-encoded": every_byte_encoded,
}


@pytest.fixture
def tree(tmp_path):
    """``public/`` (a.txt, sub/b.txt) beside files that must never be served."""
    (tmp_path / "public" / "sub").mkdir(parents=True)
    (tmp_path / "public" / "a.txt").write_text("public file")
    (tmp_path / "public" / "sub" / "b.txt").write_text("nested file")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(SECRET)
    return tmp_path


@pytest.fixture
def files_client(flask, app, tree, client_for, sync):
    """A client for an app whose ``/<path:p>`` sends p from ``public/``."""

    @app.route("/<path:p>")
    def files(p):
        return sync(flask.send_from_directory(tree / "public", p))

    return client_for(app)


def get(client, url):
    """Status and body of a GET, the file closed."""
    response = client.get(url)
    body = response.get_data()
    response.close()
    return response.status_code, body


def hostile(path, tree):
    return path.format(root=tree)


# --- serving ------------------------------------------------------------------------------


@spec("send-file.from-directory")
@pytest.mark.parametrize(
    ("path", "body"),
    [("a.txt", b"public file"), ("sub/b.txt", b"nested file"), ("sub/./b.txt", b"nested file"),
     ("sub/../a.txt", b"public file")],
)
def test_files_inside_the_directory_are_sent(files_client, path, body):
    assert get(files_client, f"/{path}") == (200, body)


@spec("send-file.from-directory")
def test_path_is_the_second_parameter(flask, app, tree, sync):
    with sync.context(app.test_request_context("/")):
        response = sync(flask.send_from_directory(directory=tree / "public", path="a.txt"))
        response.close()
        assert response.status_code == 200
        with pytest.raises(TypeError):
            sync(flask.send_from_directory(tree / "public", filename="a.txt"))


@spec("send-file.from-directory")
def test_keyword_arguments_reach_send_file(flask, app, tree, client_for, sync):
    app.add_url_rule(
        "/report",
        "report",
        lambda: sync(flask.send_from_directory(
            tree / "public", "a.txt", as_attachment=True, download_name="r.csv", mimetype="text/csv", max_age=9
        )),
    )
    response = client_for(app).get("/report")
    response.close()
    assert response.headers["Content-Disposition"] == "attachment; filename=r.csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=9"


@spec("send-file.from-directory")
def test_a_relative_directory_is_taken_from_the_root_path(flask, make_app, tree, tmp_path_factory, monkeypatch, client_for, sync):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    app = make_app(root_path=str(tree))
    app.add_url_rule("/a", "a", lambda: sync(flask.send_from_directory("public", "a.txt")))
    assert get(client_for(app), "/a") == (200, b"public file")


# --- path safety ---------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", list(SPELLINGS))
@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_paths_in_the_url_are_404(files_client, tree, spelling, path):
    status, body = get(files_client, "/" + SPELLINGS[spelling](hostile(path, tree)))
    assert status == 404
    assert SECRET not in body


@spec("send-file.from-directory-escape")
@pytest.mark.parametrize("url", RAW_URLS)
def test_encoded_parent_references_are_404(files_client, url):
    status, body = get(files_client, url)
    assert status == 404
    assert SECRET not in body


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_paths_raise_not_found(flask, app, tree, path, sync):
    with sync.context(app.test_request_context("/")), pytest.raises(NotFound):
        sync(flask.send_from_directory(tree / "public", hostile(path, tree)))


@spec("send-file.from-directory-symlinks")
@pytest.mark.parametrize("target", ["file", "folder"])
def test_symlinks_inside_the_directory_are_followed(files_client, tree, target):
    try:
        if target == "file":
            os.symlink(tree / "secret.txt", tree / "public" / "link")
        else:
            os.symlink(tree / "outside", tree / "public" / "link", target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot create symbolic links")
    url = "/link" if target == "file" else "/link/secret.txt"
    assert get(files_client, url) == (200, SECRET)
