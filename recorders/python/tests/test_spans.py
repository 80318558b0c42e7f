"""Span trees: parents by id under nesting, asyncio.gather, threads and repeated names; errors;
call sites; the decorator form."""
from __future__ import annotations

import asyncio
import contextvars
import inspect
import os
import sys
import threading

from agentprof import PerformanceProfiler
from agentprof._writer import RUN_CWD
from tests.support import ProfileTestCase

THIS_FILE = os.path.relpath(os.path.abspath(__file__), RUN_CWD).replace(os.sep, "/")


def starts_by_id(test: ProfileTestCase):
    return {r["id"]: r for r in test.of_type("s")}


class NestingTest(ProfileTestCase):
    def test_nested_timers_get_the_enclosing_span_as_parent(self):
        profiler = PerformanceProfiler()
        with profiler.timer("agent:run") as root:
            with profiler.timer("step_1:plan") as step:
                with profiler.timer("llm:planning") as llm:
                    pass
            with profiler.timer("step_2:act") as sibling:
                pass
        self.assertIsNone(root.parent_id)
        self.assertEqual(step.parent_id, root.span_id)
        self.assertEqual(llm.parent_id, step.span_id)
        self.assertEqual(sibling.parent_id, root.span_id)
        # The textbook's parent field is the parent's name.
        self.assertEqual((step.parent, llm.parent, sibling.parent), ("agent:run", "step_1:plan", "agent:run"))
        starts = starts_by_id(self)
        self.assertNotIn("p", starts[root.span_id])
        self.assertEqual(starts[llm.span_id]["p"], step.span_id)
        self.assertEqual(starts[sibling.span_id]["p"], root.span_id)
        # Records are finished spans in end order; no timer is left active.
        self.assertEqual([r.name for r in profiler.records], ["llm:planning", "step_1:plan", "step_2:act", "agent:run"])
        self.assertEqual(profiler.active_timers, {})

    def test_record_is_active_while_open_and_duration_is_zero_until_closed(self):
        profiler = PerformanceProfiler()
        with profiler.timer("tool:search") as record:
            self.assertIs(profiler.active_timers[record.span_id], record)
            self.assertEqual(record.duration_ms, 0)
            self.assertEqual(profiler.records, [])
        self.assertGreaterEqual(record.duration_ms, 0)
        self.assertAlmostEqual(record.duration_ms, (record.end_time - record.start_time) * 1000, places=6)

    def test_repeated_names_are_distinct_spans(self):
        profiler = PerformanceProfiler()
        with profiler.timer("retry") as outer:
            with profiler.timer("retry") as inner:
                pass
        with profiler.timer("retry") as later:
            pass
        ids = {outer.span_id, inner.span_id, later.span_id}
        self.assertEqual(len(ids), 3)
        self.assertEqual(inner.parent_id, outer.span_id)
        self.assertIsNone(later.parent_id)
        self.assertEqual(len(self.of_type("s")), 3)
        self.assertEqual(sorted(e["id"] for e in self.of_type("e")), sorted(ids))


class AsyncTest(ProfileTestCase):
    def test_gathered_children_have_the_gathering_span_as_parent_not_each_other(self):
        profiler = PerformanceProfiler()
        children = {}

        async def fetch(index):
            with profiler.timer("tool:fetch", index=index) as record:
                children[index] = record
                await asyncio.sleep(0)  # let the siblings interleave while this one is open
                with profiler.timer("tool:parse") as inner:
                    await asyncio.sleep(0)
                self.assertEqual(inner.parent_id, record.span_id)

        async def main():
            with profiler.timer("step:gather") as gather_span:
                await asyncio.gather(fetch(0), fetch(1), fetch(2))
            return gather_span

        gather_span = asyncio.run(main())
        self.assertEqual([children[i].parent_id for i in range(3)], [gather_span.span_id] * 3)
        starts = starts_by_id(self)
        self.assertEqual({starts[children[i].span_id]["p"] for i in range(3)}, {gather_span.span_id})
        tasks = {starts[children[i].span_id]["task"] for i in range(3)}
        self.assertEqual(len(tasks), 3, "each gathered child runs in its own task")
        parses = [r for r in starts.values() if r["n"] == "tool:parse"]
        self.assertEqual(sorted(r["p"] for r in parses), sorted(children[i].span_id for i in range(3)))


class ThreadTest(ProfileTestCase):
    def test_spans_in_a_new_thread_are_top_level_and_tagged_with_the_thread(self):
        profiler = PerformanceProfiler()
        seen = {}

        def work():
            with profiler.timer("tool:worker") as record:
                seen["record"] = record

        with profiler.timer("agent:run"):
            thread = threading.Thread(target=work, name="scraper-1")
            thread.start()
            thread.join()
        record = seen["record"]
        self.assertIsNone(record.parent_id)
        start = starts_by_id(self)[record.span_id]
        self.assertNotIn("p", start)
        self.assertEqual(start["th"], "scraper-1")

    def test_a_thread_running_in_a_copied_context_keeps_the_parent(self):
        profiler = PerformanceProfiler()
        seen = {}

        def work():
            with profiler.timer("tool:worker") as record:
                seen["record"] = record

        with profiler.timer("agent:run") as root:
            context = contextvars.copy_context()
            thread = threading.Thread(target=context.run, args=(work,), name="copied")
            thread.start()
            thread.join()
        self.assertEqual(seen["record"].parent_id, root.span_id)
        self.assertEqual(starts_by_id(self)[seen["record"].span_id]["th"], "copied")

    def test_concurrent_threads_write_whole_lines(self):
        profiler = PerformanceProfiler()

        def work():
            for _ in range(200):
                with profiler.timer("tool:many"):
                    pass

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # 4 threads x 200 timers: 800 starts and 800 ends, each a whole JSON line.
        self.assertEqual(len(self.of_type("s")), 800)
        self.assertEqual(len(self.of_type("e")), 800)
        self.assertEqual(len(profiler.records), 800)


class ErrorTest(ProfileTestCase):
    def test_an_exception_marks_the_span_and_propagates_unchanged(self):
        profiler = PerformanceProfiler()
        original = TimeoutError("search timed out")
        with self.assertRaises(TimeoutError) as caught:
            with profiler.timer("tool:search") as record:
                raise original
        self.assertIs(caught.exception, original)
        self.assertEqual(record.error, "TimeoutError: search timed out")
        end = [e for e in self.of_type("e") if e["id"] == record.span_id][0]
        self.assertEqual(end["err"], "TimeoutError: search timed out")
        self.assertIn(record, profiler.records)
        # The failed span is closed: the next span is top level again.
        with profiler.timer("after") as after:
            pass
        self.assertIsNone(after.parent_id)

    def test_an_exception_without_message_gives_the_type(self):
        profiler = PerformanceProfiler()
        with self.assertRaises(KeyError):
            with profiler.timer("memory:lookup") as record:
                raise KeyError()
        self.assertEqual(record.error, "KeyError")

    def test_a_clean_span_has_no_err(self):
        profiler = PerformanceProfiler()
        with profiler.timer("ok"):
            pass
        self.assertNotIn("err", self.of_type("e")[0])


class CallSiteTest(ProfileTestCase):
    def test_span_records_the_file_and_line_of_its_with_statement(self):
        profiler = PerformanceProfiler()
        line = sys._getframe().f_lineno + 1
        with profiler.timer("llm:planning") as record:
            pass
        self.assertEqual((record.file, record.line), (THIS_FILE, line))
        start = self.of_type("s")[0]
        self.assertEqual((start["f"], start["l"]), (THIS_FILE, line))
        self.assertFalse(os.path.isabs(start["f"]), "files under the cwd are written relative to it")

    def test_each_with_statement_of_a_loop_body_has_its_own_line(self):
        profiler = PerformanceProfiler()
        first = sys._getframe().f_lineno + 2
        for _ in range(2):
            with profiler.timer("a"):
                with profiler.timer("b"):
                    pass
        # Two iterations; "a" at `first`, "b" on the next line.
        self.assertEqual([(r["n"], r["l"]) for r in self.of_type("s")],
                         [("a", first), ("b", first + 1), ("a", first), ("b", first + 1)])


class DecoratorTest(ProfileTestCase):
    def test_sync_function_is_timed_at_its_call_site_and_returns_unchanged(self):
        profiler = PerformanceProfiler()
        result = object()

        @profiler.timed("tool:compute", tool="calc")
        def compute(x, *, y):
            return (result, x, y)

        line = sys._getframe().f_lineno + 1
        value = compute(1, y=2)
        self.assertEqual(value, (result, 1, 2))
        self.assertIs(value[0], result)
        self.assertEqual(compute.__name__, "compute")
        start = self.of_type("s")[0]
        self.assertEqual((start["n"], start["f"], start["l"], start["a"]), ("tool:compute", THIS_FILE, line, {"tool": "calc"}))

    def test_async_function_is_timed_in_its_task_and_stays_a_coroutine_function(self):
        profiler = PerformanceProfiler()

        @profiler.timed("llm:call")
        async def call(i):
            await asyncio.sleep(0)
            return i * 10

        self.assertTrue(inspect.iscoroutinefunction(call) or asyncio.iscoroutinefunction(call))

        async def main():
            with profiler.timer("step:fanout") as step:
                line = sys._getframe().f_lineno + 1
                values = await asyncio.gather(call(1), call(2))
            return step, line, values

        step, line, values = asyncio.run(main())
        self.assertEqual(values, [10, 20])
        calls = [r for r in self.of_type("s") if r["n"] == "llm:call"]
        self.assertEqual([(r["p"], r["l"], r["f"]) for r in calls], [(step.span_id, line, THIS_FILE)] * 2)

    def test_decorated_exceptions_propagate_and_mark_the_span(self):
        profiler = PerformanceProfiler()

        @profiler.timed
        def broken():
            raise ValueError("bad input")

        with self.assertRaises(ValueError):
            broken()
        self.assertEqual(profiler.records[0].name, broken.__qualname__)
        self.assertEqual(self.of_type("e")[0]["err"], "ValueError: bad input")

    def test_async_decorated_exception_propagates(self):
        profiler = PerformanceProfiler()

        @profiler.timed("tool:flaky")
        async def flaky():
            raise ConnectionError("reset")

        with self.assertRaises(ConnectionError):
            asyncio.run(flaky())
        self.assertEqual(profiler.records[0].error, "ConnectionError: reset")
