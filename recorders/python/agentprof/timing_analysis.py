"""The textbook's in-memory timing analyses, over finished ``TimingRecord``s.

Records are linked by span id. Records built by hand (the textbook's constructor, no span id)
fall back to the textbook's link by parent *name*: the latest record of that name that started
no later than the child. Everything is iterative: trees can be deeper than Python's stack.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Hashable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from .timing import TimingRecord


_MAX_INDENT = 12


def category_of(name: str) -> str:
    """The textbook's category: the name up to the first ``:``."""
    return name.split(":", 1)[0]


def summarize(records: Sequence["TimingRecord"]) -> Dict[str, Dict[str, float]]:
    summary: Dict[str, Dict[str, float]] = {}
    for record in records:
        duration = record.duration_ms
        category = category_of(record.name)
        stats = summary.get(category)
        if stats is None:
            summary[category] = {"count": 1, "total_ms": duration, "min_ms": duration, "max_ms": duration}
            continue
        stats["count"] += 1
        stats["total_ms"] += duration
        stats["min_ms"] = min(stats["min_ms"], duration)
        stats["max_ms"] = max(stats["max_ms"], duration)
    for stats in summary.values():
        stats["avg_ms"] = stats["total_ms"] / stats["count"]
    return {category: _ordered(stats) for category, stats in summary.items()}


def _ordered(stats: Dict[str, float]) -> Dict[str, float]:
    return {key: stats[key] for key in ("count", "total_ms", "avg_ms", "min_ms", "max_ms")}


def _start_key(record: "TimingRecord") -> Tuple[float, int]:
    start = record._start_ns if record._start_ns is not None else 0
    return (start, record.span_id if record.span_id is not None else 0)


def link(records: Sequence["TimingRecord"]) -> Tuple[List[Hashable], List[Optional[int]]]:
    """For each record (by position): a key, and the position of its parent among ``records``."""
    keys: List[Hashable] = []
    position_of_id: Dict[Hashable, int] = {}
    by_name: Dict[str, List[int]] = {}
    for index, record in enumerate(records):
        key: Hashable = record.span_id if record.span_id is not None else ("record", index)
        keys.append(key)
        position_of_id[key] = index
        by_name.setdefault(record.name, []).append(index)
    parents: List[Optional[int]] = []
    for index, record in enumerate(records):
        parent: Optional[int] = None
        if record.parent_id is not None:
            parent = position_of_id.get(record.parent_id)
        elif record.parent is not None and record.span_id is None:
            parent = _parent_by_name(records, by_name.get(record.parent, []), index)
        parents.append(parent if parent != index else None)
    return keys, parents


def _parent_by_name(records: Sequence["TimingRecord"], candidates: List[int], child: int) -> Optional[int]:
    child_start = _start_key(records[child])[0]
    best: Optional[int] = None
    for candidate in candidates:
        start = _start_key(records[candidate])[0]
        if candidate != child and start <= child_start and (best is None or start >= _start_key(records[best])[0]):
            best = candidate
    return best


def critical_path(records: Sequence["TimingRecord"]) -> List["TimingRecord"]:
    """Root-to-leaf chain with the largest summed duration (the textbook's definition)."""
    if not records:
        return []
    _, parents = link(records)
    children: Dict[int, List[int]] = {}
    roots: List[int] = []
    for index, parent in enumerate(parents):
        if parent is None:
            roots.append(index)
        else:
            children.setdefault(parent, []).append(index)
    # Post-order without recursion: best[i] = summed duration of the heaviest chain from i down.
    best: Dict[int, float] = {}
    next_on_path: Dict[int, Optional[int]] = {}
    stack: List[Tuple[int, bool]] = [(root, False) for root in roots]
    while stack:
        index, expanded = stack.pop()
        kids = children.get(index, [])
        if not expanded:
            stack.append((index, True))
            stack.extend((kid, False) for kid in kids)
            continue
        heaviest: Optional[int] = None
        for kid in kids:
            if heaviest is None or best[kid] > best[heaviest]:
                heaviest = kid
        best[index] = records[index].duration_ms + (best[heaviest] if heaviest is not None else 0.0)
        next_on_path[index] = heaviest
    start = max(roots, key=lambda root: best[root]) if roots else None
    path: List["TimingRecord"] = []
    while start is not None:
        path.append(records[start])
        start = next_on_path.get(start)
    return path


def waterfall(records: Sequence["TimingRecord"], width: int = 50) -> str:
    """One line per record in start order: indented name, duration, ``=`` bar on the time axis."""
    timed = [r for r in records if r._start_ns is not None and r._end_ns is not None]
    if not timed:
        return "(no finished timers)"
    timed.sort(key=_start_key)
    _, parents = link(timed)
    depth: List[int] = []
    for index, parent in enumerate(parents):
        # Parents start no later than their children, so their depth is known (else: top level).
        depth.append(depth[parent] + 1 if parent is not None and parent < index else 0)
    origin = min(r._start_ns for r in timed)  # type: ignore[type-var]
    finish = max(r._end_ns for r in timed)  # type: ignore[type-var]
    total = max(finish - origin, 1)
    # Indent by depth, but only so far: a 100 000-deep tree must not build 100 000-wide labels.
    labels = ["  " * min(d, _MAX_INDENT) + r.name for r, d in zip(timed, depth)]
    label_width = min(max(len(label) for label in labels), 48)
    lines = [f"Waterfall: {len(timed)} timers over {total / 1e6:.1f} ms"]
    for record, label in zip(timed, labels):
        first = int((record._start_ns - origin) * width / total)  # type: ignore[operator]
        length = max(1, round((record._end_ns - record._start_ns) * width / total))  # type: ignore[operator]
        first = min(first, width - 1)
        length = min(length, width - first)
        bar = " " * first + "=" * length + " " * (width - first - length)
        mark = " !" if record.error is not None else ""
        lines.append(f"{label[:label_width]:<{label_width}} {record.duration_ms:>10.1f} ms |{bar}|{mark}")
    return "\n".join(lines)
