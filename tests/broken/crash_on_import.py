"""An implementation whose import ends the process, as a broken C extension's would."""

import os

os._exit(3)
