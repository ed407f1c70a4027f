// SMS Numbers: the workspace's numbers, buying one by area code, bringing your own Twilio number, a number's
// chat agent and inbound webhook, and releasing a number.
import { api, encodeSegment, idempotencyKeys, withQuery } from '../api.js';
import { busy, clearErrors, field, formValues, formatTime, h, notice, replace, showError, table } from '../dom.js';
import { confirmInline, pageTitle, workspaceOrPrompt } from './common.js';

const PAGE_SIZES = [['10', '10'], ['25', '25'], ['50', '50']];

/** What each sms_status means and what to do next. */
const SMS_STATUS = {
  a2p_required: ['Cannot send yet', 'Sending needs an approved A2P 10DLC campaign for this workspace: complete Registration. Receiving works already.'],
  a2p_pending: ['Registration under review', 'Sending starts when the campaign is approved. Receiving works already.'],
  enabled: ['Can send and receive', 'Nothing to do.'],
  suspended: ['Sending suspended', 'Its campaign was suspended: see Registration for the reason and resubmit. Receiving still works.'],
};

const TYPES = { platform: 'Platform (Twilio)', byo_twilio: 'Your own Twilio number', pool: 'Pool' };

export function render(ctx, root, params) {
  const workspace = workspaceOrPrompt(ctx, root, 'SMS Numbers');
  if (!workspace) {
    return undefined;
  }
  if (params[0]) {
    renderNumber(ctx, root, params[0]);
    return undefined;
  }
  renderList(ctx, root, workspace);
  return undefined;
}

function statusCell(status) {
  const [meaning, next] = SMS_STATUS[status] || [status, ''];
  const toRegistration = status === 'a2p_required' || status === 'a2p_pending' || status === 'suspended';
  return h('div', { class: 'status-cell' },
    h('span', { class: `badge status-${status}` }, status),
    h('span', { class: 'status-meaning' }, ` ${meaning}.`),
    next ? h('span', { class: 'status-next' }, ` ${next}`, toRegistration ? [' ', h('a', { href: '#/registration' }, 'Open Registration')] : null) : null);
}

function renderList(ctx, root, workspace) {
  const state = { type: '', limit: '25', cursors: [null] };
  const listSection = h('section', { 'aria-labelledby': 'numbers-list-title' }, h('h2', { id: 'numbers-list-title', class: 'visually-hidden' }, 'Numbers'));
  const results = h('div', { 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of numbers' });
  const purchasePanel = h('section', { class: 'panel', hidden: true, 'aria-labelledby': 'purchase-title' });
  const byoPanel = h('section', { class: 'panel', hidden: true, 'aria-labelledby': 'byo-title' });
  const purchaseButton = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false', 'aria-controls': 'purchase-panel' }, '+ Purchase SMS Number');
  const byoButton = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'byo-panel' }, 'Setup SMS Function');
  purchasePanel.id = 'purchase-panel';
  byoPanel.id = 'byo-panel';

  const filter = h('form', { class: 'filters', 'aria-label': 'Filter numbers' },
    field({ label: 'Type', name: 'type', type: 'select', choices: [['', 'All types'], ['platform', TYPES.platform], ['byo_twilio', TYPES.byo_twilio]] }),
    field({ label: 'Per page', name: 'limit', type: 'select', choices: PAGE_SIZES, value: state.limit }),
    h('button', { type: 'submit' }, 'Apply'));
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues(filter);
    state.type = values.type || '';
    state.limit = values.limit || '25';
    state.cursors = [null];
    load();
  });

  listSection.append(filter, results, pager);
  replace(root,
    pageTitle('SMS Numbers', `Numbers of workspace ${workspace}. A platform number needs an approved A2P campaign to send; your own Twilio number can send at once.`),
    h('div', { class: 'actions' }, purchaseButton, byoButton),
    purchasePanel, byoPanel, listSection);

  function toggle(button, panel, build) {
    const opening = panel.hidden;
    [[purchaseButton, purchasePanel], [byoButton, byoPanel]].forEach(([b, p]) => {
      p.hidden = true;
      b.setAttribute('aria-expanded', 'false');
    });
    if (opening) {
      build(panel);
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      panel.querySelector('input:not([readonly]), select')?.focus();
    }
  }
  purchaseButton.addEventListener('click', () => toggle(purchaseButton, purchasePanel, (panel) => buildPurchase(ctx, panel, workspace, afterChange)));
  byoButton.addEventListener('click', () => toggle(byoButton, byoPanel, (panel) => buildByo(ctx, panel, workspace, afterChange)));

  function afterChange(message) {
    purchasePanel.hidden = true;
    byoPanel.hidden = true;
    purchaseButton.setAttribute('aria-expanded', 'false');
    byoButton.setAttribute('aria-expanded', 'false');
    state.cursors = [null];
    load().then(() => notice(listSection, message));
  }

  async function load() {
    const page = state.cursors.length - 1;
    try {
      const data = await api('GET', withQuery('/v1/sms-numbers', {
        workspace_id: workspace, type: state.type, limit: state.limit, cursor: state.cursors[page],
      }));
      const numbers = data.sms_numbers || data.numbers || [];
      const rows = numbers.map((number) => [
        h('a', { href: `#/numbers/${encodeSegment(number.phone_number)}` }, number.phone_number),
        TYPES[number.type] || number.type,
        number.agent_id || '—',
        number.chat_agent_id || '—',
        statusCell(number.sms_status),
      ]);
      replace(results, table(`Numbers of ${workspace}`, ['Number', 'Type', 'Agent', 'Chat agent', 'SMS status'], rows,
        state.type ? 'No numbers of this type.' : 'This workspace has no numbers yet: purchase one or set up your own Twilio number.'));
      const previous = h('button', { type: 'button', disabled: page === 0 }, 'Previous page');
      const next = h('button', { type: 'button', disabled: !data.next_cursor }, 'Next page');
      previous.addEventListener('click', () => {
        state.cursors.pop();
        load();
      });
      next.addEventListener('click', () => {
        state.cursors.push(data.next_cursor);
        load();
      });
      replace(pager, previous, h('span', { class: 'page-number' }, `Page ${page + 1}`), next);
    } catch (e) {
      replace(results, h('p', { class: 'notice error', role: 'alert' }, e.message));
    }
  }
  load();
}

function workspaceField(ctx, workspace) {
  return field({
    label: 'Workspace', name: 'workspace_id', value: workspace, required: true,
    attrs: ctx.isAdmin ? {} : { readonly: 'readonly' },
  });
}

function buildPurchase(ctx, panel, workspace, done) {
  const search = h('form', { novalidate: true, class: 'purchase-search' },
    workspaceField(ctx, workspace),
    field({ label: 'Agent', name: 'agent_id', required: true, hint: 'The AI agent that uses this number' }),
    field({ label: 'Area code', name: 'area_code', required: true, hint: '3 digits, e.g. 415', attrs: { inputmode: 'numeric', maxlength: '3' } }),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const offers = h('div', { class: 'offers', 'aria-live': 'polite' });
  replace(panel, h('h2', { id: 'purchase-title' }, 'Purchase SMS Number'),
    h('p', {}, 'Search an area code for SMS-capable US numbers, pick one and buy it. It receives texts at once; it can send after A2P registration.'),
    search, offers);

  search.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(search);
    const values = formValues(search);
    await busy(search, async () => {
      try {
        const data = await api('GET', withQuery('/v1/available-numbers', { area_code: values.area_code || '' }));
        const available = data.available_numbers || data.numbers || [];
        showOffers(values, available);
      } catch (e) {
        replace(offers);
        showError(search, e);
      }
    });
  });

  function showOffers(values, available) {
    if (available.length === 0) {
      replace(offers, h('p', { class: 'notice info', role: 'status' }, `No SMS-capable numbers are available in area code ${values.area_code}. Try a nearby area code.`));
      return;
    }
    const keyFor = idempotencyKeys();
    const buy = h('form', { novalidate: true, class: 'purchase-buy' },
      h('fieldset', {},
        h('legend', {}, `Available numbers in ${values.area_code}`),
        available.map((offer, index) => {
          const id = `offer-${index}`;
          const place = [offer.locality, offer.region].filter(Boolean).join(', ');
          return h('div', { class: 'choice' },
            h('input', { type: 'radio', id, name: 'phone_number', value: offer.phone_number, checked: index === 0 }),
            h('label', { for: id }, offer.phone_number, place ? ` — ${place}` : ''));
        })),
      h('button', { type: 'submit', class: 'primary' }, 'Buy this number'));
    buy.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(buy);
      const chosen = formValues(buy).phone_number;
      await busy(buy, async () => {
        try {
          const request = { phone_number: chosen, workspace_id: values.workspace_id, agent_id: values.agent_id };
          const number = await api('POST', '/v1/sms-numbers', request, { idempotencyKey: keyFor(request) });
          const [meaning, next] = SMS_STATUS[number.sms_status] || [number.sms_status, ''];
          done(`Bought ${number.phone_number}: ${meaning}. ${next}`);
        } catch (e) {
          showError(buy, e);
        }
      });
    });
    replace(offers, buy);
    buy.querySelector('input[type=radio]')?.focus();
  }
}

function buildByo(ctx, panel, workspace, done) {
  const form = h('form', { novalidate: true, class: 'byo' },
    field({ label: 'Phone number (E.164)', name: 'phone_number', required: true, hint: 'A US number in your Twilio account, e.g. +14155550142' }),
    field({ label: 'Account SID', name: 'account_sid', required: true, hint: 'Starts with AC; in the Twilio console under Account info' }),
    field({ label: 'Auth Token', name: 'auth_token', type: 'password', required: true, hint: 'Kept encrypted; never shown again' }),
    workspaceField(ctx, workspace),
    field({ label: 'Agent', name: 'agent_id', required: true }),
    field({
      label: 'Brand tier', name: 'brand_tier', type: 'select', value: 'low_volume',
      choices: [['low_volume', 'Low volume (under 6,000 segments a day)'], ['standard', 'Standard (up to 400,000 segments a day)']],
      hint: 'The A2P tier your own registration has; texts are limited to it',
    }),
    h('button', { type: 'submit', class: 'primary' }, 'Verify and add'));
  replace(panel, h('h2', { id: 'byo-title' }, 'Setup SMS Function: bring your own Twilio number'),
    h('p', {}, 'The gateway checks with Twilio that the credentials work, that the number is in that account and that it can send SMS, then points its SMS webhook here.'),
    form);
  const keyFor = idempotencyKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const values = formValues(form);
    await busy(form, async () => {
      try {
        const number = await api('POST', '/v1/sms-numbers/byo', values, { idempotencyKey: keyFor(values) });
        form.reset();
        done(`${number.phone_number} is set up: it can send and receive SMS through your Twilio account.`);
      } catch (e) {
        form.elements.namedItem('auth_token').value = '';
        showError(form, e);
      }
    });
  });
}

function renderNumber(ctx, root, phoneNumber) {
  const facts = h('section', { class: 'number-facts', 'aria-live': 'polite' });
  const settings = h('section', { 'aria-labelledby': 'number-settings-title' });
  const danger = h('section', { 'aria-labelledby': 'number-release-title' });
  replace(root, pageTitle(`Number ${phoneNumber}`), h('p', {}, h('a', { href: '#/numbers' }, '← All numbers')), facts, settings, danger);

  async function load() {
    let number;
    try {
      number = await api('GET', `/v1/sms-numbers/${encodeSegment(phoneNumber)}`);
    } catch (e) {
      replace(facts, h('p', { class: 'notice error', role: 'alert' }, e.message));
      return;
    }
    replace(facts, h('dl', { class: 'facts' },
      h('dt', {}, 'Type'), h('dd', {}, TYPES[number.type] || number.type),
      h('dt', {}, 'Workspace'), h('dd', {}, number.workspace_id || '—'),
      h('dt', {}, 'Agent'), h('dd', {}, number.agent_id || '—'),
      h('dt', {}, 'Chat agent'), h('dd', {}, number.chat_agent_id || 'none: texts outside calls are kept, not answered'),
      h('dt', {}, 'Inbound webhook'), h('dd', {}, number.inbound_webhook_url || 'none'),
      h('dt', {}, 'SMS status'), h('dd', {}, statusCell(number.sms_status)),
      h('dt', {}, 'Added'), h('dd', {}, formatTime(number.created_at))));
    buildSettings(number);
    buildRelease(number);
  }

  function buildSettings(number) {
    const form = h('form', { novalidate: true, class: 'number-settings' },
      field({ label: 'Agent', name: 'agent_id', value: number.agent_id || '' }),
      field({ label: 'Chat agent', name: 'chat_agent_id', value: number.chat_agent_id || '', hint: 'Answers texts outside calls; empty detaches it' }),
      field({ label: 'Inbound webhook URL', name: 'inbound_webhook_url', type: 'url', value: number.inbound_webhook_url || '',
        hint: 'https; called on each new chat to reject a text or choose the agent; empty detaches it' }),
      field({ label: 'End a chat after silence (seconds)', name: 'end_after_silence', type: 'number', value: number.end_after_silence ?? '',
        hint: '120 to 259200; empty keeps the gateway default', attrs: { min: '120', max: '259200' } }),
      field({ label: 'Auto-close message', name: 'auto_close_message', type: 'textarea', value: number.auto_close_message || '',
        hint: 'Sent when a chat ends for silence; empty sends nothing' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Save'),
        h('button', { type: 'button', class: 'detach' }, 'Detach chat agent and webhook')));
    replace(settings, h('h2', { id: 'number-settings-title' }, 'Chat agent and inbound webhook'), form);

    const save = (patch, message) => busy(form, async () => {
      clearErrors(form);
      try {
        await api('PATCH', `/v1/sms-numbers/${encodeSegment(phoneNumber)}`, patch);
        await load();
        notice(settings, message);
      } catch (e) {
        showError(form, e);
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = (name) => form.elements.namedItem(name).value.trim();
      const silence = text('end_after_silence');
      save({
        agent_id: text('agent_id') || null,
        chat_agent_id: text('chat_agent_id') || null,
        inbound_webhook_url: text('inbound_webhook_url') || null,
        end_after_silence: silence === '' ? null : Number(silence),
        auto_close_message: text('auto_close_message') || null,
      }, 'Saved.');
    });
    form.querySelector('button.detach').addEventListener('click', () =>
      save({ chat_agent_id: null, inbound_webhook_url: null }, 'The chat agent and the inbound webhook were detached.'));
  }

  function buildRelease(number) {
    const release = h('button', { type: 'button', class: 'danger' }, 'Release this number');
    const consequence = number.type === 'byo_twilio'
      ? 'The gateway stops using it and forgets your Auth Token; the number stays in your Twilio account.'
      : 'It is released at Twilio and may go to someone else; this cannot be undone.';
    release.addEventListener('click', () => confirmInline(release, `Release ${phoneNumber}? ${consequence}`, 'Yes, release it', async (box) => {
      try {
        await api('DELETE', `/v1/sms-numbers/${encodeSegment(phoneNumber)}`);
        ctx.navigate('#/numbers');
      } catch (e) {
        box.replaceWith(h('p', { class: 'form-error', role: 'alert' }, e.message));
      }
    }));
    replace(danger, h('h2', { id: 'number-release-title' }, 'Release'), h('p', {}, consequence), release);
  }

  load();
}
