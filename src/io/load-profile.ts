/**
 * Loads a profile file of any supported format into the model. Node-only (reads files); the
 * parsing itself lives in src/ingest. The format is told from the content, not the name.
 */
import { readProfileFile } from './profile-file';
import type { Profile } from '../core/model';

export interface LoadOptions {
  /** Load at most this many bytes (a warning says how much was loaded). */
  maxBytes?: number;
}

/** Reads and parses `path`. Throws only when the file cannot be read at all (missing, a folder). */
export async function loadProfile(path: string, options: LoadOptions = {}): Promise<Profile> {
  return readProfileFile(path, { maxBytes: options.maxBytes });
}
