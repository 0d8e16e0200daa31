import type { Mail } from '@message-center/core';

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The page people open: `PUBLIC_URL`, with or without a trailing slash. */
export function resetLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#reset=${encodeURIComponent(token)}`;
}

/** Plain text for every mail reader, and the same words as HTML for those that prefer it. */
export function renderMail(mail: Mail, publicUrl: string): RenderedMail {
  const link = resetLink(publicUrl, mail.token);
  const minutes = Math.round((mail.expiresAt.getTime() - Date.now()) / 60_000);
  const within = minutes > 0 ? `within ${minutes} minutes` : 'soon';
  const text = [
    `Hello ${mail.username},`,
    '',
    `Someone (we hope you) asked to reset the password of your Message Center account "${mail.username}".`,
    `Open this link ${within} to choose a new one:`,
    '',
    link,
    '',
    'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>Hello ${escapeHtml(mail.username)},</p>`,
    `<p>Someone (we hope you) asked to reset the password of your Message Center account “${escapeHtml(mail.username)}”. Open this link ${within} to choose a new one:</p>`,
    `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>`,
    `<p style="color: #555">Or paste this address into your browser: ${escapeHtml(link)}</p>`,
    '<p style="color: #555">The link works once. If you did not ask for it, ignore this mail: your password stays as it is.</p>',
    '</body></html>',
  ].join('\n');
  return { subject: 'Reset your Message Center password', text, html };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
