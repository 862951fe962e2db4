-- Billing: the Stripe subscription an organisation's plan comes from. Webhooks arrive out of order and
-- more than once, so the row keeps what orders them: the subscription's own creation time (a newer
-- subscription replaces an older one) and the creation time of the last event applied to it (older
-- news of the same subscription is ignored).

ALTER TABLE organisations
    ADD COLUMN stripe_subscription_id  text,
    ADD COLUMN subscription_status     text,         -- Stripe's status: active, past_due, canceled, …
    ADD COLUMN subscription_created    timestamptz,  -- the subscription object's `created`
    ADD COLUMN subscription_event_at   timestamptz,  -- `created` of the last event applied to it
    ADD COLUMN current_period_end      timestamptz,
    ADD COLUMN payment_failed_at       timestamptz;  -- last invoice.payment_failed; cleared when paid up

-- quota checks count submissions not stored yet: audit entries of an organisation by action and time
CREATE INDEX audit_log_org_action_at ON audit_log (org_id, action, at);
