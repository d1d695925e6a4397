"""The application's lifecycle signals.

Each is a blinker signal whose sender is the application object. Receivers are
connected with ``signal.connect(receiver, sender=app)`` (or ``connected_to`` in
tests); blinker keeps only weak references unless ``weak=False`` is passed.
Coroutine receivers work too: every send goes through ``app.ensure_sync``.

Extensions and applications declare signals of their own with a
:class:`blinker.Namespace`, exactly as below.
"""

from __future__ import annotations

from blinker import Namespace

_lifecycle = Namespace()

# --- application context ---------------------------------------------------------
#: After an application context is pushed; no keyword arguments.
appcontext_pushed = _lifecycle.signal("appcontext-pushed")
#: While the last pop of an app context tears it down; ``exc`` is the error or None.
appcontext_tearing_down = _lifecycle.signal("appcontext-tearing-down")
#: After an application context is popped; no keyword arguments.
appcontext_popped = _lifecycle.signal("appcontext-popped")

# --- request handling ------------------------------------------------------------
#: Before the request's hooks and view run, with the request context active.
request_started = _lifecycle.signal("request-started")
#: With ``response=``, once after-request processing has produced the final response.
request_finished = _lifecycle.signal("request-finished")
#: With ``exception=``, when an error reaches the unhandled-exception path.
got_request_exception = _lifecycle.signal("got-request-exception")
#: While the request context is torn down; ``exc`` is the unhandled error or None.
request_tearing_down = _lifecycle.signal("request-tearing-down")

# --- templates and flashing ----------------------------------------------------------
#: With ``template=`` and ``context=``, just before a template renders.
before_render_template = _lifecycle.signal("before-render-template")
#: With ``template=`` and ``context=``, once a template has rendered.
template_rendered = _lifecycle.signal("template-rendered")
#: With ``message=`` and ``category=``, when a message is flashed.
message_flashed = _lifecycle.signal("message-flashed")
