"""The one profile writer of the process, shared by every profiler instance.

It opens the file lazily on the first record (importing ``agentprof`` alone creates nothing),
writes the ``run`` header first, appends each line with one ``os.write`` (every line reaches the
OS at once, so the file can be tailed live) and writes the ``end`` record at interpreter exit.

Profiling must never break the agent: a file that cannot be opened or written (missing
directory, disk full, closed descriptor) is reported once on stderr, prefixed ``agentprof:``,
and writing stops; the in-memory API keeps working.
"""
from __future__ import annotations

import atexit
import os
import re
import sys
import threading
import time
from typing import Optional, Set

from ._encode import describe_exception, jstr, set_warner

VERSION = "0.1.0"
RECORDER = f"agentprof-python/{VERSION}"

# The run's clock: every `at` is perf_counter_ns() minus ORIGIN_PERF_NS; the header's `start`
# is the wall time taken at the same moment. Shared by all profilers so one file has one axis.
ORIGIN_PERF_NS = time.perf_counter_ns()
ORIGIN_EPOCH_NS = time.time_ns()
# Span files are relative to this; captured once so a later os.chdir cannot mix two bases.
RUN_CWD = os.getcwd()
# A forked child (same clock, same stamp) must not take its parent's file name.
_ORIGIN_PID = os.getpid()

# Set in the environment by the process that owns AGENTPROF_OUT, so that a Python subprocess
# inheriting the variable writes a sibling file instead of truncating its parent's profile.
_OWNER_ENV = "AGENTPROF_OUT_PID"
_SUFFIX = ".agentprof.jsonl"


def utc_stamp(epoch_ns: int) -> str:
    """``20261123T121500Z``: sortable, filename-safe, the same stamp the CLI uses."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch_ns // 1_000_000_000))


def run_name() -> str:
    """``AGENTPROF_NAME``, else the script's stem (``agent.py`` → ``agent``), else ``python``."""
    configured = os.environ.get("AGENTPROF_NAME")
    if configured:
        return configured
    argv0 = (getattr(sys, "argv", None) or [""])[0]
    if not argv0 or argv0 in ("-c", "-m", "-"):
        return "python"
    stem = os.path.splitext(os.path.basename(argv0))[0]
    return stem or "python"


def _sibling_for(path: str, pid: int) -> str:
    base = path[: -len(_SUFFIX)] if path.endswith(_SUFFIX) else os.path.splitext(path)[0]
    return f"{base}-{pid}{_SUFFIX}"


class Writer:
    """Appends profile lines to one file. ``on`` is False when writing is off or has failed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._warned: Set[str] = set()
        self._fd: Optional[int] = None
        self._path: Optional[str] = None
        self._hooks_installed = False
        self.fatal_error: Optional[str] = None
        self.on = os.environ.get("AGENTPROF_DISABLE", "") not in ("1", "true", "yes")

    # -- reporting ---------------------------------------------------------------------------
    def warn(self, key: str, message: str) -> None:
        """Say something once per kind of problem; never raises."""
        if key in self._warned:
            return
        self._warned.add(key)
        try:
            sys.stderr.write(f"agentprof: {message}\n")
        except Exception:
            pass

    # -- path and opening --------------------------------------------------------------------
    def resolve_path(self) -> str:
        """Where this process writes: AGENTPROF_OUT, else .agentprof/<stamp>-<name>.agentprof.jsonl."""
        pid = os.getpid()
        configured = os.environ.get("AGENTPROF_OUT")
        if configured:
            path = os.path.abspath(os.path.join(RUN_CWD, configured))
            owner = os.environ.get(_OWNER_ENV)
            if (owner and owner != str(pid)) or pid != _ORIGIN_PID:
                return _sibling_for(path, pid)
            return path
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_name())[:60] or "run"
        if pid != _ORIGIN_PID:
            safe = f"{safe}-{pid}"
        return os.path.join(RUN_CWD, ".agentprof", f"{utc_stamp(ORIGIN_EPOCH_NS)}-{safe}{_SUFFIX}")

    def output_path(self) -> Optional[str]:
        """The file being written, the one that would be written, or None when writing is off."""
        if not self.on:
            return None
        return self._path or self.resolve_path()

    def _open(self) -> bool:
        with self._lock:
            if self._fd is not None:
                return True
            if not self.on:
                return False
            path = self.resolve_path()
            try:
                os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | getattr(os, "O_BINARY", 0)
                fd = os.open(path, flags, 0o644)
            except Exception as exc:
                self.on = False
                self.warn("open", f"cannot open the profile {path}: {describe_exception(exc)}; profiling continues in memory only")
                return False
            self._fd, self._path = fd, path
            if os.environ.get("AGENTPROF_OUT") and not os.environ.get(_OWNER_ENV):
                os.environ[_OWNER_ENV] = str(os.getpid())
            self._install_hooks()
        self.write(self._header())
        return self.on

    def _header(self) -> str:
        argv = ",".join(jstr(str(a)) for a in (getattr(sys, "argv", None) or []))
        return (
            f'{{"t":"run","v":1,"name":{jstr(run_name())},"start":"{ORIGIN_EPOCH_NS}","pid":{os.getpid()},'
            f'"argv":[{argv}],"cwd":{jstr(RUN_CWD)},"recorder":{jstr(RECORDER)},"lang":"python"}}\n'
        )

    # -- writing -----------------------------------------------------------------------------
    def write(self, line: str) -> None:
        """Append one complete line (with its ``\\n``). Opens the file on first use."""
        if self._fd is None and not self._open():
            return
        data = line.encode("utf-8", "surrogatepass")
        # One os.write per line: the line reaches the OS at once (live tailing), and the lock
        # keeps lines whole when threads write together (O_APPEND alone is not atomic on Windows).
        with self._lock:
            fd = self._fd
            if fd is None:
                return
            try:
                written = os.write(fd, data)
                while written < len(data):  # short write: a nearly full disk
                    written += os.write(fd, data[written:])
            except Exception as exc:
                self.on = False
                self._fd = None
                self.warn("write", f"cannot write the profile {self._path}: {describe_exception(exc)}; profiling continues in memory only")

    def close(self) -> None:
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def reset(self) -> None:
        """Forget the file and the warnings and re-read the environment (tests, fork children)."""
        self.close()
        self._path = None
        self._warned.clear()
        self.fatal_error = None
        self.on = os.environ.get("AGENTPROF_DISABLE", "") not in ("1", "true", "yes")

    # -- end of run --------------------------------------------------------------------------
    def write_end(self) -> None:
        """The ``end`` record: ``error`` with the message when an uncaught exception ends the process."""
        if self._fd is None:
            return
        at = time.perf_counter_ns() - ORIGIN_PERF_NS
        if self.fatal_error is None:
            self.write(f'{{"t":"end","at":{at},"status":"ok"}}\n')
        else:
            self.write(f'{{"t":"end","at":{at},"status":"error","err":{jstr(self.fatal_error)}}}\n')

    def _install_hooks(self) -> None:
        if self._hooks_installed:
            return
        self._hooks_installed = True
        previous = sys.excepthook

        def excepthook(kind, value, traceback):  # type: ignore[no-untyped-def]
            try:
                self.fatal_error = describe_exception(value) if value is not None else kind.__name__
            except Exception:
                pass
            previous(kind, value, traceback)

        sys.excepthook = excepthook
        atexit.register(self._at_exit)

    def _at_exit(self) -> None:
        try:
            self.write_end()
        finally:
            self.close()


WRITER = Writer()
set_warner(WRITER.warn)


def _after_fork_in_child() -> None:
    # The child must not interleave lines into its parent's file. It starts a file of its own
    # on its first record (AGENTPROF_OUT's owner variable names the parent, so the child
    # writes a `-<pid>` sibling). The lock may have been held by another thread at fork time.
    WRITER._lock = threading.Lock()
    fd, WRITER._fd, WRITER._path = WRITER._fd, None, None
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
