"""guideline-lint: the TMG code of conduct for digital services (行動指針 ver.1.1.0) as a linter."""

import os

__version__ = "0.1.0"

# pydantic looks for plugins by scanning every installed distribution's entry points, which costs
# about 140 ms at each start; the linter uses none. An explicit setting by the user still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
