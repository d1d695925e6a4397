"""The shim, declaring that it offers no command line (capability ``cli``): the CLI
tests are not applicable to it, and fail under ``--no-waivers``. (Not broken: it
proves capabilities.)"""

from conformance.capabilities import FLASK_CAPABILITIES
from conformance.implementations import Implementation
from shim import *  # noqa: F403

CONFORMANCE_IMPLEMENTATION = Implementation(
    name="broken.no_cli",
    module="broken.no_cli",
    conforms_to="3.1",
    capabilities=FLASK_CAPABILITIES - {"cli"},
)
