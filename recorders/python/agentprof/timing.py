"""``PerformanceProfiler``: the textbook timing API, recorded to the profile file.

Code written against the textbook's ``PerformanceProfiler`` runs unchanged::

    profiler = PerformanceProfiler()
    with profiler.timer("llm:planning", model="gpt-4o") as record:
        ...
    print(profiler.get_waterfall())

Underneath, parents are span ids tracked per asyncio task and thread (see ``_context``), every
span records the file and line of its ``with`` statement, and each span writes an ``s`` line
when it opens and an ``e`` line when it closes.
"""
from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from contextvars import Token
from time import perf_counter_ns
from typing import Any, Callable, Dict, List, Optional, TypeVar

from . import timing_analysis
from ._context import CURRENT, _current_task, _current_thread, _get_running_loop, next_id, site_file
from ._encode import describe_exception, encode_attrs, hash_key, jstr
from ._writer import ORIGIN_PERF_NS, WRITER

F = TypeVar("F", bound=Callable[..., Any])


class TimingRecord:
    """One timed span. Also its own context manager (what ``timer`` returns).

    Textbook fields: ``name``, ``start_time`` and ``end_time`` (``perf_counter`` seconds),
    ``parent`` (the parent's *name*), ``metadata``, ``duration_ms``. Ours: ``span_id``,
    ``parent_id``, ``file``, ``line``, ``thread``, ``task``, ``error``, ``key``.
    """

    __slots__ = (
        "name", "metadata", "parent", "parent_id", "span_id", "file", "line", "thread", "task",
        "error", "key", "_start_ns", "_end_ns", "_owner", "_token", "_file_json", "_snapshot",
    )

    def __init__(
        self,
        name: str,
        start_time: Optional[float] = None,
        end_time: Optional[float] = None,
        parent: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.name = name
        self.metadata = {} if metadata is None else metadata
        self.parent = parent
        self.parent_id: Optional[int] = None
        self.span_id: Optional[int] = None
        self.file: Optional[str] = None
        self.line: Optional[int] = None
        self.thread: Optional[str] = None
        self.task: Optional[str] = None
        self.error: Optional[str] = None
        self.key: Optional[str] = None
        self._start_ns = None if start_time is None else round(start_time * 1e9)
        self._end_ns = None if end_time is None else round(end_time * 1e9)
        self._owner: Optional[PerformanceProfiler] = None
        self._token: Optional[Token] = None
        self._file_json: Optional[str] = None
        self._snapshot: Optional[Dict[str, Any]] = None

    # -- textbook fields ---------------------------------------------------------------------
    @property
    def start_time(self) -> Optional[float]:
        return None if self._start_ns is None else self._start_ns / 1e9

    @start_time.setter
    def start_time(self, seconds: Optional[float]) -> None:
        self._start_ns = None if seconds is None else round(seconds * 1e9)

    @property
    def end_time(self) -> Optional[float]:
        return None if self._end_ns is None else self._end_ns / 1e9

    @end_time.setter
    def end_time(self, seconds: Optional[float]) -> None:
        self._end_ns = None if seconds is None else round(seconds * 1e9)

    @property
    def duration_ms(self) -> float:
        """Milliseconds from start to end; 0 while the span is open."""
        if self._start_ns is None or self._end_ns is None:
            return 0.0
        return (self._end_ns - self._start_ns) / 1e6

    def __repr__(self) -> str:
        return f"TimingRecord(name={self.name!r}, span_id={self.span_id}, parent={self.parent!r}, duration_ms={self.duration_ms:.3f})"

    # -- the span ----------------------------------------------------------------------------
    def __enter__(self) -> "TimingRecord":
        parent = CURRENT.get()
        if parent is not None:
            self.parent_id = parent.span_id
            self.parent = parent.name
        span_id = self.span_id = next_id()
        self._token = CURRENT.set(self)
        owner = self._owner
        if owner is not None:
            owner.active_timers[span_id] = self
        # thread_and_task(), inlined: this is the hot path.
        self.thread = _current_thread().name
        loop = _get_running_loop()
        if loop is not None:
            task = _current_task(loop)
            if task is not None:
                self.task = task.get_name()
        self._start_ns = start = perf_counter_ns()
        if WRITER.on:
            try:
                self._write_start(start - ORIGIN_PERF_NS)
            except Exception as exc:  # profiling never breaks the agent
                WRITER.warn("internal", f"could not record span start: {describe_exception(exc)}")
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        end = self._end_ns = perf_counter_ns()
        token = self._token
        if token is not None:
            try:
                CURRENT.reset(token)
            except (ValueError, RuntimeError):  # exited in another context, or exited twice
                CURRENT.set(None if token.old_value is Token.MISSING else token.old_value)
        owner = self._owner
        if owner is not None:
            owner.active_timers.pop(self.span_id, None)
            owner.records.append(self)
        if exc_type is not None:
            self.error = describe_exception(exc) if exc is not None else exc_type.__name__
        if WRITER.on:
            try:
                if self.error is None and not self.metadata:
                    WRITER.write(f'{{"t":"e","id":{self.span_id},"at":{end - ORIGIN_PERF_NS}}}\n')
                else:
                    self._write_end(end - ORIGIN_PERF_NS)
            except Exception as error:
                WRITER.warn("internal", f"could not record span end: {describe_exception(error)}")
        # Returning None lets every exception propagate unchanged.

    async def __aenter__(self) -> "TimingRecord":
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        self.__exit__(exc_type, exc, traceback)

    def _write_start(self, at: int) -> None:
        parent = "" if self.parent_id is None else f',"p":{self.parent_id}'
        extra = f',"th":{jstr(self.thread)}'
        if self.task is not None:
            extra += f',"task":{jstr(self.task)}'
        metadata = self.metadata
        if metadata:
            self._snapshot = dict(metadata)
            attrs = encode_attrs(metadata)
            if attrs is not None:
                extra += f',"a":{attrs}'
        if self.key is not None:
            extra += f',"k":{jstr(self.key)}'
        file_json = self._file_json if self._file_json is not None else '"?"'
        WRITER.write(
            f'{{"t":"s","id":{self.span_id}{parent},"n":{jstr(self.name)},"at":{at},'
            f'"f":{file_json},"l":{self.line or 0}{extra}}}\n'
        )

    def _write_end(self, at: int) -> None:
        extra = "" if self.error is None else f',"err":{jstr(self.error)}'
        metadata = self.metadata
        if metadata:
            changed = _changed_attrs(metadata, self._snapshot)
            if changed:
                attrs = encode_attrs(changed)
                if attrs is not None:
                    extra += f',"a":{attrs}'
        WRITER.write(f'{{"t":"e","id":{self.span_id},"at":{at}{extra}}}\n')


def _changed_attrs(metadata: Dict[str, Any], snapshot: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Attributes added or replaced while the span ran (``record.metadata[...] = ...``)."""
    if snapshot is None:
        return dict(metadata)
    changed = {}
    for key, value in metadata.items():
        if key not in snapshot:
            changed[key] = value
            continue
        try:
            if snapshot[key] is not value and bool(snapshot[key] != value):
                changed[key] = value
        except Exception:  # values whose comparison is not a bool (arrays): call it changed
            changed[key] = value
    return changed


class PerformanceProfiler:
    """Times named spans. ``records`` holds finished spans in end order; ``active_timers`` maps
    span id → open record (by id, not name: the same name can be open many times at once)."""

    def __init__(self) -> None:
        self.records: List[TimingRecord] = []
        self.active_timers: Dict[int, TimingRecord] = {}

    def timer(self, name: str, key: Any = None, **metadata: Any) -> TimingRecord:
        """A span around a ``with`` block; ``as`` gives the record. ``key`` (or a ``cache_key``
        metadata value) is hashed into the span's ``k``: equal keys mark cacheable repeats."""
        frame = sys._getframe(1)
        if key is None and "cache_key" not in metadata and type(name) is str:
            # _record() inlined for the common case: this is the hot path.
            record = TimingRecord(name, None, None, None, metadata)
            record._owner = self
            record.file, record._file_json = site_file(frame.f_code.co_filename)
            record.line = frame.f_lineno
            return record
        return self._record(name, key, metadata, frame.f_code.co_filename, frame.f_lineno)

    def _record(self, name: Any, key: Any, metadata: Dict[str, Any], filename: str, line: int) -> TimingRecord:
        record = TimingRecord(name if type(name) is str else str(name), None, None, None, metadata)
        record._owner = self
        record.file, record._file_json = site_file(filename)
        record.line = line
        if key is None and metadata:
            key = metadata.get("cache_key")
        if key is not None:
            try:
                record.key = hash_key(key)
            except Exception:
                record.key = None
        return record

    def timed(self, name: Any = None, key: Any = None, **metadata: Any) -> Any:
        """Decorator form of ``timer`` for sync and async functions: ``@profiler.timed("llm:plan")``.

        The span's call site is where the function is called (for a coroutine function, where
        the coroutine is created, e.g. the ``asyncio.gather(...)`` line). Without a name the
        function's qualified name is used; ``@profiler.timed`` without parentheses works too.
        """
        if callable(name) and key is None and not metadata:
            return self.timed()(name)
        profiler = self

        def decorate(fn: F) -> F:
            span_name = name if name is not None else getattr(fn, "__qualname__", repr(fn))
            if inspect.iscoroutinefunction(fn):
                async def run(record: TimingRecord, args: Any, kwargs: Any) -> Any:
                    with record:
                        return await fn(*args, **kwargs)

                @functools.wraps(fn)
                def call_async(*args: Any, **kwargs: Any) -> Any:
                    frame = sys._getframe(1)
                    record = profiler._record(span_name, key, dict(metadata), frame.f_code.co_filename, frame.f_lineno)
                    return run(record, args, kwargs)

                _mark_coroutine_function(call_async)
                return call_async  # type: ignore[return-value]

            @functools.wraps(fn)
            def call(*args: Any, **kwargs: Any) -> Any:
                frame = sys._getframe(1)
                with profiler._record(span_name, key, dict(metadata), frame.f_code.co_filename, frame.f_lineno):
                    return fn(*args, **kwargs)

            return call  # type: ignore[return-value]

        return decorate

    # -- textbook analyses -------------------------------------------------------------------
    def get_summary(self) -> Dict[str, Dict[str, float]]:
        """``{category: {count, total_ms, avg_ms, min_ms, max_ms}}``; category = name up to ``:``."""
        return timing_analysis.summarize(self.records)

    def get_critical_path(self) -> List[TimingRecord]:
        """Root-to-leaf chain of records with the largest summed duration (linked by span id)."""
        return timing_analysis.critical_path(self.records)

    def get_waterfall(self, width: int = 50) -> str:
        """Text waterfall: one line per record in start order, indented by depth, on a ``width``-column axis."""
        return timing_analysis.waterfall(self.records, width)

    def clear(self) -> None:
        """Forget finished records (open spans and the file are unaffected)."""
        self.records.clear()


def _mark_coroutine_function(fn: Callable[..., Any]) -> None:
    """Let ``inspect``/``asyncio.iscoroutinefunction`` see the sync wrapper as async."""
    marker = getattr(inspect, "markcoroutinefunction", None)  # Python 3.12+
    if marker is not None:
        marker(fn)
        return
    legacy = getattr(getattr(asyncio, "coroutines", None), "_is_coroutine", None)  # Python < 3.12
    if legacy is not None:
        fn._is_coroutine = legacy  # type: ignore[attr-defined]
