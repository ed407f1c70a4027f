// Conversations: SMS chats with their status, a live transcript, ending a chat, and "Make an outbound SMS".
import { api, encodeSegment, idempotencyKeys, withQuery } from '../api.js';
import { busy, clearErrors, field, formValues, formatTime, h, notice, poll, replace, showError, table } from '../dom.js';
import { pageTitle, transcript } from './common.js';

const TRANSCRIPT_REFRESH_MS = 2000;
const LIST_REFRESH_MS = 5000;
const STATUS_CHOICES = [['', 'Any status'], ['ongoing', 'Ongoing'], ['ended', 'Ended'], ['error', 'Error']];

export function render(ctx, root, params) {
  return params[0] ? renderChat(ctx, root, params[0]) : renderList(ctx, root);
}

function renderList(ctx, root) {
  const state = { phone_number: '', status: '', cursors: [null] };
  const results = h('div', { 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of chats' });
  const outboundPanel = h('section', { class: 'panel', hidden: true, id: 'outbound-panel', 'aria-labelledby': 'outbound-title' });
  const outboundButton = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false', 'aria-controls': 'outbound-panel' }, 'Make an outbound SMS');
  const filter = h('form', { class: 'filters', 'aria-label': 'Filter chats' },
    field({ label: 'Phone number', name: 'phone_number', hint: 'Our number or the customer\'s, E.164' }),
    field({ label: 'Status', name: 'status', type: 'select', choices: STATUS_CHOICES }),
    h('button', { type: 'submit' }, 'Apply'));
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues(filter);
    state.phone_number = values.phone_number || '';
    state.status = values.status || '';
    state.cursors = [null];
    clearErrors(filter);
    load();
  });
  outboundButton.addEventListener('click', () => {
    const opening = outboundPanel.hidden;
    outboundPanel.hidden = !opening;
    outboundButton.setAttribute('aria-expanded', String(opening));
    if (opening) {
      buildOutbound(ctx, outboundPanel);
      outboundPanel.querySelector('input')?.focus();
    }
  });
  replace(root,
    pageTitle('Conversations', 'SMS chats answered by chat agents, newest first. Open one to read it as it happens.'),
    h('div', { class: 'actions' }, outboundButton), outboundPanel, filter, results, pager);

  async function load() {
    const page = state.cursors.length - 1;
    try {
      const data = await api('GET', withQuery('/v1/sms-chats', {
        phone_number: state.phone_number, status: state.status, limit: 25, cursor: state.cursors[page],
        // An admin sees the workspace opened at the top, or every workspace when none is.
        workspace_id: ctx.isAdmin ? ctx.workspace() : undefined,
      }));
      const rows = (data.chats || data.sms_chats || []).map((chat) => [
        h('a', { href: `#/conversations/${encodeSegment(chat.chat_id)}` }, chat.customer_number),
        chat.agent_number,
        chat.agent_id || '—',
        h('span', { class: `badge chat-${chat.chat_status}` }, chat.chat_status),
        chat.end_reason || '—',
        formatTime(chat.start_timestamp),
      ]);
      replace(results, table('SMS chats', ['Customer', 'Our number', 'Agent', 'Status', 'End reason', 'Started'], rows, 'No chats match.'));
      const previous = h('button', { type: 'button', disabled: page === 0 }, 'Previous page');
      const next = h('button', { type: 'button', disabled: !data.next_cursor }, 'Next page');
      previous.addEventListener('click', () => { state.cursors.pop(); load(); });
      next.addEventListener('click', () => { state.cursors.push(data.next_cursor); load(); });
      replace(pager, previous, h('span', { class: 'page-number' }, `Page ${page + 1}`), next);
    } catch (e) {
      if (e.field) {
        showError(filter, e);
      } else {
        replace(results, h('p', { class: 'notice error', role: 'alert' }, e.message));
      }
    }
  }
  load();
  // Only the first page refreshes by itself: later pages stay as the user paged them.
  return poll(() => (state.cursors.length === 1 ? load() : undefined), LIST_REFRESH_MS);
}

function parseJsonField(form, name, values) {
  const text = values[name];
  if (!text) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('not an object');
    }
    return parsed;
  } catch (e) {
    throw Object.assign(new Error(`'${name}' must be a JSON object, e.g. {"first_name": "Ada"}.`), { field: name });
  }
}

/** Suggests the workspace's numbers that can send (a datalist: any number may still be typed). */
async function senderSuggestions(ctx, list) {
  const workspace = ctx.workspace();
  if (!workspace) {
    return;
  }
  try {
    const data = await api('GET', withQuery('/v1/sms-numbers', { workspace_id: workspace, limit: 100 }));
    replace(list, (data.sms_numbers || []).filter((number) => number.can_send_sms)
      .map((number) => h('option', { value: number.phone_number }, number.chat_agent_id ? `chat agent ${number.chat_agent_id}` : 'no chat agent')));
  } catch (e) {
    // suggestions only: the field still takes any number
  }
}

function buildOutbound(ctx, panel) {
  const senders = h('datalist', { id: 'outbound-senders' });
  senderSuggestions(ctx, senders);
  const form = h('form', { novalidate: true, class: 'outbound-form' },
    senders,
    field({ label: 'From number', name: 'from_number', required: true, hint: 'An SMS-enabled number of your workspace with a chat agent',
      attrs: { list: 'outbound-senders' } }),
    field({ label: 'To number', name: 'to_number', required: true, hint: 'The customer, E.164, e.g. +14155550123' }),
    field({ label: 'Agent (optional)', name: 'override_agent_id', hint: 'Another chat agent than the number\'s own' }),
    field({ label: 'Dynamic variables (JSON, optional)', name: 'dynamic_variables', type: 'textarea', hint: '{"first_name": "Ada"}' }),
    field({ label: 'Metadata (JSON, optional)', name: 'metadata', type: 'textarea' }),
    h('button', { type: 'submit', class: 'primary' }, 'Start the chat'));
  replace(panel, h('h2', { id: 'outbound-title' }, 'Make an outbound SMS'),
    h('p', {}, 'Starts a chat: the agent writes the first text, which is sent at once.'), form);
  const keyFor = idempotencyKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const values = formValues(form);
    let body;
    try {
      body = {
        from_number: values.from_number,
        to_number: values.to_number,
        override_agent_id: values.override_agent_id,
        dynamic_variables: parseJsonField(form, 'dynamic_variables', values),
        metadata: parseJsonField(form, 'metadata', values),
      };
    } catch (e) {
      showError(form, e);
      return;
    }
    await busy(form, async () => {
      try {
        const chat = await api('POST', '/v1/sms-chats', body, { idempotencyKey: keyFor(body) });
        ctx.navigate(`#/conversations/${encodeURIComponent(chat.chat_id)}`);
      } catch (e) {
        showError(form, e);
        const chatId = e.details?.chat_id;
        if (e.code === 'chat_in_progress' && chatId) {
          form.querySelector('.form-error')?.append(' ', h('a', { href: `#/conversations/${encodeSegment(chatId)}` }, 'Open that chat'));
        }
      }
    });
  });
}

function renderChat(ctx, root, chatId) {
  const facts = h('section', { class: 'chat-facts' });
  const actions = h('div', { class: 'actions' });
  const holder = h('section', { class: 'transcript-holder', 'aria-labelledby': 'transcript-title', 'aria-live': 'polite' });
  replace(root, pageTitle('Conversation'), h('p', {}, h('a', { href: '#/conversations' }, '← All chats')), facts, actions,
    h('h2', { id: 'transcript-title' }, 'Transcript'), holder);

  let shownStatus = null;
  async function load() {
    let chat;
    try {
      chat = await api('GET', `/v1/sms-chats/${encodeSegment(chatId)}`);
    } catch (e) {
      notice(holder, e.message, 'error');
      return;
    }
    replace(facts, h('dl', { class: 'facts' },
      h('dt', {}, 'Customer'), h('dd', {}, chat.customer_number),
      h('dt', {}, 'Our number'), h('dd', {}, chat.agent_number),
      h('dt', {}, 'Agent'), h('dd', {}, chat.agent_id || '—'),
      h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge chat-${chat.chat_status}` }, chat.chat_status),
        chat.end_reason ? ` (${chat.end_reason})` : ''),
      h('dt', {}, 'Started'), h('dd', {}, formatTime(chat.start_timestamp)),
      chat.end_timestamp ? [h('dt', {}, 'Ended'), h('dd', {}, formatTime(chat.end_timestamp))] : null,
      Object.keys(chat.dynamic_variables || {}).length ? [h('dt', {}, 'Dynamic variables'), h('dd', {}, JSON.stringify(chat.dynamic_variables))] : null,
      Object.keys(chat.metadata || {}).length ? [h('dt', {}, 'Metadata'), h('dd', {}, JSON.stringify(chat.metadata))] : null));
    if (chat.chat_status !== shownStatus) {
      shownStatus = chat.chat_status;
      replace(actions, chat.chat_status === 'ongoing' ? endButton() : null);
    }
    const entries = (chat.messages || []).map((message) => ({
      id: message.message_id,
      incoming: message.role === 'user',
      who: message.role === 'user' ? `Customer ${chat.customer_number}` : `Agent ${chat.agent_id || ''}`.trim(),
      body: message.content,
      media: message.media,
      status: message.status,
      at: message.created_at,
    }));
    replace(holder, transcript(entries, `Texts with ${chat.customer_number}`));
  }

  function endButton() {
    const button = h('button', { type: 'button', class: 'danger' }, 'End chat');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('POST', `/v1/sms-chats/${encodeSegment(chatId)}/end`, {});
        await load();
      } catch (e) {
        notice(actions, e.message, 'error');
        button.disabled = false;
      }
    });
    return button;
  }

  load();
  return poll(load, TRANSCRIPT_REFRESH_MS);
}
