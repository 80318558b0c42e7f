/**
 * Copies the free attributes of a record (`a`) into prototype-free objects, depth- and
 * size-limited. `JSON.parse` already makes a `__proto__` key an own property, but code that later
 * merges attributes with `Object.assign` onto an ordinary object would run the `__proto__` setter;
 * a null-prototype copy has no such setter, so nothing downstream can be tricked into it.
 */

/** Values nested deeper than this (the attribute object itself is level 1) are dropped. */
export const MAX_ATTR_DEPTH = 8;
/** At most this many values (object entries and array items, at every level) are kept per record. */
export const MAX_ATTR_VALUES = 10_000;

/** What a copy had to leave out, so the caller can report it once per record. */
export interface AttrCopyLoss {
  tooDeep: number;
  tooMany: number;
}

/** Budget and losses of one copy; passed down instead of closures so the copy stays cheap. */
interface CopyState {
  remaining: number;
  loss: AttrCopyLoss;
}

/**
 * Returns a null-prototype deep copy of a parsed JSON object. Nested objects are copied into
 * null-prototype objects as well; arrays stay arrays. The recursion depth is bounded by
 * {@link MAX_ATTR_DEPTH}, not by the input. `loss` (when given) counts what was dropped.
 */
export function copyAttrs(source: object, loss?: AttrCopyLoss): Record<string, unknown> {
  const state: CopyState = { remaining: MAX_ATTR_VALUES, loss: loss ?? { tooDeep: 0, tooMany: 0 } };
  return copyObject(source as Record<string, unknown>, 1, state);
}

/**
 * Like {@link copyAttrs}, for an object the caller owns and drops (one `JSON.parse` result): when
 * nothing would be left out (every value a primitive, at most {@link MAX_ATTR_VALUES} of them),
 * the object itself is returned with its prototype set to null instead of a copy. The result is
 * the same (same keys, order and values, prototype-free) without a second object per record; and
 * a copy made with `Object.create(null)` is in V8's slow dictionary mode, about twice the size of
 * the parsed object, which keeps its fast layout (measured: 120 bytes more per object, and a
 * third of the parse time again). Anything else is copied. (A parsed object has only own keys;
 * once its prototype is null, nothing can be inherited either.)
 */
export function adoptAttrs(source: object, loss?: AttrCopyLoss): Record<string, unknown> {
  let count = 0;
  for (const key in source) {
    const value = (source as Record<string, unknown>)[key];
    if ((value !== null && typeof value === 'object') || ++count > MAX_ATTR_VALUES) {
      return copyAttrs(source, loss);
    }
  }
  Object.setPrototypeOf(source, null);
  return source as Record<string, unknown>;
}

function copyObject(source: Record<string, unknown>, depth: number, state: CopyState): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key in source) {
    if (state.remaining <= 0) {
      state.loss.tooMany++;
      continue;
    }
    const value = copyValue(source[key], depth, state);
    if (value !== DROPPED) out[key] = value;
  }
  return out;
}

/** Marks a value left out of the copy (distinct from a legitimate `undefined`, which JSON cannot hold). */
const DROPPED = Symbol('dropped');

function copyValue(value: unknown, depth: number, state: CopyState): unknown {
  state.remaining--;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_ATTR_DEPTH) {
    state.loss.tooDeep++;
    return DROPPED;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (state.remaining <= 0) {
        state.loss.tooMany += value.length - i;
        break;
      }
      const item = copyValue(value[i], depth + 1, state);
      if (item !== DROPPED) out.push(item);
    }
    return out;
  }
  return copyObject(value as Record<string, unknown>, depth + 1, state);
}
