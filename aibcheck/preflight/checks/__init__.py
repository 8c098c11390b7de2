"""The checks, one small function each; `aibcheck.preflight.registry` lists them with their reasons."""
