"""JSON pieces for the profile lines, built by hand on the hot path.

Every string goes through the C-accelerated ``encode_basestring_ascii``: output is pure ASCII,
so a lone surrogate in a span name becomes a valid ``\\udxxx`` escape instead of an encoding
error at write time. Free attributes go through one pre-built encoder whose ``default`` falls
back to ``repr``, so user metadata can never make a line unwritable.
"""
from __future__ import annotations

import hashlib
import json
import math
from json.encoder import encode_basestring_ascii as jstr  # noqa: F401  (re-exported)
from typing import Any, Callable, Dict, Optional

__all__ = ["jstr", "encode_attrs", "hash_key", "describe_exception", "set_warner"]

# Replaced by the writer with its warn-once function (avoids an import cycle).
_warn: Callable[[str, str], None] = lambda key, message: None


def set_warner(warn: Callable[[str, str], None]) -> None:
    global _warn
    _warn = warn


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # a broken __repr__ must not break the agent
        return f"<unrepresentable {type(value).__name__}>"


def _fallback(value: Any) -> str:
    _warn("repr", f"metadata value of type {type(value).__name__} is not JSON; it is written as its repr")
    return _safe_repr(value)


_ATTRS = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"), default=_fallback)


def encode_attrs(attrs: Dict[Any, Any]) -> Optional[str]:
    """The JSON object for an ``a`` key, or None when there is nothing writable."""
    try:
        return _ATTRS.encode(attrs)
    except Exception:
        pass
    # Slow path: circular values, NaN, non-string keys. Encode key by key so one bad value
    # costs only itself.
    _warn("attrs", "some metadata could not be written as JSON (circular, NaN or odd keys); written as repr")
    parts = []
    for key, value in list(attrs.items()):
        name = key if isinstance(key, str) else _safe_repr(key)
        try:
            encoded = _ATTRS.encode(value)
        except Exception:
            encoded = jstr(_safe_repr(value))
        parts.append(f"{jstr(name)}:{encoded}")
    return "{" + ",".join(parts) + "}" if parts else None


def hash_key(value: Any) -> str:
    """Short stable hash of a prompt, messages list or tool arguments (never the raw text)."""
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
    else:
        try:
            text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=_safe_repr)
        except Exception:
            text = _safe_repr(value)
        data = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` as the format's ``err`` wants it; capped so one error cannot bloat the file."""
    kind = type(exc).__name__
    try:
        message = str(exc)
    except Exception:
        message = ""
    text = f"{kind}: {message}" if message else kind
    return text if len(text) <= 1000 else text[:999] + "…"


def finite_number(value: Any) -> Optional[float]:
    """``value`` as a finite float, or None (NaN and infinities are not JSON)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
