/**
 * ids.ts and package.json must agree in both directions: a command, view, setting or context key
 * renamed on one side only would silently break a menu, a `when` clause or a setting.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/core/analysis-types';
import { DEFAULT_LENS_PARTS, DEFAULT_MAX_FILE_MB, DEFAULT_PROFILE_GLOBS, LENS_PARTS, parseConfig } from '../../src/extension/config';
import { COMMANDS, CONTEXT_KEYS, INTERNAL_COMMANDS, PREFIX, SETTINGS, VIEW_CONTAINER, VIEWS } from '../../src/extension/ids';

interface Menu {
  command: string;
  when?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const sorted = (xs: Iterable<string>) => [...xs].sort();

/** Every `when` clause in the manifest (menus and welcome views). */
function whenClauses(): string[] {
  const out: string[] = [];
  for (const items of Object.values(contributes.menus) as Menu[][]) for (const m of items) if (m.when) out.push(m.when);
  for (const w of contributes.viewsWelcome) if (w.when) out.push(w.when);
  return out;
}

describe('extension ids vs package.json', () => {
  it('declares exactly the commands of ids.ts, each in the Agent Profiler category', () => {
    const declared = contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(sorted(declared), sorted(Object.values(COMMANDS)));
    for (const c of contributes.commands) assert.equal(c.category, 'Agent Profiler', c.command);
  });

  it('uses one prefix for every id', () => {
    const ids = [...Object.values(COMMANDS), ...Object.values(VIEWS), ...Object.values(SETTINGS), ...Object.values(CONTEXT_KEYS)];
    for (const id of ids) assert.ok(id.startsWith(`${PREFIX}.`), id);
    assert.equal(VIEW_CONTAINER, PREFIX);
  });

  it('declares the view container and views of ids.ts', () => {
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), [VIEW_CONTAINER]);
    assert.deepEqual(Object.keys(contributes.views), [VIEW_CONTAINER]);
    assert.deepEqual(sorted(contributes.views[VIEW_CONTAINER].map((v: { id: string }) => v.id)), sorted(Object.values(VIEWS)));
    for (const w of contributes.viewsWelcome) assert.ok(Object.values(VIEWS).includes(w.view), w.view);
  });

  it('declares exactly the settings of ids.ts, and parseConfig reads exactly those', () => {
    const declared = Object.keys(contributes.configuration.properties);
    assert.deepEqual(sorted(declared), sorted(Object.values(SETTINGS)));
    const read = new Set<string>();
    parseConfig((key) => {
      read.add(`${PREFIX}.${key}`);
      return undefined;
    });
    assert.deepEqual(sorted(read), sorted(Object.values(SETTINGS)));
    for (const key of declared) {
      const p = contributes.configuration.properties[key];
      assert.ok(p.description || p.markdownDescription, `${key} has a description`);
    }
  });

  it('uses the same defaults in package.json and config.ts', () => {
    const props = contributes.configuration.properties;
    for (const [k, v] of Object.entries(DEFAULT_THRESHOLDS)) assert.equal(props[`${PREFIX}.thresholds.${k}`].default, v, k);
    assert.deepEqual(props[SETTINGS.profileGlobs].default, DEFAULT_PROFILE_GLOBS);
    assert.deepEqual(props[SETTINGS.codeLensShow].default, DEFAULT_LENS_PARTS);
    assert.deepEqual(props[SETTINGS.codeLensShow].items.enum, [...LENS_PARTS]);
    assert.equal(props[SETTINGS.maxFileSizeMB].default, DEFAULT_MAX_FILE_MB);
  });

  it('uses in when clauses exactly the context keys of ids.ts (plus view ids)', () => {
    const used = new Set<string>();
    for (const clause of whenClauses()) for (const m of clause.matchAll(/\bagentProfiler\.[\w.]+/g)) used.add(m[0]);
    const views = new Set<string>(Object.values(VIEWS));
    assert.deepEqual(sorted([...used].filter((k) => !views.has(k))), sorted(Object.values(CONTEXT_KEYS)));
  });

  it('hides internal commands from the palette and menus only name known commands', () => {
    const palette: Menu[] = contributes.menus.commandPalette;
    for (const id of INTERNAL_COMMANDS) assert.equal(palette.find((m) => m.command === id)?.when, 'false', id);
    const known = new Set<string>(Object.values(COMMANDS));
    for (const items of Object.values(contributes.menus) as Menu[][]) for (const m of items) assert.ok(known.has(m.command), m.command);
    for (const w of contributes.viewsWelcome) {
      for (const m of (w.contents as string).matchAll(/\(command:(agentProfiler\.[\w.]+)\)/g)) assert.ok(known.has(m[1]), m[1]);
    }
  });

  it('activates narrowly and limits itself in untrusted workspaces', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    // A folder holding only OpenTelemetry traces activates it too: one event per default glob
    // (**/*.agentprof.jsonl, **/*.otlp.json, **/*.otlp.jsonl).
    assert.deepEqual(manifest.activationEvents, DEFAULT_PROFILE_GLOBS.map((glob) => `workspaceContains:${glob}`));
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    // Settings that run code, or widen what an untrusted folder makes us read (issue 18).
    assert.deepEqual(
      sorted(trust.restrictedConfigurations),
      sorted([SETTINGS.pythonPath, SETTINGS.runCommand, SETTINGS.profileGlobs, SETTINGS.maxFileSizeMB, SETTINGS.followSymlinks]),
    );
  });

  it('points at files that exist', () => {
    const root = path.join(__dirname, '..', '..');
    assert.ok(fs.existsSync(path.join(root, manifest.icon)), manifest.icon);
    for (const c of contributes.viewsContainers.activitybar) assert.ok(fs.existsSync(path.join(root, c.icon)), c.icon);
  });
});
