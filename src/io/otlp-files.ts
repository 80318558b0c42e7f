/**
 * Where received spans go: Collector-file-exporter files (`*.otlp.jsonl`, one export request per
 * line), append-only, so every reader we have (watcher, tail, CLI, export) works on them unchanged
 * and nothing is lost when the editor closes. Spans sent to a run's own endpoint (`/runs/<id>/…`,
 * set by Profile Agent Run) go to that run's file; all others to one file per service and session.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { utcStamp } from './agent-env';
import type { ExportLine } from '../ingest/otlp-export';

/** A file name part from untrusted text (a service name): safe characters only, bounded. */
export function safeNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[.]+/, '_').slice(0, 60) || 'unknown_service';
}

interface OpenFile {
  file: string;
  handle: Promise<fs.FileHandle>;
  /** The last write: the next one starts after it, so lines keep their order. */
  tail: Promise<void>;
  spans: number;
}

/** Totals since the sink was created. */
export interface SinkStats {
  spans: number;
  requests: number;
  files: number;
}

export class OtlpFileSink {
  private readonly files = new Map<string, OpenFile>();
  private readonly runs = new Map<string, string>();
  private closed = false;
  readonly stats: SinkStats = { spans: 0, requests: 0, files: 0 };
  /** Called once per new file, after it was created and before its first line is written. */
  onNewFile: (file: string) => void = () => undefined;
  /** Called after the lines of a request reached a file, with their span count. */
  onWritten: (file: string, spans: number) => void = () => undefined;

  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Spans sent to `/runs/<id>/v1/traces` go to `file` (created on the first span). */
  addRun(id: string, file: string): void {
    this.runs.set(id, file);
  }

  /** The file of a run, once spans arrived for it. */
  hasRun(id: string): boolean {
    return this.runs.has(id);
  }

  removeRun(id: string): void {
    this.runs.delete(id);
  }

  /**
   * Appends the lines of one request; resolves once they are handed to the operating system.
   * `run` is the run id of the path the request came to (unknown ids fall back to per-service).
   */
  async append(lines: readonly ExportLine[], run?: string): Promise<void> {
    if (this.closed) throw new Error('the receiver is shutting down');
    this.stats.requests++;
    const runFile = run !== undefined ? this.runs.get(run) : undefined;
    const writes: Promise<void>[] = [];
    if (runFile !== undefined) {
      const text = lines.map((l) => l.line).join('\n') + '\n';
      const spans = lines.reduce((n, l) => n + l.spans, 0);
      writes.push(this.write(`run:${run}`, () => runFile, text, spans));
    } else {
      for (const l of lines) writes.push(this.write(`service:${l.service}`, () => this.serviceFile(l.service), l.line + '\n', l.spans));
    }
    await Promise.all(writes);
  }

  private serviceFile(service: string): string {
    return path.join(this.dir, `${utcStamp(this.now())}-${safeNamePart(service)}.otlp.jsonl`);
  }

  private write(key: string, fileFor: () => string, text: string, spans: number): Promise<void> {
    let f = this.files.get(key);
    if (!f) {
      const wanted = fileFor();
      const handle = this.create(wanted);
      f = { file: wanted, handle: handle.then((h) => h.handle), tail: Promise.resolve(), spans: 0 };
      const entry = f;
      this.files.set(key, entry);
      entry.tail = handle.then(({ file }) => {
        entry.file = file;
        this.stats.files++;
        this.onNewFile(file);
      });
    }
    const entry = f;
    entry.spans += spans;
    this.stats.spans += spans;
    const done = entry.tail.then(async () => {
      const h = await entry.handle;
      await h.write(text);
      this.onWritten(entry.file, spans);
    });
    // A failed write must not block the lines after it; the failure reaches this request's caller.
    entry.tail = done.catch(() => undefined);
    return done;
  }

  /** Opens a new file exclusively; a name taken (same second, same service) gets `-2`, `-3`, … */
  private async create(wanted: string): Promise<{ file: string; handle: fs.FileHandle }> {
    await fs.mkdir(path.dirname(wanted), { recursive: true });
    const stem = wanted.slice(0, -'.otlp.jsonl'.length);
    for (let i = 1; ; i++) {
      const file = i === 1 ? wanted : `${stem}-${i}.otlp.jsonl`;
      try {
        return { file, handle: await fs.open(file, 'ax') };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 1000) throw err;
      }
    }
  }

  /** Files written so far and their span counts. */
  written(): { file: string; spans: number }[] {
    return [...this.files.values()].map((f) => ({ file: f.file, spans: f.spans }));
  }

  /** Finishes every pending write and closes the files; later appends are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const files = [...this.files.values()];
    await Promise.all(
      files.map(async (f) => {
        await f.tail;
        await (await f.handle.catch(() => undefined))?.close();
      }),
    );
  }
}
