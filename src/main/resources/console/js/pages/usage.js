// Usage: each brand's segment budgets now, as bars against their caps, and (admins) the pool in use.
import { api, encodeSegment, withQuery } from '../api.js';
import { formatTime, h, notice, poll, replace } from '../dom.js';
import { pageTitle, usageBar } from './common.js';

const REFRESH_MS = 5000;
const LIMITS = [
  ['per_second', 'This second', 'refills every second'],
  ['daily_total', 'Today, all carriers', null],
  ['daily_tmobile', 'Today, to T-Mobile', null],
];

export function render(ctx, root) {
  // A workspace key always has its workspace; an admin may look at the pool before opening one.
  const workspace = ctx.workspace();
  const brands = h('div', { class: 'brands', 'aria-live': 'polite' });
  const poolSection = ctx.isAdmin ? h('section', { 'aria-labelledby': 'pool-usage-title' }, h('h2', { id: 'pool-usage-title' }, 'Pool')) : null;
  replace(root,
    pageTitle('Usage', 'Segments each brand has used against its carrier limits. Daily budgets reset at the carriers\' midnight (America/Los_Angeles).'),
    workspace ? brands : h('p', { class: 'notice info', role: 'status' }, 'Open a workspace at the top to see its brand.'),
    poolSection);

  async function brandUsage(brandId, title) {
    try {
      return { title, usage: await api('GET', `/v1/brands/${encodeSegment(brandId)}/usage`) };
    } catch (e) {
      return e.status === 404 ? null : { title, error: e };
    }
  }

  function brandSection(entry) {
    if (entry.error) {
      return h('section', { class: 'brand-usage' }, h('h2', {}, entry.title), h('p', { class: 'form-error', role: 'alert' }, entry.error.message));
    }
    const usage = entry.usage;
    return h('section', { class: 'brand-usage', dataset: { brandId: usage.brand_id } },
      h('h2', {}, `${entry.title}: brand ${usage.brand_id}`),
      h('p', {}, `Tier ${usage.tier.replace('_', ' ')} · carrier day ${usage.carrier_day} · daily budgets reset ${formatTime(usage.resets_at)}`),
      LIMITS.filter(([code]) => usage.limits && usage.limits[code]).map(([code, label, note]) =>
        usageBar(label, usage.limits[code].used, usage.limits[code].limit, note)));
  }

  /** The workspace's own brand, and one per Twilio account of its BYO numbers (limited by their declared tier). */
  async function workspaceBrands() {
    const brandsToShow = [[`workspace-${workspace}`, `Workspace ${workspace}`]];
    try {
      const data = await api('GET', withQuery('/v1/sms-numbers', { workspace_id: workspace, type: 'byo_twilio', limit: 100 }));
      const accounts = new Set((data.sms_numbers || []).map((number) => number.account_sid).filter(Boolean));
      accounts.forEach((accountSid) => brandsToShow.push([`byo-${accountSid}`, `Your Twilio account ${accountSid}`]));
    } catch (e) {
      // without the numbers list, the workspace brand alone
    }
    return brandsToShow;
  }

  async function load() {
    if (workspace) {
      const entries = (await Promise.all((await workspaceBrands()).map(([id, title]) => brandUsage(id, title)))).filter(Boolean);
      replace(brands, entries.length ? entries.map(brandSection) : h('p', { class: 'empty' }, 'This workspace has no brand yet.'));
    }
    if (poolSection) {
      try {
        const pool = await api('GET', '/v1/pool-usage');
        const poolBrand = pool.brand_id ? await brandUsage(pool.brand_id, 'Pool') : null;
        replace(poolSection, h('h2', { id: 'pool-usage-title' }, 'Pool'),
          h('p', { class: 'pool-in-use' },
            `${pool.calls_pinned} active call(s) hold a pool number; ${pool.pool_numbers_enabled} pool number(s) can send.`),
          poolBrand ? brandSection(poolBrand) : null);
      } catch (e) {
        notice(poolSection, e.message, 'error');
      }
    }
  }
  load();
  return poll(load, REFRESH_MS);
}
