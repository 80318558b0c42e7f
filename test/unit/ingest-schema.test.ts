/**
 * schema/agentprof-v1.schema.json (one line of the native format) against the sample fixture
 * (see ingest-jsonl.test.ts for what it holds) and against lines that break docs/format.md.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';

const root = path.join(__dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(root, 'schema/agentprof-v1.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function valid(line: string): boolean {
  return validate(JSON.parse(line)) as boolean;
}

describe('agentprof-v1 JSON Schema', () => {
  it('accepts every line of the sample fixture', () => {
    const lines = readFileSync(path.join(root, 'test/fixtures/native/sample.agentprof.jsonl'), 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 31);
    for (const [i, line] of lines.entries()) {
      assert.ok(valid(line), `line ${i + 1}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('accepts the examples of docs/format.md, string ids and unknown keys', () => {
    const doc = readFileSync(path.join(root, 'docs/format.md'), 'utf8');
    const examples = doc.split('\n').filter((l) => l.startsWith('{"t":'));
    // run, s, two e, u, b, two end examples.
    assert.equal(examples.length, 8);
    for (const line of examples) assert.ok(valid(line), `${line}: ${JSON.stringify(validate.errors)}`);
    assert.ok(valid('{"t":"s","id":"a1","p":null,"n":"x","at":0,"f":"a.py","l":1,"future_key":[1]}'));
    assert.ok(valid('{"t":"u","span":"a1","op":"o","model":"m","in":0,"out":0}'));
  });

  const wrong: Array<[string, string]> = [
    ['unknown record type', '{"t":"zz"}'],
    ['no t', '{"id":1,"at":2}'],
    ['header start as a number', '{"t":"run","v":1,"name":"n","start":1763900000123456789,"pid":1,"argv":[],"cwd":"/","recorder":"r"}'],
    ['header start with a sign', '{"t":"run","v":1,"name":"n","start":"-5","pid":1,"argv":[],"cwd":"/","recorder":"r"}'],
    ['header version 2', '{"t":"run","v":2,"name":"n","start":"5","pid":1,"argv":[],"cwd":"/","recorder":"r"}'],
    ['span without name', '{"t":"s","id":1,"at":0,"f":"a.py","l":1}'],
    ['span with negative time', '{"t":"s","id":1,"n":"x","at":-1,"f":"a.py","l":1}'],
    ['span time beyond 2^53', '{"t":"s","id":1,"n":"x","at":9007199254740994,"f":"a.py","l":1}'],
    ['span with line 0', '{"t":"s","id":1,"n":"x","at":0,"f":"a.py","l":0}'],
    ['span with unknown kind', '{"t":"s","id":1,"n":"x","at":0,"f":"a.py","l":1,"kind":"gpu"}'],
    ['span with array attributes', '{"t":"s","id":1,"n":"x","at":0,"f":"a.py","l":1,"a":[1]}'],
    ['end with fractional id', '{"t":"e","id":1.5,"at":3}'],
    ['end with empty string id', '{"t":"e","id":"","at":3}'],
    ['usage with negative tokens', '{"t":"u","op":"o","model":"m","in":-1,"out":0}'],
    ['usage without model', '{"t":"u","op":"o","in":1,"out":0}'],
    ['budget without target', '{"t":"b","tokens":5}'],
    ['run end with unknown status', '{"t":"end","at":5,"status":"crashed"}'],
  ];
  for (const [what, line] of wrong) {
    it(`rejects ${what}`, () => {
      assert.equal(valid(line), false);
    });
  }
});
