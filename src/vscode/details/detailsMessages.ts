import * as z from '../../core/zod';

/** What the panel's buttons may ask for; anything else a webview posts is refused. */
export const DetailsAction = z.lazySchema(() =>
  z.enum([
    'approve',
    'reject',
    'execute',
    'cancel',
    'close',
    'urge',
    'reopen',
    'delete',
    'transfer',
    'comment',
    'download',
    'redraft',
    'copyId',
    'openInBrowser',
    'openAsText',
    'refresh',
  ]),
);
export type DetailsAction = z.infer<typeof DetailsAction>;

/**
 * Messages from the webview. They name an action only, never a ticket: the panel acts on its own ticket, so a
 * compromised page cannot reach another one.
 */
export const WebviewMessage = z.lazySchema(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('ready') }),
    z.strictObject({ type: z.literal('action'), action: DetailsAction }),
  ]),
);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** What a panel restored after a window reload remembers: which ticket it shows. */
export const DetailsPanelState = z.lazySchema(() => z.object({ profile: z.string().check(z.minLength(1)), id: z.string().check(z.minLength(1)) }));
export type DetailsPanelState = z.infer<typeof DetailsPanelState>;

/** A webview message, or why it was refused (for the log). */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  const parsed = WebviewMessage.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue.path.join('.') || 'message'}: ${issue.message}` };
}
