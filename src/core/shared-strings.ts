/**
 * One shared copy of each string that profile records repeat: span names, categories, files,
 * threads, tasks, models, providers. `JSON.parse` makes a new string for every value longer than a
 * few characters, so a million spans of `llm:planning` in `agent.py` held a million copies of
 * each. Sharing one copy saves that memory and its garbage collection, and later map look-ups by
 * these strings find their hash already computed. Used by {@link ProfileBuilder}.
 */
import { categoryOf, kindOfName, type SpanKind } from './model';

/** At most this many distinct strings (and names) are shared; further ones pass through unshared. */
const MAX_SHARED = 50_000;

/** What a span name implies, computed once per distinct name. */
export interface NameFacts {
  /** The shared copy of the name. */
  name: string;
  category: string;
  kind: SpanKind;
}

export class SharedStrings {
  private readonly strings = new Map<string, string>();
  private readonly names = new Map<string, NameFacts>();
  private readonly kindByCategory = new Map<string, SpanKind>();

  /** The shared copy of `text` (undefined stays undefined). */
  intern(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const shared = this.strings.get(text);
    if (shared !== undefined) return shared;
    if (this.strings.size < MAX_SHARED) this.strings.set(text, text);
    return text;
  }

  /** Shared name, category and kind of a span name. */
  nameFacts(name: string): NameFacts {
    let facts = this.names.get(name);
    if (facts === undefined) {
      const category = categoryOf(name);
      facts = { name, category: this.intern(category) as string, kind: this.kindOf(category) };
      if (this.names.size < MAX_SHARED) this.names.set(name, facts);
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
