import { strict as assert } from 'assert';
import { MAX_TEMPLATE_NAME, templateOf } from '../../src/core/name-templates';

describe('templateOf', () => {
  const cases: Array<[string, string]> = [
    // The seed chapter's step names.
    ['step_1:execution', 'step_{n}:execution'],
    ['step_17:llm_call', 'step_{n}:llm_call'],
    ['step_100000:tool_call', 'step_{n}:tool_call'],
    // URL path parameters, whole segments.
    ['GET /orders/8812', 'GET /orders/{id}'],
    ['GET /orders/8812/items/3?expand=1', 'GET /orders/{id}/items/{id}?expand={n}'],
    ['GET /users/5f2b7c1e9a3d4b6f', 'GET /users/{id}'],
    ['GET /v1/models', 'GET /v1/models'],
    // UUIDs, hashes and opaque ids.
    ['tool:fetch 123e4567-e89b-12d3-a456-426614174000', 'tool:fetch {uuid}'],
    ['cache:get deadbeef01', 'cache:get {hex}'],
    ['call_9fT2kq0LmZ8xQ1', 'call_{id}'],
    // Model versions stay: two models are not one row.
    ['chat gpt-4', 'chat gpt-4'],
    ['chat gpt-4o', 'chat gpt-4o'],
    // Snapshot dates of dated model names stay too (display names such as "chat <model>").
    ['chat claude-3-5-sonnet-20241022', 'chat claude-3-5-sonnet-20241022'],
    ['chat gpt-4o-mini-2024-07-18', 'chat gpt-4o-mini-2024-07-18'],
    // Not a date (month 13, or not after a dash): a number.
    ['run-20241322', 'run-{n}'],
    ['chat gpt-4o-mini-2024-07-189', 'chat gpt-4o-mini-{n}-{n}-{n}'],
    ['llm:gpt-3.5-turbo', 'llm:gpt-3.5-turbo'],
    ['release v1.2', 'release v1.2'],
    // Dates are numbers, not versions: the 01 follows a replaced number.
    ['batch 2024-01-05', 'batch {n}-{n}-{n}'],
    // Nothing varies: the same string comes back.
    ['llm:planning', 'llm:planning'],
    ['', ''],
    // Short mixed words and plain hex-letter words are names, not ids.
    ['s3:get_object', 's3:get_object'],
    ['deadbeef', 'deadbeef'],
    ['abc123', 'abc123'],
  ];
  for (const [name, template] of cases) {
    it(`${JSON.stringify(name)} → ${JSON.stringify(template)}`, () => {
      assert.equal(templateOf(name), template);
    });
  }

  it('returns the very same string when nothing varies', () => {
    const name = ['llm', 'planning'].join(':');
    assert.ok(Object.is(templateOf(name), name));
  });

  it('leaves names longer than the bound as they are, and scans long names in linear time', () => {
    const long = 'step_' + '1'.repeat(MAX_TEMPLATE_NAME);
    assert.equal(templateOf(long), long);
    // At the bound: a thousand one-digit tokens are a thousand replacements, done in one pass.
    const many = '1_'.repeat(MAX_TEMPLATE_NAME / 2);
    assert.equal(templateOf(many), '{n}_'.repeat(MAX_TEMPLATE_NAME / 2));
    // A near-UUID at every position (the look-ahead costs 36 per token start at most).
    const nearUuid = '123e4567-e89b-12d3-a456-42661417400'.repeat(28);
    const started = process.hrtime.bigint();
    for (let k = 0; k < 1000; k++) templateOf(nearUuid);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
  });
});
