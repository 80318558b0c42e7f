/**
 * Problems entries per file and kind, capped: the first {@link MAX_PROBLEMS_PER_FILE} of each
 * kind are made, the rest only counted, and one entry per capped kind says how many ("… and
 * 29 900 more budget breaches"). A workspace or a profile can breach thousands of budgets, or
 * (with low thresholds) make every site a bottleneck; publishing them all stalled the host.
 * Free of `vscode`, so it is tested in plain Node; diagnostics.ts makes the entries.
 */
export const MAX_PROBLEMS_PER_FILE = 100;

export type ProblemKind = 'problem' | 'bottleneck' | 'budget breach';

/** `29900` → `29 900`. */
export function groupDigits(n: number): string {
  const digits = String(Math.trunc(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ' ';
    out += digits[i];
  }
  return out;
}

/** The text of the entry that counts what was left out. */
export function moreText(kind: ProblemKind, count: number): string {
  const plural = count === 1 ? kind : kind.endsWith('h') ? `${kind}es` : `${kind}s`;
  return `… and ${groupDigits(count)} more ${plural}`;
}

interface FileEntries<T> {
  list: T[];
  shown: Map<ProblemKind, number>;
  more: Map<ProblemKind, { count: number; line: number }>;
}

export class CappedProblems<T> {
  private readonly byFile = new Map<string, FileEntries<T>>();

  constructor(private readonly max = MAX_PROBLEMS_PER_FILE) {}

  /** Adds an entry of `kind` to `file`; `make` runs only when it is shown. */
  add(file: string, kind: ProblemKind, make: () => T, line: number | undefined): void {
    let entry = this.byFile.get(file);
    if (!entry) {
      entry = { list: [], shown: new Map(), more: new Map() };
      this.byFile.set(file, entry);
    }
    const shown = entry.shown.get(kind) ?? 0;
    if (shown < this.max) {
      entry.shown.set(kind, shown + 1);
      entry.list.push(make());
      return;
    }
    const more = entry.more.get(kind);
    if (more) more.count++;
    else entry.more.set(kind, { count: 1, line: line ?? 1 });
  }

  /** Each file's entries, each capped kind followed by `summary` (at the first left out's line). */
  files(summary: (text: string, line: number) => T): Array<[string, T[]]> {
    const out: Array<[string, T[]]> = [];
    for (const [file, entry] of this.byFile) {
      const list = [...entry.list];
      for (const [kind, more] of entry.more) list.push(summary(moreText(kind, more.count), more.line));
      out.push([file, list]);
    }
    return out;
  }
}
