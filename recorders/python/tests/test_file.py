"""The profile file: header, documented keys on every line, usage and budget records, prompt
hashes, output path and the end record (in subprocesses, since it is written at exit)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time

import agentprof
from agentprof import PerformanceProfiler, TokenProfiler
from agentprof._writer import ORIGIN_EPOCH_NS, RUN_CWD
from tests.support import RECORDER_DIR, ProfileTestCase, check_line

THIS_FILE = os.path.relpath(os.path.abspath(__file__), RUN_CWD).replace(os.sep, "/")


class HeaderTest(ProfileTestCase):
    def test_header_comes_first_with_the_documented_fields(self):
        with PerformanceProfiler().timer("x"):
            pass
        header = self.lines()[0]
        self.assertEqual(header["t"], "run")
        self.assertEqual(header["v"], 1)
        self.assertEqual(header["start"], str(ORIGIN_EPOCH_NS))
        self.assertRegex(header["start"], r"^[0-9]+$")
        self.assertLessEqual(int(header["start"]), time.time_ns())
        self.assertEqual(header["pid"], os.getpid())
        self.assertEqual(header["argv"], sys.argv)
        self.assertEqual(header["cwd"], RUN_CWD)
        self.assertEqual(header["recorder"], f"agentprof-python/{agentprof.__version__}")
        self.assertEqual(header["lang"], "python")
        self.assertEqual(header["name"], os.path.splitext(os.path.basename(sys.argv[0]))[0] or "python")

    def test_agentprof_name_names_the_run(self):
        os.environ["AGENTPROF_NAME"] = "nightly research"
        with PerformanceProfiler().timer("x"):
            pass
        self.assertEqual(self.lines()[0]["name"], "nightly research")

    def test_nothing_is_written_before_the_first_record(self):
        PerformanceProfiler()
        TokenProfiler()
        self.assertFalse(os.path.exists(self.path))
        self.assertEqual(agentprof.output_path(), self.path)


class EveryLineTest(ProfileTestCase):
    def test_every_line_is_a_documented_record(self):
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        tokens.set_budget("llm", 50_000, max_cost=0.5, max_ms=30_000)
        with profiler.timer("agent:run", question="why?", tags=["a", "b"]) as root:
            with profiler.timer("llm:planning", key={"messages": ["hi"]}):
                tokens.record("llm:planning", 1200, 340, "gpt-4o-mini", provider="openai",
                              cache_read_tokens=800, reasoning_tokens=100, cost=0.00041, prompt="plan it", temperature=0)
            try:
                with profiler.timer("tool:search"):
                    raise RuntimeError("down")
            except RuntimeError:
                pass
            root.metadata["answer_chars"] = 42
        tokens.record("llm:final", 10, 5, "unknown-model")
        records = self.lines()
        self.assertEqual([r["t"] for r in records], ["run", "b", "s", "s", "u", "e", "s", "e", "e", "u"])
        for record in records:
            check_line(self, record)
        self.assertEqual(records[1], {"t": "b", "target": "llm", "tokens": 50000, "cost": 0.5, "ms": 30000})
        self.assertEqual(records[2]["a"], {"question": "why?", "tags": ["a", "b"]})
        self.assertEqual(records[8]["a"], {"answer_chars": 42}, "attributes set while the span ran go on its end")
        self.assertEqual(records[7]["err"], "RuntimeError: down")

    def test_times_are_ordered_nanoseconds_since_the_start(self):
        profiler = PerformanceProfiler()
        with profiler.timer("a") as outer:
            with profiler.timer("b"):
                pass
        s_a, s_b, e_b, e_a = self.lines()[1:]
        self.assertLessEqual(s_a["at"], s_b["at"])
        self.assertLessEqual(s_b["at"], e_b["at"])
        self.assertLessEqual(e_b["at"], e_a["at"])
        # The file's duration is the record's duration: ns in the file, ms on the record.
        self.assertAlmostEqual((e_a["at"] - s_a["at"]) / 1e6, outer.duration_ms, places=6)


class UsageRecordTest(ProfileTestCase):
    def test_usage_inside_a_span_links_to_it_and_takes_its_site(self):
        profiler, tokens = PerformanceProfiler(), TokenProfiler()
        with profiler.timer("llm:planning") as span:
            usage = tokens.record("llm:planning", 1200, 340, "gpt-4o-mini", provider="openai", cache_read_tokens=800)
        record = self.of_type("u")[0]
        self.assertEqual(record["span"], span.span_id)
        self.assertNotIn("f", record)
        self.assertNotIn("l", record)
        self.assertEqual((record["in"], record["out"], record["cr"], record["prov"]), (1200, 340, 800, "openai"))
        self.assertNotIn("cw", record, "zero counts are left out")
        self.assertEqual(usage.span_id, span.span_id)

    def test_usage_outside_spans_carries_its_own_call_site(self):
        tokens = TokenProfiler()
        line = sys._getframe().f_lineno + 1
        tokens.record("llm:summary", 100, 20, "gpt-4o")
        record = self.of_type("u")[0]
        self.assertNotIn("span", record)
        self.assertEqual((record["f"], record["l"]), (THIS_FILE, line))

    def test_prompt_is_hashed_and_never_written(self):
        tokens = TokenProfiler()
        secret = "SECRET-PROMPT-TEXT about the user's account"
        first = tokens.record("llm:a", 10, 1, "gpt-4o", prompt=secret)
        second = tokens.record("llm:a", 10, 1, "gpt-4o", prompt=secret)
        other = tokens.record("llm:a", 10, 1, "gpt-4o", prompt_hash="precomputed")
        with open(self.path, encoding="utf-8") as handle:
            self.assertNotIn("SECRET-PROMPT-TEXT", handle.read())
        keys = [r["k"] for r in self.of_type("u")]
        self.assertEqual(keys[0], keys[1], "equal prompts give equal keys")
        self.assertNotEqual(keys[0], keys[2])
        self.assertRegex(keys[0], r"^[0-9a-f]{16}$")
        self.assertEqual((first.prompt_hash, second.prompt_hash), (keys[0], keys[1]))
        self.assertEqual(other.prompt_hash, keys[2])

    def test_timer_key_and_cache_key_give_the_span_key(self):
        profiler = PerformanceProfiler()
        with profiler.timer("tool:search", key="query=heat pumps"):
            pass
        with profiler.timer("tool:search", cache_key="query=heat pumps") as second:
            pass
        with profiler.timer("tool:search"):
            pass
        starts = self.of_type("s")
        self.assertEqual(starts[0]["k"], starts[1]["k"])
        self.assertNotIn("k", starts[2])
        self.assertEqual(second.metadata, {"cache_key": "query=heat pumps"})

    def test_bad_token_counts_become_zero_with_one_warning(self):
        tokens = TokenProfiler()
        tokens.record("llm:a", None, "many", "gpt-4o")
        tokens.record("llm:a", -5, 3.0, "gpt-4o")
        self.assertEqual([(r["in"], r["out"]) for r in self.of_type("u")], [(0, 0), (0, 3)])
        self.assertEqual(len([w for w in self.warnings() if "token count" in w]), 1)


class OutputPathTest(ProfileTestCase):
    def test_agentprof_out_is_created_with_its_folder(self):
        self.path = os.path.join(self.folder, "nested", "deeper", "mine.agentprof.jsonl")
        os.environ["AGENTPROF_OUT"] = self.path
        with PerformanceProfiler().timer("x"):
            pass
        self.assertEqual(self.lines()[0]["t"], "run")

    def test_disable_keeps_the_in_memory_api(self):
        os.environ["AGENTPROF_DISABLE"] = "1"
        from agentprof._writer import WRITER
        WRITER.reset()
        profiler = PerformanceProfiler()
        with profiler.timer("x"):
            pass
        self.assertEqual(len(profiler.records), 1)
        self.assertFalse(os.path.exists(self.path))
        self.assertIsNone(agentprof.output_path())


def run_script(test: ProfileTestCase, source: str, env_extra=None, cwd=None):
    """Runs ``source`` in a fresh interpreter with the recorder importable; returns the result."""
    script = os.path.join(test.folder, "agent_script.py")
    with open(script, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(source))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTPROF_")}
    env["PYTHONPATH"] = RECORDER_DIR
    env.update(env_extra or {})
    return subprocess.run([sys.executable, script], cwd=cwd or test.folder, env=env, capture_output=True, text=True, timeout=60)


class EndRecordTest(ProfileTestCase):
    def test_normal_exit_writes_an_ok_end_record(self):
        result = run_script(self, """
            from agentprof import profiler
            with profiler.timer("agent:run"):
                pass
        """, {"AGENTPROF_OUT": self.path})
        self.assertEqual(result.returncode, 0, result.stderr)
        records = self.lines()
        self.assertEqual(records[-1]["t"], "end")
        self.assertEqual(records[-1]["status"], "ok")
        self.assertGreaterEqual(records[-1]["at"], records[-2]["at"])
        self.assertEqual(records[0]["name"], "agent_script")
        for record in records:
            check_line(self, record)

    def test_uncaught_exception_writes_an_error_end_and_keeps_the_traceback(self):
        result = run_script(self, """
            from agentprof import profiler
            with profiler.timer("agent:run"):
                raise RuntimeError("agent gave up")
        """, {"AGENTPROF_OUT": self.path})
        self.assertEqual(result.returncode, 1)
        self.assertIn("Traceback", result.stderr, "the previous excepthook still prints the traceback")
        self.assertIn("RuntimeError: agent gave up", result.stderr)
        end = self.lines()[-1]
        self.assertEqual((end["t"], end["status"], end["err"]), ("end", "error", "RuntimeError: agent gave up"))
        span_end = self.lines()[-2]
        self.assertEqual((span_end["t"], span_end["err"]), ("e", "RuntimeError: agent gave up"))

    def test_default_path_is_under_dot_agentprof_with_a_utc_stamp_and_the_script_stem(self):
        result = run_script(self, """
            import agentprof
            with agentprof.profiler.timer("x"):
                pass
            print(agentprof.output_path())
        """)
        self.assertEqual(result.returncode, 0, result.stderr)
        files = os.listdir(os.path.join(self.folder, ".agentprof"))
        self.assertEqual(len(files), 1)
        self.assertRegex(files[0], r"^\d{8}T\d{6}Z-agent_script\.agentprof\.jsonl$")
        written = os.path.join(self.folder, ".agentprof", files[0])
        self.assertEqual(os.path.realpath(result.stdout.strip()), os.path.realpath(written))
        self.assertEqual([r["t"] for r in self.lines(written)], ["run", "s", "e", "end"])

    def test_a_subprocess_inheriting_agentprof_out_writes_a_sibling_file(self):
        child = "from agentprof import profiler\\nwith profiler.timer('child:work'):\\n    pass\\n"
        result = run_script(self, f"""
            import os, subprocess, sys
            from agentprof import profiler
            with profiler.timer("parent:run"):
                subprocess.run([sys.executable, "-c", "{child}"], check=True)
            print(os.getpid())
        """, {"AGENTPROF_OUT": self.path})
        self.assertEqual(result.returncode, 0, result.stderr)
        parent_names = [r["n"] for r in self.of_type("s")]
        self.assertEqual(parent_names, ["parent:run"], "the child did not overwrite the parent's file")
        siblings = [f for f in os.listdir(self.folder) if re.match(r"^run-\d+\.agentprof\.jsonl$", f)]
        self.assertEqual(len(siblings), 1)
        self.assertEqual([r["n"] for r in self.of_type("s", os.path.join(self.folder, siblings[0]))], ["child:work"])
