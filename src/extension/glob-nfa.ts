/**
 * A glob matcher whose time is linear in the length of the name: the glob is compiled to a small
 * automaton (one state per glob element) and a name is run through it keeping the *set* of live
 * states, never backtracking. Globs come from workspace settings (`agentProfiler.profileGlobs`,
 * `files.watcherExclude`) and names from the file system, both attacker-controlled in an untrusted
 * folder; a backtracking regular expression made from `*a*a*a…ab` froze the extension host for
 * minutes on a 45-character name. Here the cost is at most (name length × glob length) steps.
 *
 * Syntax, as VS Code documents it for settings: `*` (any run within one path segment), `?` (one
 * character but `/`), `**` (`**` + `/` is zero or more whole folders, elsewhere any run, `/` included),
 * `{a,b}` (alternatives, nestable; an unclosed group is closed at the end), `[abc]`, `[a-z]`, `[!a]` / `[^a]`
 * (one character but `/`; an unclosed `[` is literal). Paths are relative with `/` separators.
 */

type State =
  | { k: 'lit'; ch: string; next: number }
  | { k: 'one'; next: number }
  | { k: 'cls'; neg: boolean; singles: string; ranges: Array<[string, string]>; next: number }
  | { k: 'star'; next: number } // loops on any character but `/`, or moves on without consuming
  | { k: 'any'; next: number } // loops on any character, or moves on
  | { k: 'dirs'; next: number; inner: number } // `**/` at a folder boundary: moves on, or starts a folder name
  | { k: 'dirsIn'; boundary: number } // inside a folder name of `**/`: back to the boundary after a `/`
  | { k: 'split'; outs: number[] }
  | { k: 'end' };

type Node =
  | { t: 'lit'; ch: string }
  | { t: 'one' }
  | { t: 'cls'; neg: boolean; singles: string; ranges: Array<[string, string]> }
  | { t: 'star' }
  | { t: 'any' }
  | { t: 'dirs' }
  | { t: 'alt'; alts: Node[][] };

/** Globs longer than this never match: no setting needs one, and the cost grows with the length. */
export const MAX_GLOB_LENGTH = 1000;

/** Parses a class body `abc`, `!a-z`; returns undefined when there is no closing `]`. */
function parseClass(glob: string, open: number): { node: Node; end: number } | undefined {
  let i = open + 1;
  let neg = false;
  if (glob[i] === '!' || glob[i] === '^') {
    neg = true;
    i++;
  }
  // A `]` right after the opening (or the negation) is a member, as in other glob dialects.
  const close = glob.indexOf(']', glob[i] === ']' ? i + 1 : i);
  if (close < 0) return undefined;
  let singles = '';
  const ranges: Array<[string, string]> = [];
  for (let j = i; j < close; j++) {
    if (glob[j + 1] === '-' && j + 2 < close) {
      ranges.push([glob[j], glob[j + 2]]);
      j += 2;
    } else {
      singles += glob[j];
    }
  }
  return { node: { t: 'cls', neg, singles, ranges }, end: close };
}

/** Parses `glob` from `i` until the end or, inside braces, a `,`/`}` of this level. */
function parseSeq(glob: string, start: number, inBraces: boolean): { nodes: Node[]; end: number } {
  const nodes: Node[] = [];
  let i = start;
  for (; i < glob.length; i++) {
    const c = glob[i];
    if (inBraces && (c === ',' || c === '}')) break;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          nodes.push({ t: 'dirs' });
        } else {
          nodes.push({ t: 'any' });
        }
      } else {
        nodes.push({ t: 'star' });
      }
    } else if (c === '?') {
      nodes.push({ t: 'one' });
    } else if (c === '[') {
      const cls = parseClass(glob, i);
      if (!cls) {
        nodes.push({ t: 'lit', ch: c });
      } else {
        nodes.push(cls.node);
        i = cls.end;
      }
    } else if (c === '{') {
      const alts: Node[][] = [];
      let j = i + 1;
      for (;;) {
        const part = parseSeq(glob, j, true);
        alts.push(part.nodes);
        j = part.end;
        if (j >= glob.length || glob[j] === '}') break;
        j++; // past the `,`
      }
      nodes.push({ t: 'alt', alts });
      i = j; // at the `}` (or the end: an unclosed group ends with the glob)
    } else {
      nodes.push({ t: 'lit', ch: c });
    }
  }
  return { nodes, end: i };
}

/** A compiled glob: `test(path)` in time linear in `path.length`. */
export class GlobMatcher {
  private readonly states: State[] = [];
  private readonly start: number;
  /** Scratch marks: `mark[s] === stamp` when state s is in the set being built. */
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(glob: string) {
    if (glob.length > MAX_GLOB_LENGTH) {
      this.states.push({ k: 'split', outs: [] }); // a dead state: matches nothing
      this.start = 0;
    } else {
      const end = this.add({ k: 'end' });
      this.start = this.compile(parseSeq(glob, 0, false).nodes, end);
    }
    this.mark = new Int32Array(this.states.length);
  }

  private add(s: State): number {
    this.states.push(s);
    return this.states.length - 1;
  }

  /** Builds the states of `nodes` back to front; returns the entry state. */
  private compile(nodes: Node[], next: number): number {
    let at = next;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      if (n.t === 'alt') at = this.add({ k: 'split', outs: n.alts.map((alt) => this.compile(alt, at)) });
      else if (n.t === 'lit') at = this.add({ k: 'lit', ch: n.ch, next: at });
      else if (n.t === 'cls') at = this.add({ k: 'cls', neg: n.neg, singles: n.singles, ranges: n.ranges, next: at });
      else if (n.t === 'dirs') {
        const boundary = this.add({ k: 'dirs', next: at, inner: -1 });
        const inner = this.add({ k: 'dirsIn', boundary });
        (this.states[boundary] as { inner: number }).inner = inner;
        at = boundary;
      } else at = this.add({ k: n.t, next: at });
    }
    return at;
  }

  /** Adds `s` and every state reachable from it without consuming a character. */
  private close(s: number, into: number[]): void {
    const stack = [s];
    while (stack.length) {
      const x = stack.pop()!;
      if (this.mark[x] === this.stamp) continue;
      this.mark[x] = this.stamp;
      into.push(x);
      const st = this.states[x];
      if (st.k === 'split') for (const o of st.outs) stack.push(o);
      else if (st.k === 'star' || st.k === 'any' || st.k === 'dirs') stack.push(st.next);
    }
  }

  private newSet(): number[] {
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    return [];
  }

  /** The live states after reading `text` from the live states `from`. */
  private run(from: number[], text: string): number[] {
    let cur = from;
    for (let i = 0; i < text.length && cur.length; i++) {
      const c = text[i];
      const next = this.newSet();
      for (const x of cur) {
        const st = this.states[x];
        switch (st.k) {
          case 'lit':
            if (c === st.ch) this.close(st.next, next);
            break;
          case 'one':
            if (c !== '/') this.close(st.next, next);
            break;
          case 'cls':
            if (c !== '/' && classHas(st, c) !== st.neg) this.close(st.next, next);
            break;
          case 'star':
            if (c !== '/') this.close(x, next);
            break;
          case 'any':
            this.close(x, next);
            break;
          case 'dirs':
            this.close(c === '/' ? x : st.inner, next);
            break;
          case 'dirsIn':
            this.close(c === '/' ? st.boundary : x, next);
            break;
          case 'split':
          case 'end':
            break;
        }
      }
      cur = next;
    }
    return cur;
  }

  private initial(): number[] {
    const set = this.newSet();
    this.close(this.start, set);
    return set;
  }

  private accepts(set: number[]): boolean {
    return set.some((x) => this.states[x].k === 'end');
  }

  /** True when the whole of `path` matches. */
  test(path: string): boolean {
    return this.accepts(this.run(this.initial(), path));
  }

  /**
   * True when `folder`, `folder/` or something inside it (probed with `folder/` + NUL, a name no
   * real file has and no literal matches) matches: the pruning test for exclude globs.
   */
  testFolder(folder: string): boolean {
    let set = this.run(this.initial(), folder);
    if (this.accepts(set)) return true;
    set = this.run(set, '/');
    if (this.accepts(set)) return true;
    return this.accepts(this.run(set, '\u0000'));
  }
}

function classHas(st: { singles: string; ranges: Array<[string, string]> }, c: string): boolean {
  if (st.singles.includes(c)) return true;
  return st.ranges.some(([lo, hi]) => lo <= c && c <= hi);
}
