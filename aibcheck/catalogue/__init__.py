"""The catalogue of known failure signatures."""

from aibcheck.catalogue.loader import catalogue, hints, load_signatures
from aibcheck.catalogue.model import Role, Signature

__all__ = ["Role", "Signature", "catalogue", "hints", "load_signatures"]
