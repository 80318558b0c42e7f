"""``TokenProfiler``: the textbook token API, recorded to the profile file as ``u`` and ``b`` lines.

``record(operation, prompt_tokens, completion_tokens, model, **metadata)`` takes, besides free
metadata, these keywords of ours:

- ``cache_read_tokens``, ``cache_write_tokens``: prompt-cache tokens. ``prompt_tokens`` must
  *include* them (OpenAI reports it so; with Anthropic add ``cache_read_input_tokens`` and
  ``cache_creation_input_tokens`` to ``input_tokens``).
- ``reasoning_tokens``: a part of ``completion_tokens``.
- ``provider`` (``openai``, ``anthropic``, …) and ``cost`` (USD as the provider reported it).
- ``prompt`` or ``prompt_hash``: hashed into the ``k`` key for cache detection; the raw prompt
  is never written.

A usage record inside a span is linked to it (``span``) and takes the span's call site; outside
any span it carries the file and line of the ``record(...)`` call.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from time import perf_counter_ns
from typing import Any, Dict, List, Optional, Tuple

from ._context import CURRENT, site_file
from ._encode import describe_exception, encode_attrs, finite_number, hash_key, jstr
from ._writer import ORIGIN_PERF_NS, WRITER
from .prices import PRICES, PRICES_AS_OF, price_call

_EXPENSIVE_OPERATION_USD = 0.10
_PROMPT_HEAVY_SHARE = 0.8


@dataclass
class TokenUsage:
    """One LLM call's tokens. The first six fields are the textbook's, in its order."""

    operation: str
    prompt_tokens: int
    completion_tokens: int
    model: str
    timestamp: float = field(default_factory=time.time)
    metadata: Dict[str, Any] = field(default_factory=dict)
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    provider: Optional[str] = None
    reported_cost: Optional[float] = None
    prompt_hash: Optional[str] = None
    span_id: Optional[int] = None
    file: Optional[str] = None
    line: Optional[int] = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def priced(self) -> bool:
        """False when neither the provider nor our table gave a price (the cost is then 0)."""
        return self.reported_cost is not None or self.model in PRICES

    @property
    def estimated_cost(self) -> float:
        """USD: the provider-reported cost when given, else list prices; 0 for unpriced models."""
        if self.reported_cost is not None:
            return self.reported_cost
        return price_call(self.model, self.prompt_tokens, self.completion_tokens, self.cache_read_tokens, self.cache_write_tokens)[0]


def _count(value: Any, what: str) -> int:
    """A token count as a non-negative int; anything else becomes 0 (said once)."""
    if type(value) is int and value >= 0:
        return value
    number = finite_number(value)
    if number is None or number < 0 or isinstance(value, bool):
        if value is not None and value != 0:
            WRITER.warn("tokens", f"{what}={value!r} is not a token count; recorded as 0")
        return 0
    return int(number)


class TokenProfiler:
    """Token usage per operation and model, with budgets."""

    def __init__(self) -> None:
        self.usage_records: List[TokenUsage] = []
        self.budgets: Dict[str, int] = {}

    def record(self, operation: str, prompt_tokens: int, completion_tokens: int, model: str, **metadata: Any) -> TokenUsage:
        frame = sys._getframe(1)
        cache_read = _count(metadata.pop("cache_read_tokens", 0), "cache_read_tokens")
        cache_write = _count(metadata.pop("cache_write_tokens", 0), "cache_write_tokens")
        reasoning = _count(metadata.pop("reasoning_tokens", 0), "reasoning_tokens")
        provider = metadata.pop("provider", None)
        reported = metadata.pop("cost", None)
        prompt = metadata.pop("prompt", None)
        prompt_hash = metadata.pop("prompt_hash", None)
        usage = TokenUsage(
            operation=str(operation),
            prompt_tokens=_count(prompt_tokens, "prompt_tokens"),
            completion_tokens=_count(completion_tokens, "completion_tokens"),
            model=str(model),
            metadata=metadata,
            cache_read_tokens=cache_read,
            cache_write_tokens=cache_write,
            reasoning_tokens=reasoning,
            provider=None if provider is None else str(provider),
            reported_cost=None if reported is None else finite_number(reported),
        )
        if cache_read + cache_write > usage.prompt_tokens:
            WRITER.warn("cache-tokens", "prompt_tokens must include cache_read_tokens and cache_write_tokens (see agentprof.tokens)")
        if reasoning > usage.completion_tokens:
            WRITER.warn("reasoning-tokens", "completion_tokens must include reasoning_tokens")
        try:
            if prompt is not None:
                usage.prompt_hash = hash_key(prompt)
            elif prompt_hash is not None:
                usage.prompt_hash = hash_key(prompt_hash)
        except Exception:
            usage.prompt_hash = None
        span = CURRENT.get()
        usage.span_id = None if span is None else span.span_id
        usage.file, file_json = site_file(frame.f_code.co_filename)
        usage.line = frame.f_lineno
        self.usage_records.append(usage)
        if WRITER.on:
            try:
                _write_usage(usage, file_json, perf_counter_ns() - ORIGIN_PERF_NS)
            except Exception as exc:
                WRITER.warn("internal", f"could not record token usage: {describe_exception(exc)}")
        return usage

    def set_budget(self, category: str, max_tokens: Optional[int], *, max_cost: Optional[float] = None, max_ms: Optional[float] = None) -> None:
        """A token budget for operations whose name starts with ``category``; optionally a cost
        (USD) and a total-latency (ms) limit, which only the extension checks."""
        if max_tokens is not None:
            self.budgets[category] = max_tokens
        if not WRITER.on:
            return
        limits = ""
        for key, value in (("tokens", max_tokens), ("cost", max_cost), ("ms", max_ms)):
            number = None if value is None else finite_number(value)
            if number is not None:
                limits += f',"{key}":{int(number) if number.is_integer() else number!r}'
        WRITER.write(f'{{"t":"b","target":{jstr(str(category))}{limits}}}\n')

    def check_budget(self, category: str) -> Tuple[bool, float]:
        """``(within, remaining)``: remaining goes negative when over; ``(True, inf)`` without a budget."""
        if category not in self.budgets:
            return True, float("inf")
        used = sum(u.total_tokens for u in self.usage_records if u.operation.startswith(category))
        remaining = self.budgets[category] - used
        return remaining >= 0, remaining

    def get_summary(self) -> Dict[str, Any]:
        by_operation: Dict[str, Dict[str, Any]] = {}
        by_model: Dict[str, Dict[str, Any]] = {}
        unpriced: List[str] = []
        total_tokens = 0
        total_cost = 0.0
        for usage in self.usage_records:
            cost = usage.estimated_cost
            total_tokens += usage.total_tokens
            total_cost += cost
            if not usage.priced and usage.model not in unpriced:
                unpriced.append(usage.model)
            for group, name in ((by_operation, usage.operation), (by_model, usage.model)):
                row = group.setdefault(name, {"count": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": 0.0,
                                              "cache_read_tokens": 0, "cache_write_tokens": 0, "reasoning_tokens": 0})
                row["count"] += 1
                row["prompt_tokens"] += usage.prompt_tokens
                row["completion_tokens"] += usage.completion_tokens
                row["cost"] += cost
                row["cache_read_tokens"] += usage.cache_read_tokens
                row["cache_write_tokens"] += usage.cache_write_tokens
                row["reasoning_tokens"] += usage.reasoning_tokens
        return {
            "total_tokens": total_tokens,
            "total_cost": total_cost,
            "by_operation": by_operation,
            "by_model": by_model,
            "record_count": len(self.usage_records),
            "unpriced_models": unpriced,
            "prices_as_of": PRICES_AS_OF,
        }

    def get_optimization_suggestions(self) -> List[Dict[str, Any]]:
        """The textbook's two rules, per operation: cost over $0.10, prompt over 80 % of tokens."""
        suggestions: List[Dict[str, Any]] = []
        for operation, row in self.get_summary()["by_operation"].items():
            if row["cost"] > _EXPENSIVE_OPERATION_USD:
                suggestions.append({
                    "type": "expensive_operation",
                    "operation": operation,
                    "cost": row["cost"],
                    "suggestion": f"{operation} cost ${row['cost']:.4f}: use a cheaper model, cache repeated calls or shorten the prompt",
                })
            tokens = row["prompt_tokens"] + row["completion_tokens"]
            if tokens and row["prompt_tokens"] / tokens > _PROMPT_HEAVY_SHARE:
                suggestions.append({
                    "type": "prompt_heavy",
                    "operation": operation,
                    "prompt_ratio": row["prompt_tokens"] / tokens,
                    "suggestion": f"{operation} is {row['prompt_tokens'] / tokens:.0%} prompt: trim context, summarise history or use prompt caching",
                })
        return suggestions


def _write_usage(usage: TokenUsage, file_json: str, at: int) -> None:
    head = "" if usage.span_id is None else f'"span":{usage.span_id},'
    line = (
        f'{{"t":"u",{head}"op":{jstr(usage.operation)},"model":{jstr(usage.model)}'
        + ("" if usage.provider is None else f',"prov":{jstr(usage.provider)}')
        + f',"in":{usage.prompt_tokens},"out":{usage.completion_tokens}'
    )
    for key, value in (("cr", usage.cache_read_tokens), ("cw", usage.cache_write_tokens), ("rs", usage.reasoning_tokens)):
        if value:
            line += f',"{key}":{value}'
    if usage.reported_cost is not None:
        line += f',"cost":{usage.reported_cost!r}'
    line += f',"at":{at}'
    if usage.span_id is None:  # inside a span the reader takes the span's call site
        line += f',"f":{file_json},"l":{usage.line}'
    if usage.prompt_hash is not None:
        line += f',"k":{jstr(usage.prompt_hash)}'
    if usage.metadata:
        attrs = encode_attrs(usage.metadata)
        if attrs is not None:
            line += f',"a":{attrs}'
    WRITER.write(line + "}\n")
