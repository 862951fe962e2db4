-- The first schema of DataGuardian Pro: organisations, users, API keys, scans and their findings,
-- monthly usage, the append-only audit log and Stripe webhook events.
-- Applied once by utils/database_manager.migrate(), inside one transaction under an advisory lock.

CREATE TABLE organisations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plan                text NOT NULL DEFAULT 'free',
    stripe_customer_id  text UNIQUE,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email           text NOT NULL,
    display_name    text,
    role            text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    password_hash   text NOT NULL,  -- an algorithm-tagged hash (argon2/bcrypt/scrypt), never a password
    failed_logins   integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    timestamptz,  -- logins refused until then, after too many failures
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- one account per address, whatever its case
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org ON users (org_id);

CREATE TABLE api_keys (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    name            text NOT NULL,
    prefix          text NOT NULL,  -- first characters of the key, shown in the UI to tell keys apart
    key_hash        text NOT NULL UNIQUE,  -- SHA-256 of the whole key; the key itself is never stored
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE scans (
    id                bigserial PRIMARY KEY,
    job_id            uuid NOT NULL UNIQUE,  -- one row per job: a re-delivered job is written once
    org_id            uuid REFERENCES organisations (id) ON DELETE CASCADE,
    user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
    scanner           text NOT NULL,
    status            text NOT NULL CHECK (status IN ('completed', 'degraded', 'failed')),
    job_state         text NOT NULL
                      CHECK (job_state IN ('succeeded', 'failed', 'timed_out', 'cancelled', 'dead')),
    attempts          integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    duration_s        double precision,
    compliance_score  integer CHECK (compliance_score BETWEEN 0 AND 100),
    risk_level        text,
    summary           jsonb NOT NULL DEFAULT '{}',
    errors            jsonb NOT NULL DEFAULT '[]',
    error             text,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scans_org_created ON scans (org_id, created_at DESC);

CREATE TABLE findings (
    id              bigserial PRIMARY KEY,
    scan_id         bigint NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    position        integer NOT NULL,  -- order within the scan result
    type            text NOT NULL,
    category        text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
    confidence      real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    location        jsonb NOT NULL DEFAULT '{}',
    evidence        text NOT NULL DEFAULT '',  -- ALWAYS masked: scanners mask when a finding is built
    gdpr_articles   text[] NOT NULL DEFAULT '{}',
    remediation     text NOT NULL DEFAULT '',
    explanation     jsonb NOT NULL DEFAULT '{}',
    fingerprint     text NOT NULL DEFAULT '',
    suppressed      boolean NOT NULL DEFAULT false,
    UNIQUE (scan_id, position)
);
CREATE INDEX findings_fingerprint ON findings (fingerprint) WHERE fingerprint <> '';

CREATE TABLE usage (
    org_id  uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    month   date NOT NULL CHECK (extract(day FROM month) = 1),  -- first day of the month
    scans   integer NOT NULL DEFAULT 0 CHECK (scans >= 0),
    PRIMARY KEY (org_id, month)
);

-- No foreign keys: deleting an organisation must not need to touch (and be refused by) its history.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    org_id          uuid,
    actor_user_id   uuid,
    action          text NOT NULL,
    target          text,
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_org_at ON audit_log (org_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE stripe_events (
    event_id        text PRIMARY KEY,  -- Stripe's evt_… id: a redelivered webhook is recognised
    type            text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}',
    received_at     timestamptz NOT NULL DEFAULT now(),
    processed_at    timestamptz
);
