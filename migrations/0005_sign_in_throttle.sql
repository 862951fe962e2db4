-- Sign-in throttle. Failed sign-ins used to be counted on the user row, which locked the account for
-- everyone (anyone could lock the admin out) and only for addresses that exist (the lock told which do).
-- Now attempts are counted per address as typed (its SHA-256, so a password typed into the address
-- field is not kept in the clear) and per source address, known and unknown addresses alike; a row
-- with account '*' counts every attempt from one source (password spraying). A row lives for one
-- window that starts at its first attempt; rows whose window ended are reused or deleted.

CREATE TABLE login_throttle (
    account         text NOT NULL,  -- SHA-256 hex of the trimmed, lower-cased address typed, or '*'
    source          text NOT NULL,  -- the client address (an IPv6 client by its /64), or 'unknown'
    attempts        integer NOT NULL CHECK (attempts >= 0),
    window_ends_at  timestamptz NOT NULL,
    PRIMARY KEY (account, source)
);
CREATE INDEX login_throttle_window_ends_at ON login_throttle (window_ends_at);

ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
