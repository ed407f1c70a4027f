// The console shell: sign-in and sign-out, the workspace in view, and the page for the location hash.
import { api, ApiError, forgetKey, onUnauthorized, rememberKey, storedKey } from './api.js';
import { clearErrors, h, replace, showError } from './dom.js';
import * as numbers from './pages/numbers.js';
import * as registration from './pages/registration.js';
import * as conversations from './pages/conversations.js';
import * as calls from './pages/calls.js';
import * as usage from './pages/usage.js';
import * as pool from './pages/pool.js';

const PAGES = { numbers, registration, conversations, calls, usage, pool };
const WORKSPACE_ITEM = 'sms-console.workspace';

const signInSection = document.getElementById('sign-in');
const signInForm = document.getElementById('sign-in-form');
const keyInput = document.getElementById('api-key');
const nav = document.getElementById('nav');
const session = document.getElementById('session');
const identityLine = document.getElementById('identity');
const workspaceForm = document.getElementById('workspace-form');
const workspaceInput = document.getElementById('workspace');
const pageRoot = document.getElementById('page');

let identity = null;
let disposePage = null;

const context = {
  get identity() {
    return identity;
  },
  get isAdmin() {
    return identity?.role === 'admin';
  },
  /** The workspace the pages show: a workspace key's own, or the one an admin opened. */
  workspace() {
    return identity?.workspace_id || sessionStorage.getItem(WORKSPACE_ITEM) || '';
  },
  navigate(hash) {
    if (window.location.hash === hash) {
      showPage();
    } else {
      window.location.hash = hash;
    }
  },
  refresh() {
    showPage();
  },
};

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(signInForm);
  const key = keyInput.value.trim();
  if (!key) {
    showError(signInForm, { field: 'api_key', message: 'Enter an API key.' });
    return;
  }
  rememberKey(key);
  try {
    identity = await api('GET', '/v1/whoami');
  } catch (e) {
    forgetKey();
    const error = e instanceof ApiError && e.status === 401
      ? new ApiError(401, { code: e.code, field: 'api_key', message: 'This API key is unknown or revoked. Check it and try again.' })
      : Object.assign(e, { field: 'api_key' });
    showError(signInForm, error);
    return;
  }
  keyInput.value = '';
  enterConsole();
});

document.getElementById('sign-out').addEventListener('click', () => signOut());

workspaceForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const workspace = workspaceInput.value.trim();
  if (workspace) {
    sessionStorage.setItem(WORKSPACE_ITEM, workspace);
  } else {
    sessionStorage.removeItem(WORKSPACE_ITEM);
  }
  showPage();
});

onUnauthorized(() => signOut('Your API key was refused (unknown or revoked). Sign in again.'));

window.addEventListener('hashchange', () => {
  if (identity) {
    // A new page: move focus to its heading, so keyboard and screen-reader users start there.
    showPage({ focusHeading: true });
  }
});

/** Forgets the key and everything shown with it. */
function signOut(message) {
  stopPage();
  forgetKey();
  sessionStorage.removeItem(WORKSPACE_ITEM);
  identity = null;
  pageRoot.replaceChildren();
  pageRoot.hidden = true;
  nav.hidden = true;
  session.hidden = true;
  identityLine.textContent = '';
  workspaceInput.value = '';
  signInSection.hidden = false;
  clearErrors(signInForm);
  if (message) {
    showError(signInForm, { field: 'api_key', message });
  }
  keyInput.focus();
}

function enterConsole() {
  signInSection.hidden = true;
  nav.hidden = false;
  session.hidden = false;
  pageRoot.hidden = false;
  const role = identity.role.replace('_', ' ');
  identityLine.textContent = identity.workspace_id
    ? `Signed in: ${role} key of workspace ${identity.workspace_id}`
    : `Signed in: ${role} key`;
  workspaceForm.hidden = Boolean(identity.workspace_id);
  workspaceInput.value = context.workspace();
  nav.querySelectorAll('[data-roles]').forEach((item) => { item.hidden = !item.dataset.roles.split(' ').includes(identity.role); });
  if (!pageName()) {
    window.location.hash = `#/${allowedPages()[0]}`;
  }
  showPage();
}

/** The pages the signed-in key's role sees, in menu order. */
function allowedPages() {
  return Array.from(nav.querySelectorAll('[data-roles]'))
    .filter((item) => item.dataset.roles.split(' ').includes(identity.role))
    .map((item) => item.querySelector('a').dataset.page);
}

/** The page the location names, when the key may see it. */
function pageName() {
  const [name] = window.location.hash.replace(/^#\/?/, '').split('/');
  return PAGES[name] && allowedPages().includes(name) ? name : null;
}

function stopPage() {
  if (disposePage) {
    disposePage();
    disposePage = null;
  }
}

function showPage({ focusHeading = false } = {}) {
  stopPage();
  const name = pageName() || allowedPages()[0];
  const [hashName, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
  const params = hashName === name ? rest.map(decodeURIComponent) : [];
  nav.querySelectorAll('a[data-page]').forEach((link) => {
    if (link.dataset.page === name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  });
  const container = h('div', { class: 'page', dataset: { page: name } });
  replace(pageRoot, container);
  const dispose = PAGES[name].render(context, container, params);
  disposePage = typeof dispose === 'function' ? dispose : null;
  if (focusHeading) {
    container.querySelector('h1')?.focus();
  }
}

async function resume() {
  if (!storedKey()) {
    keyInput.focus();
    return;
  }
  try {
    identity = await api('GET', '/v1/whoami');
    enterConsole();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      showError(signInForm, e);
    }
  }
}

resume();
