"""The application logger: ``app.logger``, ``flask.logging.default_handler``,
``wsgi_errors_stream`` and ``has_level_handler``.

Loggers are process-wide, so every test's app gets a name of its own and its
logger is thrown away afterwards.
"""

from __future__ import annotations

import io
import logging
import re
import uuid

import pytest

spec = pytest.mark.spec


@pytest.fixture
def logger_name():
    """A fresh logger name, removed from the logging registry afterwards."""
    name = f"conformance_logging_{uuid.uuid4().hex}"
    yield name
    logger = logging.Logger.manager.loggerDict.pop(name, None)
    if isinstance(logger, logging.Logger):
        logger.handlers.clear()


@pytest.fixture
def named_app(make_app, logger_name):
    """An app whose logger no other test shares."""
    return make_app(logger_name)


def _isolate(app):
    """Stop the app's logger from propagating, so the test runner's handlers on the
    root logger cannot handle its records. Call it in the test body: pytest also
    attaches its handler to loggers that already do not propagate when a test
    phase starts."""
    logging.getLogger(app.name).propagate = False
    return app


@pytest.fixture
def flask_logging(submodule):
    return submodule("logging")


@spec("logging.logger-name")
def test_logger_is_named_after_the_app(named_app):
    assert isinstance(named_app.logger, logging.Logger)
    assert named_app.logger.name == named_app.name
    assert named_app.logger is logging.getLogger(named_app.name)


@spec("logging.debug-level")
@pytest.mark.parametrize(("debug", "level"), [(True, logging.DEBUG), (False, logging.NOTSET)])
def test_logger_level_is_debug_only_in_debug_mode(named_app, debug, level):
    named_app.debug = debug
    assert named_app.logger.level == level


@spec("logging.debug-level-set-once")
def test_debug_turned_on_later_leaves_the_level(named_app):
    assert named_app.logger.level == logging.NOTSET
    named_app.debug = True
    assert named_app.logger.level == logging.NOTSET


@spec("logging.debug-level-set-once")
@pytest.mark.parametrize("level", [logging.WARNING, logging.ERROR, logging.INFO])
def test_debug_keeps_a_level_configured_beforehand(named_app, logger_name, level):
    logging.getLogger(logger_name).setLevel(level)
    named_app.debug = True
    assert named_app.logger.level == level


@spec("logging.default-handler")
def test_default_handler_is_added_when_nothing_would_show_records(named_app, flask_logging):
    assert _isolate(named_app).logger.handlers == [flask_logging.default_handler]


@spec("logging.default-handler")
def test_default_handler_is_not_added_when_a_handler_is_configured(named_app, logger_name, flask_logging):
    own = logging.StreamHandler(io.StringIO())
    logging.getLogger(logger_name).addHandler(own)
    assert named_app.logger.handlers == [own]


@spec("logging.default-handler", "logging.wsgi-errors-stream")
def test_default_handler_writes_to_the_requests_error_stream(named_app, sync):
    app = _isolate(named_app)
    errors = io.StringIO()
    with sync.context(app.test_request_context(errors_stream=errors)):
        app.logger.error("something broke")
    assert "something broke" in errors.getvalue()


@spec("logging.default-format")
def test_default_handler_formats_time_level_module_and_message(named_app, sync):
    app = _isolate(named_app)
    errors = io.StringIO()
    with sync.context(app.test_request_context(errors_stream=errors)):
        app.logger.error("something broke")
    pattern = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR in test_logging: something broke\n"
    assert re.fullmatch(pattern, errors.getvalue())


@spec("logging.wsgi-errors-stream")
def test_wsgi_errors_stream_is_the_requests_wsgi_errors(app, flask_logging, sync):
    errors = io.StringIO()
    with sync.context(app.test_request_context(errors_stream=errors)):
        flask_logging.wsgi_errors_stream.write("in request")
    assert errors.getvalue() == "in request"


@spec("logging.wsgi-errors-stream")
@pytest.mark.parametrize("context", ["none", "app"])
def test_wsgi_errors_stream_is_stderr_outside_a_request(app, flask_logging, capsys, context, sync):
    if context == "app":
        with sync.context(app.app_context()):
            flask_logging.wsgi_errors_stream.write("outside")
    else:
        flask_logging.wsgi_errors_stream.write("outside")
    assert capsys.readouterr().err == "outside"


@spec("logging.has-level-handler")
@pytest.mark.parametrize(
    ("logger_level", "handler_on", "handler_level", "propagate", "expected"),
    [
        (logging.DEBUG, None, logging.NOTSET, True, False),
        (logging.DEBUG, "logger", logging.NOTSET, True, True),
        (logging.DEBUG, "logger", logging.DEBUG, True, True),
        (logging.DEBUG, "logger", logging.ERROR, True, False),
        (logging.ERROR, "logger", logging.WARNING, True, True),
        (logging.DEBUG, "parent", logging.DEBUG, True, True),
        (logging.DEBUG, "parent", logging.DEBUG, False, False),
        (logging.DEBUG, "parent", logging.ERROR, True, False),
    ],
    ids=[
        "no-handler",
        "handler-any-level",
        "handler-same-level",
        "handler-above-level",
        "handler-below-level",
        "parent-handler",
        "parent-not-reached",
        "parent-handler-above-level",
    ],
)
def test_has_level_handler_looks_up_the_propagation_chain(
    flask_logging, logger_name, logger_level, handler_on, handler_level, propagate, expected
):
    parent = logging.getLogger(logger_name)
    parent.propagate = False  # keep the root logger's handlers out (see _isolate)
    child = logging.getLogger(f"{logger_name}.child")
    child.setLevel(logger_level)
    child.propagate = propagate
    if handler_on is not None:
        handler = logging.StreamHandler(io.StringIO())
        handler.setLevel(handler_level)
        (child if handler_on == "logger" else parent).addHandler(handler)
    try:
        assert flask_logging.has_level_handler(child) is expected
    finally:
        logging.Logger.manager.loggerDict.pop(child.name, None)


@spec("logging.unhandled-exception")
@pytest.mark.needs("test-client")
def test_unhandled_exception_is_logged_on_the_app_logger(named_app, caplog):
    error = ValueError("view failed")

    @named_app.route("/fail")
    def fail():
        raise error

    with caplog.at_level(logging.ERROR, logger=named_app.name):
        response = named_app.test_client().get("/fail")
    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == named_app.name]
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].exc_info[1] is error
