"""Configuration: ``app.config``, the ``Config`` loaders, and the app attributes bound
to config keys. Files live in ``tmp_path``; environment variables go through
``monkeypatch`` so every test starts from a clean slate."""

from __future__ import annotations

import json
import os
import sys
import types
from datetime import timedelta

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

spec = pytest.mark.spec

#: Every key of a new app's config in Flask 3.1, with its default.
DEFAULTS = [
    ("DEBUG", False),
    ("TESTING", False),
    ("PROPAGATE_EXCEPTIONS", None),
    ("SECRET_KEY", None),
    ("SECRET_KEY_FALLBACKS", None),
    ("PERMANENT_SESSION_LIFETIME", timedelta(days=31)),
    ("USE_X_SENDFILE", False),
    ("TRUSTED_HOSTS", None),
    ("SERVER_NAME", None),
    ("APPLICATION_ROOT", "/"),
    ("SESSION_COOKIE_NAME", "session"),
    ("SESSION_COOKIE_DOMAIN", None),
    ("SESSION_COOKIE_PATH", None),
    ("SESSION_COOKIE_HTTPONLY", True),
    ("SESSION_COOKIE_SECURE", False),
    ("SESSION_COOKIE_PARTITIONED", False),
    ("SESSION_COOKIE_SAMESITE", None),
    ("SESSION_REFRESH_EACH_REQUEST", True),
    ("MAX_CONTENT_LENGTH", None),
    ("MAX_FORM_MEMORY_SIZE", 500_000),
    ("MAX_FORM_PARTS", 1_000),
    ("SEND_FILE_MAX_AGE_DEFAULT", None),
    ("TRAP_BAD_REQUEST_ERRORS", None),
    ("TRAP_HTTP_EXCEPTIONS", False),
    ("EXPLAIN_TEMPLATE_LOADING", False),
    ("PREFERRED_URL_SCHEME", "http"),
    ("TEMPLATES_AUTO_RELOAD", None),
    ("MAX_COOKIE_SIZE", 4093),
    ("PROVIDE_AUTOMATIC_OPTIONS", True),
]
#: The keys Flask 3.1 added, each with the spec entry of its feature, whose
#: version makes the key's default not applicable to older Flask.
NEW_IN_3_1 = {
    "SECRET_KEY_FALLBACKS": "sessions.key-fallbacks-read",
    "TRUSTED_HOSTS": "wrappers.trusted-hosts",
    "SESSION_COOKIE_PARTITIONED": "sessions.cookie-partitioned",
    "MAX_FORM_MEMORY_SIZE": "wrappers.max-form-memory-size",
    "MAX_FORM_PARTS": "wrappers.max-form-parts",
    "PROVIDE_AUTOMATIC_OPTIONS": "routing.provide-automatic-options-config",
}

#: A settings file in every format the loaders read: two keys that load, and
#: names a loader must skip because they are not UPPERCASE.
PYFILE = 'SECRET_KEY = "from-file"\nMAX_FORM_PARTS = 7\nlowercase = 1\nMixed_Case = 2\n'
JSONFILE = '{"SECRET_KEY": "from-file", "MAX_FORM_PARTS": 7, "lowercase": 1, "Mixed_Case": 2}'
TOMLFILE = 'SECRET_KEY = "from-file"\nMAX_FORM_PARTS = 7\nlowercase = 1\n\n[DATABASE]\nURI = "sqlite://"\n'
LOADED = {"SECRET_KEY": "from-file", "MAX_FORM_PARTS": 7}


class BaseSettings:
    """A config class, as S4's inheritance pattern uses them."""

    SECRET_KEY = "base"
    MAX_FORM_PARTS = 10
    lowercase = "skipped"


class ProdSettings(BaseSettings):
    SECRET_KEY = "prod"
    SESSION_COOKIE_SECURE = True


@pytest.fixture
def clean_env(monkeypatch):
    """No FLASK_* variables, so defaults and prefixed loading see only what a test sets."""
    for name in [n for n in os.environ if n.startswith("FLASK_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def fresh_app(clean_env, make_app, tmp_path):
    """An app rooted in ``tmp_path``, created with no FLASK_* variables set."""
    return make_app(root_path=str(tmp_path))


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def loaded(config):
    """The part of ``config`` the settings files can change."""
    return {k: config.get(k) for k in ("SECRET_KEY", "MAX_FORM_PARTS", "lowercase", "Mixed_Case")}


EXPECTED_LOAD = {**LOADED, "lowercase": None, "Mixed_Case": None}


# --- the Config object and its defaults -------------------------------------


@spec("config.is-a-dict")
def test_app_config_is_a_config_dict(flask, app):
    assert isinstance(app.config, flask.Config)
    assert isinstance(app.config, dict)
    app.config["CUSTOM"] = 1
    app.config.update(OTHER=2)
    assert (app.config["CUSTOM"], app.config.get("OTHER"), app.config.get("MISSING")) == (1, 2, None)


@spec("config.is-a-dict")
def test_config_takes_a_root_path_and_defaults(flask, tmp_path):
    config = flask.Config(str(tmp_path), {"A_KEY": 1})
    assert config.root_path == str(tmp_path)
    assert dict(config) == {"A_KEY": 1}


@spec("config.defaults")
@pytest.mark.parametrize(
    ("key", "default"),
    [
        pytest.param(key, default, id=key, marks=[spec(NEW_IN_3_1[key])] if key in NEW_IN_3_1 else [])
        for key, default in DEFAULTS
    ],
)
def test_builtin_key_default(fresh_app, key, default):
    assert fresh_app.config[key] == default
    assert type(fresh_app.config[key]) is type(default)


@spec("config.defaults")
def test_new_config_holds_exactly_the_builtin_keys(fresh_app, behaviour_at):
    keys = {key for key, _ in DEFAULTS}
    expected = behaviour_at("config.defaults", current=keys, before={"3.1": keys - set(NEW_IN_3_1)})
    assert sorted(fresh_app.config) == sorted(expected)


@spec("config.removed-keys")
@pytest.mark.parametrize(
    "key",
    ["ENV", "JSONIFY_PRETTYPRINT_REGULAR", "JSONIFY_MIMETYPE", "JSON_SORT_KEYS", "JSON_AS_ASCII"],
)
def test_removed_key_is_not_in_config(fresh_app, key):
    assert key not in fresh_app.config


@spec("config.debug-from-env")
@pytest.mark.parametrize(
    ("value", "debug"),
    [(None, False), ("1", True), ("true", True), ("0", False), ("false", False)],
)
def test_debug_default_follows_flask_debug(clean_env, make_app, value, debug):
    if value is not None:
        clean_env.setenv("FLASK_DEBUG", value)
    app = make_app()
    assert (app.debug, app.config["DEBUG"]) == (debug, debug)


@spec("config.flask-env-ignored")
def test_flask_env_development_does_not_enable_debug(clean_env, make_app):
    clean_env.setenv("FLASK_ENV", "development")
    app = make_app()
    assert app.debug is False
    assert "ENV" not in app.config


# --- attributes bound to config keys ----------------------------------------

ATTRIBUTES = [
    ("debug", "DEBUG", True),
    ("testing", "TESTING", True),
    ("secret_key", "SECRET_KEY", "s3cret"),
    ("permanent_session_lifetime", "PERMANENT_SESSION_LIFETIME", timedelta(hours=2)),
]


@spec("config.app-attributes")
@pytest.mark.parametrize(("attribute", "key", "value"), ATTRIBUTES)
def test_setting_the_attribute_sets_the_key(fresh_app, attribute, key, value):
    setattr(fresh_app, attribute, value)
    assert fresh_app.config[key] == value


@spec("config.app-attributes")
@pytest.mark.parametrize(("attribute", "key", "value"), ATTRIBUTES)
def test_setting_the_key_sets_the_attribute(fresh_app, attribute, key, value):
    fresh_app.config[key] = value
    assert getattr(fresh_app, attribute) == value


@spec("config.app-attributes")
@pytest.mark.parametrize(
    ("attribute", "default"),
    [("debug", False), ("testing", False), ("secret_key", None), ("permanent_session_lifetime", timedelta(days=31))],
)
def test_attribute_reads_the_default(fresh_app, attribute, default):
    assert getattr(fresh_app, attribute) == default


@spec("config.app-attributes-on-class")
@pytest.mark.parametrize(("attribute", "key", "value"), ATTRIBUTES)
def test_the_class_attribute_is_a_link_to_each_apps_config(make_app, attribute, key, value):
    first, second = make_app(), make_app()
    first.config[key] = value
    link = getattr(type(first), attribute)
    assert link.__get__(first, type(first)) == value
    assert link.__get__(second, type(second)) == getattr(second, attribute) != value
    link.__set__(second, value)
    assert second.config[key] == value


@spec("config.session-lifetime-seconds")
@pytest.mark.parametrize("seconds", [0, 60, 86_400])
def test_int_session_lifetime_reads_back_as_timedelta(app, seconds):
    app.config["PERMANENT_SESSION_LIFETIME"] = seconds
    assert app.permanent_session_lifetime == timedelta(seconds=seconds)
    assert isinstance(app.permanent_session_lifetime, timedelta)


# --- from_object and from_mapping -------------------------------------------


@spec("config.from-object")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (BaseSettings, {"SECRET_KEY": "base", "MAX_FORM_PARTS": 10}),
        (BaseSettings(), {"SECRET_KEY": "base", "MAX_FORM_PARTS": 10}),
        (ProdSettings, {"SECRET_KEY": "prod", "MAX_FORM_PARTS": 10, "SESSION_COOKIE_SECURE": True}),
    ],
    ids=["class", "instance", "subclass"],
)
def test_from_object_copies_uppercase_attributes(fresh_app, source, expected):
    before = dict(fresh_app.config)
    fresh_app.config.from_object(source)
    changed = {k: v for k, v in fresh_app.config.items() if before.get(k, object()) != v}
    assert changed == expected
    assert "lowercase" not in fresh_app.config


@spec("config.from-object")
def test_from_object_reads_a_module(fresh_app):
    module = types.ModuleType("settings")
    module.SECRET_KEY = "module"
    module.helper_value = "skipped"
    fresh_app.config.from_object(module)
    assert fresh_app.config["SECRET_KEY"] == "module"
    assert "helper_value" not in fresh_app.config


@spec("config.from-object-import-string")
@pytest.mark.parametrize("separator", [".", ":"])
def test_from_object_imports_a_string(fresh_app, separator):
    fresh_app.config.from_object(f"{__name__}{separator}ProdSettings")
    assert (fresh_app.config["SECRET_KEY"], fresh_app.config["MAX_FORM_PARTS"]) == ("prod", 10)


@spec("config.from-mapping")
@pytest.mark.parametrize(
    ("mapping", "kwargs", "expected"),
    [
        ({"SECRET_KEY": "m", "lower": 1}, {}, {"SECRET_KEY": "m"}),
        (None, {"SECRET_KEY": "k", "lower": 1}, {"SECRET_KEY": "k"}),
        ({"SECRET_KEY": "m", "MAX_FORM_PARTS": 3}, {"SECRET_KEY": "k"}, {"SECRET_KEY": "k", "MAX_FORM_PARTS": 3}),
    ],
    ids=["mapping", "kwargs", "kwargs-win"],
)
def test_from_mapping_copies_uppercase_keys(fresh_app, mapping, kwargs, expected):
    before = dict(fresh_app.config)
    assert fresh_app.config.from_mapping(mapping, **kwargs) is True
    assert {k: v for k, v in fresh_app.config.items() if before.get(k) != v} == expected
    assert "lower" not in fresh_app.config


# --- files ------------------------------------------------------------------


@spec("config.from-pyfile")
@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_from_pyfile_loads_uppercase_names(fresh_app, tmp_path, absolute):
    path = write(tmp_path, "settings.py", PYFILE)
    assert fresh_app.config.from_pyfile(str(path) if absolute else "settings.py") is True
    assert loaded(fresh_app.config) == EXPECTED_LOAD


@spec("config.from-pyfile-module")
def test_from_pyfile_runs_the_file_as_a_module_named_config(fresh_app, tmp_path):
    # Read as bytes like an imported module: its coding declaration decides the encoding.
    source = "# -*- coding: latin-1 -*-\nFILE = __file__\nNAME = __name__\nGREETING = 'h\xe9llo'\n"
    (tmp_path / "settings.py").write_bytes(source.encode("latin-1"))
    assert fresh_app.config.from_pyfile(str(tmp_path / "settings.py")) is True
    loaded_names = {k: fresh_app.config[k] for k in ("FILE", "NAME", "GREETING")}
    assert loaded_names == {"FILE": str(tmp_path / "settings.py"), "NAME": "config", "GREETING": "h\xe9llo"}


@spec("config.instance-relative")
@pytest.mark.parametrize(
    ("loader", "filename", "text"),
    [("from_pyfile", "settings.py", PYFILE), ("from_file", "settings.json", JSONFILE)],
)
def test_instance_relative_config_reads_the_instance_folder(clean_env, make_app, tmp_path, loader, filename, text):
    instance = tmp_path / "instance"
    instance.mkdir()
    write(instance, filename, text)
    write(tmp_path, filename, text.replace("from-file", "from-root"))
    app = make_app(root_path=str(tmp_path), instance_path=str(instance), instance_relative_config=True)
    assert app.config.root_path == str(instance)
    args = (filename,) if loader == "from_pyfile" else (filename, json.load)
    getattr(app.config, loader)(*args)
    assert app.config["SECRET_KEY"] == "from-file"


@spec("config.from-envvar")
def test_from_envvar_loads_the_named_file(fresh_app, tmp_path, clean_env):
    clean_env.setenv("CONFORMANCE_SETTINGS", str(write(tmp_path, "settings.cfg", PYFILE)))
    assert fresh_app.config.from_envvar("CONFORMANCE_SETTINGS") is True
    assert loaded(fresh_app.config) == EXPECTED_LOAD


@spec("config.from-envvar-unset")
def test_from_envvar_unset_raises_runtime_error(fresh_app, clean_env):
    clean_env.delenv("CONFORMANCE_SETTINGS", raising=False)
    with pytest.raises(RuntimeError):
        fresh_app.config.from_envvar("CONFORMANCE_SETTINGS")


@spec("config.from-envvar-unset")
def test_from_envvar_unset_silent_returns_false(fresh_app, clean_env):
    clean_env.delenv("CONFORMANCE_SETTINGS", raising=False)
    before = dict(fresh_app.config)
    assert fresh_app.config.from_envvar("CONFORMANCE_SETTINGS", silent=True) is False
    assert dict(fresh_app.config) == before


@pytest.fixture
def load_missing(fresh_app, tmp_path, clean_env):
    """Call one loader on a file that does not exist."""

    def call(loader, **kwargs):
        missing = str(tmp_path / "missing.cfg")
        if loader == "from_envvar":
            clean_env.setenv("CONFORMANCE_SETTINGS", missing)
            return fresh_app.config.from_envvar("CONFORMANCE_SETTINGS", **kwargs)
        if loader == "from_file":
            return fresh_app.config.from_file(missing, load=json.load, **kwargs)
        return fresh_app.config.from_pyfile(missing, **kwargs)

    return call


MISSING_LOADERS = ["from_pyfile", "from_file", "from_envvar"]


@spec("config.missing-file")
@pytest.mark.parametrize("loader", MISSING_LOADERS)
def test_missing_file_raises_file_not_found(load_missing, loader):
    with pytest.raises(FileNotFoundError):
        load_missing(loader)


@spec("config.missing-file")
@pytest.mark.parametrize("loader", MISSING_LOADERS)
def test_missing_file_silent_returns_false(fresh_app, load_missing, loader):
    before = dict(fresh_app.config)
    assert load_missing(loader, silent=True) is False
    assert dict(fresh_app.config) == before


@spec("config.from-file")
def test_from_file_loads_json(fresh_app, tmp_path):
    write(tmp_path, "settings.json", JSONFILE)
    assert fresh_app.config.from_file("settings.json", load=json.load) is True
    assert loaded(fresh_app.config) == EXPECTED_LOAD


@spec("config.from-file", "config.from-file-toml")
@pytest.mark.parametrize(("text", "kind"), [(True, str), (False, bytes)], ids=["text", "binary"])
def test_from_file_passes_the_open_file_to_load(fresh_app, tmp_path, text, kind):
    write(tmp_path, "settings.json", JSONFILE)
    received = []

    def load(handle):
        received.append(handle.read())
        return {}

    fresh_app.config.from_file("settings.json", load=load, text=text)
    assert len(received) == 1
    assert isinstance(received[0], kind)


@spec("config.from-file-toml")
def test_from_file_loads_toml_with_tomllib_load(fresh_app, tmp_path):
    write(tmp_path, "settings.toml", TOMLFILE)
    assert fresh_app.config.from_file("settings.toml", load=tomllib.load, text=False) is True
    assert loaded(fresh_app.config) == EXPECTED_LOAD
    assert fresh_app.config["DATABASE"] == {"URI": "sqlite://"}


@spec("config.from-file-toml")
def test_from_file_with_tomllib_loads_fails(fresh_app, tmp_path):
    # S4's example: tomllib.loads wants a str, but from_file hands it a file.
    write(tmp_path, "settings.toml", TOMLFILE)
    with pytest.raises((AttributeError, TypeError)):
        fresh_app.config.from_file("settings.toml", load=tomllib.loads, text=False)


# --- the environment --------------------------------------------------------


@spec("config.from-prefixed-env")
@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1", 1),
        ("1.5", 1.5),
        ("true", True),
        ("null", None),
        ("[1, 2]", [1, 2]),
        ('{"a": 1}', {"a": 1}),
        ('"quoted"', "quoted"),
        ("plain text", "plain text"),
    ],
)
def test_from_prefixed_env_parses_values_as_json(fresh_app, clean_env, raw, value):
    clean_env.setenv("FLASK_CUSTOM_SETTING", raw)
    assert fresh_app.config.from_prefixed_env() is True
    assert fresh_app.config["CUSTOM_SETTING"] == value


@spec("config.from-prefixed-env")
def test_from_prefixed_env_reads_only_the_prefix(fresh_app, clean_env):
    clean_env.setenv("FLASK_SECRET_KEY", "env-secret")
    clean_env.setenv("FLASKY_OTHER", "1")
    clean_env.setenv("OTHER_FLASK_KEY", "1")
    before = dict(fresh_app.config)
    fresh_app.config.from_prefixed_env()
    assert {k: v for k, v in fresh_app.config.items() if before.get(k) != v} == {"SECRET_KEY": "env-secret"}


@spec("config.from-prefixed-env-nested")
def test_from_prefixed_env_nests_on_double_underscore(fresh_app, clean_env):
    fresh_app.config["DATABASE"] = {"NAME": "kept"}
    clean_env.setenv("FLASK_DATABASE__HOST", "db.local")
    clean_env.setenv("FLASK_DATABASE__PORT", "5432")
    clean_env.setenv("FLASK_A__B__C", "true")
    fresh_app.config.from_prefixed_env()
    assert fresh_app.config["DATABASE"] == {"NAME": "kept", "HOST": "db.local", "PORT": 5432}
    assert fresh_app.config["A"] == {"B": {"C": True}}


@spec("config.from-prefixed-env-options")
def test_from_prefixed_env_custom_prefix(fresh_app, clean_env):
    clean_env.setenv("MYAPP_SECRET_KEY", '"mine"')
    clean_env.setenv("FLASK_MAX_COOKIE_SIZE", "5")
    fresh_app.config.from_prefixed_env("MYAPP")
    assert fresh_app.config["SECRET_KEY"] == "mine"
    assert fresh_app.config["MAX_COOKIE_SIZE"] == 4093


@spec("config.from-prefixed-env-options")
@pytest.mark.parametrize(("raw", "value"), [("42", 42), ("4.2", "4.2"), ("true", "true")])
def test_from_prefixed_env_custom_loads(fresh_app, clean_env, raw, value):
    clean_env.setenv("FLASK_CUSTOM_SETTING", raw)
    fresh_app.config.from_prefixed_env(loads=int)
    assert fresh_app.config["CUSTOM_SETTING"] == value


@spec("config.get-namespace")
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, {"type": "fs", "path": "/tmp"}),
        ({"lowercase": False}, {"TYPE": "fs", "PATH": "/tmp"}),
        ({"trim_namespace": False}, {"image_store_type": "fs", "image_store_path": "/tmp"}),
        (
            {"lowercase": False, "trim_namespace": False},
            {"IMAGE_STORE_TYPE": "fs", "IMAGE_STORE_PATH": "/tmp"},
        ),
    ],
    ids=["default", "keep-case", "keep-prefix", "keep-both"],
)
def test_get_namespace(app, options, expected):
    app.config.update(IMAGE_STORE_TYPE="fs", IMAGE_STORE_PATH="/tmp", IMAGE_STOREX=1, OTHER_TYPE="x")
    namespace = app.config.get_namespace("IMAGE_STORE_", **options)
    assert namespace == expected
    namespace["extra"] = 1
    assert "extra" not in app.config
