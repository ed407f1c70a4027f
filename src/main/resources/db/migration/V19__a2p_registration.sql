-- A2P 10DLC registration (issue 10): business profile -> brand -> campaigns, per workspace. Each step is
-- pending -> approved | rejected (a campaign also suspended); a rejected step may be resubmitted (pending again,
-- charged again). twilio_* columns hold the live-mode resources; next_poll_at/lease_* drive the leased poller that
-- asks Twilio about pending steps (one replica per row at a time).
CREATE TABLE business_profiles (
    id                   text PRIMARY KEY,
    workspace_id         text NOT NULL,
    status               text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    rejection_reason     text,
    legal_name           text NOT NULL,
    ein                  text NOT NULL,
    street               text NOT NULL,
    city                 text NOT NULL,
    region               text NOT NULL,
    postal_code          text NOT NULL,
    country              text NOT NULL,
    website              text NOT NULL,
    contact_email        text NOT NULL,
    contact_phone        text NOT NULL,
    twilio_customer_profile_sid text,
    twilio_trust_product_sid    text,
    submitted_at         timestamptz NOT NULL DEFAULT now(),
    decided_at           timestamptz,
    next_poll_at         timestamptz,
    lease_owner          text,
    lease_until          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX business_profiles_workspace_idx ON business_profiles (workspace_id, created_at, id);

-- One brand per profile, never replaced (a rejected one is resubmitted in place).
CREATE TABLE brands (
    id                   text PRIMARY KEY,
    business_profile_id  text NOT NULL UNIQUE REFERENCES business_profiles (id),
    workspace_id         text NOT NULL,
    type                 text NOT NULL CHECK (type IN ('low_volume', 'standard')),
    status               text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    rejection_reason     text,
    brand_score          integer CHECK (brand_score BETWEEN 0 AND 100),
    twilio_brand_sid     text,
    submitted_at         timestamptz NOT NULL DEFAULT now(),
    decided_at           timestamptz,
    next_poll_at         timestamptz,
    lease_owner          text,
    lease_until          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX brands_workspace_idx ON brands (workspace_id, status);

CREATE TABLE campaigns (
    id                   text PRIMARY KEY,
    brand_id             text NOT NULL REFERENCES brands (id),
    workspace_id         text NOT NULL,
    status               text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    rejection_reason     text,
    use_case             text NOT NULL,
    description          text NOT NULL,
    sample_messages      jsonb NOT NULL,
    message_flow         text NOT NULL,
    opt_in_keywords      jsonb,
    opt_out_message      text,
    help_message         text,
    has_embedded_links   boolean NOT NULL,
    has_embedded_phone   boolean NOT NULL,
    twilio_campaign_sid  text,
    submitted_at         timestamptz NOT NULL DEFAULT now(),
    decided_at           timestamptz,
    next_poll_at         timestamptz,
    lease_owner          text,
    lease_until          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_brand_idx ON campaigns (brand_id, created_at, id);
CREATE INDEX campaigns_workspace_idx ON campaigns (workspace_id, status);

-- Stale and polling scans look at pending rows only.
CREATE INDEX business_profiles_pending_idx ON business_profiles (submitted_at) WHERE status = 'pending';
CREATE INDEX brands_pending_idx ON brands (submitted_at) WHERE status = 'pending';
CREATE INDEX campaigns_pending_idx ON campaigns (submitted_at) WHERE status = 'pending';

-- Live mode: the workspace's Messaging Service (inbound + status URLs of the gateway), made once.
CREATE TABLE messaging_services (
    workspace_id text PRIMARY KEY,
    service_sid  text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Registration fees, non-refundable: one row per submission (resubmissions are charged again).
CREATE TABLE registration_fees (
    id           bigserial PRIMARY KEY,
    workspace_id text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('business_profile', 'brand', 'campaign')),
    resource_id  text NOT NULL,
    description  text NOT NULL,
    amount_cents integer NOT NULL CHECK (amount_cents >= 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_fees_workspace_idx ON registration_fees (workspace_id, id);

-- Decision emails (approved / rejected / suspended) to the profile's contact: a durable outbox, sent by a leased
-- worker with backoff. dedupe_key makes a transition applied twice (two pollers, a retried review) email once.
CREATE TABLE registration_emails (
    id              bigserial PRIMARY KEY,
    dedupe_key      text NOT NULL UNIQUE,
    workspace_id    text NOT NULL,
    to_address      text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    lease_owner     text,
    lease_until     timestamptz,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_emails_due_idx ON registration_emails (next_attempt_at) WHERE state = 'pending';
