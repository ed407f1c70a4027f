// Pieces several pages share.
import { formatTime, h, replace, safeLink } from '../dom.js';

export function pageTitle(text, intro) {
  return [h('h1', { tabindex: '-1' }, text), intro ? h('p', { class: 'intro' }, intro) : null];
}

/**
 * The workspace the page is about; when an admin has opened none yet, says how to and returns null.
 */
export function workspaceOrPrompt(ctx, root, title) {
  const workspace = ctx.workspace();
  if (!workspace) {
    replace(root, pageTitle(title),
      h('p', { class: 'notice info', role: 'status' },
        'Open a workspace first: enter its id in the Workspace box at the top and choose Open.'));
  }
  return workspace;
}

/**
 * Asks "are you sure?" in place, next to the action: {@code onConfirm} runs only after the explicit second button.
 * Returns the confirmation element (already inserted after {@code anchor}).
 */
export function confirmInline(anchor, question, confirmLabel, onConfirm) {
  anchor.parentElement.querySelectorAll(':scope > .confirm').forEach((open) => open.remove());
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const confirm = h('button', { type: 'button', class: 'danger' }, confirmLabel);
  const box = h('div', { class: 'confirm', role: 'alertdialog', 'aria-label': question },
    h('p', {}, question), confirm, cancel);
  cancel.addEventListener('click', () => {
    box.remove();
    anchor.focus();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await onConfirm(box);
    } finally {
      confirm.disabled = false;
    }
  });
  anchor.after(box);
  confirm.focus();
  return box;
}

/** A labelled bar: {@code used} of {@code limit}, with the numbers in words beside it. */
export function usageBar(label, used, limit, note) {
  const percent = limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  const level = percent >= 90 ? 'high' : percent >= 70 ? 'medium' : 'low';
  const id = `bar-${label.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
  const bar = h('div', { class: 'bar' }, h('div', { class: `bar-fill ${level}` }));
  // Width through the CSSOM, not a style attribute (the content security policy allows no inline styles).
  bar.firstChild.style.width = `${percent}%`;
  return h('div', { class: 'usage-row' },
    h('p', { id, class: 'usage-label' }, label),
    h('div', { role: 'meter', 'aria-labelledby': id, 'aria-valuemin': '0', 'aria-valuemax': String(limit),
      'aria-valuenow': String(used), 'aria-valuetext': `${used.toLocaleString()} of ${limit.toLocaleString()}` }, bar),
    h('p', { class: 'usage-numbers' },
      `${used.toLocaleString()} of ${limit.toLocaleString()} segments (${percent} %)`, note ? ` · ${note}` : ''));
}

/** What a delivery status means, for the transcript's status line. */
const STATUS_WORDS = {
  received: 'received',
  queued: 'queued to send',
  sending: 'sending',
  accepted: 'accepted by Twilio',
  scheduled: 'scheduled',
  sent: 'sent to the carrier',
  delivered: 'delivered',
  undelivered: 'not delivered',
  failed: 'failed',
  read: 'read',
  partially_delivered: 'partly delivered',
  canceled: 'canceled',
  rejected: 'rejected by the inbound webhook',
};

/**
 * A conversation's texts, oldest first. {@code entries}: {id, incoming (bool), who, body, media [{url,
 * content_type}], status, at, error}. Bodies are text nodes: whatever a customer wrote is shown as written.
 */
export function transcript(entries, label) {
  if (entries.length === 0) {
    return h('p', { class: 'empty' }, 'No texts yet.');
  }
  return h('ol', { class: 'transcript', 'aria-label': label },
    entries.map((entry) => h('li', {
      class: `text ${entry.incoming ? 'incoming' : 'outgoing'}`,
      dataset: { messageId: entry.id || '', status: entry.status || '' },
    },
    h('p', { class: 'text-meta' },
      h('span', { class: 'who' }, entry.who), ' · ', h('time', { datetime: entry.at || '' }, formatTime(entry.at))),
    h('p', { class: 'text-body' }, entry.body ?? ''),
    (entry.media || []).length > 0
      ? h('ul', { class: 'media', 'aria-label': 'Media' }, entry.media.map((item, index) =>
        h('li', {}, safeLink(item.url, `Media ${index + 1}${item.content_type ? ` (${item.content_type})` : ''}`))))
      : null,
    entry.status
      ? h('p', { class: `text-status status-${entry.status}` },
        `Status: ${STATUS_WORDS[entry.status] || entry.status}`, entry.error ? ` — ${entry.error}` : '')
      : null)));
}
