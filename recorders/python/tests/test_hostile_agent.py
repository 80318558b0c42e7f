"""The recorder never changes what the agent does, even with hostile exceptions or a failing disk.

test_failures.py and test_spans.py cover ordinary exceptions, return values and decorators; these
add exceptions that break when printed, BaseExceptions (interrupts, exits, cancellation, closed
generators), and an exception raised while the profile cannot be written.
"""
from __future__ import annotations

import asyncio
import os
import unittest

from agentprof import PerformanceProfiler
from tests.support import ProfileTestCase, check_line


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("str exploded")

    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class NoArgs(Exception):
    @property
    def args(self):  # type: ignore[override]
        raise RuntimeError("args exploded")


class HostileExceptionTest(ProfileTestCase):
    def raise_inside(self, profiler: PerformanceProfiler, exc: BaseException) -> BaseException:
        try:
            with profiler.timer("tool:x"):
                raise exc
        except BaseException as caught:  # noqa: B036 - the point is to see every kind
            return caught
        self.fail("the exception was swallowed")

    def test_exceptions_that_fail_to_print_propagate_unchanged(self):
        profiler = PerformanceProfiler()
        for exc in (Unprintable(), NoArgs()):
            caught = self.raise_inside(profiler, exc)
            self.assertIs(caught, exc)
            self.assertIsNone(caught.__context__, "profiling added no exception context")
        # Each span is still closed with an error text, and every line is a valid record.
        ends = self.of_type("e")
        self.assertEqual(len(ends), 2)
        self.assertTrue(all(isinstance(e.get("err"), str) and e["err"] for e in ends), ends)
        for record in self.lines():
            check_line(self, record)

    def test_base_exceptions_propagate_unchanged(self):
        profiler = PerformanceProfiler()
        for exc in (KeyboardInterrupt(), SystemExit(3), GeneratorExit(), asyncio.CancelledError()):
            caught = self.raise_inside(profiler, exc)
            self.assertIs(caught, exc)
            self.assertIsNone(caught.__context__)
        self.assertEqual([e.get("err") for e in self.of_type("e")], ["KeyboardInterrupt", "SystemExit: 3", "GeneratorExit", "CancelledError"])

    def test_a_generator_closed_inside_a_timer_closes_cleanly(self):
        profiler = PerformanceProfiler()

        def steps():
            with profiler.timer("gen:steps"):
                yield 1
                yield 2

        g = steps()
        self.assertEqual(next(g), 1)
        g.close()  # GeneratorExit inside the timer: must not turn into another exception
        self.assertEqual(len(self.of_type("e")), 1)

    def test_cancelling_a_timed_coroutine_cancels_it(self):
        profiler = PerformanceProfiler()

        @profiler.timed("llm:slow")
        async def slow():
            await asyncio.sleep(10)

        async def main():
            task = asyncio.ensure_future(slow())
            await asyncio.sleep(0.01)
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        self.assertEqual(self.of_type("e")[0].get("err"), "CancelledError")


class FailingDiskTest(ProfileTestCase):
    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_an_exception_while_the_disk_is_full_is_the_agents_own(self):
        os.environ["AGENTPROF_OUT"] = "/dev/full"
        profiler = PerformanceProfiler()
        error = ValueError("the agent's own")
        with self.assertRaises(ValueError) as caught:
            with profiler.timer("tool:x"):
                raise error
        self.assertIs(caught.exception, error)
        self.assertIsNone(caught.exception.__context__)
        value = object()
        with profiler.timer("tool:y"):
            result = value
        self.assertIs(result, value)
        self.assertEqual(len(self.warnings()), 1, self.warnings())


if __name__ == "__main__":
    unittest.main()
