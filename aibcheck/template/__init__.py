"""Image templates: load them from a file, and change them before submission (keep-alive, tags)."""
