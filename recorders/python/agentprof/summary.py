"""The lines an agent prints about its own run when it ends: facts, and where the verdict is.

A run has one verdict on its bottlenecks: the extension's, from the rules in its analysis (self
time, concurrency, savings per rule), shown in the Agent Profiler view and printed by
``agentprof report``. The in-memory ``BottleneckDetector`` keeps the textbook's thresholds for
code that calls ``analyze()`` itself, and can rank another component first for the same run; a
summary printed at the end of every run must not contradict the view, so it names no bottleneck
and says where to read them. It only counts what the profilers hold: bounded, and it never raises.
"""
from __future__ import annotations

import os
import shlex
from typing import List, Optional

from ._writer import WRITER
from .timing import PerformanceProfiler
from .tokens import TokenProfiler


def _duration(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _shown_path(path: str) -> str:
    """The profile relative to the current directory when it is inside it, else as it is."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def closing_summary(profiler: PerformanceProfiler, tokens: Optional[TokenProfiler] = None) -> str:
    """Wall time, spans, errors, LLM calls, tokens and cost of the run so far, the profile file,
    and where its bottlenecks are analysed (``agentprof report FILE`` or the Agent Profiler view).

    Wall time runs from the first start to the last end of the finished spans in ``profiler``.
    """
    records = list(profiler.records)
    starts = [r.start_time for r in records if r.start_time is not None]
    ends = [r.end_time for r in records if r.end_time is not None]
    wall_ms = (max(ends) - min(starts)) * 1000 if starts and ends else 0.0
    errors = sum(1 for r in records if r.error is not None)
    facts = [f"{_duration(wall_ms)} wall", _plural(len(records), "span")]
    if errors:
        facts.append(_plural(errors, "error"))
    if tokens is not None:
        s = tokens.get_summary()
        facts.append(f"{_plural(s['record_count'], 'LLM call')}, {s['total_tokens']:,} tokens")
        cost = f"${s['total_cost']:.4f} at list prices"
        if s["unpriced_models"]:
            cost += f" (unpriced: {', '.join(s['unpriced_models'][:3])}{', ...' if len(s['unpriced_models']) > 3 else ''})"
        facts.append(cost)
    lines: List[str] = ["Run: " + " · ".join(facts)]
    path = WRITER.output_path()
    if path is None:
        lines.append("Profile: not written (AGENTPROF_DISABLE is set), so no bottleneck analysis.")
    else:
        shown = _shown_path(path)
        lines.append(f"Profile: {shown}")
        lines.append(f"Bottlenecks: agentprof report {shlex.quote(shown)}, or the Agent Profiler view in VS Code.")
    return "\n".join(lines)
