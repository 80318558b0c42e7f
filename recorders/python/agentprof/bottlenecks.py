"""``BottleneckDetector``: the textbook's rules over the in-memory profilers.

The extension runs a fuller analysis (self time, concurrency, estimated savings per rule) on the
profile file; this keeps textbook code that prints ``analyze()`` working, with the same rules:

- a category containing ``llm`` averaging over 3000 ms: high;
- a category containing ``tool`` averaging over 1000 ms: medium;
- more than 20 calls in one category: medium;
- an operation costing over $0.05: high;
- three or more consecutive, non-overlapping calls of one name under the same parent: medium.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .timing import PerformanceProfiler, TimingRecord
from .timing_analysis import _start_key
from .tokens import TokenProfiler

SLOW_LLM_AVG_MS = 3000.0
SLOW_TOOL_AVG_MS = 1000.0
MANY_CALLS = 20
EXPENSIVE_OPERATION_USD = 0.05
SEQUENTIAL_SIBLINGS = 3

_IMPACT_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class Bottleneck:
    """The textbook's six fields, plus what fixing it would save (a rough estimate)."""

    component: str
    impact: str
    metric: str
    value: float
    threshold: float
    suggestion: str
    savings_ms: float = 0.0


class BottleneckDetector:
    def __init__(self, timing_profiler: PerformanceProfiler, token_profiler: Optional[TokenProfiler] = None) -> None:
        self.timing_profiler = timing_profiler
        self.token_profiler = token_profiler

    def analyze(self) -> List[Bottleneck]:
        """Bottlenecks ordered high, medium, low; within an impact, largest saving first."""
        found: List[Bottleneck] = []
        for category, stats in self.timing_profiler.get_summary().items():
            average, count, total = stats["avg_ms"], int(stats["count"]), stats["total_ms"]
            lowered = category.lower()
            if "llm" in lowered and average > SLOW_LLM_AVG_MS:
                found.append(Bottleneck(category, "high", "avg_latency_ms", average, SLOW_LLM_AVG_MS,
                                        "use a faster model or stream the response",
                                        (average - SLOW_LLM_AVG_MS) * count))
            if "tool" in lowered and average > SLOW_TOOL_AVG_MS:
                found.append(Bottleneck(category, "medium", "avg_latency_ms", average, SLOW_TOOL_AVG_MS,
                                        "cache tool results or run independent calls in parallel",
                                        (average - SLOW_TOOL_AVG_MS) * count))
            if count > MANY_CALLS:
                found.append(Bottleneck(category, "medium", "call_count", count, MANY_CALLS,
                                        "batch the calls", total - total / count))
        if self.token_profiler is not None:
            for operation, row in self.token_profiler.get_summary()["by_operation"].items():
                if row["cost"] > EXPENSIVE_OPERATION_USD:
                    found.append(Bottleneck(operation, "high", "cost_usd", row["cost"], EXPENSIVE_OPERATION_USD,
                                            "compress the prompt or use a cheaper model"))
        found.extend(self._sequential_runs())
        found.sort(key=lambda b: (_IMPACT_ORDER.get(b.impact, 3), -b.savings_ms))
        return found

    def _sequential_runs(self) -> List[Bottleneck]:
        """Runs of same-name siblings where each starts after the previous ended."""
        siblings: Dict[Tuple[Optional[int], str], List[TimingRecord]] = {}
        for record in self.timing_profiler.records:
            if record.span_id is not None:
                siblings.setdefault((record.parent_id, record.parent or ""), []).append(record)
        found: List[Bottleneck] = []
        for (_, parent_name), records in siblings.items():
            records.sort(key=_start_key)
            run: List[TimingRecord] = []
            for record in records + [None]:  # type: ignore[list-item]
                if (record is not None and run and record.name == run[-1].name
                        and record._start_ns >= run[-1]._end_ns):  # type: ignore[operator]
                    run.append(record)
                    continue
                if len(run) >= SEQUENTIAL_SIBLINGS:
                    durations = [r.duration_ms for r in run]
                    found.append(Bottleneck(
                        f"{parent_name or '(top level)'} > {run[0].name}", "medium", "sequential_calls",
                        len(run), SEQUENTIAL_SIBLINGS, "these calls ran one after another: run them in parallel",
                        sum(durations) - max(durations)))
                run = [record] if record is not None else []
        return found
