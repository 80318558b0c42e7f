"""A profile written by this recorder reads back cleanly through the extension's TypeScript
ingest (src/ingest/jsonl.ts, run with tsx). Skipped when Node, tsx or the ingest is missing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import unittest

from tests.support import RECORDER_DIR, ProfileTestCase
from tests.test_file import run_script

REPO = os.path.dirname(os.path.dirname(RECORDER_DIR))
INGEST = os.path.join(REPO, "src", "ingest", "jsonl.ts")
TSX = os.path.join(REPO, "node_modules", "tsx")

AGENT = """
import asyncio
from agentprof import profiler, tokens

tokens.set_budget("llm", 10_000)

async def fetch(i):
    with profiler.timer("tool:fetch", index=i):
        await asyncio.sleep(0.001)

async def main():
    with profiler.timer("step:gather"):
        await asyncio.gather(fetch(0), fetch(1))

with profiler.timer("agent:run"):
    with profiler.timer("llm:planning", key="plan"):
        tokens.record("llm:planning", 1200, 340, "gpt-4o-mini", provider="openai", cache_read_tokens=800, reasoning_tokens=40)
    asyncio.run(main())
    try:
        with profiler.timer("tool:flaky"):
            raise TimeoutError("no answer")
    except TimeoutError:
        pass
tokens.record("llm:after", 10, 5, "gpt-4o")
raise RuntimeError("agent gave up")
"""



def line_of(text: str) -> int:
    """1-based line of the first line of AGENT containing ``text`` (AGENT starts with a blank line)."""
    return next(i for i, line in enumerate(AGENT.split("\n"), 1) if text in line)


# Reads the profile with parseJsonl and prints what the Python side checks.
READER = """
const { readFileSync } = require('node:fs');
const { parseJsonl } = require(process.argv[1]);
const p = parseJsonl(readFileSync(process.argv[2]));
const spans = p.spans.map((s) => ({ name: s.name, parent: s.parent >= 0 ? p.spans[s.parent].name : null,
  file: s.file, line: s.line, status: s.status, error: s.error ?? null, open: s.end !== s.end, key: s.key ?? null }));
const usage = p.usage.map((u) => ({ op: u.operation, span: u.span >= 0 ? p.spans[u.span].name : null, file: u.file ?? null,
  line: u.line ?? null, input: u.input, output: u.output, cacheRead: u.cacheRead, reasoning: u.reasoning, provider: u.provider ?? null }));
console.log(JSON.stringify({ diagnostics: p.diagnostics, run: p.run, spans, usage, budgets: p.budgets }));
"""


@unittest.skipUnless(shutil.which("node") and os.path.exists(INGEST) and os.path.isdir(TSX),
                     "needs node, node_modules/tsx and src/ingest/jsonl.ts")
class TypeScriptIngestTest(ProfileTestCase):
    def test_profile_reads_back_without_diagnostics(self):
        result = run_script(self, AGENT, {"AGENTPROF_OUT": self.path})
        self.assertEqual(result.returncode, 1, result.stderr)
        read = subprocess.run(["node", "--import", "tsx", "-e", READER, INGEST, self.path],
                              cwd=REPO, capture_output=True, text=True, timeout=120)
        self.assertEqual(read.returncode, 0, read.stderr)
        parsed = json.loads(read.stdout.strip().splitlines()[-1])
        self.assertEqual(parsed["diagnostics"], [])
        run = parsed["run"]
        self.assertEqual((run["name"], run["exitStatus"], run["exitError"]), ("agent_script", "error", "RuntimeError: agent gave up"))
        self.assertEqual(os.path.realpath(run["cwd"]), os.path.realpath(self.folder))
        spans = {(s["name"], s["parent"]) for s in parsed["spans"]}
        self.assertEqual(spans, {
            ("agent:run", None), ("llm:planning", "agent:run"), ("step:gather", "agent:run"),
            ("tool:fetch", "step:gather"), ("tool:flaky", "agent:run"),
        })
        self.assertEqual(len(parsed["spans"]), 6, "two gathered fetches")
        by_name = {s["name"]: s for s in parsed["spans"]}
        self.assertEqual((by_name["tool:flaky"]["status"], by_name["tool:flaky"]["error"]), ("error", "TimeoutError: no answer"))
        self.assertEqual(by_name["agent:run"]["file"], "agent_script.py")
        self.assertEqual(by_name["llm:planning"]["line"], line_of('with profiler.timer("llm:planning"'))
        self.assertIsNotNone(by_name["llm:planning"]["key"])
        self.assertFalse(any(s["open"] for s in parsed["spans"]))
        inside, outside = parsed["usage"]
        self.assertEqual((inside["op"], inside["span"], inside["input"], inside["output"], inside["cacheRead"], inside["reasoning"], inside["provider"]),
                         ("llm:planning", "llm:planning", 1200, 340, 800, 40, "openai"))
        self.assertEqual((outside["span"], outside["file"], outside["line"]), (None, "agent_script.py", line_of('tokens.record("llm:after"')))
        self.assertEqual([(b["target"], b["maxTokens"]) for b in parsed["budgets"]], [("llm", 10000)])
