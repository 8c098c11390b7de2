"""Preflight: catch, in seconds and before submitting, the failures an image build would meet an hour later.

`run_preflight` is the one entry point; the renderers and pipeline annotations live beside it.
"""

from aibcheck.preflight.command import check_template
from aibcheck.preflight.engine import run_preflight
from aibcheck.preflight.model import PREFLIGHT_MODES, Finding, PreflightResult, Severity
from aibcheck.preflight.ports import ReadRefused, SubscriptionReader
from aibcheck.preflight.registry import CHECKS, Check

__all__ = [
    "CHECKS",
    "PREFLIGHT_MODES",
    "Check",
    "Finding",
    "PreflightResult",
    "ReadRefused",
    "Severity",
    "SubscriptionReader",
    "check_template",
    "run_preflight",
]
