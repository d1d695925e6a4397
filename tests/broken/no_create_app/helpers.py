"""The shim's helpers, unchanged."""

from shim.helpers import *  # noqa: F403
from shim.helpers import get_debug_flag, get_load_dotenv  # noqa: F401
