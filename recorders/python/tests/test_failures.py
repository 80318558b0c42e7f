"""Profiling never breaks the agent: file problems and odd metadata are said once and contained."""
from __future__ import annotations

import math
import os
import unittest

from agentprof import PerformanceProfiler, TokenProfiler
from agentprof._writer import WRITER
from tests.support import ProfileTestCase, check_line


def run_agent_steps(profiler: PerformanceProfiler, tokens: TokenProfiler, steps: int) -> int:
    """A tiny agent loop; returns how many steps completed."""
    done = 0
    for index in range(steps):
        with profiler.timer("step:work", index=index):
            tokens.record("llm:step", 10, 2, "gpt-4o")
            done += 1
    return done


class UnwritableFileTest(ProfileTestCase):
    def test_a_path_that_cannot_be_created_warns_once_and_the_agent_continues(self):
        blocker = os.path.join(self.folder, "a-file")
        with open(blocker, "w") as handle:
            handle.write("not a folder")
        os.environ["AGENTPROF_OUT"] = os.path.join(blocker, "sub", "run.agentprof.jsonl")
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        self.assertEqual(run_agent_steps(profiler, tokens, 5), 5)
        warnings = self.warnings()
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn("cannot open the profile", warnings[0])
        self.assertEqual(len(profiler.records), 5, "the in-memory API keeps working")
        self.assertEqual(len(tokens.usage_records), 5)

    def test_a_descriptor_closed_under_the_writer_warns_once(self):
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        run_agent_steps(profiler, tokens, 1)
        os.close(WRITER._fd)  # e.g. a library that closes every descriptor it did not open
        self.assertEqual(run_agent_steps(profiler, tokens, 4), 4)
        warnings = self.warnings()
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn("cannot write the profile", warnings[0])
        self.assertFalse(WRITER.on)
        self.assertEqual(len(profiler.records), 5)
        # What was written before the failure is still a valid prefix.
        for record in self.lines():
            check_line(self, record)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_a_full_disk_warns_once(self):
        os.environ["AGENTPROF_OUT"] = "/dev/full"
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        self.assertEqual(run_agent_steps(profiler, tokens, 3), 3)
        warnings = self.warnings()
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn("No space left", warnings[0])


class Unserialisable:
    def __repr__(self) -> str:
        return "<Unserialisable thing>"


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class OddMetadataTest(ProfileTestCase):
    def test_non_json_metadata_is_written_as_repr(self):
        profiler = PerformanceProfiler()
        with profiler.timer("tool:x", thing=Unserialisable(), broken=BrokenRepr(), fine=1):
            pass
        start = self.of_type("s")[0]
        self.assertEqual(start["a"], {"thing": "<Unserialisable thing>", "broken": "<unrepresentable BrokenRepr>", "fine": 1})
        self.assertEqual(len([w for w in self.warnings() if "not JSON" in w]), 1)

    def test_circular_nan_and_odd_keys_still_give_valid_lines(self):
        profiler = PerformanceProfiler()
        loop = {}
        loop["self"] = loop
        with profiler.timer("tool:x", loop=loop, ratio=math.nan, mapping={(1, 2): "tuple key"}, ok="yes"):
            pass
        with profiler.timer("tool:y", ratio=math.inf):
            pass
        starts = self.of_type("s")
        for record in self.lines():
            check_line(self, record)
        attrs = starts[0]["a"]
        self.assertEqual(attrs["ok"], "yes")
        self.assertEqual(attrs["ratio"], "nan")
        self.assertIsInstance(attrs["loop"], str)
        self.assertEqual(starts[1]["a"], {"ratio": "inf"})

    def test_metadata_that_cannot_be_compared_is_written_on_the_end(self):
        class NoBool:
            def __eq__(self, other):
                raise ValueError("ambiguous")

            def __ne__(self, other):
                raise ValueError("ambiguous")

            def __repr__(self):
                return "NoBool()"

        profiler = PerformanceProfiler()
        with profiler.timer("tool:x", value=NoBool()) as record:
            record.metadata["value"] = NoBool()
        end = self.of_type("e")[0]
        self.assertEqual(end["a"], {"value": "NoBool()"})

    def test_a_non_string_name_is_written_as_its_text(self):
        profiler = PerformanceProfiler()
        with profiler.timer(42) as record:  # type: ignore[arg-type]
            pass
        self.assertEqual(record.name, "42")
        self.assertEqual(self.of_type("s")[0]["n"], "42")


class ReturnValuesTest(ProfileTestCase):
    def test_values_and_exceptions_of_the_agent_pass_through(self):
        profiler = PerformanceProfiler()

        class AgentError(Exception):
            pass

        def step():
            with profiler.timer("step"):
                return ["result"]

        value = step()
        self.assertEqual(value, ["result"])
        error = AgentError("specific")
        with self.assertRaises(AgentError) as caught:
            with profiler.timer("step"):
                raise error
        self.assertIs(caught.exception, error)
        self.assertIsNone(caught.exception.__context__, "profiling added no exception context")
