"""The build log: where it is, fetching it, and following it."""
