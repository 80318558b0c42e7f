/**
 * The analysis worker's side of a workspace budgets file: read with a size cap and only when it
 * is a regular file (safe-open.ts), parsed with the entry and problem caps of the core
 * (budgets.ts). An untrusted workspace writes this file, so none of this runs on the host thread.
 */
import { BUDGETS_FILE_MAX_BYTES, parseBudgetsFile } from '../core/budgets';
import { readSmallFile } from '../io/safe-open';
import type { BudgetsFileReply } from './worker-protocol';

export async function answerBudgetsFile(id: number, file: string, displayName: string): Promise<BudgetsFileReply> {
  let text: string;
  try {
    text = await readSmallFile(file, BUDGETS_FILE_MAX_BYTES);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return { type: 'budgetsFile', id, missing: true, budgets: [], diagnostics: [] };
    const message =
      e.code === 'EFBIG'
        ? `${displayName} is larger than ${BUDGETS_FILE_MAX_BYTES} bytes; not read (a budgets file holds at most 1 000 budgets)`
        : `${displayName} cannot be read: ${e.message}`;
    return { type: 'budgetsFile', id, missing: false, budgets: [], diagnostics: [{ line: 1, severity: 'error', message }] };
  }
  const { budgets, diagnostics } = parseBudgetsFile(text, displayName);
  return { type: 'budgetsFile', id, missing: false, budgets, diagnostics };
}
