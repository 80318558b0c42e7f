"""A small, dated price table, only so the textbook's ``estimated_cost`` has real numbers.

The extension prices every call itself from a maintained price database; this table is a
convenience for the in-memory summary. Unknown models are *unpriced* (``priced=False``, cost 0),
never charged a made-up default.

Figures: USD per million tokens, the providers' published list prices (OpenAI, Anthropic) as
recorded in @pydantic/genai-prices 0.1.8, checked against it on 2026-11-23. Model ids must match
exactly: dated snapshots can differ (``gpt-4o-2024-05-13`` costs twice ``gpt-4o``).
"""
from __future__ import annotations

from typing import Dict, NamedTuple, Optional, Tuple

PRICES_AS_OF = "2026-11-23"


class ModelPrice(NamedTuple):
    """USD per million tokens. ``cache_write`` None: cache writes cost the input rate."""

    input: float
    output: float
    cache_read: Optional[float]
    cache_write: Optional[float]


_GPT_4O = ModelPrice(2.50, 10.00, 1.25, None)
_GPT_4O_MINI = ModelPrice(0.15, 0.60, 0.075, None)
_O3_MINI = ModelPrice(1.10, 4.40, 0.55, None)
_GPT_41 = ModelPrice(2.00, 8.00, 0.50, None)
_GPT_41_MINI = ModelPrice(0.40, 1.60, 0.10, None)
_SONNET = ModelPrice(3.00, 15.00, 0.30, 3.75)  # cache write: the 5-minute rate
_HAIKU_35 = ModelPrice(0.80, 4.00, 0.08, 1.00)

PRICES: Dict[str, ModelPrice] = {
    "gpt-4o": _GPT_4O,
    "gpt-4o-2024-08-06": _GPT_4O,
    "gpt-4o-2024-11-20": _GPT_4O,
    "gpt-4o-2024-05-13": ModelPrice(5.00, 15.00, None, None),
    "gpt-4o-mini": _GPT_4O_MINI,
    "gpt-4o-mini-2024-07-18": _GPT_4O_MINI,
    "o3-mini": _O3_MINI,
    "o3-mini-2025-01-31": _O3_MINI,
    "gpt-4.1": _GPT_41,
    "gpt-4.1-2025-04-14": _GPT_41,
    "gpt-4.1-mini": _GPT_41_MINI,
    "gpt-4.1-mini-2025-04-14": _GPT_41_MINI,
    "claude-3-5-sonnet-20241022": _SONNET,
    "claude-3-7-sonnet-20250219": _SONNET,
    "claude-sonnet-4-20250514": _SONNET,
    "claude-3-5-haiku-20241022": _HAIKU_35,
}


def price_call(
    model: str, input_tokens: int, output_tokens: int, cache_read: int = 0, cache_write: int = 0
) -> Tuple[float, bool]:
    """``(cost in USD, priced)``. ``input_tokens`` includes the cache reads and writes."""
    price = PRICES.get(model)
    if price is None:
        return 0.0, False
    uncached = max(0, input_tokens - cache_read - cache_write)
    read_rate = price.input if price.cache_read is None else price.cache_read
    write_rate = price.input if price.cache_write is None else price.cache_write
    cost = uncached * price.input + cache_read * read_rate + cache_write * write_rate + output_tokens * price.output
    return cost / 1_000_000, True
