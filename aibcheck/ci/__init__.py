"""Talking to CI platforms: pure builders for their syntax, and where to write."""
