"""aibcheck: make Azure VM Image Builder failures fast to debug."""

__version__ = "0.1.0"
