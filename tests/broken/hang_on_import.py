"""An implementation whose import never finishes (waiting on a lock or a server)."""

import time

time.sleep(3600)
