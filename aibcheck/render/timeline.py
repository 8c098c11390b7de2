"""Shared helpers for showing the timeline."""

from aibcheck.diagnose.model import Step


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
