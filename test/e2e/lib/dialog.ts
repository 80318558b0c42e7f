// The workbench's modal dialog (`showInformationMessage(…, { modal: true })` and the like): read
// what it says, then answer it with one of its buttons, as a user does.
import { Page } from 'playwright-core';

const DIALOG = '.monaco-dialog-box';
const DEFAULT_TIMEOUT_MS = 20_000;

/** What a modal dialog shows. */
export interface ModalDialog {
  message: string;
  /** The detail text, lines separated by `\n`. */
  detail: string;
  /** Button labels, in screen order. */
  buttons: string[];
}

/** Waits for a modal dialog and reads it. */
export async function waitForModalDialog(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ModalDialog> {
  const box = page.locator(DIALOG);
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = async (selector: string) => ((await box.locator(selector).count()) ? (await box.locator(selector).innerText()).trim() : '');
  return {
    message: await text('.dialog-message-text'),
    detail: await text('.dialog-message-detail'),
    buttons: (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim()),
  };
}

/** Clicks the dialog button labelled exactly `button` and waits for the dialog to close. */
export async function answerModalDialog(page: Page, button: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const box = page.locator(DIALOG);
  await box.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${button.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click({ timeout: timeoutMs });
  await box.waitFor({ state: 'detached', timeout: timeoutMs });
}
