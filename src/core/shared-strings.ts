/**
 * One shared copy of each string that profile records repeat: span names, categories, files,
 * threads, tasks, models, providers. `JSON.parse` makes a new string for every value longer than a
 * few characters, so a million spans of `llm:planning` in `agent.py` held a million copies of
 * each. Sharing one copy saves that memory and its garbage collection, and later map look-ups by
 * these strings find their hash already computed. Used by {@link ProfileBuilder}.
 */
import { categoryOf, kindOfName, type SpanKind } from './model';
import { nameGrouping, templateOf } from './name-templates';

/** At most this many distinct strings are shared; further ones pass through unshared. */
const MAX_SHARED = 50_000;

/**
 * At most this many distinct span names keep their facts (template, category, kind), so each is
 * scanned for its template once. Names with numbers or ids past {@link MAX_SHARED} are not kept:
 * a run named like the seed chapter has a distinct name per step that never repeats, and keeping
 * 300 000 of them cost ~0.8 s of map inserts for nothing; such a name, if it does repeat, is
 * scanned again (linear in its length, which name-templates.ts bounds: about what hashing it for
 * the look-up costs).
 */
const MAX_NAMES = 1 << 20;

/** What a span name implies, computed once per distinct name. */
export interface NameFacts {
  /** The shared copy of the name the analysis groups by: the name's template when it has one. */
  name: string;
  /** The name as written, when it differs from {@link name} (it had numbers or ids); else undefined. */
  instance: string | undefined;
  category: string;
  kind: SpanKind;
}

export class SharedStrings {
  private readonly strings = new Map<string, string>();
  private readonly names = new Map<string, NameFacts>();
  private readonly kindByCategory = new Map<string, SpanKind>();
  /** Read once, so every name of one builder is grouped the same way (name-templates.ts). */
  private readonly grouping = nameGrouping();

  /** The shared copy of `text` (undefined stays undefined). */
  intern(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const shared = this.strings.get(text);
    if (shared !== undefined) return shared;
    if (this.strings.size < MAX_SHARED) this.strings.set(text, text);
    return text;
  }

  /**
   * Shared name, category and kind of a span name; with grouping on, of its template (the
   * category of `step_3:llm_call` is `step_{n}`), the name as written kept as `instance`.
   */
  nameFacts(name: string): NameFacts {
    let facts = this.names.get(name);
    if (facts === undefined) {
      const template = this.grouping ? templateOf(name) : name;
      if (template === name) {
        const category = categoryOf(name);
        facts = { name, instance: undefined, category: this.intern(category) as string, kind: this.kindOf(category) };
      } else {
        const shared = this.nameFacts(template);
        facts = { name: shared.name, instance: name, category: shared.category, kind: shared.kind };
      }
      if (this.names.size < (facts.instance === undefined ? MAX_NAMES : MAX_SHARED)) this.names.set(name, facts);
    }
    return facts;
  }

  /** Kind derived from a category; memoised, since a run repeats a handful of categories. */
  kindOf(category: string): SpanKind {
    let kind = this.kindByCategory.get(category);
    if (kind === undefined) {
      kind = kindOfName(category);
      if (this.kindByCategory.size < MAX_SHARED) this.kindByCategory.set(category, kind);
    }
    return kind;
  }
}
