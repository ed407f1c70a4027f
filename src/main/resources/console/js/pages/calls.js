// Calls: a workspace's active calls and the texts of each (in-call SMS and the customer's replies).
import { api, encodeSegment, withQuery } from '../api.js';
import { formatTime, h, notice, poll, replace, table } from '../dom.js';
import { pageTitle, transcript, workspaceOrPrompt } from './common.js';

const REFRESH_MS = 3000;

export function render(ctx, root, params) {
  const workspace = workspaceOrPrompt(ctx, root, 'Calls');
  if (!workspace) {
    return undefined;
  }
  return params[0] ? renderCall(ctx, root, workspace, params[0]) : renderList(ctx, root, workspace);
}

function renderList(ctx, root, workspace) {
  const list = h('section', { 'aria-live': 'polite' });
  replace(root,
    pageTitle('Calls', `Active calls of workspace ${workspace}: the AI agent is on the phone and may text the caller. Ended calls leave this list.`),
    list);

  async function load() {
    try {
      const data = await api('GET', withQuery('/v1/calls', { workspace_id: workspace }));
      const rows = (data.calls || []).map((call) => [
        h('a', { href: `#/calls/${encodeSegment(call.call_id)}` }, call.call_id),
        call.agent_id,
        call.agent_number,
        call.customer_number,
        call.pool_number || '—',
        formatTime(call.created_at),
      ]);
      replace(list, table(`Active calls of ${workspace}`, ['Call', 'Agent', 'Agent number', 'Customer', 'Pool number', 'Started'], rows,
        'No active calls right now.'));
    } catch (e) {
      notice(list, e.message, 'error');
    }
  }
  load();
  return poll(load, REFRESH_MS);
}

// Call ids are unique per workspace only: the workspace is always named, so an admin never meets an ambiguous id.
function renderCall(ctx, root, workspace, callId) {
  const summary = h('section', { class: 'call-summary' });
  const texts = h('section', { 'aria-labelledby': 'call-texts-title' }, h('h2', { id: 'call-texts-title' }, 'Texts'));
  const body = h('div', { class: 'transcript-holder', 'aria-live': 'polite' });
  texts.append(body);
  replace(root, pageTitle(`Call ${callId}`), h('p', {}, h('a', { href: '#/calls' }, '← All active calls')), summary, texts);

  async function load() {
    try {
      const [call, sms] = await Promise.all([
        api('GET', withQuery(`/v1/calls/${encodeSegment(callId)}`, { workspace_id: workspace })).catch((e) => (e.status === 404 ? null : Promise.reject(e))),
        api('GET', withQuery(`/v1/calls/${encodeSegment(callId)}/sms`, { workspace_id: workspace })),
      ]);
      replace(summary, call
        ? h('dl', { class: 'facts' },
          h('dt', {}, 'Agent'), h('dd', {}, call.agent_id),
          h('dt', {}, 'Agent number'), h('dd', {}, call.agent_number),
          h('dt', {}, 'Customer'), h('dd', {}, call.customer_number),
          h('dt', {}, 'Pool number'), h('dd', {}, call.pool_number || 'none pinned'),
          h('dt', {}, 'Expires'), h('dd', {}, formatTime(call.expires_at)))
        : h('p', { class: 'notice info', role: 'status' }, 'This call has ended.'));
      const entries = (sms.messages || []).map((message) => ({
        id: message.message_id,
        incoming: message.direction === 'inbound',
        who: message.direction === 'inbound' ? `Customer ${message.from_number}` : `Agent from ${message.from_number}`,
        body: message.body,
        media: message.media,
        status: message.status,
        at: message.created_at,
        error: message.error_message,
      }));
      replace(body, transcript(entries, `Texts of call ${callId}`));
    } catch (e) {
      notice(texts, e.message, 'error');
    }
  }
  load();
  return poll(load, REFRESH_MS);
}
