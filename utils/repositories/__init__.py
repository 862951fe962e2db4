"""Repositories: every SQL statement of the application, one module per aggregate.

Each takes the pool from utils/database_manager.py (which owns the pool and the migrations only): a
function's `db` is the database to use, or None for the process's own (`get_database()`).

    scans           finished jobs: a scan row and its findings per job, exactly once
    usage           each organisation's monthly scan counter (what it is billed for)
    submissions     submissions counted against the quota, under the organisation's lock
    subscriptions   plan and Stripe subscription columns, and the webhook events that change them
    organisations   organisations and members: the first admin, roles, passwords, deactivation
    sessions        UI sessions by the hash of their token
    login_throttle  failed sign-ins per account and source
    api_keys        API keys, stored hashed
    audit           the append-only audit log
    common          the default database and value checks the others share

Nothing here logs or raises with a stored value in the message: PostgreSQL's own error text (which can
quote a row's values) is only ever chained as the cause, never copied into our messages or logs.
"""
