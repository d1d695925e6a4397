"""How the command line finds the application (``--app``, ``-A``, ``FLASK_APP``, the
``wsgi.py``/``app.py`` defaults), dotenv files, and the debug flag.

The discovery cases are one table: the files on disk, what ``--app`` names (None:
rely on the defaults), and the app expected (its marker) or the failure expected.
Each case runs through the implementation's ``FlaskGroup`` in every spelling of the
option and through ``ScriptInfo.load_app``. Sample apps are written into a fresh
folder per test (see ``apps/cli.py``).
"""

from __future__ import annotations

import inspect
import os
import sys
from dataclasses import dataclass, field

import pytest

from conformance.versions import NOT_APPLICABLE, Changed

from .apps.cli import cli_sandbox, factory, instance, parse_which, raw, run_cli, write  # noqa: F401

pytestmark = pytest.mark.needs("cli")

spec = pytest.mark.spec


@dataclass(frozen=True)
class Fails:
    """The case fails to load an app; the message must contain ``names`` (the
    module, attribute, text or missing dependency at fault) when given."""

    names: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | list[str]]
    target: str | None
    expect: str | Fails
    spec: tuple[str, ...] = field(default=())


def hello(*parts: str) -> dict[str, list[str]]:
    """A layout of one module, hello.py, made of these fragments."""
    return {"hello.py": list(parts)}


HELLO = hello(instance("app"))
TWO = hello(instance("web"), instance("api"))
BUILD = hello(factory("build", "name, n=0"))
PKG_MOD = {"pkg/__init__.py": "", "pkg/mod.py": [instance("app", expr="__name__"), instance("api")]}
IN_SUB = {"sub/hello.py": [instance("app", expr="__name__")]}
NEEDS_CONFIG = hello(factory("create_app", "config"))
NO_APP = hello(raw("value = 5"))
MISSING_DEP = raw("import conformance_missing_dependency")
DEP = Fails("conformance_missing_dependency")

DEFAULTS = ("cli.default-files",)
AUTO = ("cli.app-option", "cli.auto-detect")
NAMED = ("cli.app-option",)
CALL = ("cli.app-option", "cli.factory-call")
ERR = ("cli.discovery-errors",)
INSIDE = ("cli.import-error-inside",)

DISCOVERY = [
    # Nothing named: wsgi.py, then app.py, as a module or a package.
    Case("app-py", {"app.py": [instance("app", "app.py")]}, None, "app.py", DEFAULTS),
    Case("wsgi-py-first", {"wsgi.py": [instance("app", "wsgi")], "app.py": [instance("app")]}, None, "wsgi", DEFAULTS),
    Case("app-package", {"app/__init__.py": [instance("app", "package")]}, None, "package", DEFAULTS),
    Case("app-py-factory", {"app.py": [factory("create_app")]}, None, "create_app", (*DEFAULTS, "cli.auto-detect")),
    Case("wsgi-package", {"wsgi/__init__.py": [instance("app", "wsgi-package")], "app.py": [instance("app")]}, None,
         "wsgi-package", DEFAULTS),
    Case("wsgi-py-without-app", {"wsgi.py": [raw("value = 5")], "app.py": [instance("app")]}, None, Fails("'wsgi'"),
         (*DEFAULTS, *ERR)),
    Case("wsgi-py-several-apps", {"wsgi.py": [instance("web"), instance("api")], "app.py": [instance("app")]}, None,
         Fails("'wsgi'"), (*DEFAULTS, *ERR)),
    # A module named: app, application, the only instance, then create_app, make_app.
    Case("module-app", HELLO, "hello", "app", AUTO),
    Case("module-application", hello(instance("application")), "hello", "application", AUTO),
    Case("app-before-application", hello(instance("application"), instance("app")), "hello", "app", AUTO),
    Case("only-instance", hello(instance("web")), "hello", "web", AUTO),
    Case("app-among-instances", hello(instance("web"), instance("app")), "hello", "app", AUTO),
    Case("application-among-instances", hello(instance("web"), instance("application")), "hello", "application", AUTO),
    Case("instance-before-factory", hello(factory("create_app"), instance("web")), "hello", "web", AUTO),
    Case("app-variable-not-an-app", hello(raw("app = 5"), instance("web")), "hello", "web", AUTO),
    Case("application-variable-not-an-app", hello(raw("application = 'x'"), instance("web")), "hello", "web", AUTO),
    Case("factory-returning-other-then-make-app", hello(raw("def create_app():\n    return 5"), factory("make_app")),
         "hello", "make_app", AUTO),
    Case("create-app", hello(factory("create_app")), "hello", "create_app", AUTO),
    Case("make-app", hello(factory("make_app")), "hello", "make_app", AUTO),
    Case("create-app-first", hello(factory("make_app"), factory("create_app")), "hello", "create_app", AUTO),
    Case("factory-defaults", hello(factory("create_app", "name='x'")), "hello", "create_app:x", AUTO),
    # module:name, module:factory, module:factory(literal args).
    Case("named-variable", TWO, "hello:api", "api", NAMED),
    Case("named-over-app", hello(instance("app"), instance("api")), "hello:api", "api", NAMED),
    Case("factory-bare", hello(factory("build")), "hello:build", "build", CALL),
    Case("factory-empty-call", hello(factory("build")), "hello:build()", "build", CALL),
    Case("factory-positional", BUILD, "hello:build('dev')", "build:dev:0", CALL),
    Case("factory-keywords", BUILD, "hello:build('dev', n=3)", "build:dev:3", CALL),
    Case("factory-literals", hello(factory("build", "a, b, c")), "hello:build(True, None, -2)", "build:True:None:-2", CALL),
    Case("factory-argument-with-colon", BUILD, "hello:build('a:b')", "build:a:b:0", CALL),
    # File paths, dotted paths and packages.
    Case("file", HELLO, "hello.py", "app", NAMED),
    Case("file-in-folder", IN_SUB, "sub/hello.py", "hello", NAMED),
    Case("file-without-suffix", IN_SUB, "sub/hello", "hello", NAMED),
    Case("file-in-package", PKG_MOD, "pkg/mod.py", "pkg.mod", NAMED),
    Case("file-and-name", {"sub/hello.py": [instance("web"), instance("api")]}, "sub/hello.py:api", "api", NAMED),
    Case("dotted", PKG_MOD, "pkg.mod", "pkg.mod", NAMED),
    Case("dotted-and-name", PKG_MOD, "pkg.mod:api", "api", NAMED),
    Case("package", {"pkg/__init__.py": [factory("create_app", marker="pkg")]}, "pkg", "pkg", AUTO),
    Case("package-init-file", {"pkg/__init__.py": [instance("app", "pkg")]}, "pkg/__init__.py", "pkg", NAMED),
    Case("package-init-file-imports-the-package", {"pkg/__init__.py": [instance("app", expr="__name__")]},
         "pkg/__init__.py", "pkg", NAMED),
    # Failures.
    Case("no-app", {}, None, Fails(), ERR),
    Case("no-app-in-module", NO_APP, "hello", Fails("hello"), ERR),
    Case("several-apps", TWO, "hello", Fails("hello"), ERR),
    Case("several-apps-and-a-factory", hello(instance("web"), instance("api"), factory("create_app")), "hello",
         Fails("hello"), ERR),
    Case("missing-module", {}, "nosuchmodule", Fails("nosuchmodule"), ERR),
    Case("missing-package-module", {"pkg/__init__.py": ""}, "pkg.nosuch", Fails("pkg.nosuch"), ERR),
    Case("import-error-inside", hello(MISSING_DEP, instance("app")), "hello", DEP, INSIDE),
    Case("import-error-inside-app-py", {"app.py": [MISSING_DEP, instance("app")]}, None, DEP, INSIDE),
    Case("factory-needs-arguments", NEEDS_CONFIG, "hello", Fails("create_app"), ERR),
    Case("factory-wrong-arguments", NEEDS_CONFIG, "hello:create_app(1, 2)", Fails("create_app"), ERR),
    Case("factory-unknown-keyword", NEEDS_CONFIG, "hello:create_app(nope=1)", Fails("create_app"), ERR),
    Case("call-syntax", NEEDS_CONFIG, "hello:create_app(", Fails("create_app("), ERR),
    Case("non-literal-argument", NEEDS_CONFIG, "hello:create_app(config)", Fails("create_app(config)"), ERR),
    Case("not-a-simple-name", NEEDS_CONFIG, "hello:factories.create_app", Fails("factories.create_app"), ERR),
    Case("call-of-not-a-simple-name", NEEDS_CONFIG, "hello:factories.create_app()", Fails("factories.create_app()"),
         ERR),
    Case("missing-attribute", HELLO, "hello:nope", Fails("nope"), ERR),
    Case("attribute-not-an-app", NO_APP, "hello:value", Fails("value"), ERR),
    Case("factory-returns-no-app", hello(raw("def build():\n    return None")), "hello:build", Fails("build"), ERR),
    Case("only-app-variable-not-an-app", hello(raw("app = 5")), "hello", Fails("hello"), ERR),
    Case("create-app-returns-other", hello(raw("def create_app():\n    return 'x'")), "hello", Fails("hello"), ERR),
    Case("create-app-returns-other-by-default", {"app.py": [raw("def create_app():\n    return 'x'")]}, None,
         Fails("'app'"), (*DEFAULTS, *ERR)),
]

#: The spellings of "this is the app": the two option names and the variable.
HOWS = ("--app", "-A", "FLASK_APP")


def _invocation(how: str, target: str | None) -> tuple[list[str], dict[str, str]]:
    if target is None:
        return [], {}
    if how == "FLASK_APP":
        return [], {"FLASK_APP": target}
    return [how, target], {}


def _params(*, found: bool, spellings: bool) -> list[object]:
    params = []
    for case in DISCOVERY:
        if isinstance(case.expect, Fails) == found:
            continue
        hows = HOWS if spellings and case.target is not None else ("--app",)
        for how in hows:
            ident = f"{case.id}-{how}" if spellings and case.target is not None else case.id
            params.append(pytest.param(case, how, id=ident, marks=spec(*case.spec)))
    return params


@pytest.mark.parametrize(("case", "how"), _params(found=True, spellings=True))
def test_discovery_loads_the_expected_app(impl, run_cli, cli_sandbox, case, how):
    write(cli_sandbox, impl.module, case.files)
    args, env = _invocation(how, case.target)
    result = run_cli(*args, "which", env=env)
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["app"] == case.expect


@pytest.mark.parametrize(("case", "how"), _params(found=False, spellings=True))
def test_discovery_failure_is_a_usage_error_naming_the_cause(impl, run_cli, cli_sandbox, case, how):
    write(cli_sandbox, impl.module, case.files)
    args, env = _invocation(how, case.target)
    result = run_cli(*args, "routes", env=env)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    if case.expect.names is not None:
        assert case.expect.names in result.output


@pytest.mark.parametrize(("case", "how"), _params(found=True, spellings=False))
@spec("cli.script-info")
def test_script_info_loads_the_expected_app(impl, submodule, cli_sandbox, case, how):
    write(cli_sandbox, impl.module, case.files)
    app = submodule("cli").ScriptInfo(app_import_path=case.target).load_app()
    assert app.config["MARKER"] == case.expect


@pytest.mark.parametrize(("case", "how"), _params(found=False, spellings=False))
@spec("cli.script-info")
def test_script_info_failure_raises_no_app_exception(impl, submodule, cli_sandbox, case, how):
    cli = submodule("cli")
    write(cli_sandbox, impl.module, case.files)
    with pytest.raises(cli.NoAppException) as caught:
        cli.ScriptInfo(app_import_path=case.target).load_app()
    if case.expect.names is not None:
        assert case.expect.names in str(caught.value)


@spec("cli.factory-own-type-error")
@pytest.mark.parametrize("target", ["hello", "hello:create_app"])
def test_a_factorys_own_type_error_propagates(impl, submodule, cli_sandbox, target):
    write(cli_sandbox, impl.module, {"hello.py": [raw("def create_app():\n    return len(1)")]})
    with pytest.raises(TypeError, match="len"):
        submodule("cli").ScriptInfo(app_import_path=target).load_app()


@spec("cli.app-option")
def test_a_file_named_inside_a_package_folder_imports_as_part_of_the_package(impl, run_cli, cli_sandbox, monkeypatch):
    # The working directory is itself a package: the module is still named from the
    # first folder up that is not one.
    write(cli_sandbox, impl.module, {"pkg/__init__.py": "", "pkg/mod.py": [instance("app", expr="__name__")]})
    monkeypatch.chdir(cli_sandbox / "pkg")
    result = run_cli("--app", "mod.py", "which")
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["app"] == "pkg.mod"


@spec("cli.app-option")
@pytest.mark.parametrize("option", ["--app", "-A"])
def test_app_option_beats_flask_app_variable(impl, run_cli, cli_sandbox, option):
    write(cli_sandbox, impl.module, {"one.py": [instance("app", "one")], "two.py": [instance("app", "two")]})
    result = run_cli(option, "two", "which", env={"FLASK_APP": "one"})
    assert parse_which(result.output)["app"] == "two"


# --- dotenv files ------------------------------------------------------------------

CUSTOM = {"custom.env": "CONFORMANCE_VALUE=custom\n"}
FLASKENV = {".flaskenv": "CONFORMANCE_VALUE=flaskenv\n"}
DOTENV = {".env": "CONFORMANCE_VALUE=env\n"}
BOTH = {**FLASKENV, **DOTENV}
ALL = {**BOTH, **CUSTOM}
#: An env file that sets some other variable, not CONFORMANCE_VALUE.
OTHER = {"other.env": "CONFORMANCE_OTHER=other\n"}
SET = {"CONFORMANCE_VALUE": "set"}
SKIP = {"FLASK_SKIP_DOTENV": "1"}


#: Before 3.1 the default files were read first and won over the -e file.
ENV_FILE_WINS = Changed("cli.env-file", current="custom", before={"3.1": "env"})


def row(ident: str, spec_id: str, *values: object) -> object:
    """One table row citing one spec entry."""
    return pytest.param(*values, id=ident, marks=spec(spec_id))


@pytest.mark.parametrize(
    ("files", "args", "env", "group_kwargs", "expected"),
    [
        row("flaskenv", "cli.dotenv-defaults", FLASKENV, [], {}, {}, "flaskenv"),
        row("env", "cli.dotenv-defaults", DOTENV, [], {}, {}, "env"),
        row("env-beats-flaskenv", "cli.dotenv-defaults", BOTH, [], {}, {}, "env"),
        row("environment-wins", "cli.dotenv-defaults", BOTH, [], SET, {}, "set"),
        row("env-file-beats-defaults", "cli.env-file", ALL, ["-e", "custom.env"], {}, {}, ENV_FILE_WINS),
        row("env-file-long", "cli.env-file", ALL, ["--env-file", "custom.env"], {}, {}, ENV_FILE_WINS),
        row("environment-beats-env-file", "cli.env-file", CUSTOM, ["-e", "custom.env"], SET, {}, "set"),
        row("skip-dotenv", "cli.skip-dotenv", BOTH, [], SKIP, {}, "None"),
        row("skip-dotenv-false", "cli.skip-dotenv", BOTH, [], {"FLASK_SKIP_DOTENV": "0"}, {}, "env"),
        row("skip-dotenv-keeps-env-file", "cli.skip-dotenv", ALL, ["-e", "custom.env"], SKIP, {}, "custom"),
        row("group-without-dotenv", "cli.skip-dotenv", BOTH, [], {}, {"load_dotenv": False}, "None"),
        row("skip-dotenv-reads-only-env-file", "cli.skip-dotenv", {**BOTH, **OTHER}, ["-e", "other.env"], SKIP, {}, "None"),
        row("group-without-dotenv-reads-only-env-file", "cli.skip-dotenv", {**BOTH, **OTHER}, ["-e", "other.env"], {},
            {"load_dotenv": False}, "None"),
    ],
)
def test_dotenv_files_set_variables_in_order_of_precedence(
    impl, run_cli, cli_sandbox, behaviour_at, files, args, env, group_kwargs, expected
):
    write(cli_sandbox, impl.module, {"app.py": [instance("app")], **files})
    result = run_cli(*args, "which", env=env, **group_kwargs)
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["value"] == behaviour_at.resolve(expected)


@spec("cli.dotenv-defaults")
def test_dotenv_files_are_found_in_parent_folders(impl, run_cli, cli_sandbox, monkeypatch):
    write(cli_sandbox, impl.module, {**DOTENV, "deep/er/app.py": [instance("app")]})
    monkeypatch.chdir(cli_sandbox / "deep" / "er")
    assert parse_which(run_cli("which").output)["value"] == "env"


@spec("cli.dotenv-defaults", "cli.app-option")
@pytest.mark.parametrize("file", [".env", ".flaskenv"])
def test_a_dotenv_file_can_name_the_app(impl, run_cli, cli_sandbox, file):
    write(cli_sandbox, impl.module, {
        file: "FLASK_APP=hello\n", "hello.py": [instance("app", "hello")], "app.py": [instance("app", "app.py")],
    })
    result = run_cli("which")
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["app"] == "hello"


@spec("cli.dotenv-defaults", "cli.app-option")
def test_env_names_the_app_over_flaskenv(impl, run_cli, cli_sandbox):
    write(cli_sandbox, impl.module, {
        ".env": "FLASK_APP=one\n", ".flaskenv": "FLASK_APP=two\n",
        "one.py": [instance("app", "one")], "two.py": [instance("app", "two")],
    })
    assert parse_which(run_cli("which").output)["app"] == "one"


@spec("cli.env-file")
@pytest.mark.parametrize("target", ["missing.env", "folder.env"], ids=["missing", "a-directory"])
def test_env_file_that_is_no_file_is_a_usage_error(impl, run_cli, cli_sandbox, target):
    write(cli_sandbox, impl.module, {"app.py": [instance("app")]})
    (cli_sandbox / "folder.env").mkdir()
    assert run_cli("-e", target, "which").exit_code == 2


@spec("cli.env-file", "cli.dotenv-defaults")
@pytest.mark.parametrize(("args", "exit_code"), [(["-e", "custom.env"], 2), ([], 0)], ids=["env-file", "defaults"])
def test_without_python_dotenv_only_an_env_file_is_refused(impl, run_cli, cli_sandbox, monkeypatch, args, exit_code):
    write(cli_sandbox, impl.module, {"app.py": [instance("app")], **ALL})
    monkeypatch.setitem(sys.modules, "dotenv", None)  # `import dotenv` now fails
    result = run_cli(*args, "which")
    assert result.exit_code == exit_code, result.output
    if exit_code == 0:
        assert parse_which(result.output)["value"] == "None"


TWO_VALUES = {".env": "CONFORMANCE_VALUE=env\nCONFORMANCE_OTHER=env\n"}
TWO_AND_CUSTOM = {**TWO_VALUES, **CUSTOM}


def dotenv_changed(current: object, before_3_1: object) -> Changed:
    """A cell of the load_dotenv table that changed in 3.1 (load_defaults arrived;
    a path alone no longer skipped the default files)."""
    return Changed("cli.load-dotenv", current=current, before={"3.1": before_3_1})


@spec("cli.load-dotenv")
@pytest.mark.parametrize(
    ("files", "kwargs", "env", "returned", "value", "other"),
    [
        pytest.param({}, {}, {}, False, None, None, id="no-files"),
        pytest.param({".env": ""}, {}, {}, dotenv_changed(False, True), None, None, id="empty-file"),
        pytest.param(TWO_VALUES, {}, {}, True, "env", "env", id="defaults"),
        pytest.param(TWO_AND_CUSTOM, {"path": "custom.env"}, {}, True, "custom", dotenv_changed("env", None),
                     id="path-beats-defaults"),
        pytest.param(TWO_AND_CUSTOM, dotenv_changed({"path": "custom.env", "load_defaults": False}, NOT_APPLICABLE),
                     {}, True, "custom", None, id="path-only"),
        pytest.param(TWO_VALUES, dotenv_changed({"path": "missing.env", "load_defaults": False}, NOT_APPLICABLE),
                     {}, False, None, None, id="missing-path"),
        pytest.param(TWO_VALUES, {}, SET, True, "set", "env", id="environment-kept"),
    ],
)
def test_load_dotenv_sets_unset_variables_and_reports_it(
    impl, submodule, cli_sandbox, behaviour_at, files, kwargs, env, returned, value, other
):
    kwargs, returned, other = (behaviour_at.resolve(cell) for cell in (kwargs, returned, other))
    write(cli_sandbox, impl.module, files)
    os.environ.update(env)
    assert submodule("cli").load_dotenv(**kwargs) is returned
    assert (os.environ.get("CONFORMANCE_VALUE"), os.environ.get("CONFORMANCE_OTHER")) == (value, other)


@spec("cli.load-dotenv")
def test_load_dotenv_without_python_dotenv_reads_nothing_and_returns_false(impl, submodule, cli_sandbox, monkeypatch):
    write(cli_sandbox, impl.module, TWO_AND_CUSTOM)
    monkeypatch.setitem(sys.modules, "dotenv", None)  # `import dotenv` now fails
    assert submodule("cli").load_dotenv("custom.env") is False
    assert "CONFORMANCE_VALUE" not in os.environ


@spec("cli.load-dotenv-no-chdir")
def test_load_dotenv_keeps_the_working_directory(impl, submodule, cli_sandbox, monkeypatch):
    write(cli_sandbox, impl.module, {**FLASKENV, "sub/keep.txt": ""})
    monkeypatch.chdir(cli_sandbox / "sub")
    assert submodule("cli").load_dotenv() is True
    assert os.environ["CONFORMANCE_VALUE"] == "flaskenv"
    assert os.getcwd() == str(cli_sandbox / "sub")


@spec("cli.load-dotenv")
def test_load_dotenv_lives_in_the_cli_module(flask, submodule, behaviour_at):
    assert not hasattr(flask, "load_dotenv")
    expected = behaviour_at("cli.load-dotenv", current=["path", "load_defaults"], before={"3.1": ["path"]})
    assert list(inspect.signature(submodule("cli").load_dotenv).parameters) == expected


# --- debug mode ----------------------------------------------------------------------


DEBUG_ON = {"FLASK_DEBUG": "1"}
DEBUG_OFF = {"FLASK_DEBUG": "0"}


@pytest.mark.parametrize(
    ("args", "env", "files", "group_kwargs", "expected"),
    [
        row("default", "cli.debug-option", [], {}, {}, {}, "False"),
        row("debug", "cli.debug-option", ["--debug"], {}, {}, {}, "True"),
        row("no-debug", "cli.debug-option", ["--no-debug"], {}, {}, {}, "False"),
        row("variable-on", "cli.debug-option", [], DEBUG_ON, {}, {}, "True"),
        row("variable-off", "cli.debug-option", [], DEBUG_OFF, {}, {}, "False"),
        row("option-beats-variable-off", "cli.debug-option", ["--no-debug"], DEBUG_ON, {}, {}, "False"),
        row("option-beats-variable-on", "cli.debug-option", ["--debug"], DEBUG_OFF, {}, {}, "True"),
        row("flaskenv", "cli.debug-option", [], {}, {".flaskenv": "FLASK_DEBUG=1\n"}, {}, "True"),
        row("group-keeps-app-setting", "cli.debug-option", [], {}, {}, {"set_debug_flag": False}, "True"),
        row("flask-env-ignored", "cli.flask-env-ignored", [], {"FLASK_ENV": "development"}, {}, {}, "False"),
    ],
)
def test_debug_mode_follows_the_debug_flag(impl, run_cli, cli_sandbox, args, env, files, group_kwargs, expected):
    # The app's own code asks for debug mode; the CLI's flag overrides it unless told not to.
    write(cli_sandbox, impl.module, {"app.py": [instance("app"), raw("app.debug = True")], **files})
    result = run_cli(*args, "which", env=env, **group_kwargs)
    assert result.exit_code == 0, result.output
    assert parse_which(result.output)["debug"] == expected


@spec("cli.debug-option")
@pytest.mark.parametrize(("option", "value"), [("--debug", "1"), ("--no-debug", "0")])
def test_debug_option_sets_flask_debug(impl, run_cli, cli_sandbox, option, value):
    write(cli_sandbox, impl.module, {"app.py": [instance("app")]})
    run_cli(option, "which")
    assert os.environ["FLASK_DEBUG"] == value


TRUTHY = ["1", "true", "yes", "on", "anything"]
FALSY = ["0", "false", "False", "no", "NO"]


@spec("cli.get-debug-flag")
@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), *((v, True) for v in TRUTHY), *((v, False) for v in FALSY)],
)
def test_get_debug_flag_reads_flask_debug(submodule, monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("FLASK_DEBUG", raising=False)
    else:
        monkeypatch.setenv("FLASK_DEBUG", value)
    assert submodule("helpers").get_debug_flag() is expected


@spec("cli.get-load-dotenv")
@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "default"), ("", "default"), *((v, False) for v in TRUTHY), *((v, True) for v in FALSY)],
)
def test_get_load_dotenv_reads_flask_skip_dotenv(submodule, monkeypatch, value, expected, default):
    if value is None:
        monkeypatch.delenv("FLASK_SKIP_DOTENV", raising=False)
    else:
        monkeypatch.setenv("FLASK_SKIP_DOTENV", value)
    assert submodule("helpers").get_load_dotenv(default) is (default if expected == "default" else expected)
