"""A pytest plugin loaded before Django is set up (``-p heard.core.testing`` in pyproject.toml).

It marks the installation as a test one, so that settings choose the fast password hasher and the immediate
defaults meant for tests, whichever way pytest is started.
"""

from __future__ import annotations

import os

os.environ.setdefault("HEARD_ENV", "test")
