"""Hypothesis strategies for generated cases, one vocabulary per differential test.

Every choice is drawn from a small literal pool, so examples shrink to the first
(simplest) entry of each pool and a failing case reads like a hand-written test.
Requests are drawn against the app's own rules (with values that may or may not
fit the converters) so that most of them reach a view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from .model import Blueprint, Case, Handler, Hook, Request, Route

Draw = Callable[[st.SearchStrategy[Any]], Any]

WORDS = ("a", "b", "item")
CONVERTERS = (
    "",
    "int:",
    "string:",
    "float:",
    "path:",
    "uuid:",
    "any(a, item):",
    "int(signed=True):",
    "string(length=2):",
    "int(min=1, max=9):",
    "float(signed=True):",
)
#: Values placed where a rule has a variable: fitting some converters, not others.
SEGMENTS = (
    "a",
    "7",
    "-3",
    "007",
    "1.5",
    "-2.5",
    "ab",
    "item",
    "p/q",
    "12345678-1234-5678-1234-567812345678",
    "w%20x",
    "%C3%BC",
    "0",
    "",
    "a.txt",
    "p.html",
)
#: Values that fit each converter (a string converter's length 2 included).
FITTING = {
    "default": ("ab", "w%20x", "item"),
    "string": ("ab", "%C3%BC"),
    "int": ("7", "1", "42"),
    "float": ("1.5", "0.25"),
    "path": ("p/q", "a.txt", "ab"),
    "uuid": ("12345678-1234-5678-1234-567812345678",),
    "any": ("a", "item"),
}
METHODS = ("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE")
METHOD_SETS = (None, ("GET",), ("POST",), ("GET", "POST"), ("PUT", "DELETE"), ("HEAD",), ("OPTIONS", "GET"))
QUERIES = ("", "?q=1", "?v0=2&q=x%20y", "?q=1&q=2")
OTHER_PATHS = ("/", "/nothing", "/a/", "//a", "/a//b", "/%C3%BC")
SERVER_NAME = "example.test"
HOSTS = ("localhost", SERVER_NAME, f"s.{SERVER_NAME}", f"u1.{SERVER_NAME}", f"a.s.{SERVER_NAME}")

#: View bodies that show what routing decided.
ROUTING_BODY = (
    'r = flask.request\n'
    'return f"{r.endpoint} {r.method} {sorted(kwargs.items())!r} {r.blueprints} {r.url} {r.url_rule.rule}"'
)
SIMPLE_BODIES = ("return 'view'", ROUTING_BODY)


@st.composite
def rules(draw: Draw, max_parts: int = 3) -> str:
    parts = []
    for i in range(draw(st.integers(0, max_parts))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            parts.append(f"<{draw(st.sampled_from(CONVERTERS))}v{i}>")
    rule = "/" + "/".join(parts)
    return rule + "/" if parts and draw(st.booleans()) else rule


def _joined(prefixes: Sequence[str | None], rule: str) -> str:
    """The full rule of a route under (possibly nested) blueprint prefixes."""
    parts = [p.strip("/") for p in (*prefixes, rule) if p and p.strip("/")]
    path = "/" + "/".join(parts)
    return path + "/" if rule.endswith("/") and path != "/" else path


def _value(draw: Draw, variable: str, misses: bool) -> str:
    """A value for ``<converter:name>``: one that fits the converter, or (with
    ``misses``) any segment."""
    converter = re.match(r"<(?:(\w+)[:(])?", variable).group(1) or "default"  # type: ignore[union-attr]
    if misses and draw(st.booleans()):
        return draw(st.sampled_from(SEGMENTS))
    return draw(st.sampled_from(FITTING[converter]))


def _fill(draw: Draw, rule: str, misses: bool = True) -> str:
    """A request path for ``rule``: variables get values, the end may be changed."""
    path = "".join(
        _value(draw, piece, misses) if piece.startswith("<") else piece for piece in re.split(r"(<[^>]+>)", rule)
    )
    tweak = draw(st.sampled_from(("", "slash", "unslash"))) if misses else ""
    if tweak == "slash" and not path.endswith("/"):
        path += "/"
    elif tweak == "unslash" and path.endswith("/") and path != "/":
        path = path[:-1]
    return path + draw(st.sampled_from(QUERIES))


def _chain(blueprint: str | None, blueprints: Sequence[Blueprint]) -> list[Blueprint]:
    """A route's blueprint and its parents, outermost first."""
    by_name = {b.name: b for b in blueprints}
    chain: list[Blueprint] = []
    while blueprint is not None:
        chain.insert(0, by_name[blueprint])
        blueprint = by_name[blueprint].parent
    return chain


def _host(chain: Sequence[Blueprint]) -> str:
    """The host a route under ``chain`` is meant for, with SERVER_NAME set."""
    labels = [b.subdomain.replace("<user>", "u1") for b in reversed(chain) if b.subdomain]
    return ".".join((*labels, SERVER_NAME)) if labels else SERVER_NAME


@st.composite
def blueprint_sets(draw: Draw, subdomains: bool = False) -> tuple[Blueprint, ...]:
    found: list[Blueprint] = []
    for i in range(draw(st.integers(1, 3))):
        parent = draw(st.sampled_from([None, *(b.name for b in found)]))
        subdomain = draw(st.sampled_from((None, "s", "<user>"))) if subdomains else None
        prefix = draw(st.sampled_from((None, "/p", "/q/", "/p/<int:pid>", "/")))
        found.append(Blueprint(f"b{i}", url_prefix=prefix, subdomain=subdomain, parent=parent))
    return tuple(found)


@st.composite
def requests_for(
    draw: Draw,
    routes: Sequence[Route],
    blueprints: Sequence[Blueprint] = (),
    *,
    methods: Sequence[str] = METHODS,
    hosts: Sequence[str] = ("localhost",),
    headers: st.SearchStrategy[tuple[tuple[str, str], ...]] = st.just(()),
    data: st.SearchStrategy[bytes | None] = st.none(),
    count: tuple[int, int] = (1, 4),
    misses: bool = True,
) -> tuple[Request, ...]:
    """Requests mostly for the app's own rules; with ``misses``, also for other paths
    and with the trailing slash added or removed."""
    found = []
    for _ in range(draw(st.integers(*count))):
        route = draw(st.sampled_from([*routes, None] if misses else routes))
        host_choices = list(hosts)
        if route is None:
            path = draw(st.sampled_from(OTHER_PATHS))
        else:
            chain = _chain(route.blueprint, blueprints)
            path = _fill(draw, _joined([b.url_prefix for b in chain], route.rule), misses)
            if len(hosts) > 1:
                host_choices.insert(0, _host(chain))
        found.append(
            Request(
                path=path,
                method=draw(st.sampled_from(methods)),
                host=draw(st.sampled_from(host_choices)),
                headers=draw(headers),
                data=draw(data),
            )
        )
    return tuple(found)


@st.composite
def cases(
    draw: Draw,
    bodies: st.SearchStrategy[str],
    *,
    routes: tuple[int, int] = (1, 3),
    rule: st.SearchStrategy[str] | None = None,
    route_options: bool = False,
    endpoints: bool = False,
    allow: tuple[str, ...] | None = None,
    blueprints: st.SearchStrategy[tuple[Blueprint, ...]] = st.just(()),
    hooks: Callable[[Sequence[str]], st.SearchStrategy[tuple[Hook, ...]]] | None = None,
    handlers: Callable[[Sequence[str]], st.SearchStrategy[tuple[Handler, ...]]] | None = None,
    config: st.SearchStrategy[tuple[tuple[str, object], ...]] = st.just((("TESTING", True),)),
    options: st.SearchStrategy[tuple[tuple[str, object], ...]] = st.just(()),
    setup: st.SearchStrategy[tuple[str, ...]] = st.just(()),
    files: tuple[tuple[str, bytes], ...] = (),
    **request_options: Any,
) -> Case:
    """A case: blueprints, routes with ``bodies``, hooks and handlers, and requests."""
    bps = draw(blueprints)
    scopes = [b.name for b in bps]
    found = []
    for i in range(draw(st.integers(*routes))):
        found.append(
            Route(
                rule=draw(rule if rule is not None else rules()),
                body=draw(bodies),
                endpoint=f"e{i}" if endpoints else None,
                methods=draw(st.sampled_from(METHOD_SETS)) if route_options else allow,
                strict_slashes=draw(st.sampled_from((None, False, True))) if route_options else None,
                redirect_to=draw(st.sampled_from((None, None, None, "/a", "/item/<v0>"))) if route_options else None,
                blueprint=draw(st.sampled_from([None, *scopes])),
            )
        )
    return Case(
        routes=tuple(found),
        requests=draw(requests_for(found, bps, **request_options)),
        blueprints=bps,
        hooks=draw(hooks(scopes)) if hooks else (),
        handlers=draw(handlers(scopes)) if handlers else (),
        config=draw(config),
        options=draw(options),
        setup=draw(setup),
        files=files,
    )


def _subsets(pool: Sequence[Any], max_size: int = 3) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(st.sampled_from(pool), max_size=max_size, unique=True).map(tuple)


def _keywords(pool: Sequence[str], max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    """Keyword arguments (``"name=value"``, possibly several) from ``pool``, each name once."""

    def distinct(chosen: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        kept = []
        for item in chosen:
            names = set(re.findall(r"(\w+)=", item))
            if not names & seen:
                kept.append(item)
                seen |= names
        return tuple(kept)

    return _subsets(pool, max_size).map(distinct)


def _testing() -> st.SearchStrategy[tuple[tuple[str, object], ...]]:
    return st.sampled_from(((("TESTING", True),), (("TESTING", False),)))


# --- routing -------------------------------------------------------------------


def routing() -> st.SearchStrategy[Case]:
    """Converters, methods, strict slashes, redirect_to, url_map settings."""
    return cases(
        st.just(ROUTING_BODY),
        route_options=True,
        routes=(1, 4),
        setup=_subsets(("app.url_map.strict_slashes = False", "app.url_map.merge_slashes = False"), 2),
    )


# --- responses -----------------------------------------------------------------

PAYLOADS = (
    "'text'",
    "''",
    "'ünï'",
    "b'bytes'",
    "{'b': 1, 'a': [1, 2]}",
    "[1, 'two', None]",
    "flask.Response('r', mimetype='text/plain')",
    "flask.Response(status=204)",
    "flask.Response(['l1', 'l2'])",
    "flask.make_response('m', 201)",
    "flask.jsonify(a=1)",
    "(x for x in ['g1', 'g2'])",
    "iter([b'i1', b'i2'])",
    "flask.redirect('/elsewhere')",
    "flask.stream_with_context(x for x in [flask.request.path, '!'])",
    "flask.make_response(('made', 202, {'X-M': 'm'}))",
    "None",
    "42",
    "NotFound()",
    "{'when': datetime.datetime(2020, 1, 2, 3, 4, 5), 'id': uuid.UUID(int=1)}",
)
STATUSES = ("201", "404", "'299 Custom'", "'404 X'", "None", "200.0", "'abc'")
HEADERS = (
    "{'X-A': '1'}",
    "[('X-A', '1'), ('X-A', '2')]",
    "{'Content-Type': 'text/csv'}",
    "{'Location': '/x'}",
    "{}",
    "{'X-B': 1}",
)


@st.composite
def return_values(draw: Draw) -> str:
    """``return`` of one documented shape: a body, or a tuple with status and/or headers."""
    payload = draw(st.sampled_from(PAYLOADS))
    shape = draw(st.sampled_from(("bare", "status", "headers", "both", "four")))
    if shape == "bare":
        return f"return {payload}"
    if shape == "status":
        return f"return {payload}, {draw(st.sampled_from(STATUSES))}"
    if shape == "headers":
        return f"return {payload}, {draw(st.sampled_from(HEADERS))}"
    extra = ", 'extra'" if shape == "four" else ""
    return f"return {payload}, {draw(st.sampled_from(STATUSES))}, {draw(st.sampled_from(HEADERS))}{extra}"


def responses() -> st.SearchStrategy[Case]:
    return cases(return_values(), rule=st.sampled_from(("/", "/a")), methods=("GET", "HEAD"), misses=False)


# --- hooks ---------------------------------------------------------------------

HOOK_BODIES = {
    "before": (
        "",
        "return 'short'",
        "flask.abort(403)",
        "raise Oops()",
        "flask.g.seen = '$name'",
        "flask.after_this_request(lambda response: log.append('late $name') or response)",
    ),
    "after": (
        "return response",
        "response.headers.add('X-Hooks', '$name')\nreturn response",
        "response.set_data(response.get_data() + b' $name')\nreturn response",
        "return flask.Response('replaced by $name')",
        "raise Oops()",
    ),
    "teardown": ("", "flask.g.pop('seen', None)"),
}
APP_HOOKS = ("before_request", "after_request", "teardown_request", "teardown_appcontext")
BLUEPRINT_HOOKS = (
    "before_request",
    "after_request",
    "teardown_request",
    "before_app_request",
    "after_app_request",
    "teardown_app_request",
)
HOOKED_BODIES = ("return 'view'", "raise Oops()", "flask.abort(404)", "return getattr(flask.g, 'seen', 'unseen')")


def hook_lists(scopes: Sequence[str]) -> st.SearchStrategy[tuple[Hook, ...]]:
    """Up to two hooks of every kind in every scope, so that hooks of the app and
    of blueprints meet in one request often."""

    @st.composite
    def draw_hooks(draw: Draw) -> tuple[Hook, ...]:
        found = []
        for scope in (None, *scopes):
            for kind in APP_HOOKS if scope is None else BLUEPRINT_HOOKS:
                family = kind.split("_")[0]
                for _ in range(draw(st.integers(0, 2))):
                    found.append(Hook(kind, draw(st.sampled_from(HOOK_BODIES[family])), scope))
        return tuple(found)

    return draw_hooks()


def hooks() -> st.SearchStrategy[Case]:
    """before/after/teardown hooks of the app and of blueprints, with errors."""
    return cases(
        st.sampled_from(HOOKED_BODIES),
        rule=st.sampled_from(("/", "/a")),
        blueprints=st.sampled_from(((), (Blueprint("b0", "/bp"),), (Blueprint("b0", "/bp"), Blueprint("b1", "/in", parent="b0")))),
        hooks=hook_lists,
        handlers=lambda scopes: handler_lists(scopes, HANDLER_KEYS[:-1]),
        config=_testing(),
        methods=("GET",),
    )


# --- errors --------------------------------------------------------------------

HANDLER_KEYS = (404, 500, 400, 403, 405, 418, "Oops", "ValueError", "Exception", "HTTPException",
                "NotFound", "LookupError", "KeyError", "InternalServerError", 599)
HANDLER_BODIES = (
    "return f'handled {type(e).__name__}'",
    "return f'{type(e).__name__} {getattr(e, \"code\", None)}', 500",
    "return e",
    "raise",
    "raise Oops()",
    "return flask.jsonify(code=getattr(e, 'code', None)), getattr(e, 'code', None) or 500",
    "return f'original {type(getattr(e, \"original_exception\", None)).__name__}', 299",
)
ERROR_BODIES = (
    "return 'ok'",
    "flask.abort(404)",
    "flask.abort(400)",
    "flask.abort(418)",
    "flask.abort(500)",
    "flask.abort(599)",
    "flask.abort(400, 'why')",
    "flask.abort(404, description='gone')",
    "flask.abort(flask.Response('custom', 409))",
    "raise Oops()",
    "raise ValueError('v')",
    "raise KeyError('k')",
    "raise NotFound()",
    "raise InternalServerError()",
    "return None",
    "flask.request.form['missing']",
    "flask.request.args['missing']",
)


def handler_lists(scopes: Sequence[str], keys: Sequence[int | str] = HANDLER_KEYS) -> st.SearchStrategy[tuple[Handler, ...]]:
    @st.composite
    def draw_handlers(draw: Draw) -> tuple[Handler, ...]:
        found = []
        for _ in range(draw(st.integers(0, 4))):
            scope = draw(st.sampled_from([None, *scopes]))
            found.append(
                Handler(
                    key=draw(st.sampled_from(keys)),
                    body=draw(st.sampled_from(HANDLER_BODIES)),
                    blueprint=scope,
                    app_wide=draw(st.booleans()) if scope else False,
                )
            )
        return tuple(found)

    return draw_handlers()


ERROR_CONFIG = (
    ("TESTING", True),
    ("DEBUG", True),
    ("PROPAGATE_EXCEPTIONS", False),
    ("PROPAGATE_EXCEPTIONS", True),
    ("TRAP_HTTP_EXCEPTIONS", True),
    ("TRAP_BAD_REQUEST_ERRORS", True),
    ("TRAP_BAD_REQUEST_ERRORS", False),
)


def errors() -> st.SearchStrategy[Case]:
    """Error handlers by code and class, app-wide and on blueprints, under the
    settings that decide what propagates."""
    return cases(
        st.sampled_from(ERROR_BODIES),
        rule=st.sampled_from(("/", "/a", "/x/<int:n>")),
        blueprints=st.sampled_from(((), (Blueprint("b0", "/bp"),))),
        handlers=handler_lists,
        config=st.lists(st.sampled_from(ERROR_CONFIG), max_size=3, unique_by=lambda kv: kv[0]).map(tuple),
        methods=("GET", "POST"),
    )


# --- blueprints ----------------------------------------------------------------


def blueprints() -> st.SearchStrategy[Case]:
    """Nested blueprints with prefixes and subdomains, SERVER_NAME, subdomain matching."""
    return cases(
        st.just(ROUTING_BODY),
        routes=(1, 4),
        blueprints=blueprint_sets(subdomains=True),
        config=st.sampled_from(((("TESTING", True),), (("TESTING", True), ("SERVER_NAME", SERVER_NAME)))),
        options=st.sampled_from(((), (("subdomain_matching", True),), (("host_matching", False),))),
        hosts=HOSTS,
        methods=("GET",),
    )


# --- url_for -------------------------------------------------------------------

URL_FOR_RULES = ("/", "/a/<v0>", "/b/<int:v0>/<v1>", "/c/<path:v0>", "/d/")
#: Endpoints as expressions: the request's own (whose values are at hand) comes first.
URL_FOR_ENDPOINTS = ("flask.request.endpoint",) * 4 + ("'e0'", "'.e0'", "'.e1'",
                     "'b0.e1'", "'b0.e0'", "'missing'", "'static'")
URL_FOR_VALUES = ("v0=5", "v0='a b'", "q=['1', '2']", "v1=None", "v0=3, v1='x'",
                  "_anchor='a b'", "_external=True", "_method='POST'", "_scheme='https', _external=True",
                  "_external=False", "filename='s.css'")


@st.composite
def url_for_bodies(draw: Draw) -> str:
    endpoint = draw(st.sampled_from(URL_FOR_ENDPOINTS))
    values = ", ".join(draw(_keywords(URL_FOR_VALUES, 2)))
    if draw(st.booleans()):
        values = ", ".join(v for v in (values, "**flask.request.view_args") if v)
    return f"return flask.url_for({endpoint}{', ' if values else ''}{values})"


def url_for() -> st.SearchStrategy[Case]:
    return cases(
        url_for_bodies(),
        rule=st.sampled_from(URL_FOR_RULES),
        endpoints=True,
        routes=(1, 3),
        blueprints=st.sampled_from(((), (Blueprint("b0", "/bp"),), (Blueprint("b0", "/bp", subdomain="s"),))),
        config=st.sampled_from((
            (("TESTING", True),),
            (("TESTING", True), ("SERVER_NAME", SERVER_NAME)),
            (("TESTING", True), ("APPLICATION_ROOT", "/root"), ("PREFERRED_URL_SCHEME", "https")),
        )),
        hosts=("localhost", SERVER_NAME, f"s.{SERVER_NAME}"),
        methods=("GET",),
        misses=False,
    )


# --- JSON ----------------------------------------------------------------------

JSON_BODIES = (
    "return {'got': flask.request.get_json()}",
    "return repr(flask.request.get_json(silent=True))",
    "return flask.jsonify(flask.request.json)",
    "return repr(flask.request.is_json)",
    "return flask.jsonify(1, 2)",
    "return flask.jsonify({'a': 1}, b=2)",
    "return flask.jsonify()",
    "return flask.jsonify({'b': 1, 'a': 'ü', 'c': [datetime.date(2020, 1, 2), uuid.UUID(int=1)]})",
    "return flask.json.dumps({'b': (1, 2), 'a': Markup('<m>')})",
    "return repr(flask.json.loads('{\"a\": [1, 2.5]}'))",
    "return flask.jsonify(io)",
    "return [{'z': 1, 'y': 2}]",
)
JSON_DATA = (None, b'{"a": 1}', b"[1, 2]", b"not json", b"", b'"\\u00fc"')
CONTENT_TYPES = ((), (("Content-Type", "application/json"),), (("Content-Type", "text/plain"),),
                 (("Content-Type", "application/vnd.api+json"),))


def json() -> st.SearchStrategy[Case]:
    return cases(
        st.sampled_from(JSON_BODIES),
        allow=("GET", "POST"),
        rule=st.sampled_from(("/", "/a")),
        setup=_subsets(("app.json.sort_keys = False", "app.json.ensure_ascii = False", "app.json.compact = False",
                        "app.json.mimetype = 'application/vnd.x+json'"), 2),
        methods=("POST", "GET"),
        misses=False,
        headers=st.sampled_from(CONTENT_TYPES),
        data=st.sampled_from(JSON_DATA),
    )


# --- sessions and flashing -----------------------------------------------------

SESSION_STEPS = (
    "flask.session['k'] = 1",
    "flask.session['t'] = (1, 'two')",
    "flask.session['b'] = b'bytes'",
    "flask.session['d'] = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)",
    "flask.session['u'] = uuid.UUID(int=5)",
    "flask.session['m'] = Markup('<b>')",
    "flask.session['n'] = {' t': [1]}",
    "flask.session.pop('k', None)",
    "flask.session.clear()",
    "flask.session.permanent = True",
    "flask.session.modified = True",
    "flask.session.setdefault('k', []).append(1)",
    "flask.flash('m1')",
    "flask.flash('m2', 'error')",
    "flask.flash(Markup('<i>'), 'info')",
)
SESSION_RETURNS = (
    "return 'done'",
    "return repr(sorted(flask.session.items()))",
    "return repr(flask.get_flashed_messages())",
    "return repr(flask.get_flashed_messages(with_categories=True))",
    "return repr(flask.get_flashed_messages(category_filter=['error']))",
    "return repr((flask.session.get('k'), flask.session.new, flask.session.permanent))",
)
SESSION_CONFIG = (
    ("SESSION_COOKIE_NAME", "sid"),
    ("SESSION_COOKIE_PATH", "/a"),
    ("SESSION_COOKIE_HTTPONLY", False),
    ("SESSION_COOKIE_SECURE", True),
    ("SESSION_COOKIE_SAMESITE", "Lax"),
    ("SESSION_REFRESH_EACH_REQUEST", False),
    ("SESSION_COOKIE_PARTITIONED", True),
    ("SESSION_COOKIE_DOMAIN", "example.test"),
    ("PERMANENT_SESSION_LIFETIME", 60),
)


@st.composite
def session_bodies(draw: Draw) -> str:
    return "\n".join((*draw(_subsets(SESSION_STEPS, 3)), draw(st.sampled_from(SESSION_RETURNS))))


def sessions() -> st.SearchStrategy[Case]:
    """Sessions and flashing across requests of one client."""
    keys = st.sampled_from(((("SECRET_KEY", "s3cret"),),) * 3 + ((),))
    return cases(
        session_bodies(),
        rule=st.sampled_from(("/", "/a", "/b")),
        config=st.tuples(keys, _subsets(SESSION_CONFIG, 2)).map(lambda kc: (("TESTING", True), *kc[0], *kc[1])),
        hosts=("localhost", SERVER_NAME),
        methods=("GET",),
        misses=False,
        count=(1, 5),
    )


# --- send_file -----------------------------------------------------------------

FILES = (("a.txt", b"hello world\n"), ("p.html", b"<p>x</p>"))
SEND_OPTIONS = ("conditional=False", "etag=False", "etag='custom'", "max_age=60", "as_attachment=True",
                "download_name='ü x.txt'", "mimetype='text/csv'", "last_modified=MTIME + 60")
SEND_HEADERS = (
    ("If-None-Match", "*"),
    ("If-None-Match", '"custom"'),
    ("If-None-Match", '"other"'),
    ("If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("If-Modified-Since", "Mon, 13 Nov 2023 00:00:00 GMT"),
    ("Range", "bytes=0-3"),
    ("Range", "bytes=5-"),
    ("Range", "bytes=50-"),
    ("Range", "bytes=-2"),
    ("If-Range", '"custom"'),
)


@st.composite
def send_bodies(draw: Draw) -> str:
    kind = draw(st.sampled_from(("file", "directory", "bytes")))
    if kind == "directory":
        return "return flask.send_from_directory(root, kwargs.get('name', 'a.txt'))"
    if kind == "bytes":
        pool = [o for o in SEND_OPTIONS if not o.startswith(("download_name", "mimetype"))]
        options = "".join(", " + o for o in draw(_keywords(pool, 3)))
        return f"return flask.send_file(io.BytesIO(b'data bytes'), download_name='d.txt'{options})"
    options = "".join(", " + o for o in draw(_keywords(SEND_OPTIONS, 3)))
    return f"return flask.send_file(os.path.join(root, 'a.txt'){options})"


def send_file() -> st.SearchStrategy[Case]:
    return cases(
        send_bodies(),
        rule=st.sampled_from(("/f", "/d/<path:name>")),
        files=FILES,
        config=st.sampled_from(((("TESTING", True),), (("TESTING", True), ("SEND_FILE_MAX_AGE_DEFAULT", 30)),
                                (("TESTING", True), ("USE_X_SENDFILE", True)))),
        methods=("GET", "HEAD"),
        misses=False,
        headers=_subsets(SEND_HEADERS, 2),
    )


# --- request data --------------------------------------------------------------

FORM_BODIES = (
    "return repr(sorted(flask.request.form.items(multi=True)))",
    "return repr(flask.request.args.getlist('q'))",
    "return repr(flask.request.get_data())",
    "return repr(sorted((k, f.filename, f.read()) for k, f in flask.request.files.items(multi=True)))",
    "return repr(sorted(flask.request.values.items(multi=True)))",
    "return repr((flask.request.content_length, flask.request.mimetype, flask.request.max_content_length))",
    "return flask.request.form['a']",
    "return repr((flask.request.form.get('a'), flask.request.get_data()))",
)
MULTIPART = (
    b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
    b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n"
    b"Content-Type: text/plain\r\n\r\nfile body\r\n--B--\r\n"
)
FORM_DATA = (b"a=1&a=2&b=%C3%BC", MULTIPART, b"a=" + b"x" * 150, b"not a form")
FORM_TYPES = (
    (("Content-Type", "application/x-www-form-urlencoded"),),
    (("Content-Type", "multipart/form-data; boundary=B"),),
    (("Content-Type", "text/plain"),),
    (),
)
FORM_CONFIG = (("MAX_CONTENT_LENGTH", 100), ("MAX_FORM_MEMORY_SIZE", 10), ("MAX_FORM_PARTS", 1), ("TESTING", False))


def request_data() -> st.SearchStrategy[Case]:
    """Forms, files, query arguments and raw bodies under the size and part limits."""
    return cases(
        st.sampled_from(FORM_BODIES),
        allow=("GET", "POST"),
        rule=st.sampled_from(("/", "/a")),
        config=st.lists(st.sampled_from(FORM_CONFIG), max_size=2, unique_by=lambda kv: kv[0]).map(
            lambda pairs: (("TESTING", True), *pairs)
        ),
        methods=("POST", "GET"),
        headers=st.sampled_from(FORM_TYPES),
        data=st.sampled_from(FORM_DATA),
        misses=False,
    )


# --- templates and static files --------------------------------------------------

TEMPLATE_FILES = (
    ("templates/t.html", b"<p>{{ x }}</p>{{ request.path }}"),
    ("templates/t.txt", b"{{ x }} {{ g.get('seen') }}"),
    ("templates/flashes.html", b"{% for c, m in get_flashed_messages(with_categories=true) %}{{ c }}:{{ m }};{% endfor %}"),
    ("templates/macro.html", b"{% macro m(v) %}[{{ v|upper }}]{% endmacro %}{{ m(x) }}{{ config.TESTING }}"),
    ("static/s.css", b"body { color: red }"),
    ("static/sub/a.js", b"// js"),
)
TEMPLATE_BODIES = (
    "return flask.render_template('t.html', x='<b>')",
    "return flask.render_template('t.txt', x='<b>')",
    "return flask.render_template(['missing.html', 't.html'], x=1)",
    "return flask.render_template('missing.html')",
    "return flask.render_template('macro.html', x='ab')",
    "flask.flash('<m>', 'c')\nreturn flask.render_template('flashes.html')",
    "return flask.render_template_string('{{ x }}|{{ x|safe }}|{{ url_for(request.endpoint) }}', x='<i>')",
    "return flask.render_template_string('{{ shout(\"a\") }}{{ 1|twice }}{{ extra }}')",
    "return flask.render_template_string('{% autoescape false %}{{ x }}{% endautoescape %}', x='<u>')",
    "return flask.stream_template_string('{{ x }}{{ x }}', x='s')",
    "return flask.url_for('static', filename='s.css')",
)
TEMPLATE_SETUP = (
    "app.add_template_filter(lambda v: v * 2, 'twice')",
    "app.add_template_global(lambda v: v.upper() + '!', 'shout')",
    "app.context_processor(lambda: {'extra': 'E'})",
    "app.jinja_env.autoescape = False",
)
STATIC_PATHS = ("/static/s.css", "/static/sub/a.js", "/static/missing.css", "/static/../templates/t.html", "/s/s.css")


@st.composite
def _template_requests(draw: Draw, routes: Sequence[Route]) -> tuple[Request, ...]:
    found = list(draw(requests_for(routes, methods=("GET",), misses=False, count=(1, 3))))
    for path in draw(_subsets(STATIC_PATHS, 2)):
        found.append(Request(path, headers=draw(_subsets(SEND_HEADERS, 1))))
    return tuple(found)


def templates() -> st.SearchStrategy[Case]:
    """Templates from files and strings (autoescaping, context, filters, globals,
    processors, flashes, streaming) and the static route."""

    @st.composite
    def draw_case(draw: Draw) -> Case:
        case = draw(
            cases(
                st.sampled_from(TEMPLATE_BODIES),
                rule=st.sampled_from(("/", "/a.txt", "/b")),
                config=st.sampled_from(((("TESTING", True), ("SECRET_KEY", "k")),)),
                options=st.sampled_from(((), (("static_url_path", "/s"),), (("static_folder", None),))),
                setup=_subsets(TEMPLATE_SETUP, 3),
                files=TEMPLATE_FILES,
                methods=("GET",),
                misses=False,
            )
        )
        return replace(case, requests=draw(_template_requests(case.routes)))

    return draw_case()
