"""Class-based views: ``flask.views.View`` and ``flask.views.MethodView``."""

from __future__ import annotations

import pytest

spec = pytest.mark.spec


@pytest.fixture
def views(submodule):
    return submodule("views")


def text(response):
    return response.get_data(as_text=True)


# --- View -------------------------------------------------------------------------------------


@spec("views.dispatch-request")
def test_dispatch_request_answers_with_the_url_values(flask, views, app, client):
    class ShowUser(views.View):
        def dispatch_request(self, user_id, tab="info"):
            return f"user {user_id} {tab} via {flask.request.method}"

    app.add_url_rule("/user/<int:user_id>", view_func=ShowUser.as_view("show_user"))
    app.add_url_rule("/user/<int:user_id>/<tab>", view_func=ShowUser.as_view("show_user_tab"))
    assert text(client.get("/user/7")) == "user 7 info via GET"
    assert text(client.get("/user/7/posts")) == "user 7 posts via GET"


@spec("views.dispatch-request")
@pytest.mark.parametrize(
    ("returned", "status", "body"),
    [(("made", 201), 201, "made"), ({"k": 1}, 200, '{"k":1}\n'), ("plain", 200, "plain")],
)
def test_dispatch_request_return_values_become_responses(views, app, client, returned, status, body):
    class Answer(views.View):
        def dispatch_request(self):
            return returned

    app.add_url_rule("/", view_func=Answer.as_view("answer"))
    response = client.get("/")
    assert (response.status_code, text(response)) == (status, body)


@spec("views.dispatch-request-required")
@pytest.mark.needs("exceptions-reach-caller")
def test_view_without_dispatch_request_fails(views, app, client):
    class Empty(views.View):
        pass

    app.add_url_rule("/", view_func=Empty.as_view("empty"))
    with pytest.raises(NotImplementedError):
        client.get("/")


@spec("views.as-view")
def test_as_view_names_the_function_and_endpoint(flask, views, app, sync):
    class ListUsers(views.View):
        """Lists the users."""

        def dispatch_request(self):
            return "users"

    view = ListUsers.as_view("user_list")
    assert view.__name__ == "user_list"
    assert view.view_class is ListUsers
    assert (view.__doc__, view.__module__) == ("Lists the users.", __name__)
    app.add_url_rule("/users/", view_func=view)
    assert app.view_functions["user_list"] is view
    with sync.context(app.test_request_context("/")):
        assert flask.url_for("user_list") == "/users/"


@spec("views.class-arguments")
def test_as_view_arguments_reach_the_constructor(views, app, client):
    class Listing(views.View):
        def __init__(self, kind, template="{kind}: {items}", *, items=()):
            self.kind, self.template, self.items = kind, template, items

        def dispatch_request(self):
            return self.template.format(kind=self.kind, items=",".join(self.items))

    app.add_url_rule("/books/", view_func=Listing.as_view("books", "books", items=("a", "b")))
    app.add_url_rule("/authors/", view_func=Listing.as_view("authors", "authors", "[{kind}]"))
    assert text(client.get("/books/")) == "books: a,b"
    assert text(client.get("/authors/")) == "[authors]"


def _counting_view(views, every_request):
    class Counted(views.View):
        init_every_request = every_request
        created = []

        def __init__(self, label):
            self.label = label
            self.served = 0
            Counted.created.append(self)

        def dispatch_request(self):
            self.served += 1
            return f"{self.label} {self.served}"

    return Counted


@spec("views.init-every-request")
def test_a_new_instance_serves_each_request_by_default(views, app, client):
    Counted = _counting_view(views, every_request=True)
    assert views.View.init_every_request is True
    app.add_url_rule("/", view_func=Counted.as_view("counted", "fresh"))
    assert Counted.created == []
    assert [text(client.get("/")) for _ in range(3)] == ["fresh 1"] * 3
    assert len(Counted.created) == 3


@spec("views.init-every-request")
def test_init_every_request_false_shares_one_instance(views, app, client):
    Counted = _counting_view(views, every_request=False)
    app.add_url_rule("/", view_func=Counted.as_view("counted", "shared"))
    assert len(Counted.created) == 1
    assert [text(client.get("/")) for _ in range(3)] == ["shared 1", "shared 2", "shared 3"]
    assert len(Counted.created) == 1


@spec("views.methods")
@pytest.mark.parametrize(
    ("methods", "allowed", "refused"),
    [
        (None, ["GET", "HEAD", "OPTIONS"], ["POST", "PUT"]),
        (["GET", "POST"], ["GET", "POST"], ["PUT", "DELETE"]),
        (["PUT"], ["PUT"], ["GET", "POST"]),
    ],
)
def test_view_methods_attribute_sets_the_rule_methods(flask, views, app, client, methods, allowed, refused):
    class Echo(views.View):
        def dispatch_request(self):
            return flask.request.method

    if methods is not None:
        Echo.methods = methods
    view = Echo.as_view("echo")
    assert view.methods == methods
    app.add_url_rule("/", view_func=view)
    for method in allowed:
        assert client.open("/", method=method).status_code == 200, method
    for method in refused:
        assert client.open("/", method=method).status_code == 405, method


@spec("views.decorators")
def test_decorators_wrap_the_view_in_order(views, app, client):
    def tag(label):
        def decorate(view):
            def wrapped(**kwargs):
                return f"{label}({view(**kwargs)})"

            return wrapped

        return decorate

    class Secret(views.View):
        decorators = [tag("inner"), tag("outer")]

        def dispatch_request(self, n):
            return f"view {n}"

    view = Secret.as_view("secret")
    assert (view.__name__, view.view_class) == ("secret", Secret)
    app.add_url_rule("/s/<int:n>", view_func=view)
    assert text(client.get("/s/3")) == "outer(inner(view 3))"


@spec("views.decorators")
def test_decorator_can_refuse_the_request(flask, views, app, client):
    def login_required(view):
        def check(**kwargs):
            if "token" not in flask.request.args:
                flask.abort(401)
            return view(**kwargs)

        return check

    class Private(views.View):
        decorators = [login_required]

        def dispatch_request(self):
            return "private"

    app.add_url_rule("/", view_func=Private.as_view("private"))
    assert client.get("/").status_code == 401
    assert text(client.get("/?token=1")) == "private"


@spec("views.provide-automatic-options")
@pytest.mark.parametrize(("setting", "status"), [(None, 200), (False, 405)])
def test_provide_automatic_options_reaches_the_rule(views, app, client, setting, status):
    class Page(views.View):
        provide_automatic_options = setting

        def dispatch_request(self):
            return "page"

    view = Page.as_view("page")
    assert view.provide_automatic_options is setting
    app.add_url_rule("/", view_func=view)
    assert client.options("/").status_code == status


# --- MethodView ---------------------------------------------------------------------------------


@pytest.fixture
def user_api(flask, views):
    class UserAPI(views.MethodView):
        def get(self, user_id=None):
            return "all users" if user_id is None else f"user {user_id}"

        def post(self):
            return f"created {flask.request.get_data(as_text=True)}", 201

        def put(self, user_id):
            return f"replaced {user_id}"

        def patch(self, user_id):
            return f"patched {user_id}"

        def delete(self, user_id):
            return f"deleted {user_id}"

    return UserAPI


@pytest.fixture
def rest_app(app, user_api):
    """The S4 pattern: one view function, a collection rule and an item rule."""
    view = user_api.as_view("user_api")
    app.add_url_rule("/users/", view_func=view, methods=["GET", "POST"])
    app.add_url_rule("/users/<int:user_id>", view_func=view, methods=["GET", "PUT", "PATCH", "DELETE"])
    return app


@spec("views.method-dispatch", "views.method-view-rules")
@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        ("GET", "/users/", 200, "all users"),
        ("POST", "/users/", 201, "created ada"),
        ("GET", "/users/3", 200, "user 3"),
        ("PUT", "/users/3", 200, "replaced 3"),
        ("PATCH", "/users/3", 200, "patched 3"),
        ("DELETE", "/users/3", 200, "deleted 3"),
    ],
)
def test_requests_go_to_the_verb_method(rest_app, client, method, path, status, body):
    response = client.open(path, method=method, data="ada")
    assert (response.status_code, text(response)) == (status, body)


@spec("views.method-view-rules")
@pytest.mark.parametrize(("method", "path"), [("DELETE", "/users/"), ("POST", "/users/3")])
def test_each_rule_keeps_its_own_methods(rest_app, client, method, path):
    assert client.open(path, method=method).status_code == 405


@spec("views.method-view-methods")
def test_methods_come_from_the_handlers(views, user_api):
    assert set(user_api.methods) == {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert set(user_api.as_view("api").methods) == {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert views.MethodView.methods is None


@spec("views.method-view-methods")
def test_methods_include_inherited_and_mixin_handlers(views):
    class Readable(views.MethodView):
        def get(self):
            return "read"

    class Writable(Readable):
        def post(self):
            return "written"

    class Deletable:
        def delete(self):
            return "deleted"

    class Everything(Deletable, Writable):
        pass

    assert set(Readable.methods) == {"GET"}
    assert set(Writable.methods) == {"GET", "POST"}
    assert set(Everything.methods) == {"GET", "POST", "DELETE"}


@spec("views.method-view-methods")
def test_explicit_methods_win_and_are_inherited(views):
    class Limited(views.MethodView):
        methods = ["GET"]

        def get(self):
            return "g"

        def post(self):
            return "p"

    class Extended(Limited):
        def patch(self):
            return "pa"

    assert list(Limited.methods) == ["GET"]
    assert set(Extended.methods) == {"GET", "POST", "PATCH"}


@spec("views.method-view-methods", "views.method-dispatch")
def test_inherited_and_mixin_handlers_answer(views, app, client):
    class Base(views.MethodView):
        def get(self):
            return "base get"

    class Child(Base):
        def post(self):
            return "child post"

    class PutMixin:
        def put(self):
            return "mixin put"

    class Combined(PutMixin, Child):
        pass

    app.add_url_rule("/", view_func=Combined.as_view("combined"))
    answers = [text(client.open("/", method=m)) for m in ("GET", "POST", "PUT")]
    assert answers == ["base get", "child post", "mixin put"]


@spec("views.method-not-allowed")
@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH"])
def test_verb_without_handler_is_405(views, app, client, method):
    class ReadOnly(views.MethodView):
        def get(self):
            return "read"

        def put(self):
            return "put"

    app.add_url_rule("/", view_func=ReadOnly.as_view("read_only"))
    response = client.open("/", method=method)
    assert response.status_code == 405
    assert set(response.allow) == {"GET", "HEAD", "OPTIONS", "PUT"}


@spec("views.method-not-allowed")
def test_options_lists_the_handled_methods(views, app, client):
    class ReadOnly(views.MethodView):
        def get(self):
            return "read"

        def delete(self):
            return "gone"

    app.add_url_rule("/", view_func=ReadOnly.as_view("read_only"))
    response = client.options("/")
    assert response.status_code == 200
    assert set(response.allow) == {"GET", "HEAD", "OPTIONS", "DELETE"}


@spec("views.method-view-head")
def test_head_falls_back_to_get(flask, views, app, client):
    class Resource(views.MethodView):
        def get(self):
            return flask.Response("the body", headers={"X-From": "get"})

    app.add_url_rule("/", view_func=Resource.as_view("resource"))
    response = client.head("/")
    assert (response.status_code, response.headers["X-From"], response.get_data()) == (200, "get", b"")


@spec("views.method-view-head")
def test_head_method_is_used_when_defined(flask, views, app, client):
    class Resource(views.MethodView):
        def get(self):
            return flask.Response("the body", headers={"X-From": "get"})

        def head(self):
            return flask.Response("", headers={"X-From": "head"})

    assert set(Resource.methods) == {"GET", "HEAD"}
    app.add_url_rule("/", view_func=Resource.as_view("resource"))
    assert client.head("/").headers["X-From"] == "head"
    assert client.get("/").headers["X-From"] == "get"


@spec("views.decorators")
def test_decorators_see_the_views_name_and_module(views):
    seen = []

    def record(view):
        seen.append((view.__name__, view.__module__))
        return view

    class Named(views.View):
        decorators = [record]

        def dispatch_request(self):
            return "named"

    Named.as_view("named_view")
    assert seen == [("named_view", __name__)]


@spec("views.method-view-methods", "views.method-dispatch")
@pytest.mark.parametrize(("method", "body"), [("OPTIONS", "own options"), ("TRACE", "own trace")])
def test_options_and_trace_handlers_answer_their_verbs(views, app, client, method, body):
    class Diagnostics(views.MethodView):
        def get(self):
            return "get"

        def options(self):
            return "own options"

        def trace(self):
            return "own trace"

    assert set(Diagnostics.methods) == {"GET", "OPTIONS", "TRACE"}
    app.add_url_rule("/", view_func=Diagnostics.as_view("diagnostics"))
    response = client.open("/", method=method)
    assert (response.status_code, text(response)) == (200, body)


@spec("views.method-view-methods", "views.method-dispatch")
def test_explicit_methods_of_a_base_reach_subclasses_without_a_standard_handler(views, app, client):
    class Dav(views.MethodView):
        methods = ["GET", "PROPFIND"]

        def get(self):
            return "get"

        def propfind(self):
            return "propfind"

    class Writable(Dav):
        def post(self):
            return "post"

    assert set(Writable.methods) == {"GET", "PROPFIND", "POST"}
    app.add_url_rule("/", view_func=Writable.as_view("writable"))
    assert text(client.open("/", method="PROPFIND")) == "propfind"


@spec("views.method-view-methods")
def test_method_view_subclassing_keeps_other_bases_init_subclass(views):
    seen = []

    class Registry:
        def __init_subclass__(cls, **kwargs):
            super().__init_subclass__(**kwargs)
            seen.append(cls.__name__)

    class Api(views.MethodView, Registry):
        def get(self):
            return "get"

    assert (seen, set(Api.methods)) == (["Api"], {"GET"})
