"""Resources and the instance folder: root_path, open_resource, open_instance_resource,
instance_path. Sample modules and packages are written to tmp_path and put on sys.path
under names unique to each test."""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import os
import sys
import types
import uuid

import pytest

spec = pytest.mark.spec


@pytest.fixture
def unique():
    """A module name no other test uses; whatever is imported under it is forgotten afterwards."""
    name = f"conformance_res_{uuid.uuid4().hex[:10]}"
    yield name
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


def write(path, text="", data=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if data is None:
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def lay_out(folder, name, kind):
    """Write a module, a package or a package's submodule named after ``name`` into
    ``folder``; returns (import name, the folder its code is in)."""
    if kind == "module":
        write(folder / f"{name}.py")
        return name, folder
    write(folder / name / "__init__.py")
    if kind == "package":
        return name, folder / name
    write(folder / name / "views.py")
    return f"{name}.views", folder / name


@pytest.fixture
def code(tmp_path, monkeypatch):
    """A folder on sys.path for sample code."""
    folder = tmp_path / "code"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


KINDS = ["module", "package", "submodule"]


# --- root_path ----------------------------------------------------------------------------


@spec("resources.root-path")
@pytest.mark.parametrize("imported", [False, True], ids=["not-imported", "imported"])
@pytest.mark.parametrize("kind", KINDS)
def test_root_path_is_the_folder_of_the_code(make_app, code, unique, kind, imported):
    import_name, folder = lay_out(code, unique, kind)
    if imported:
        importlib.import_module(import_name)
    assert make_app(import_name).root_path == str(folder)
    assert (import_name in sys.modules) is imported  # its loader names the file: no import needed


@spec("resources.root-path")
def test_a_script_module_without_an_import_spec_uses_its_file(make_app, code, unique, monkeypatch):
    # As __main__ is for `python path/to/script.py`: a file, but nothing the import system can find.
    script = types.ModuleType(unique)
    script.__file__ = str(write(code / "scripts" / "run.py"))
    monkeypatch.setitem(sys.modules, unique, script)
    monkeypatch.chdir(code)
    assert make_app(unique).root_path == str(code / "scripts")


class _FileAtImportFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """An import hook whose loader has no get_filename, as some custom importers
    do: the file is known from the spec's origin and, once run, from __file__."""

    def __init__(self, name, file):
        self.name, self.file = name, file

    def find_spec(self, fullname, path=None, target=None):
        return importlib.util.spec_from_loader(fullname, self, origin=self.file) if fullname == self.name else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self.file


@spec("resources.root-path")
def test_a_module_from_an_import_hook_is_imported_for_its_file(make_app, code, unique, monkeypatch):
    file = str(write(code / "hooked" / "mod.py"))
    monkeypatch.setattr(sys, "meta_path", [_FileAtImportFinder(unique, file), *sys.meta_path])
    monkeypatch.chdir(code)
    assert make_app(unique).root_path == str(code / "hooked")


@spec("resources.root-path")
def test_an_unknown_import_name_uses_the_working_directory(make_app, tmp_path, monkeypatch, unique):
    monkeypatch.chdir(tmp_path)
    assert make_app(unique).root_path == os.getcwd()


@spec("resources.root-path")
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_an_explicit_root_path_is_used(flask, tmp_path, owner):
    target = (
        flask.Flask(__name__, root_path=str(tmp_path))
        if owner == "app"
        else flask.Blueprint("bp", __name__, root_path=str(tmp_path))
    )
    assert target.root_path == str(tmp_path)


@spec("resources.root-path-namespace")
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_an_imported_namespace_package_needs_an_explicit_root_path(flask, code, unique, owner):
    (code / unique).mkdir()  # no __init__.py
    importlib.import_module(unique)
    make = flask.Flask if owner == "app" else functools.partial(flask.Blueprint, "bp")
    with pytest.raises(RuntimeError):
        make(unique)
    assert make(unique, root_path=str(code)).root_path == str(code)


# --- open_resource ------------------------------------------------------------------------


@pytest.fixture
def owners(flask, code, unique):
    """An app made from a package and a blueprint from its ``admin`` subpackage, each
    with resources beside its code (and none beside the other's)."""
    write(code / unique / "__init__.py")
    write(code / unique / "schema.sql", "CREATE TABLE app;\n")
    write(code / unique / "sql" / "seed.sql", "INSERT app;\n")
    write(code / unique / "admin" / "__init__.py")
    write(code / unique / "admin" / "schema.sql", "CREATE TABLE admin;\n")
    write(code / unique / "admin" / "sql" / "seed.sql", "INSERT admin;\n")
    return {
        "app": flask.Flask(unique),
        "blueprint": flask.Blueprint("admin", f"{unique}.admin"),
    }


@spec("resources.open-resource")
@pytest.mark.parametrize(
    ("args", "binary"),
    [((), True), (("rb",), True), (("r",), False), (("rt",), False)],
    ids=["default", "rb", "r", "rt"],
)
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_open_resource_reads_beside_the_code(owners, owner, args, binary):
    text = f"CREATE TABLE {'app' if owner == 'app' else 'admin'};\n"
    with owners[owner].open_resource("schema.sql", *args) as f:
        assert f.read() == (text.encode() if binary else text)


@spec("resources.open-resource")
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_open_resource_takes_forward_slash_subpaths(owners, owner):
    with owners[owner].open_resource("sql/seed.sql", "r") as f:
        assert f.read() == f"INSERT {'app' if owner == 'app' else 'admin'};\n"


@spec("resources.open-resource-read-only")
@pytest.mark.parametrize("mode", ["w", "wb", "wt", "a", "ab", "r+", "rb+", "w+", "x", "xb"])
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_open_resource_refuses_to_write(owners, code, unique, owner, mode):
    folder = code / unique if owner == "app" else code / unique / "admin"
    before = (folder / "schema.sql").read_bytes()
    with pytest.raises(ValueError):
        owners[owner].open_resource("schema.sql", mode)
    with pytest.raises(ValueError):
        owners[owner].open_resource("new.sql", mode)
    assert (folder / "schema.sql").read_bytes() == before
    assert not (folder / "new.sql").exists()


@spec("resources.open-resource-encoding")
@pytest.mark.parametrize(
    ("mode", "encoding", "expected"),
    [("r", "latin-1", "café\n"), ("rt", "cp1252", "café\n"), ("rb", "latin-1", b"caf\xe9\n")],
)
@pytest.mark.parametrize("owner", ["app", "blueprint"])
def test_open_resource_decodes_with_the_given_encoding(flask, tmp_path, owner, mode, encoding, expected):
    write(tmp_path / "latin.txt", data=b"caf\xe9\n")
    target = (
        flask.Flask(__name__, root_path=str(tmp_path))
        if owner == "app"
        else flask.Blueprint("bp", __name__, root_path=str(tmp_path))
    )
    with target.open_resource("latin.txt", mode, encoding=encoding) as f:
        assert f.read() == expected


# --- the instance folder ---------------------------------------------------------------------


@pytest.fixture
def instance_app(make_app, tmp_path):
    """An app whose instance folder is ``tmp_path/instance`` (created)."""
    (tmp_path / "instance").mkdir()
    return make_app(root_path=str(tmp_path), instance_path=str(tmp_path / "instance"))


@spec("resources.open-instance-resource")
@pytest.mark.parametrize(
    ("write_mode", "data", "read_args", "expected"),
    [
        ("w", "héllo", ("r",), "héllo"),
        ("w", "héllo", (), "héllo".encode()),
        ("wt", "héllo", ("rb",), "héllo".encode()),
        ("wb", b"\x00\xff", (), b"\x00\xff"),
    ],
    ids=["text", "text-read-as-utf8-bytes", "wt", "binary"],
)
def test_instance_resources_can_be_written_and_read(instance_app, tmp_path, write_mode, data, read_args, expected):
    with instance_app.open_instance_resource("notes.dat", write_mode) as f:
        f.write(data)
    assert (tmp_path / "instance" / "notes.dat").exists()
    with instance_app.open_instance_resource("notes.dat", *read_args) as f:
        assert f.read() == expected


@spec("resources.open-instance-resource")
def test_instance_resources_can_be_appended_to(instance_app, tmp_path):
    write(tmp_path / "instance" / "log.txt", "one\n")
    with instance_app.open_instance_resource("log.txt", "a") as f:
        f.write("two\n")
    assert (tmp_path / "instance" / "log.txt").read_text() == "one\ntwo\n"


@spec("resources.open-instance-resource", "resources.open-resource-encoding")
def test_instance_resources_take_an_encoding(instance_app, tmp_path):
    with instance_app.open_instance_resource("latin.txt", "w", encoding="latin-1") as f:
        f.write("café")
    assert (tmp_path / "instance" / "latin.txt").read_bytes() == b"caf\xe9"
    with instance_app.open_instance_resource("latin.txt", "r", encoding="latin-1") as f:
        assert f.read() == "café"


@spec("resources.instance-path-default")
@pytest.mark.parametrize("kind", KINDS)
def test_the_instance_folder_is_beside_the_module_or_package(make_app, code, unique, kind):
    import_name, _ = lay_out(code, unique, kind)
    app = make_app(import_name)
    assert app.instance_path == str(code / "instance")
    assert not os.path.exists(app.instance_path)


@spec("resources.instance-path-default")
@pytest.mark.parametrize("portion", ["first", "second"])
def test_a_namespace_package_keeps_its_instance_beside_the_portion_in_use(make_app, tmp_path, monkeypatch, unique, portion):
    # `unique` is a namespace package (no __init__.py) split over two folders on sys.path.
    folders = {"first": tmp_path / "one", "second": tmp_path / "two"}
    for name, folder in folders.items():
        write(folder / unique / name / "__init__.py")
    for folder in folders.values():
        monkeypatch.syspath_prepend(str(folder))
    app = make_app(f"{unique}.{portion}")
    assert app.instance_path == str(folders[portion] / "instance")


@spec("resources.instance-path-default")
def test_a_module_in_a_namespace_package_keeps_its_instance_beside_the_namespace(make_app, code, unique):
    write(code / unique / "views.py")  # `unique` has no __init__.py
    app = make_app(f"{unique}.views")
    assert app.instance_path == str(code / "instance")


@spec("resources.instance-path-default")
@pytest.mark.parametrize("kind", ["module", "package"])
@pytest.mark.parametrize(
    "layout",
    [f"lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages", "lib/site-packages", "site-packages"],
    ids=["unix", "windows", "bare"],
)
def test_an_installed_package_keeps_its_instance_under_the_prefix(make_app, tmp_path, monkeypatch, unique, kind, layout):
    prefix = tmp_path / "prefix"
    site = prefix.joinpath(*layout.split("/"))
    site.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    import_name, _ = lay_out(site, unique, kind)
    app = make_app(import_name)
    assert app.instance_path == str(prefix / "var" / f"{unique}-instance")
    assert not os.path.exists(app.instance_path)


@spec("resources.instance-path-default", "config.instance-relative")
def test_instance_relative_config_reads_the_default_instance_folder(make_app, code, unique):
    import_name, package = lay_out(code, unique, "package")
    write(code / "instance" / "settings.py", "SECRET_KEY = 'from the instance folder'\n")
    write(package / "settings.py", "SECRET_KEY = 'from the package'\n")
    app = make_app(import_name, instance_relative_config=True)
    assert app.config.from_pyfile("settings.py") is True
    assert app.config["SECRET_KEY"] == "from the instance folder"


@spec("resources.instance-path-explicit")
def test_an_absolute_instance_path_is_used(make_app, tmp_path):
    assert make_app(instance_path=str(tmp_path / "private")).instance_path == str(tmp_path / "private")


@spec("resources.instance-path-explicit")
@pytest.mark.parametrize("path", ["instance", "./instance", "../instance", os.path.join("var", "app-instance")])
def test_a_relative_instance_path_is_a_value_error(make_app, path):
    with pytest.raises(ValueError):
        make_app(instance_path=path)
