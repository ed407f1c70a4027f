// Pool (admin): the SMS-approved platform numbers in-call SMS falls back to.
import { api, encodeSegment } from '../api.js';
import { busy, clearErrors, field, formatTime, h, notice, replace, showError, table } from '../dom.js';
import { confirmInline, pageTitle } from './common.js';

export function render(ctx, root) {
  if (!ctx.isAdmin) {
    replace(root, pageTitle('Pool'), h('p', { class: 'notice info', role: 'status' }, 'The pool is managed with an admin key.'));
    return undefined;
  }
  const list = h('section', { 'aria-labelledby': 'pool-list-title' }, h('h2', { id: 'pool-list-title' }, 'Pool numbers'));
  const form = h('form', { class: 'inline-form', novalidate: true, 'aria-labelledby': 'pool-add-title' },
    h('h2', { id: 'pool-add-title' }, 'Add a pool number'),
    field({ label: 'Phone number (E.164)', name: 'phone_number', hint: 'A US number of the platform account, e.g. +14155550177', required: true }),
    h('button', { type: 'submit', class: 'primary' }, 'Add to pool'));
  replace(root,
    pageTitle('Pool', 'SMS-approved platform numbers. A call whose agent number cannot text sends preset templates from one of these, pinned to the call.'),
    h('section', {}, form), list);

  async function load() {
    try {
      const data = await api('GET', '/v1/pool-numbers');
      const rows = (data.pool_numbers || []).map((number) => {
        const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${number.phone_number} from the pool` }, 'Remove');
        remove.addEventListener('click', () => confirmInline(remove,
          `Remove ${number.phone_number} from the pool? Calls already pinned to it keep it until they end.`, 'Yes, remove', async (box) => {
            try {
              await api('DELETE', `/v1/pool-numbers/${encodeSegment(number.phone_number)}`);
              notice(list, `${number.phone_number} was removed from the pool.`);
              await load();
            } catch (e) {
              box.replaceWith(h('p', { class: 'form-error', role: 'alert' }, e.message));
            }
          }));
        return [number.phone_number, number.sms_status, formatTime(number.created_at), remove];
      });
      const existing = list.querySelector('.table-wrap, .empty');
      const rendered = table('Numbers in the SMS-approved pool', ['Number', 'SMS status', 'Added', 'Action'], rows,
        'The pool is empty: in-call SMS from calls without an SMS-capable agent number cannot be sent.');
      if (existing) {
        existing.replaceWith(rendered);
      } else {
        list.append(rendered);
      }
    } catch (e) {
      notice(list, e.message, 'error');
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const phoneNumber = form.elements.namedItem('phone_number').value.trim();
    await busy(form, async () => {
      try {
        const added = await api('POST', '/v1/pool-numbers', { phone_number: phoneNumber });
        form.reset();
        notice(list, `${added.phone_number} was added to the pool.`);
        await load();
      } catch (e) {
        showError(form, e);
      }
    });
  });

  load();
  return undefined;
}
