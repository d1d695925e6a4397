"""Message flashing: ``flash`` queues messages in the session for the next request,
``get_flashed_messages`` takes them out (in views and in templates), and
``message_flashed`` reports each one."""

from __future__ import annotations

import pytest

spec = pytest.mark.spec


@pytest.fixture
def fapp(flask, app, sync):
    """An app with a secret key whose /flash view flashes each ``m`` query argument
    ("category:text", or plain text for the default category), and whose /read view
    answers get_flashed_messages() called with the query's ``categories`` and
    ``only`` (repeatable) arguments."""
    app.secret_key = "flashing-secret"

    @app.route("/flash")
    def flash_view():
        for item in flask.request.args.getlist("m"):
            category, sep, text = item.partition(":")
            if sep:
                sync(flask.flash(text, category))
            else:
                sync(flask.flash(item))
        return "flashed"

    @app.route("/read")
    def read_view():
        args = flask.request.args
        kwargs = {}
        if "categories" in args:
            kwargs["with_categories"] = True
        if "only" in args:
            kwargs["category_filter"] = args.getlist("only")
        return {"messages": flask.get_flashed_messages(**kwargs)}

    @app.route("/other")
    def other_view():
        return "nothing read"

    @app.route("/touch")
    def touch_view():
        flask.session["visits"] = flask.session.get("visits", 0) + 1
        return "session used, messages not read"

    return app


def read(client, query=""):
    return client.get(f"/read{query}").json["messages"]


# --- the round trip ------------------------------------------------------------------


@spec("flashing.next-request")
def test_a_flashed_message_survives_a_redirect(flask, fapp, client, sync):
    @fapp.route("/submit", methods=["POST"])
    def submit():
        sync(flask.flash("Saved."))
        return flask.redirect("/read")

    response = client.post("/submit")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).json == {"messages": ["Saved."]}


@spec("flashing.consumed-once-read")
def test_messages_are_gone_once_read(fapp, client):
    client.get("/flash?m=Saved.")
    assert read(client) == ["Saved."]
    assert read(client) == []
    assert read(client, "?categories=1") == []


@spec("flashing.consumed-once-read")
def test_a_filtered_read_still_consumes_every_message(fapp, client):
    client.get("/flash?m=info:Hello&m=error:Broken")
    assert read(client, "?only=error") == ["Broken"]
    assert read(client) == []


@spec("flashing.kept-until-read")
@pytest.mark.parametrize("between", ["/other", "/touch"], ids=["unrelated view", "view using the session"])
def test_unread_messages_wait_in_the_session(fapp, client, between):
    client.get("/flash?m=Saved.")
    client.get(between)
    client.get(between)
    assert read(client) == ["Saved."]


@spec("flashing.same-list-per-request")
def test_repeated_calls_in_one_request_return_the_same_messages(flask, fapp, client):
    @fapp.route("/twice")
    def twice():
        first = flask.get_flashed_messages()
        second = flask.get_flashed_messages()
        pairs = flask.get_flashed_messages(with_categories=True)
        return {"first": first, "second": second, "pairs": pairs}

    client.get("/flash?m=one&m=error:two")
    assert client.get("/twice").json == {
        "first": ["one", "two"],
        "second": ["one", "two"],
        "pairs": [["message", "one"], ["error", "two"]],
    }


@spec("flashing.same-request")
def test_a_message_flashed_and_read_in_one_request_is_consumed(flask, fapp, client, sync):
    @fapp.route("/flash-and-read")
    def flash_and_read():
        sync(flask.flash("now", "info"))
        return {"pairs": flask.get_flashed_messages(with_categories=True)}

    client.get("/flash?m=earlier")
    assert client.get("/flash-and-read").json == {"pairs": [["message", "earlier"], ["info", "now"]]}
    assert read(client) == []


@spec("flashing.flash-after-read")
@pytest.mark.parametrize(
    ("earlier", "first_read"),
    [(["earlier"], ["earlier"]), ([], [])],
    ids=["after-a-read", "after-an-empty-read"],
)
def test_a_message_flashed_after_a_read_waits_for_the_next_request(flask, fapp, client, sync, earlier, first_read):
    @fapp.route("/read-then-flash")
    def read_then_flash():
        first = flask.get_flashed_messages()
        sync(flask.flash("later"))
        return {"first": first, "second": flask.get_flashed_messages()}

    for message in earlier:
        client.get(f"/flash?m={message}")
    # The request's first read is cached: a message flashed after it waits.
    assert client.get("/read-then-flash").json == {"first": first_read, "second": first_read}
    assert read(client) == ["later"]


@spec("flashing.error-responses")
@pytest.mark.parametrize(
    ("handled", "status", "body"),
    [(True, 418, "handler saw ['before']"), (False, 500, None)],
    ids=["handled", "unhandled"],
)
def test_flashes_survive_an_error_response(flask, fapp, client, handled, status, body, sync):
    fapp.testing = False  # an unhandled error becomes a 500 response instead of propagating

    class Failure(Exception):
        pass

    @fapp.route("/fail")
    def fail():
        sync(flask.flash("before"))
        raise Failure()

    if handled:

        @fapp.errorhandler(Failure)
        def on_failure(error):
            seen = flask.get_flashed_messages()
            sync(flask.flash("from handler"))
            return f"handler saw {seen}", 418

    response = client.get("/fail")
    assert response.status_code == status
    if body is not None:
        assert response.get_data(as_text=True) == body
    assert read(client) == (["from handler"] if handled else ["before"])


@spec("flashing.error-responses")
def test_an_http_error_handler_reads_what_the_view_flashed(flask, fapp, client, sync):
    @fapp.route("/refuse")
    def refuse():
        sync(flask.flash("not allowed", "error"))
        flask.abort(403)

    @fapp.errorhandler(403)
    def forbidden(error):
        return {"messages": flask.get_flashed_messages(with_categories=True)}, 403

    response = client.get("/refuse")
    assert (response.status_code, response.json) == (403, {"messages": [["error", "not allowed"]]})
    assert read(client) == []


@spec("flashing.order")
@pytest.mark.parametrize(
    "flashes",
    [["?m=a&m=error:b&m=info:c&m=d"], ["?m=a&m=error:b", "?m=info:c", "?m=d"]],
    ids=["one request", "several requests"],
)
def test_messages_keep_the_order_they_were_flashed_in(fapp, client, flashes):
    for query in flashes:
        client.get(f"/flash{query}")
    assert read(client) == ["a", "b", "c", "d"]


# --- categories ------------------------------------------------------------------------


@spec("flashing.default-category")
@pytest.mark.parametrize(
    ("query", "pair"),
    [("?m=plain", ["message", "plain"]), ("?m=error:oops", ["error", "oops"]), ("?m=my-own kind:x", ["my-own kind", "x"])],
)
def test_flash_category_defaults_to_message(fapp, client, query, pair):
    client.get(f"/flash{query}")
    assert read(client, "?categories=1") == [pair]


@spec("flashing.messages-only")
def test_messages_come_without_categories_by_default(fapp, client):
    client.get("/flash?m=info:Hello&m=error:Broken")
    assert read(client) == ["Hello", "Broken"]


@spec("flashing.with-categories")
def test_with_categories_gives_category_message_tuples(flask, fapp, client):
    @fapp.route("/pairs")
    def pairs():
        got = flask.get_flashed_messages(with_categories=True)
        return {"tuples": all(type(p) is tuple for p in got), "pairs": got}

    client.get("/flash?m=info:Hello&m=error:Broken")
    assert client.get("/pairs").json == {"tuples": True, "pairs": [["info", "Hello"], ["error", "Broken"]]}


@spec("flashing.category-filter")
@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (["error"], ["E1", "E2"]),
        (["info", "warning"], ["I1", "W1"]),
        (["message"], ["M1"]),
        (["none-such"], []),
    ],
)
def test_category_filter_keeps_the_listed_categories(fapp, client, only, expected):
    client.get("/flash?m=error:E1&m=info:I1&m=M1&m=error:E2&m=warning:W1")
    query = "&".join(f"only={c}" for c in only)
    assert read(client, f"?{query}") == expected


@spec("flashing.filter-with-categories")
def test_category_filter_and_with_categories_combine(fapp, client):
    client.get("/flash?m=error:E1&m=info:I1&m=M1&m=error:E2")
    assert read(client, "?categories=1&only=error&only=message") == [["error", "E1"], ["message", "M1"], ["error", "E2"]]


# --- requirements, payloads, signal, templates --------------------------------------------


@spec("flashing.needs-request")
@pytest.mark.parametrize("context", ["none", "app"])
@pytest.mark.parametrize("call", ["flash", "get_flashed_messages"])
def test_flashing_outside_a_request_is_a_runtime_error(flask, fapp, context, call, sync):
    def use():
        if call == "flash":
            sync(flask.flash("Saved."))
        else:
            flask.get_flashed_messages()

    if context == "app":
        with sync.context(fapp.app_context()):
            with pytest.raises(RuntimeError):
                use()
    else:
        with pytest.raises(RuntimeError):
            use()


@spec("flashing.needs-session")
def test_flash_without_a_secret_key_is_a_runtime_error(flask, app, sync):
    with sync.context(app.test_request_context("/")):
        with pytest.raises(RuntimeError):
            sync(flask.flash("Saved."))


@spec("flashing.needs-session")
def test_reading_messages_without_a_secret_key_gives_none(flask, app, sync):
    with sync.context(app.test_request_context("/")):
        assert flask.get_flashed_messages() == []
        assert flask.get_flashed_messages(with_categories=True) == []


@spec("flashing.non-string-messages")
@pytest.mark.parametrize("message", [{"text": "Saved.", "count": 2}, ["a", 1, None], 42])
def test_non_string_messages_come_back_unchanged(flask, fapp, client, message, sync):
    @fapp.route("/flash-value")
    def flash_value():
        sync(flask.flash(message, "data"))
        return ""

    client.get("/flash-value")
    assert read(client, "?categories=1") == [["data", message]]


@spec("flashing.signal")
def test_flash_sends_message_flashed(flask, fapp, sync):
    received = []

    def receiver(sender, **kwargs):  # a local name keeps a strong reference
        received.append((sender, kwargs))

    with sync.context(fapp.test_request_context("/")):
        with flask.message_flashed.connected_to(receiver, fapp):
            sync(flask.flash("Saved."))
            sync(flask.flash("Broken", "error"))
    assert received == [
        (fapp, {"message": "Saved.", "category": "message"}),
        (fapp, {"message": "Broken", "category": "error"}),
    ]


@spec("flashing.in-templates")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% for m in get_flashed_messages() %}[{{ m }}]{% endfor %}", "[Hello][Broken]"),
        (
            "{% for c, m in get_flashed_messages(with_categories=true) %}{{ c }}={{ m }};{% endfor %}",
            "info=Hello;error=Broken;",
        ),
        ("{{ get_flashed_messages(category_filter=['error'])|join(',') }}", "Broken"),
    ],
    ids=["messages", "with categories", "filtered"],
)
def test_templates_read_flashed_messages(flask, fapp, client, source, expected, sync):
    fapp.add_url_rule("/page", "page", lambda: sync(flask.render_template_string(source)))
    client.get("/flash?m=info:Hello&m=error:Broken")
    assert client.get("/page").get_data(as_text=True) == expected
    assert client.get("/page").get_data(as_text=True) == ""
