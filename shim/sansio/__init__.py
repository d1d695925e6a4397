"""The sans-IO core of the shim: apps, blueprints and their shared registration
surface, with nothing that needs a WSGI environ or a running request. The WSGI
classes (:class:`shim.Flask`, :class:`shim.Blueprint`) subclass these."""
