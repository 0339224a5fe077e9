"""guideline-lint: the TMG code of conduct for digital services (行動指針 ver.1.1.0) as a linter."""

__version__ = "0.1.0"
