"""The textbook API's results on hand-computed inputs: summaries, critical path, waterfall,
budgets, prices, suggestions, bottlenecks."""
from __future__ import annotations

import os
import unittest

from agentprof import BottleneckDetector, PerformanceProfiler, TimingRecord, TokenProfiler, TokenUsage, price_call
from agentprof._writer import WRITER


def hand_built_profiler() -> PerformanceProfiler:
    """Records as textbook code builds them (no span ids; parents by name). Times in seconds:

    agent:run    0.00-1.00  1000 ms
      llm:plan     0.00-0.30   300 ms
      tool:search  0.30-0.50   200 ms
      tool:search  0.50-0.90   400 ms
        llm:read     0.55-0.80   250 ms  (parent "tool:search": the one that started last before it)
    """
    profiler = PerformanceProfiler()
    profiler.records.extend([
        TimingRecord("agent:run", 0.0, 1.0),
        TimingRecord("llm:plan", 0.0, 0.3, parent="agent:run"),
        TimingRecord("tool:search", 0.3, 0.5, parent="agent:run"),
        TimingRecord("tool:search", 0.5, 0.9, parent="agent:run"),
        TimingRecord("llm:read", 0.55, 0.8, parent="tool:search"),
    ])
    return profiler


def retimed(record: TimingRecord, start_s: float, end_s: float) -> None:
    record.start_time, record.end_time = start_s, end_s


class QuietWriter(unittest.TestCase):
    """These tests need no file: writing is off."""

    def setUp(self) -> None:
        self._saved = os.environ.get("AGENTPROF_DISABLE")
        os.environ["AGENTPROF_DISABLE"] = "1"
        WRITER.reset()

    def tearDown(self) -> None:
        if self._saved is None:
            os.environ.pop("AGENTPROF_DISABLE", None)
        else:
            os.environ["AGENTPROF_DISABLE"] = self._saved
        WRITER.reset()


class TimingSummaryTest(QuietWriter):
    def test_summary_per_category(self):
        summary = hand_built_profiler().get_summary()
        # llm: 300 + 250 = 550 over 2 -> avg 275; tool: 200 + 400 = 600 over 2 -> avg 300.
        self.assertEqual(set(summary), {"agent", "llm", "tool"})
        for category, expected in {
            "agent": (1, 1000.0, 1000.0, 1000.0, 1000.0),
            "llm": (2, 550.0, 275.0, 250.0, 300.0),
            "tool": (2, 600.0, 300.0, 200.0, 400.0),
        }.items():
            stats = summary[category]
            self.assertEqual(list(stats), ["count", "total_ms", "avg_ms", "min_ms", "max_ms"])
            for key, value in zip(stats, expected):
                self.assertAlmostEqual(stats[key], value, places=6, msg=f"{category}.{key}")

    def test_critical_path_by_parent_names_for_hand_built_records(self):
        path = hand_built_profiler().get_critical_path()
        # run->plan 1000+300 = 1300; run->search#1 1200; run->search#2->read 1000+400+250 = 1650.
        self.assertEqual([(r.name, round(r.duration_ms)) for r in path],
                         [("agent:run", 1000), ("tool:search", 400), ("llm:read", 250)])

    def test_critical_path_by_span_ids_when_names_repeat(self):
        profiler = PerformanceProfiler()
        with profiler.timer("step") as step_1:
            with profiler.timer("tool:x") as child_1:
                pass
        with profiler.timer("step") as step_2:
            with profiler.timer("tool:x") as child_2:
                pass
        # step 1: 0-1 s with child 0-0.9 s (1000 + 900 = 1900 ms);
        # step 2: 1-2 s with child 1.0-1.1 s (1000 + 100 = 1100 ms). A link by name would
        # mix the two children; by id the first chain wins.
        retimed(step_1, 0.0, 1.0)
        retimed(child_1, 0.0, 0.9)
        retimed(step_2, 1.0, 2.0)
        retimed(child_2, 1.0, 1.1)
        self.assertEqual(profiler.get_critical_path(), [step_1, child_1])

    def test_deep_trees_need_no_recursion(self):
        profiler = PerformanceProfiler()
        depth = 100_000
        for index in range(depth):
            record = TimingRecord(f"level:{index}", index * 1e-6, 1.0)
            record.span_id = index + 1
            record.parent_id = index if index else None
            profiler.records.append(record)
        path = profiler.get_critical_path()
        self.assertEqual(len(path), depth)
        self.assertEqual((path[0].name, path[-1].name), ("level:0", f"level:{depth - 1}"))
        lines = profiler.get_waterfall().split("\n")
        self.assertEqual(len(lines), depth + 1)

    def test_waterfall_places_bars_on_a_50_column_axis(self):
        lines = hand_built_profiler().get_waterfall().split("\n")
        self.assertEqual(lines[0], "Waterfall: 5 timers over 1000.0 ms")
        # Start order: run, plan (both at 0; file order), search#1, search#2, read.
        # Label width = len("  tool:search") = 13. search#1: 300 ms in -> column 300*50/1000 = 15,
        # 200 ms long -> 10 columns. read: depth 2, column 550*50/1000 = 27, 250 ms -> round(12.5) = 12.
        self.assertEqual(lines[1], "agent:run    " + "     1000.0 ms |" + "=" * 50 + "|")
        self.assertEqual(lines[3], "  tool:search" + "      200.0 ms |" + " " * 15 + "=" * 10 + " " * 25 + "|")
        self.assertEqual(lines[5], "    llm:read " + "      250.0 ms |" + " " * 27 + "=" * 12 + " " * 11 + "|")
        self.assertEqual(len(lines), 6)

    def test_waterfall_marks_errors(self):
        profiler = PerformanceProfiler()
        try:
            with profiler.timer("tool:fail"):
                raise OSError("x")
        except OSError:
            pass
        self.assertTrue(profiler.get_waterfall().split("\n")[1].endswith("| !"))


class TokenTest(QuietWriter):
    def test_prices_use_cache_rates(self):
        # claude-3-5-sonnet: 10 000 in = 2 000 uncached + 6 000 cache read + 2 000 cache write; 500 out.
        # 2000*3 + 6000*0.30 + 2000*3.75 + 500*15 = 6000 + 1800 + 7500 + 7500 = 22 800 per 1M -> $0.0228.
        cost, priced = price_call("claude-3-5-sonnet-20241022", 10_000, 500, 6_000, 2_000)
        self.assertTrue(priced)
        self.assertAlmostEqual(cost, 0.0228, places=10)
        # gpt-4o-mini: 1 200 in with 800 cached, 340 out: 400*0.15 + 800*0.075 + 340*0.6 = 60 + 60 + 204 = 324 -> $0.000324.
        self.assertAlmostEqual(price_call("gpt-4o-mini", 1200, 340, 800)[0], 0.000324, places=12)

    def test_unknown_models_are_unpriced_not_guessed(self):
        tokens = TokenProfiler()
        usage = tokens.record("llm:x", 1000, 1000, "my-local-llama")
        self.assertFalse(usage.priced)
        self.assertEqual(usage.estimated_cost, 0.0)
        self.assertEqual(tokens.get_summary()["unpriced_models"], ["my-local-llama"])

    def test_reported_cost_wins_over_the_table(self):
        usage = TokenProfiler().record("llm:x", 1000, 100, "my-gateway-model", cost=0.0123)
        self.assertTrue(usage.priced)
        self.assertEqual(usage.estimated_cost, 0.0123)

    def test_summary_and_budget(self):
        tokens = TokenProfiler()
        tokens.set_budget("llm", 1000)
        tokens.record("llm:plan", 400, 100, "gpt-4o")       # 500 tokens, 400*2.5 + 100*10 = 2000 -> $0.002
        tokens.record("llm:answer", 300, 50, "gpt-4o")      # 350 tokens, 750 + 500 = 1250 -> $0.00125
        tokens.record("tool:summarize", 100, 100, "gpt-4o-mini")  # 200, not an llm operation
        # llm used 500 + 350 = 850 of 1000 -> within, 150 left.
        self.assertEqual(tokens.check_budget("llm"), (True, 150))
        summary = tokens.get_summary()
        self.assertEqual(summary["total_tokens"], 1050)
        self.assertEqual(summary["record_count"], 3)
        self.assertEqual(summary["by_model"]["gpt-4o"]["count"], 2)
        self.assertEqual(summary["by_model"]["gpt-4o"]["prompt_tokens"], 700)
        self.assertAlmostEqual(summary["by_model"]["gpt-4o"]["cost"], 0.00325, places=12)
        # tool:summarize on gpt-4o-mini: 100*0.15 + 100*0.6 = 75 -> $0.000075; total 0.003325.
        self.assertAlmostEqual(summary["total_cost"], 0.003325, places=12)
        self.assertEqual(summary["by_operation"]["llm:answer"]["completion_tokens"], 50)
        tokens.record("llm:extra", 200, 0, "gpt-4o")
        # 850 + 200 = 1050 > 1000 -> over by 50.
        self.assertEqual(tokens.check_budget("llm"), (False, -50))
        self.assertEqual(tokens.check_budget("tool"), (True, float("inf")))
        self.assertEqual(tokens.budgets, {"llm": 1000})

    def test_optimization_suggestions(self):
        tokens = TokenProfiler()
        tokens.record("llm:big", 40_000, 1_000, "gpt-4o")    # 40000*2.5 + 1000*10 = 110 000 -> $0.11 > $0.10
        tokens.record("llm:small", 100, 100, "gpt-4o-mini")  # 50 % prompt, tiny cost: nothing
        tokens.record("llm:local", 900, 100, "my-local-llm")  # 90 % prompt, unpriced
        suggestions = tokens.get_optimization_suggestions()
        self.assertEqual([(s["type"], s["operation"]) for s in suggestions],
                         [("expensive_operation", "llm:big"), ("prompt_heavy", "llm:big"), ("prompt_heavy", "llm:local")])
        self.assertAlmostEqual(suggestions[0]["cost"], 0.11, places=12)
        self.assertAlmostEqual(suggestions[1]["prompt_ratio"], 40_000 / 41_000, places=12)
        self.assertAlmostEqual(suggestions[2]["prompt_ratio"], 0.9, places=12)
        self.assertTrue(all(s["suggestion"] for s in suggestions))

    def test_usage_row_has_the_textbook_fields(self):
        usage = TokenUsage("llm:x", 10, 5, "gpt-4o")
        self.assertEqual(usage.total_tokens, 15)
        self.assertEqual(usage.metadata, {})
        self.assertGreater(usage.timestamp, 0)


class BottleneckTest(QuietWriter):
    def test_textbook_rules_in_impact_order(self):
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        with profiler.timer("step_2:read") as step:
            scrapes = []
            for _ in range(3):
                with profiler.timer("tool:web_scrape") as scrape:
                    scrapes.append(scrape)
        with profiler.timer("llm:synth") as synth:
            tokens.record("llm:synth", 20_000, 1_000, "gpt-4o")  # 50 000 + 10 000 -> $0.06 > $0.05
        retimed(step, 0.0, 6.0)
        for scrape, (start, end) in zip(scrapes, [(0.0, 1.5), (1.5, 3.5), (3.5, 5.0)]):
            retimed(scrape, start, end)
        retimed(synth, 6.0, 9.5)
        found = BottleneckDetector(profiler, tokens).analyze()
        # llm: avg 3500 > 3000, high, saving (3500 - 3000) * 1 = 500.
        # cost: llm:synth $0.06 > $0.05, high, no time saving.
        # sequential: 3 scrapes one after another, saving 5000 - max 2000 = 3000.
        # tool: avg 5000 / 3 = 1666.7 > 1000, medium, saving (1666.7 - 1000) * 3 = 2000.
        self.assertEqual([(b.component, b.impact, b.metric) for b in found], [
            ("llm", "high", "avg_latency_ms"),
            ("llm:synth", "high", "cost_usd"),
            ("step_2:read > tool:web_scrape", "medium", "sequential_calls"),
            ("tool", "medium", "avg_latency_ms"),
        ])
        self.assertAlmostEqual(found[0].savings_ms, 500.0, places=3)
        self.assertAlmostEqual(found[1].value, 0.06, places=12)
        self.assertAlmostEqual(found[2].savings_ms, 3000.0, places=3)
        self.assertAlmostEqual(found[3].value, 5000 / 3, places=3)
        self.assertAlmostEqual(found[3].savings_ms, 2000.0, places=3)

    def test_many_calls(self):
        profiler = PerformanceProfiler()
        for _ in range(21):
            with profiler.timer("memory:get"):
                pass
        found = [b for b in BottleneckDetector(profiler, TokenProfiler()).analyze() if b.metric == "call_count"]
        self.assertEqual([(b.component, b.value) for b in found], [("memory", 21)])
