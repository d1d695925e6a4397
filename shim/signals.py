"""The application's lifecycle signals.

Each is a blinker signal whose sender is the application object. Receivers are
connected with ``signal.connect(receiver, sender=app)`` (or ``connected_to`` in
tests); blinker keeps only weak references unless ``weak=False`` is passed.
Coroutine receivers work too: every send goes through ``app.ensure_sync``.

Extensions and applications declare signals of their own with a
:class:`blinker.Namespace`, exactly as below. Each signal's ``__doc__`` says when
it is sent and with which keyword arguments.
"""

from __future__ import annotations

from blinker import Namespace, NamedSignal

_lifecycle = Namespace()


def _declare(name: str, when: str) -> NamedSignal:
    """The signal called ``name``, documented by ``when``."""
    return _lifecycle.signal(name, doc=when)


# Data, not code: the signal names are part of the documented API (receivers may
# look them up by name in a Namespace), so they must be spelled as Flask spells them.

# --- application context ---------------------------------------------------------
appcontext_pushed = _declare("appcontext-pushed", "After an application context is pushed; no keyword arguments.")
appcontext_tearing_down = _declare(
    "appcontext-tearing-down", "While the last pop of an app context tears it down; ``exc`` is the error or None."
)
appcontext_popped = _declare("appcontext-popped", "After an application context is popped; no keyword arguments.")

# --- request handling ------------------------------------------------------------
request_started = _declare("request-started", "Before the request's hooks and view run, in the request context.")
request_finished = _declare(
    "request-finished", "With ``response=``, once after-request processing has produced the final response."
)
got_request_exception = _declare(
    "got-request-exception", "With ``exception=``, when an error reaches the unhandled-exception path."
)
request_tearing_down = _declare(
    "request-tearing-down", "While the request context is torn down; ``exc`` is the unhandled error or None."
)

# --- templates and flashing ------------------------------------------------------
before_render_template = _declare(
    "before-render-template", "With ``template=`` and ``context=``, just before a template renders."
)
template_rendered = _declare("template-rendered", "With ``template=`` and ``context=``, once a template has rendered.")
message_flashed = _declare("message-flashed", "With ``message=`` and ``category=``, when a message is flashed.")
