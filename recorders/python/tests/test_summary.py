"""The closing summary states facts and leaves the bottleneck verdict to the extension's rules.

A defect from the new-user walk: the example agent ended with "Top bottleneck: ..." from the
in-memory textbook rules, naming another component than the Agent Profiler view did for the same
run. One verdict, from one rule set: the summary names none and says where to read them.
"""
from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import io
import os
import time
from unittest import mock

from agentprof import BottleneckDetector, PerformanceProfiler, TimingRecord, TokenProfiler, closing_summary
from agentprof._writer import WRITER

from .support import ProfileTestCase

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "research_agent", "agent.py")


class _Fast:
    """A module stand-in whose ``sleep`` waits a hundredth of the time (the example simulates latency)."""

    def __init__(self, module, sleep):  # type: ignore[no-untyped-def]
        self._module = module
        self.sleep = sleep

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._module, name)


class ClosingSummaryTest(ProfileTestCase):
    def test_facts_only(self) -> None:
        profiler = PerformanceProfiler()
        # 10.0 … 16.0 s: a 4.5 s LLM call (over the textbook's 3 s limit) and a failed tool call.
        plan = TimingRecord("llm:plan", 10.0, 14.5)
        tool = TimingRecord("tool:fetch", 14.5, 16.0)
        tool.error = "TimeoutError"
        profiler.records.extend([plan, tool])
        tokens = TokenProfiler()
        # gpt-4o at $2.50 / $10 per million: 1000 in + 500 out = $0.0025 + $0.005 = $0.0075.
        tokens.record("llm:plan", 1000, 500, "gpt-4o")
        tokens.record("llm:local", 200, 100, "my-model")
        with mock.patch.object(BottleneckDetector, "analyze", side_effect=AssertionError("the summary ran its own rules")):
            text = closing_summary(profiler, tokens)
        shown = os.path.relpath(self.path) if not os.path.relpath(self.path).startswith("..") else self.path
        self.assertEqual(text.split("\n"), [
            "Run: 6.00 s wall · 2 spans · 1 error · 2 LLM calls, 1,800 tokens · $0.0075 at list prices (unpriced: my-model)",
            f"Profile: {shown}",
            f"Bottlenecks: agentprof report {shown}, or the Agent Profiler view in VS Code.",
        ])
        # The textbook API still gives its verdict to code that asks for it.
        self.assertEqual([b.component for b in BottleneckDetector(profiler, tokens).analyze()][:1], ["llm"])

    def test_without_a_profile(self) -> None:
        os.environ["AGENTPROF_DISABLE"] = "1"
        WRITER.reset()  # the writer reads the environment once
        text = closing_summary(PerformanceProfiler())
        self.assertEqual(text.split("\n"), [
            "Run: 0 ms wall · 0 spans",
            "Profile: not written (AGENTPROF_DISABLE is set), so no bottleneck analysis.",
        ])

    def test_example_agent_ends_with_facts_not_a_verdict(self) -> None:
        spec = importlib.util.spec_from_file_location("research_agent_example", EXAMPLE)
        assert spec is not None and spec.loader is not None
        example = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(example)

        async def fast_sleep(seconds: float) -> None:
            await asyncio.sleep(seconds / 100)

        example.asyncio = _Fast(asyncio, fast_sleep)
        example.time = _Fast(time, lambda seconds: time.sleep(seconds / 100))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            example.main()
        lines = out.getvalue().rstrip("\n").split("\n")
        self.assertFalse([line for line in lines if "bottleneck:" in line.lower()], lines[-6:])
        # Same run as the extension's e2e: 20 spans, 1 failed PDF download, 5 LLM calls, $0.0202.
        self.assertRegex(lines[-3], r"^Run: \d+ ms wall · 20 spans · 1 error · 5 LLM calls, 17,941 tokens · \$0\.0202 at list prices$")
        self.assertTrue(lines[-2].startswith("Profile: "), lines[-2])
        self.assertTrue(lines[-1].startswith("Bottlenecks: agentprof report "), lines[-1])
