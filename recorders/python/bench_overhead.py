"""Overhead of an empty ``profiler.timer`` in µs, writing to a temporary profile file.

    python3 recorders/python/bench_overhead.py [N]

Times N empty ``with profiler.timer("bench:empty"):`` blocks against N empty
``with contextlib.nullcontext():`` blocks and prints the difference per timer, best of 5 rounds.
Wall time is what the agent feels; CPU time (this process only, system calls included) is what
to compare across machines, since it ignores other processes competing for the CPU. Each timer
writes two lines (``s`` and ``e``).
"""
import contextlib
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def best_of(rounds, fn):
    """(best wall seconds, best CPU seconds) over ``rounds`` runs of ``fn``."""
    results = [fn() for _ in range(rounds)]
    return min(r[0] for r in results), min(r[1] for r in results)


def timed_loop(body):
    wall, cpu = time.perf_counter(), time.process_time()
    body()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AGENTPROF_OUT"] = os.path.join(folder, "bench.agentprof.jsonl")
        sys.path.insert(0, HERE)
        from agentprof import PerformanceProfiler

        profiler = PerformanceProfiler()

        def timers() -> None:
            profiler.records.clear()  # keep memory flat between rounds
            for _ in range(count):
                with profiler.timer("bench:empty"):
                    pass

        def baseline() -> None:
            for _ in range(count):
                with contextlib.nullcontext():
                    pass

        base_wall, base_cpu = best_of(5, lambda: timed_loop(baseline))
        wall, cpu = best_of(5, lambda: timed_loop(timers))
        size = os.path.getsize(os.environ["AGENTPROF_OUT"])
        per_us = lambda seconds, base: (seconds - base) / count * 1e6  # noqa: E731
        print(f"{count} empty timers, overhead per timer: {per_us(wall, base_wall):.2f} µs wall, "
              f"{per_us(cpu, base_cpu):.2f} µs CPU (nullcontext alone {base_wall / count * 1e6:.2f} µs; "
              f"{size / (5 * count * 2):.0f} bytes per line)")


if __name__ == "__main__":
    main()
