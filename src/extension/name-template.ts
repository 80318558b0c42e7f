/**
 * Matching of recorded span names against a timer's name as written in source: a literal, or an
 * f-string / template literal whose holes stand for any text. Done without regular expressions: a
 * pattern like `^.*?x.*?x…xy$` built from `f"{a0}x{a1}x…xy"` backtracked for minutes on a span
 * named `x`×42 (issue 18), and both the source and the profile may come from an untrusted folder.
 */

/** Something that says whether a recorded name belongs to a call. */
export interface NameMatcher {
  test(name: string): boolean;
}

/**
 * Names made of `pieces` with any text (possibly empty) between consecutive pieces: the first
 * piece anchored at the start, the last at the end, the middle ones found left to right. Taking the
 * leftmost occurrence of each middle piece is always right (it leaves the most room for the rest), so
 * the test is a few `indexOf` calls: linear in the name for a fixed template.
 */
export class TemplateMatcher implements NameMatcher {
  /** `pieces.length - 1` holes; a literal name is one piece. */
  constructor(readonly pieces: readonly string[]) {}

  test(name: string): boolean {
    const p = this.pieces;
    if (p.length === 1) return name === p[0];
    const first = p[0];
    const last = p[p.length - 1];
    if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    const limit = name.length - last.length;
    for (let i = 1; i < p.length - 1; i++) {
      const found = name.indexOf(p[i], at);
      if (found < 0 || found + p[i].length > limit) return false;
      at = found + p[i].length;
    }
    return true;
  }
}

/** Exactly these names. */
export class NameSetMatcher implements NameMatcher {
  private readonly names: ReadonlySet<string>;

  constructor(names: Iterable<string>) {
    this.names = new Set(names);
  }

  test(name: string): boolean {
    return this.names.has(name);
  }
}
