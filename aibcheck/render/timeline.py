"""Shared helpers for showing the timeline."""

from datetime import datetime

from aibcheck.diagnose.model import Step

BAR_WIDTH = 40


def duration(step: Step) -> str:
    seconds = step.duration_seconds
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def clock(step: Step, end: bool = False) -> str:
    moment = step.end_time if end else step.start_time
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def bar(step: Step, begin: datetime, end: datetime, width: int = BAR_WIDTH) -> str:
    """The step's place in the build as a text bar: '·' before and after, '█' (or '▓' when it failed) during."""
    if step.start_time is None or step.end_time is None:
        return " " * width
    span = max((end - begin).total_seconds(), 1.0)
    left = int((step.start_time - begin).total_seconds() / span * width)
    right = max(left + 1, int((step.end_time - begin).total_seconds() / span * width))
    mark = "▓" if step.status.value == "failed" else "█"
    return ("·" * left + mark * (min(right, width) - left)).ljust(width, "·")[:width]
