// Registration (A2P 10DLC): business profile → brand → campaigns for one workspace, each step's state, rejection
// reasons, the stale flag, the fees ledger, and (sandbox, admins) the carrier review stand-in.
import { api, encodeSegment, idempotencyKeys, withQuery } from '../api.js';
import { busy, clearErrors, field, formValues, formatTime, h, replace, showError, table } from '../dom.js';
import { pageTitle, workspaceOrPrompt } from './common.js';

/** Tiers as the brand step explains them (DESIGN §8, §9). */
const BRAND_TYPES = [
  ['low_volume', 'Low volume', 'Under 6,000 message segments a day to US numbers, of which 2,000 to T-Mobile. One-time brand fee $4.'],
  ['standard', 'Standard', 'Up to 400,000 segments a day; T-Mobile\'s cap and the throughput follow the brand\'s trust score. One-time brand fee $45 (secondary vetting).'],
];

const STATE_WORDS = {
  pending: 'Pending review',
  approved: 'Approved',
  rejected: 'Rejected',
  suspended: 'Suspended',
};

/** The US A2P 10DLC use cases (TCR), most common first. */
const USE_CASES = [
  ['CUSTOMER_CARE', 'Customer care'], ['ACCOUNT_NOTIFICATION', 'Account notifications'], ['DELIVERY_NOTIFICATION', 'Delivery notifications'],
  ['2FA', 'Two-factor authentication'], ['MARKETING', 'Marketing'], ['MIXED', 'Mixed'], ['LOW_VOLUME', 'Low volume mixed'],
  ['FRAUD_ALERT', 'Fraud alerts'], ['SECURITY_ALERT', 'Security alerts'], ['PUBLIC_SERVICE_ANNOUNCEMENT', 'Public service announcements'],
  ['POLLING_VOTING', 'Polling and voting'], ['HIGHER_EDUCATION', 'Higher education'], ['K12_EDUCATION', 'K-12 education'],
  ['CHARITY', 'Charity'], ['EMERGENCY', 'Emergency'], ['AGENTS_FRANCHISES', 'Agents and franchises'], ['PROXY', 'Proxy'],
  ['SOCIAL', 'Social'], ['SWEEPSTAKE', 'Sweepstakes'], ['POLITICAL', 'Political'],
];

function useCaseLabel(code) {
  return USE_CASES.find(([value]) => value === code)?.[1] || code;
}

export function render(ctx, root) {
  const workspace = workspaceOrPrompt(ctx, root, 'Registration');
  if (!workspace) {
    return undefined;
  }
  const steps = h('div', { class: 'steps', 'aria-live': 'polite' });
  const fees = h('section', { 'aria-labelledby': 'fees-title' });
  replace(root,
    pageTitle('Registration', `A2P 10DLC registration of workspace ${workspace}: US carriers let a platform number send only for an approved campaign of a registered brand. Business profile → brand → campaigns.`),
    steps, fees);

  async function load() {
    try {
      const profiles = await api('GET', withQuery('/v1/business-profiles', { workspace_id: workspace }));
      const list = profiles.business_profiles || [];
      // An approved profile is the one in use (a workspace may reuse it); otherwise the newest (listed oldest first).
      const profile = list.find((p) => p.status === 'approved') || list[list.length - 1] || null;
      const brand = profile ? await brandOf(profile) : null;
      const campaigns = brand ? await campaignsOf(brand) : [];
      replace(steps,
        profileStep(profile),
        brandStep(profile, brand),
        campaignStep(brand, campaigns));
    } catch (e) {
      replace(steps, h('p', { class: 'notice error', role: 'alert' }, e.message));
    }
    loadFees();
  }

  async function brandOf(profile) {
    return profile.brand_id ? api('GET', `/v1/brands/${encodeSegment(profile.brand_id)}`) : null;
  }

  async function campaignsOf(brand) {
    const data = await api('GET', `/v1/brands/${encodeSegment(brand.id)}/campaigns`);
    return data.campaigns || [];
  }

  async function loadFees() {
    try {
      const ledger = await api('GET', `/v1/workspaces/${encodeSegment(workspace)}/fees`);
      const rows = (ledger.items || []).map((item) => [formatTime(item.created_at), item.description || item.kind, item.resource_id,
        dollars(item.amount_cents)]);
      replace(fees, h('h2', { id: 'fees-title' }, 'Fees'),
        table('Registration fees of this workspace (non-refundable)', ['When', 'For', 'Id', 'Amount'], rows, 'No fees recorded yet.'),
        h('p', { class: 'fees-total' }, `Total: ${dollars(ledger.total_cents ?? 0)}`));
    } catch (e) {
      replace(fees, h('h2', { id: 'fees-title' }, 'Fees'), h('p', { class: 'notice error', role: 'alert' }, e.message));
    }
  }

  function stepSection(number, title, state, ...content) {
    return h('section', { class: `step step-${state || 'todo'}`, 'aria-labelledby': `step-${number}-title`, dataset: { step: String(number) } },
      h('h2', { id: `step-${number}-title` }, `${number}. ${title}`),
      ...content);
  }

  function stateLine(resource) {
    return h('div', { class: 'step-state' },
      h('p', {}, h('span', { class: `badge state-${resource.status}` }, STATE_WORDS[resource.status] || resource.status),
        ` submitted ${formatTime(resource.created_at)}`, resource.updated_at ? `, updated ${formatTime(resource.updated_at)}` : ''),
      resource.rejection_reason ? h('p', { class: 'rejection' }, `Rejection reason: ${resource.rejection_reason}`) : null,
      resource.stale ? h('p', { class: 'stale', role: 'note' }, 'Pending for over 30 days: this registration is flagged stale. Check the details or contact support.') : null);
  }

  /** Sandbox admins stand in for the carriers' review. */
  function reviewButtons(kind, resource) {
    if (!ctx.isAdmin || !ctx.identity.twilio_sandbox || resource.status !== 'pending') {
      return null;
    }
    const form = h('form', { class: 'review', novalidate: true, 'aria-label': `Review this ${kind.replace('_', ' ')} (sandbox)` },
      h('p', { class: 'hint' }, 'Sandbox: decide as the carrier would.'),
      field({ label: 'Rejection reason', name: 'reason', hint: 'Only for a rejection' }),
      kind === 'brand' ? field({ label: 'Trust score (1-100)', name: 'brand_score', type: 'number', attrs: { min: '1', max: '100' } }) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'approved', class: 'primary' }, 'Approve'),
        h('button', { type: 'submit', value: 'rejected', class: 'danger' }, 'Reject')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const decision = event.submitter?.value || 'approved';
      const values = formValues(form);
      const body = { decision };
      if (decision === 'rejected' && values.reason) {
        body.reason = values.reason;
      }
      if (values.brand_score) {
        body.brand_score = Number(values.brand_score);
      }
      await busy(form, async () => {
        try {
          await api('POST', `/v1/registrations/${kind}/${encodeSegment(resource.id)}/review`, body);
          await load();
        } catch (e) {
          showError(form, e);
        }
      });
    });
    return form;
  }

  function profileStep(profile) {
    if (profile && profile.status !== 'rejected') {
      return stepSection(1, 'Business profile', profile.status,
        stateLine(profile),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Legal name'), h('dd', {}, profile.legal_name),
          h('dt', {}, 'EIN'), h('dd', {}, profile.ein),
          h('dt', {}, 'Website'), h('dd', {}, profile.website),
          h('dt', {}, 'Contact'), h('dd', {}, `${profile.contact_email} · ${profile.contact_phone}`)),
        reviewButtons('business_profile', profile));
    }
    return stepSection(1, 'Business profile', profile ? 'rejected' : 'todo',
      profile ? stateLine(profile) : h('p', {}, 'Who sends the texts: the legal entity carriers check. Free of charge.'),
      profileForm(profile));
  }

  function profileForm(previous) {
    const address = previous?.address || {};
    const form = h('form', { novalidate: true, class: 'profile-form' },
      field({ label: 'Legal name', name: 'legal_name', required: true, value: previous?.legal_name }),
      field({ label: 'EIN', name: 'ein', required: true, hint: 'NN-NNNNNNN', value: previous?.ein }),
      field({ label: 'Street', name: 'address.street', required: true, value: address.street }),
      field({ label: 'City', name: 'address.city', required: true, value: address.city }),
      field({ label: 'State', name: 'address.region', required: true, hint: 'Two letters, e.g. CA', value: address.region }),
      field({ label: 'ZIP code', name: 'address.postal_code', required: true, value: address.postal_code }),
      field({ label: 'Website', name: 'website', type: 'url', required: true, hint: 'https://…', value: previous?.website }),
      field({ label: 'Contact email', name: 'contact_email', type: 'email', required: true, hint: 'Receives every decision', value: previous?.contact_email }),
      field({ label: 'Contact phone', name: 'contact_phone', required: true, hint: 'E.164, e.g. +14155550100', value: previous?.contact_phone }),
      h('button', { type: 'submit', class: 'primary' }, previous ? 'Resubmit business profile' : 'Submit business profile'));
    const keyFor = idempotencyKeys();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const v = formValues(form);
      const body = {
        workspace_id: workspace,
        legal_name: v.legal_name, ein: v.ein,
        address: { street: v['address.street'], city: v['address.city'], region: v['address.region'], postal_code: v['address.postal_code'], country: 'US' },
        website: v.website, contact_email: v.contact_email, contact_phone: v.contact_phone,
      };
      await busy(form, async () => {
        try {
          if (previous) {
            await api('POST', `/v1/business-profiles/${encodeSegment(previous.id)}/resubmit`, body);
          } else {
            await api('POST', '/v1/business-profiles', body, { idempotencyKey: keyFor(body) });
          }
          await load();
        } catch (e) {
          showError(form, e);
        }
      });
    });
    return form;
  }

  function brandStep(profile, brand) {
    if (brand && brand.status !== 'rejected') {
      const type = BRAND_TYPES.find(([value]) => value === brand.type);
      return stepSection(2, 'Brand', brand.status, stateLine(brand),
        h('p', {}, `Type: ${type ? type[1] : brand.type}${brand.brand_score != null ? ` · trust score ${brand.brand_score}` : ''}. The type cannot be changed.`),
        reviewButtons('brand', brand));
    }
    if (!profile || profile.status !== 'approved') {
      return stepSection(2, 'Brand', 'todo', h('p', {}, 'Available once the business profile is approved.'));
    }
    const form = h('form', { novalidate: true, class: 'brand-form' },
      h('fieldset', {},
        h('legend', {}, 'Brand type'),
        BRAND_TYPES.map(([value, label, text], index) => h('div', { class: 'choice' },
          h('input', { type: 'radio', id: `brand-type-${value}`, name: 'type', value, checked: brand ? brand.type === value : index === 0 }),
          h('label', { for: `brand-type-${value}` }, h('strong', {}, label), ` — ${text}`)))),
      h('p', { class: 'warning', role: 'note' }, 'The brand type cannot be changed later: a profile has one brand for good. Choose standard if you may ever send more than 6,000 segments a day.'),
      h('button', { type: 'submit', class: 'primary' }, brand ? 'Resubmit brand' : 'Register brand'));
    const keyFor = idempotencyKeys();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const body = { type: formValues(form).type };
      await busy(form, async () => {
        try {
          if (brand) {
            await api('POST', `/v1/brands/${encodeSegment(brand.id)}/resubmit`, body);
          } else {
            await api('POST', `/v1/business-profiles/${encodeSegment(profile.id)}/brand`, body, { idempotencyKey: keyFor(body) });
          }
          await load();
        } catch (e) {
          showError(form, e);
        }
      });
    });
    return stepSection(2, 'Brand', brand ? 'rejected' : 'todo', brand ? stateLine(brand) : null, form);
  }

  function campaignStep(brand, campaigns) {
    if (!brand || brand.status !== 'approved') {
      return stepSection(3, 'Campaigns', 'todo', h('p', {}, 'Available once the brand is approved. Each campaign submission costs $15.'));
    }
    const list = campaigns.map((campaign) => h('article', { class: 'campaign', dataset: { campaignId: campaign.id } },
      h('h3', {}, `${useCaseLabel(campaign.use_case)} campaign`),
      stateLine(campaign),
      h('p', {}, campaign.description),
      campaign.status === 'rejected' ? resubmitButton(`/v1/campaigns/${encodeSegment(campaign.id)}/resubmit`, 'Resubmit this campaign ($15)') : null,
      reviewButtons('campaign', campaign)));
    const approved = campaigns.some((c) => c.status === 'approved');
    return stepSection(3, 'Campaigns', approved ? 'approved' : campaigns.length ? 'pending' : 'todo',
      approved ? h('p', { class: 'notice success', role: 'status' }, 'A campaign is approved: this workspace\'s platform numbers can send SMS.') : null,
      list,
      campaignForm(brand));
  }

  function resubmitButton(path, label) {
    const button = h('button', { type: 'button' }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('POST', path);
        await load();
      } catch (e) {
        button.after(h('p', { class: 'form-error', role: 'alert' }, e.message));
        button.disabled = false;
      }
    });
    return button;
  }

  function campaignForm(brand) {
    const form = h('form', { novalidate: true, class: 'campaign-form', 'aria-label': 'New campaign' },
      h('h3', {}, 'Submit a campaign ($15)'),
      field({ label: 'Use case', name: 'use_case', type: 'select', choices: USE_CASES, value: 'CUSTOMER_CARE' }),
      field({ label: 'Description', name: 'description', type: 'textarea', required: true, hint: 'What the texts are for and who receives them' }),
      field({ label: 'Sample messages', name: 'sample_messages', type: 'textarea', rows: 5, required: true, hint: '2 to 5 examples, one per line' }),
      field({ label: 'How people opt in', name: 'message_flow', type: 'textarea', required: true, hint: 'Where and how a recipient agrees to get texts' }),
      field({ label: 'Texts contain links', name: 'has_embedded_links', type: 'checkbox' }),
      field({ label: 'Texts contain phone numbers', name: 'has_embedded_phone', type: 'checkbox' }),
      h('button', { type: 'submit', class: 'primary' }, 'Submit campaign'));
    const keyFor = idempotencyKeys();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const v = formValues(form);
      const body = {
        use_case: v.use_case,
        description: v.description,
        sample_messages: (v.sample_messages || '').split('\n').map((line) => line.trim()).filter(Boolean),
        message_flow: v.message_flow,
        has_embedded_links: Boolean(v.has_embedded_links),
        has_embedded_phone: Boolean(v.has_embedded_phone),
      };
      await busy(form, async () => {
        try {
          await api('POST', `/v1/brands/${encodeSegment(brand.id)}/campaigns`, body, { idempotencyKey: keyFor(body) });
          await load();
        } catch (e) {
          showError(form, e);
        }
      });
    });
    return form;
  }

  load();
  return undefined;
}

function dollars(cents) {
  return `$${(Number(cents || 0) / 100).toFixed(2)}`;
}

