// DOM building for the console. Everything that comes from the API (and so possibly from a customer) is put in
// the page as text (textContent, attribute values), never parsed as HTML: no HTML sink is used anywhere here.

/**
 * Creates an element. {@code props}: attributes (string values), plus {@code on<Event>} handlers and
 * {@code dataset}/{@code hidden}/{@code checked}/{@code disabled}/{@code value} properties. Children: nodes or
 * strings (strings become text nodes); null/undefined/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  Object.entries(props || {}).forEach(([name, value]) => {
    if (value === undefined || value === null || value === false) {
      return;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (['hidden', 'checked', 'disabled', 'value', 'required', 'selected', 'open'].includes(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  });
  append(element, children);
  return element;
}

function append(element, children) {
  children.flat(Infinity).forEach((child) => {
    if (child === undefined || child === null || child === false) {
      return;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

export function replace(element, ...children) {
  clear(element);
  append(element, children);
  return element;
}

let nextId = 0;
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * A labelled form control with its error line. {@code options}: label, name (the API's field name, so an error's
 * {@code field} finds it), type (text, password, number, email, url, select, textarea, checkbox), value, hint,
 * required, choices ([value, label] pairs for a select), attrs (more attributes).
 */
export function field(options) {
  const id = uniqueId(`f-${options.name.replace(/[^A-Za-z0-9_-]/g, '-')}`);
  const errorId = `${id}-error`;
  const hintId = options.hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = {
    id,
    name: options.name,
    required: options.required || false,
    'aria-describedby': describedBy,
    ...(options.attrs || {}),
  };
  let control;
  if (options.type === 'select') {
    control = h('select', common, (options.choices || []).map(([value, label]) =>
      h('option', { value, selected: String(options.value ?? '') === String(value) }, label)));
  } else if (options.type === 'textarea') {
    control = h('textarea', { ...common, rows: options.rows || 3 });
    control.value = options.value ?? '';
  } else if (options.type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', checked: Boolean(options.value) });
  } else {
    control = h('input', { ...common, type: options.type || 'text', autocomplete: 'off', spellcheck: 'false' });
    control.value = options.value ?? '';
  }
  const label = h('label', { for: id }, options.label);
  const parts = options.type === 'checkbox'
    ? [h('div', { class: 'check' }, control, label)]
    : [label, control];
  return h('div', { class: 'field' },
    parts,
    hintId ? h('p', { id: hintId, class: 'hint' }, options.hint) : null,
    h('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' }));
}

/** Explanations added to the API's own message for errors a console user meets and can act on. */
const ADVICE = {
  twilio_credentials_invalid: 'Twilio did not accept this Account SID and Auth Token. Copy both again from the Twilio console (Account → API keys & tokens); the Auth Token is the primary one of that account.',
  number_not_in_account: 'The credentials work, but this phone number is not among the account\'s Incoming Phone Numbers. Check the number, or use the Account SID that owns it.',
  number_not_sms_capable: 'The number is in the account but cannot send SMS. Choose an SMS-capable number in Twilio.',
  provider_not_supported: 'Only Twilio numbers can be brought to the gateway.',
  unsupported_country: 'Only US numbers (+1) are supported.',
  no_numbers_available: 'Twilio has no SMS-capable numbers in this area code now. Try a nearby area code.',
  number_unavailable: 'Someone else took this number meanwhile. Search again and pick another.',
  profile_not_approved: 'The business profile must be approved before a brand can be registered.',
  brand_exists: 'This profile already has a brand; its type cannot be changed.',
  brand_not_approved: 'The brand must be approved before campaigns can be submitted.',
  chat_in_progress: 'This customer already has an ongoing chat with that number.',
  recipient_opted_out: 'The recipient texted STOP to this number; they receive nothing until they text START.',
  sender_not_allowed: 'Send from an SMS-enabled number of this workspace.',
  admin_required: 'This needs an admin API key.',
  workspace_forbidden: 'Your key belongs to another workspace.',
};

/** The error in words: the API's message, advice for its code, and when to retry after a 429 or 503. */
export function describeError(error) {
  const parts = [error.message];
  if (ADVICE[error.code] && !error.message.includes(ADVICE[error.code])) {
    parts.push(ADVICE[error.code]);
  }
  if (error.status === 429 || (error.status === 503 && error.retryAt)) {
    parts.push(error.retryAt
      ? `Try again at ${formatTime(error.retryAt)} (${untilText(error.retryAt)}).`
      : 'Try again in a moment.');
  }
  return parts.join(' ');
}

function untilText(moment) {
  const seconds = Math.max(0, Math.ceil((moment.getTime() - Date.now()) / 1000));
  if (seconds < 90) {
    return `in ${seconds} s`;
  }
  if (seconds < 5400) {
    return `in ${Math.round(seconds / 60)} min`;
  }
  return `in ${Math.round(seconds / 3600)} h`;
}

/** Clears the errors shown in {@code form}. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((line) => { line.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((control) => control.removeAttribute('aria-invalid'));
  const banner = form.querySelector(':scope > .form-error');
  if (banner) {
    banner.remove();
  }
}

/**
 * Shows {@code error} in {@code form}: next to the control its {@code field} names (and focuses it), otherwise as
 * a message at the top of the form.
 */
export function showError(form, error) {
  clearErrors(form);
  const message = error.status !== undefined ? describeError(error) : String(error.message || error);
  const control = error.field ? findControl(form, error.field) : null;
  if (control) {
    const line = document.getElementById(`${control.id}-error`);
    if (line) {
      line.textContent = message;
      control.setAttribute('aria-invalid', 'true');
      control.focus();
      return;
    }
  }
  const banner = h('p', { class: 'form-error', role: 'alert' }, message);
  if (error.field) {
    banner.dataset.field = error.field;
  }
  form.prepend(banner);
}

function findControl(form, fieldName) {
  const named = form.elements.namedItem(fieldName) || form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`);
  if (named instanceof Element) {
    return named;
  }
  // "sample_messages[1]" and the like: the control of the whole list.
  const base = fieldName.replace(/\[\d+\]$/, '');
  const list = base !== fieldName ? form.elements.namedItem(base) : null;
  return list instanceof Element ? list : null;
}

/** A notice at the top of a page region (role=status), replacing the previous one. */
export function notice(container, message, kind = 'info') {
  const existing = container.querySelector(':scope > .notice');
  const element = h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  const heading = container.firstElementChild && /^H[1-3]$/.test(container.firstElementChild.tagName) ? container.firstElementChild : null;
  if (existing) {
    existing.replaceWith(element);
  } else if (heading) {
    heading.after(element);
  } else {
    container.prepend(element);
  }
  return element;
}

export function formatTime(value) {
  if (!value) {
    return '';
  }
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A link for a URL only when it is http(s); anything else (javascript:, data:) is shown as plain text. */
export function safeLink(url, label) {
  try {
    const parsed = new URL(url, window.location.href);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
      return h('a', { href: parsed.href, target: '_blank', rel: 'noopener noreferrer' }, label || url);
    }
  } catch (e) {
    // not a URL: shown as text below
  }
  return h('span', { class: 'unsafe-url' }, label ? `${label} (${url})` : url);
}

/** Form values as an object of strings (empty strings left out), checkboxes as booleans. */
export function formValues(form) {
  const values = {};
  Array.from(form.elements).forEach((control) => {
    if (!control.name || control.disabled) {
      return;
    }
    if (control.type === 'checkbox') {
      values[control.name] = control.checked;
    } else if (control.type === 'radio') {
      if (control.checked) {
        values[control.name] = control.value;
      }
    } else if (control.value.trim() !== '') {
      values[control.name] = control.value.trim();
    }
  });
  return values;
}

/** Disables the form's buttons while {@code work} runs, so one click is one request. */
export async function busy(form, work) {
  const buttons = Array.from(form.querySelectorAll('button'));
  buttons.forEach((button) => { button.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
    form.removeAttribute('aria-busy');
  }
}

/** A table with a caption, header cells and rows of cells (nodes or text). */
export function table(caption, headers, rows, emptyText) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, emptyText);
  }
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, index) =>
        h('td', { 'data-label': headers[index] }, cell)))))));
}

/** Repeats {@code task} every {@code intervalMs} while the page is shown; returns the function that stops it. */
export function poll(task, intervalMs) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        await task();
      } catch (e) {
        // the task shows its own errors; polling goes on
      }
    }
    if (!stopped) {
      timer = setTimeout(run, intervalMs);
    }
  };
  timer = setTimeout(run, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
