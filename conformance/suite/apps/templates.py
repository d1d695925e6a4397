"""Fixtures for the template tests: template files written into ``tmp_path``.

``tpl_app`` is rooted at ``tmp_path``, so its default ``templates`` folder is
``tmp_path/templates``; ``make_bp`` makes blueprints rooted there too.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{relative name: text}`` under ``folder`` and return the folder."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tpl_app(make_app, tmp_path):
    """A testing app rooted at ``tmp_path``."""
    application = make_app(root_path=str(tmp_path))
    application.config["TESTING"] = True
    return application


@pytest.fixture
def templates(tmp_path):
    """Write files into ``tmp_path/templates``, the folder of ``tpl_app``."""
    return lambda files: write(tmp_path / "templates", files)


@pytest.fixture
def make_bp(flask, tmp_path):
    """A blueprint rooted at ``tmp_path`` whose template folder (if any) holds ``files``."""

    def make(name, folder=None, files=None, **kwargs):
        if folder is not None:
            write(tmp_path / folder, files or {})
        return flask.Blueprint(name, __name__, template_folder=folder, root_path=str(tmp_path), **kwargs)

    return make


def text(client, path):
    """The body of a GET as text, the stream (if any) consumed."""
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)
