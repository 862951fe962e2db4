-- Accounts: members can be deactivated (kept for the audit trail, never deleted), and UI sign-ins are
-- server-side sessions, so signing out, deactivating a member or changing a role ends them at once.

ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;

CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,  -- SHA-256 of the session token; the token itself is never stored
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
