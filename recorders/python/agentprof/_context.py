"""Where a span is: its parent (per asyncio task and thread), its id, its call site.

The current span lives in a ``ContextVar``. ``asyncio`` copies the context into every task it
creates, so the children started by ``asyncio.gather`` all see the gathering span as their
parent and never each other. A ``threading.Thread`` starts with an empty context (unless the
code copies it with ``contextvars.copy_context().run``; ``asyncio.to_thread`` does), so its spans
are top-level spans of that thread, tagged with the thread's name.
"""
from __future__ import annotations

import asyncio
import itertools
import os
import threading
from contextvars import ContextVar
from typing import Any, Dict, Tuple

from ._encode import jstr
from ._writer import RUN_CWD

# The open span of the current task/thread (a TimingRecord), shared by every profiler
# instance so one file holds one tree.
CURRENT: ContextVar[Any] = ContextVar("agentprof_current_span", default=None)

# Process-wide span ids; next() on itertools.count is atomic under the GIL.
_ids = itertools.count(1)
next_id = _ids.__next__

# co_filename -> (file as written in the profile, its JSON string).
_sites: Dict[str, Tuple[str, str]] = {}

# Read on every span start (timing.TimingRecord.__enter__): the current thread's name and, when a
# loop is running, the current task's. _get_running_loop is a C function that returns None
# outside a loop instead of raising, which keeps the synchronous case cheap.
_get_running_loop = asyncio._get_running_loop
_current_task = asyncio.current_task
_current_thread = threading.current_thread


def site_file(filename: str) -> Tuple[str, str]:
    """A code file as the format wants it: relative to the run's cwd, absolute when outside it."""
    cached = _sites.get(filename)
    if cached is not None:
        return cached
    if filename.startswith("<"):  # <stdin>, <string>, <frozen ...>: not a path
        shown = filename
    else:
        absolute = os.path.abspath(os.path.join(RUN_CWD, filename))
        try:
            relative = os.path.relpath(absolute, RUN_CWD)
        except ValueError:  # another drive on Windows
            relative = absolute
        shown = absolute if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative
        if shown is relative and os.sep != "/":
            shown = shown.replace(os.sep, "/")
    cached = (shown, jstr(shown))
    _sites[filename] = cached
    return cached
