import { strict as assert } from 'node:assert';
import { adoptAttrs, copyAttrs, MAX_ATTR_VALUES, type AttrCopyLoss } from '../../src/ingest/safe-attrs';

describe('safe-attrs', () => {
  it('copyAttrs makes a prototype-free copy and leaves the source alone', () => {
    const source = JSON.parse('{"tool":"web_search","n":3,"nested":{"q":"x"},"list":[1,{"a":2}]}');
    const copy = copyAttrs(source);
    assert.notEqual(copy, source);
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.equal(Object.getPrototypeOf(copy.nested), null);
    assert.ok(Array.isArray(copy.list));
    assert.equal(Object.getPrototypeOf(source), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(copy)), source);
  });

  it('adoptAttrs takes a flat object of primitives as it is, prototype set to null', () => {
    const source = JSON.parse('{"tool":"web_search","query":"q3","n":3,"ok":true,"none":null}');
    const adopted = adoptAttrs(source);
    // The same object, not a copy: no second object per record.
    assert.equal(adopted, source);
    assert.equal(Object.getPrototypeOf(adopted), null);
    assert.deepEqual(Object.keys(adopted), ['tool', 'query', 'n', 'ok', 'none']);
    assert.deepEqual({ ...adopted }, { tool: 'web_search', query: 'q3', n: 3, ok: true, none: null });
  });

  it('adoptAttrs keeps a "__proto__" key as plain data, like a copy', () => {
    const source = JSON.parse('{"__proto__":{"polluted":1},"constructor":"x"}');
    const copied = copyAttrs(JSON.parse('{"__proto__":{"polluted":1},"constructor":"x"}'));
    const adopted = adoptAttrs(source);
    // A nested object is not adopted: the whole value is copied (so nested objects lose their prototype too).
    assert.notEqual(adopted, source);
    assert.deepEqual(Object.keys(adopted), Object.keys(copied));
    assert.equal(Object.getPrototypeOf(adopted), null);
    assert.equal(Object.getPrototypeOf(adopted['__proto__'] as object), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('adoptAttrs copies, with the same losses as copyAttrs, when values are nested or too many', () => {
    // 20 levels deep: levels 1..7 are kept, the object at level 8 is dropped (MAX_ATTR_DEPTH = 8).
    let deep = '{"leaf":1}';
    for (let i = 0; i < 19; i++) deep = `{"d":${deep}}`;
    const lossA: AttrCopyLoss = { tooDeep: 0, tooMany: 0 };
    const lossB: AttrCopyLoss = { tooDeep: 0, tooMany: 0 };
    const adopted = adoptAttrs(JSON.parse(deep), lossA);
    const copied = copyAttrs(JSON.parse(deep), lossB);
    assert.deepEqual(JSON.parse(JSON.stringify(adopted)), JSON.parse(JSON.stringify(copied)));
    assert.deepEqual(lossA, { tooDeep: 1, tooMany: 0 });

    // MAX_ATTR_VALUES + 5 flat keys: 5 over the limit, counted as lost either way.
    const wide: Record<string, number> = {};
    for (let i = 0; i < MAX_ATTR_VALUES + 5; i++) wide[`k${i}`] = i;
    const lossC: AttrCopyLoss = { tooDeep: 0, tooMany: 0 };
    const kept = adoptAttrs(wide, lossC);
    assert.notEqual(kept, wide);
    assert.equal(Object.keys(kept).length, MAX_ATTR_VALUES);
    assert.deepEqual(lossC, { tooDeep: 0, tooMany: 5 });
  });
});
