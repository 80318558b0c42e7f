"""agentprof: record AI-agent runs for Agent Profiler (standard library only, Python >= 3.9).

The textbook profiler API, unchanged::

    from agentprof import PerformanceProfiler, TokenProfiler, BottleneckDetector

    profiler = PerformanceProfiler()
    tokens = TokenProfiler()
    with profiler.timer("llm:planning", model="gpt-4o"):
        tokens.record("llm:planning", 1200, 340, "gpt-4o", provider="openai", cache_read_tokens=800)

or the ready-made ``agentprof.profiler`` and ``agentprof.tokens``, and the decorator
``@profiler.timed("tool:search")`` for sync and async functions.

Every span and usage record goes to one profile file per process (docs/format.md):
``AGENTPROF_OUT`` when set, else ``.agentprof/<UTC time>-<script>.agentprof.jsonl`` under the
current directory. ``AGENTPROF_NAME`` names the run (default: the script's stem);
``AGENTPROF_DISABLE=1`` turns writing off (the in-memory API still works). The file is opened on
the first record and every line is written through at once, so it can be watched live.

Parents are tracked per asyncio task and per thread: children started by ``asyncio.gather``
get the gathering span as parent. A ``threading.Thread`` starts with an empty context, so its
spans are top-level spans tagged with the thread's name; to keep the parent, run the thread's
target in a copy of the context (``contextvars.copy_context().run``), as ``asyncio.to_thread``
does. A forked child or a Python subprocess that inherits ``AGENTPROF_OUT`` writes a sibling
file ``<name>-<pid>.agentprof.jsonl`` rather than overwrite its parent's.

Profiling never raises into the agent: file problems and unwritable metadata are reported once
on stderr (``agentprof: ...``); exceptions from the agent's own code pass through unchanged.
"""
from __future__ import annotations

from typing import Optional

from ._writer import RECORDER, VERSION, WRITER
from .bottlenecks import Bottleneck, BottleneckDetector
from .prices import PRICES, PRICES_AS_OF, price_call
from .summary import closing_summary
from .timing import PerformanceProfiler, TimingRecord
from .tokens import TokenProfiler, TokenUsage

__version__ = VERSION

__all__ = [
    "PerformanceProfiler", "TimingRecord", "TokenProfiler", "TokenUsage", "BottleneckDetector", "Bottleneck",
    "PRICES", "PRICES_AS_OF", "price_call", "profiler", "tokens", "output_path", "__version__", "RECORDER",
    "closing_summary",
]

#: A ready-made profiler for scripts that do not want to pass one around.
profiler = PerformanceProfiler()
#: A ready-made token profiler.
tokens = TokenProfiler()


def output_path() -> Optional[str]:
    """The profile file of this process (written, or to be written), or None when writing is off."""
    return WRITER.output_path()
