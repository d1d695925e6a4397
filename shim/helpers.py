"""Helpers used from views: URL building, redirects, aborting, responses, files."""

from __future__ import annotations

import collections.abc as cabc
import functools
import importlib.util
import os
import sys
import typing as t
from datetime import datetime

import werkzeug.utils
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.utils import redirect as _wz_redirect

from .ctx import _active_request_context, _do_nothing
from .globals import _cv_app, current_app, request, request_ctx, session
from .signals import message_flashed

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response as BaseResponse

    from .ctx import RequestContext
    from .wrappers import Response


def get_root_path(import_name: str) -> str:
    """The directory ``import_name`` was loaded from (a package's own directory);
    the working directory for modules without a file, such as an interactive ``__main__``."""
    module = sys.modules.get(import_name)
    filename = getattr(module, "__file__", None)
    if filename is not None:
        return os.path.dirname(os.path.abspath(filename))
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.loader is None:
        return os.getcwd()
    if spec.origin and spec.origin not in ("namespace", "built-in", "frozen"):
        return os.path.dirname(os.path.abspath(spec.origin))
    # An imported namespace package: it may span several folders, so none is chosen.
    raise RuntimeError(
        f"Cannot tell which folder {import_name!r} lives in (its import machinery reports"
        " no file); give the object an explicit 'root_path'."
    )


#: Values of a boolean environment variable that mean "off" (any case).
_ENV_OFF = frozenset({"0", "false", "no"})


def _env_switch(name: str) -> bool | None:
    """The environment variable ``name`` read as a switch; None when unset or empty."""
    raw = os.environ.get(name, "")
    return None if raw == "" else raw.lower() not in _ENV_OFF


def get_debug_flag() -> bool:
    """Whether ``FLASK_DEBUG`` asks for debug mode (anything but empty, 0, false, no)."""
    return _env_switch("FLASK_DEBUG") is True


def get_load_dotenv(default: bool = True) -> bool:
    """Whether the CLI reads ``.env``/``.flaskenv``: ``default``, unless ``FLASK_SKIP_DOTENV`` says."""
    skip = _env_switch("FLASK_SKIP_DOTENV")
    return default if skip is None else not skip


def url_for(
    endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
    _scheme: str | None = None, _external: bool | None = None, **values: t.Any
) -> str:
    """Build a URL for ``endpoint`` with ``current_app.url_for`` (same arguments)."""
    # The context variable directly, not the proxy: views build many URLs. The proxy
    # only comes in to raise its "outside of application context" error.
    app_ctx = _cv_app.get(None)
    app = current_app if app_ctx is None else app_ctx.app
    if _anchor is None and _method is None and _scheme is None and _external is None:
        return app.url_for(endpoint, **values)  # the common call, without four keywords to pass on
    return app.url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values)


def redirect(location: str, code: int = 302, Response: type[BaseResponse] | None = None) -> BaseResponse:  # noqa: N803
    """A redirect response; inside an app it is ``current_app.redirect`` (and ``Response``
    is ignored), outside it Werkzeug's, of class ``Response``."""
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        return app_ctx.app.redirect(location, code=code)
    return _wz_redirect(location, code=code, Response=Response)


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the HTTP error for ``code`` with ``current_app.aborter`` (or Werkzeug's)."""
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        app_ctx.app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def make_response(*args: t.Any) -> Response:
    """A response from view-style return values: none, one, or a tuple's parts."""
    match args:
        case ():
            # Nothing to convert: an empty response of the app's class.
            return current_app.response_class()
        case (single,):
            return current_app.make_response(single)
        case _:
            # Several arguments are the parts of a (body, status, headers) tuple.
            return current_app.make_response(args)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """Fetch a name defined at the top of template ``template_name`` (typically a
    macro, which is then callable from Python)."""
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)


def _app_file_options(max_age: t.Any) -> dict[str, t.Any]:
    """The arguments of Werkzeug's file sending that come from the app and request.

    Relative paths resolve against the app's root path, and without an explicit
    ``max_age`` the app's ``get_send_file_max_age`` decides per file.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return {
        "environ": request.environ,
        "max_age": app.get_send_file_max_age if max_age is None else max_age,
        "_root_path": app.root_path,
        "response_class": app.response_class,
        "use_x_sendfile": app.config["USE_X_SENDFILE"],
    }


def send_file(
    path_or_file: os.PathLike[t.AnyStr] | str | t.BinaryIO, mimetype: str | None = None,
    as_attachment: bool = False, download_name: str | None = None, conditional: bool = True,
    etag: bool | str = True, last_modified: datetime | int | float | None = None,
    max_age: int | t.Callable[[str | None], int | None] | None = None,
) -> Response:
    """Send a file's contents with Werkzeug, using the app's settings."""
    # The parameters are named exactly as Werkzeug's, so they pass through as a dict.
    options = dict(locals())
    options.update(_app_file_options(max_age))
    return werkzeug.utils.send_file(**options)  # type: ignore[return-value]


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: t.Any
) -> Response:
    """Send ``path`` from inside ``directory``; paths that leave it are 404."""
    options = {**kwargs, **_app_file_options(kwargs.get("max_age"))}
    return werkzeug.utils.send_from_directory(directory, path, **options)  # type: ignore[return-value]


# --- message flashing ----------------------------------------------------------

#: The session key under which flashed messages wait for the next request.
_FLASHES = "_flashes"


def flash(message: str, category: str = "message") -> None:
    """Queue ``message`` under ``category`` for the visitor's next request.

    The queue lives in the session, so flashing needs a working session (a
    secret key). Sends :data:`message_flashed` with the message and category.
    """
    # A new list rather than an in-place append: assignment is what marks the
    # session modified, and an in-place change would never reach the cookie.
    session[_FLASHES] = [*session.get(_FLASHES, ()), (category, message)]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    message_flashed.send(app, _async_wrapper=app.ensure_sync, message=message, category=category)


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Take the flashed messages out of the session, oldest first.

    The first call in a request moves them from the session onto the request
    context: repeat calls during that request return them again, and the next
    request finds none. ``with_categories`` returns
    ``(category, message)`` pairs; ``category_filter`` keeps only those categories.
    """
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    if ctx.flashes is None:
        # Test membership first: a null session (no secret key) can be read
        # but refuses pop(), and an app without sessions has no messages.
        ctx.flashes = session.pop(_FLASHES) if _FLASHES in session else []
    pending: list[tuple[str, str]] = ctx.flashes
    if category_filter:
        pending = [item for item in pending if item[0] in category_filter]
    if with_categories:
        return list(pending)
    return [message for _, message in pending]


class _StreamInContext:
    """Iterates ``chunks`` inside the request (and app) context it was created in.

    The contexts are only recorded when the stream is created, inside the view, and
    pushed when iteration starts: the view may run in another context-variable
    context than the server reading the body (an async view runs in asgiref's), and
    a push must be popped where it was made. Until the stream ends, it holds both
    contexts, so the view's own pop does not tear them down: teardown runs once, at
    the end of the stream (exhausted or closed), with the contexts current.
    """

    def __init__(self, ctx: RequestContext, chunks: cabc.Iterator[t.AnyStr]) -> None:
        self._contexts = (_cv_app.get(), ctx)  # pushed in this order, popped in reverse
        self._chunks = chunks
        for held in self._contexts:
            held._holds += 1
        self._state = "created"  # then "pushed" on the first chunk, "closed" at the end

    def __iter__(self) -> _StreamInContext:
        return self

    def _push(self) -> None:
        self._state = "pushed"
        for held in self._contexts:
            held.push()

    def __next__(self) -> t.AnyStr:
        if self._state == "closed":
            raise StopIteration
        if self._state == "created":
            self._push()
        try:
            return next(self._chunks)
        except StopIteration:
            self._end(None)  # the stream ran to its end: no error for teardown
            raise
        except BaseException as error:
            self._end(error)
            raise

    def close(self) -> None:
        """Close the wrapped iterator and tear the contexts down (safe to call twice)."""
        self._end(None)

    def _end(self, error: BaseException | None) -> None:
        """Close the wrapped iterator and pop the contexts, telling teardown ``error``."""
        if self._state == "closed":
            return
        if self._state == "created":
            self._push()  # never iterated: teardown still runs with the contexts current
        self._state = "closed"
        try:
            # Generators have close(); a plain iterator has nothing to release.
            getattr(self._chunks, "close", _do_nothing)()
        finally:
            app_ctx, req_ctx = self._contexts
            app_ctx._holds -= 1
            req_ctx._holds -= 1
            try:
                req_ctx.pop(error)
            finally:
                app_ctx.pop(error)


def stream_with_context(
    generator_or_function: cabc.Iterable[t.AnyStr] | t.Callable[..., cabc.Iterable[t.AnyStr]],
) -> t.Any:
    """Keep the current request context active while a streamed body is produced.

    Wrap an iterator (``stream_with_context(gen())``) or decorate a generator
    function (its calls then return wrapped iterators). Wrapping needs a pushed
    request context; without one it raises :class:`RuntimeError`.
    Headers and the session cookie are already sent when streaming starts, so
    session changes made in the stream are not saved.
    """
    if not isinstance(generator_or_function, cabc.Iterable):
        make_chunks = generator_or_function

        def start_stream(*args: t.Any, **kwargs: t.Any) -> cabc.Iterator[t.AnyStr]:
            return stream_with_context(make_chunks(*args, **kwargs))  # type: ignore[no-any-return]

        return functools.update_wrapper(start_stream, make_chunks)
    ctx = _active_request_context("stream_with_context")
    return _StreamInContext(ctx, iter(generator_or_function))
