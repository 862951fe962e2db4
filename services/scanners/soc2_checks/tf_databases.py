"""Database rules for AWS RDS/Aurora, Azure SQL and GCP Cloud SQL, each mapped to a SOC 2 check.

Each rule names the Checkov check(s) it matches, so bench/soc2_dpia_bench.py can compare the two on
the same tree, and a SOC 2 check (data/soc2_v2.yaml), which carries the Trust Services criteria:

    encryption_at_rest (CC6.1, C1.1)    storage encryption, CMK keys, Performance Insights' key, TDE
    encryption_in_transit (CC6.7, C1.1) minimum TLS, SSL required, modern CA certificates
    network_exposure (CC6.6)            public accessibility, public IP, 0.0.0.0/0, public snapshots
    database_authentication (CC6.1)     IAM database authentication, Azure AD administrator
    backups (A1.2)                      retention > 0, final snapshot, backtracking, PITR
    deletion_protection (A1.2)          deletion protection
    high_availability (A1.2)            Multi-AZ, regional availability, zone redundancy
    audit_logging (CC7.2)               log exports, SQL auditing, PostgreSQL logging flags
    performance_monitoring (CC7.2, A1.1) Performance Insights, enhanced monitoring
    threat_detection (CC7.2)            Azure SQL threat detection alert policies
    database_hardening (CC7.1)          minor version upgrades, vulnerability assessment, unsafe flags
    data_classification (C1.1)          tags copied to snapshots

Where a setting is not written, the provider's own default decides (an unset `multi_az` is false,
an unset `auto_minor_version_upgrade` is true); where it is an expression the tree does not decide,
the rule reports it not assessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from services.scanners.soc2_checks.common import Observation
from services.scanners.soc2_checks.hcl_eval import Origin, Value, unknown
from services.scanners.soc2_checks.tf_resources import (
    Body,
    Resource,
    Setting,
    check_setting,
    engine_in,
    is_false,
    is_true,
    judged,
    non_empty,
    one_of,
    positive,
)

RDS_INSTANCE, RDS_CLUSTER = "aws_db_instance", "aws_rds_cluster"
RDS_CLUSTER_INSTANCE = "aws_rds_cluster_instance"
INSTANCES = (RDS_INSTANCE, RDS_CLUSTER_INSTANCE)
IAM_AUTH_ENGINES = ("mysql", "postgres", "aurora", "mariadb")
MYSQL_AURORA = ("aurora", "aurora-mysql")
MONITORING_INTERVALS = (1, 5, 10, 15, 30, 60)
MODERN_CA = ("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1")
OPEN_NETWORKS = ("0.0.0.0/0", "::/0", "0.0.0.0")


def _performance_insights_supported(resource: Resource) -> bool | None:
    # as Checkov: not offered for MySQL/MariaDB on the smallest classes, nor for Db2
    engine, size = resource.value("engine"), resource.value("instance_class")
    if not engine.known:
        return None
    name = str(engine.data or "").lower()
    if name.startswith("db2"):
        return False
    small = str(size.data or "").rsplit(".", 1)[-1] in ("micro", "small")
    return not (name in ("mysql", "mariadb") and size.known and small)


AWS_SETTINGS: tuple[Setting, ...] = (
    Setting("aws_rds_storage_encrypted", "encryption_at_rest", (RDS_INSTANCE, RDS_CLUSTER),
            "storage_encrypted",
            is_true, False, "storage encryption", ("CKV_AWS_16", "CKV_AWS_96")),
    Setting("aws_rds_cluster_cmk", "encryption_at_rest", (RDS_CLUSTER,), "kms_key_id", non_empty, None,
            "encryption with a customer-managed KMS key", ("CKV_AWS_327",)),
    Setting("aws_rds_global_cluster_encrypted", "encryption_at_rest", ("aws_rds_global_cluster",),
            "storage_encrypted", is_true, False, "global cluster storage encryption", ("CKV_AWS_140",)),
    Setting("aws_rds_backup_retention", "backups", (RDS_INSTANCE, RDS_CLUSTER), "backup_retention_period",
            positive, 1, "automated backups (retention above 0 days)", ("CKV_AWS_133",)),
    Setting("aws_rds_final_snapshot", "backups", (RDS_INSTANCE, RDS_CLUSTER), "skip_final_snapshot",
            is_false, False, "final snapshot on deletion"),
    Setting("aws_rds_backtrack", "backups", (RDS_CLUSTER,), "backtrack_window", positive, 0,
            "Aurora MySQL backtracking", ("CKV_AWS_326",), engine_in(*MYSQL_AURORA)),
    Setting("aws_rds_deletion_protection", "deletion_protection", (RDS_INSTANCE, RDS_CLUSTER),
            "deletion_protection", is_true, False, "deletion protection", ("CKV_AWS_293", "CKV_AWS_139")),
    Setting("aws_rds_iam_authentication", "database_authentication", (RDS_INSTANCE, RDS_CLUSTER),
            "iam_database_authentication_enabled", is_true, False, "IAM database authentication",
            ("CKV_AWS_161", "CKV_AWS_162"), engine_in(*IAM_AUTH_ENGINES)),
    Setting("aws_rds_performance_insights", "performance_monitoring", INSTANCES,
            "performance_insights_enabled",
            is_true, False, "Performance Insights", ("CKV_AWS_353",), _performance_insights_supported),
    Setting("aws_rds_multi_az", "high_availability", (RDS_INSTANCE,), "multi_az", is_true, False, "Multi-AZ",
            ("CKV_AWS_157",)),
    Setting("aws_rds_log_exports", "audit_logging", (RDS_INSTANCE, RDS_CLUSTER),
            "enabled_cloudwatch_logs_exports",
            non_empty, [], "log exports to CloudWatch", ("CKV_AWS_129", "CKV_AWS_324")),
    Setting("aws_rds_public", "network_exposure", INSTANCES, "publicly_accessible", is_false, False,
            "no public accessibility", ("CKV_AWS_17",)),
    Setting("aws_rds_minor_upgrades", "database_hardening", INSTANCES, "auto_minor_version_upgrade",
            is_true, True,
            "automatic minor version upgrades", ("CKV_AWS_226",)),
    Setting("aws_rds_copy_tags", "data_classification", (RDS_INSTANCE, RDS_CLUSTER), "copy_tags_to_snapshot",
            is_true, False, "tags copied to snapshots", ("CKV2_AWS_60", "CKV_AWS_313")),
    Setting("aws_rds_enhanced_monitoring", "performance_monitoring", INSTANCES, "monitoring_interval",
            one_of(*MONITORING_INTERVALS), 0, "enhanced monitoring", ("CKV_AWS_118",)),
    Setting("aws_rds_ca_certificate", "encryption_in_transit", (RDS_INSTANCE,), "ca_cert_identifier",
            lambda d: d is None or one_of(*MODERN_CA)(d), None, "a current CA certificate", ("CKV_AWS_211",)),
)


def _aurora_mysql_audit(resource: Resource) -> Iterator[Observation]:
    if resource.type != RDS_CLUSTER or engine_in(*MYSQL_AURORA)(resource) is False:
        return
    exports = resource.value("enabled_cloudwatch_logs_exports", [])
    passed = None if not exports.known else isinstance(exports.data, list) and "audit" in exports.data
    yield judged("audit_logging", "aws_rds_cluster_audit_log", resource, exports, passed,
                  "Aurora MySQL audit log export")


def _performance_insights_key(resource: Resource) -> Iterator[Observation]:
    if resource.type not in INSTANCES:
        return
    enabled = resource.value("performance_insights_enabled", False)
    if enabled.known and not is_true(enabled.data):
        return  # nothing to encrypt
    key = resource.value("performance_insights_kms_key_id")
    if not enabled.known:
        key = unknown(enabled.origin, *enabled.refs)
    passed = True if key.computed else (non_empty(key.data) if key.known else None)
    yield judged("encryption_at_rest", "aws_rds_performance_insights_cmk", resource, key, passed,
                  "Performance Insights encrypted with a customer-managed KMS key")


def _public_snapshot(resource: Resource) -> Iterator[Observation]:
    if resource.type != "aws_db_snapshot" or not resource.has("shared_accounts"):
        return
    shared = resource.value("shared_accounts", [])
    passed = None if not shared.known else "all" not in (shared.data or [])
    yield judged("network_exposure", "aws_rds_snapshot_private", resource, shared, passed,
                  "snapshot not shared publicly")


# --- Azure SQL ----------------------------------------------------------------------------------

AZURE_SERVERS = ("azurerm_mssql_server", "azurerm_sql_server")

AZURE_SETTINGS: tuple[Setting, ...] = (
    Setting("azure_sql_public_network", "network_exposure", ("azurerm_mssql_server",),
            "public_network_access_enabled", is_false, True, "public network access disabled",
                ("CKV_AZURE_113",)),
    Setting("azure_sql_minimum_tls", "encryption_in_transit", ("azurerm_mssql_server",),
            "minimum_tls_version",
            one_of("1.2", "1.3"), "1.2", "minimum TLS 1.2", ("CKV_AZURE_52",)),
    Setting("azure_sql_tde", "encryption_at_rest", ("azurerm_mssql_database",),
            "transparent_data_encryption_enabled", is_true, True, "transparent data encryption",
                ("CKV2_AZURE_25",)),
    Setting("azure_sql_zone_redundant", "high_availability", ("azurerm_mssql_database",), "zone_redundant",
            is_true, False, "zone redundancy", ("CKV_AZURE_229",)),
)


def _azure_ad_admin(resource: Resource) -> Iterator[Observation]:
    if resource.type not in AZURE_SERVERS:
        return
    admins = resource.block_values("azuread_administrator")
    where = resource.collection_origin("azuread_administrator")
    value = Value(bool(admins), where) if admins is not None else unknown(where, "azuread_administrator")
    yield judged("database_authentication", "azure_sql_ad_admin", resource, value,
                  bool(admins) if admins is not None else None,
                  "Azure AD administrator set")


def _firewall_rule(resource: Resource) -> Iterator[Observation]:
    if resource.type not in ("azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule"):
        return
    start, end = resource.value("start_ip_address"), resource.value("end_ip_address")
    if not (start.known and end.known):
        yield judged("network_exposure", "azure_sql_firewall", resource, start if not start.known else end,
                     None,
                      "firewall rule range")
        return
    world = start.data == "0.0.0.0" and end.data == "255.255.255.255"
    yield judged("network_exposure", "azure_sql_firewall", resource, start, not world,
                  "firewall rule limited to a bounded range")


# --- GCP Cloud SQL ------------------------------------------------------------------------------

GCP_SQL = "google_sql_database_instance"
PG_LOG_LEVELS = ("debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning", "error")
PG_MIN_MESSAGES = (*PG_LOG_LEVELS, "log", "fatal", "panic")

# (engine prefix, flag, allowed values, passes when absent, check, rule, Checkov id)
GCP_FLAGS: tuple[tuple[str, str, tuple[str, ...], bool, str, str, str], ...] = (
    ("POSTGRES", "log_checkpoints", ("on",), False, "audit_logging", "gcp_sql_pg_log_checkpoints",
     "CKV_GCP_51"),
    ("POSTGRES", "log_connections", ("on",), False, "audit_logging", "gcp_sql_pg_log_connections",
     "CKV_GCP_52"),
    ("POSTGRES", "log_disconnections", ("on",), False, "audit_logging", "gcp_sql_pg_log_disconnections",
     "CKV_GCP_53"),
    ("POSTGRES", "log_lock_waits", ("on",), False, "audit_logging", "gcp_sql_pg_log_lock_waits",
     "CKV_GCP_54"),
    ("POSTGRES", "log_min_messages", PG_MIN_MESSAGES, True, "audit_logging", "gcp_sql_pg_log_min_messages",
     "CKV_GCP_55"),
    ("POSTGRES", "log_temp_files", ("0",), True, "audit_logging", "gcp_sql_pg_log_temp_files", "CKV_GCP_56"),
    ("POSTGRES", "log_min_duration_statement", ("-1",), True, "audit_logging",
     "gcp_sql_pg_log_min_duration_statement", "CKV_GCP_57"),
    ("POSTGRES", "log_hostname", ("on",), False, "audit_logging", "gcp_sql_pg_log_hostname", "CKV_GCP_108"),
    ("POSTGRES", "log_min_error_statement", PG_LOG_LEVELS, False, "audit_logging",
     "gcp_sql_pg_log_min_error_statement", "CKV_GCP_109"),
    ("POSTGRES", "cloudsql.enable_pgaudit", ("on",), False, "audit_logging", "gcp_sql_pg_pgaudit",
     "CKV_GCP_110"),
    ("POSTGRES", "log_statement", ("ddl", "mod", "all"), False, "audit_logging", "gcp_sql_pg_log_statement",
     "CKV_GCP_111"),
    ("POSTGRES", "log_duration", ("on",), False, "audit_logging", "gcp_sql_pg_log_duration", "CKV2_GCP_13"),
    ("POSTGRES", "log_executor_stats", ("off",), True, "database_hardening", "gcp_sql_pg_log_executor_stats",
     "CKV2_GCP_14"),
    ("POSTGRES", "log_parser_stats", ("off",), True, "database_hardening", "gcp_sql_pg_log_parser_stats",
     "CKV2_GCP_15"),
    ("POSTGRES", "log_planner_stats", ("off",), True, "database_hardening", "gcp_sql_pg_log_planner_stats",
     "CKV2_GCP_16"),
    ("POSTGRES", "log_statement_stats", ("off",), True, "database_hardening",
     "gcp_sql_pg_log_statement_stats",
     "CKV2_GCP_17"),
    ("MYSQL", "local_infile", ("off",), True, "database_hardening", "gcp_sql_mysql_local_infile",
     "CKV_GCP_50"),
    ("SQLSERVER", "cross db ownership chaining", ("off",), True, "database_hardening",
     "gcp_sql_sqlserver_cross_db_chaining", "CKV_GCP_58"),
    ("SQLSERVER", "contained database authentication", ("off",), True, "database_hardening",
     "gcp_sql_sqlserver_contained_auth", "CKV_GCP_59"),
)

GCP_SETTINGS: tuple[Setting, ...] = (
    Setting("gcp_sql_deletion_protection", "deletion_protection", (GCP_SQL,), "deletion_protection",
            is_true, True,
            "deletion protection"),
)


def _one_block(body: Body, name: str) -> tuple[Body | None, Value | None]:
    """The single nested block `name` (settings, ip_configuration ...), or an unknown when dynamic."""
    blocks = body.block_values(name)
    if blocks is None:
        return None, unknown(body.at_block(), name)
    return (blocks[0], None) if blocks else (None, None)


def _nested(resource: Resource, *path: str) -> tuple[Body | None, Value | None]:
    body: Body | None = resource
    for name in path:
        if body is None:
            return None, None
        body, missing = _one_block(body, name)
        if missing is not None:
            return None, missing
    return body, None


def _gcp_value(resource: Resource, path: tuple[str, ...], name: str, absent: Any) -> Value:
    body, missing = _nested(resource, *path)
    if missing is not None:
        return missing
    return body.value(name, absent) if body is not None else Value(absent, resource.at_block())


def _gcp_backups(resource: Resource) -> Iterator[Observation]:
    if resource.type != GCP_SQL:
        return
    enabled = _gcp_value(resource, ("settings", "backup_configuration"), "enabled", False)
    yield judged("backups", "gcp_sql_backups", resource, enabled,
                 is_true(enabled.data) if enabled.known else None,
                  "automated backups")
    if str(_engine(resource).data or "").startswith("MYSQL"):
        binlog = _gcp_value(resource, ("settings", "backup_configuration"), "binary_log_enabled", False)
        yield judged("backups", "gcp_sql_mysql_pitr", resource, binlog,
                      is_true(binlog.data) if binlog.known else None, "point-in-time recovery (binary log)")


def _gcp_ssl(resource: Resource) -> Iterator[Observation]:
    if resource.type != GCP_SQL:
        return
    mode = _gcp_value(resource, ("settings", "ip_configuration"), "ssl_mode", None)
    require = _gcp_value(resource, ("settings", "ip_configuration"), "require_ssl", False)
    engine = str(_engine(resource).data or "")
    allowed = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") if engine.startswith("SQLSERVER") \
        else ("TRUSTED_CLIENT_CERTIFICATE_REQUIRED", "ENCRYPTED_ONLY")
    decisive = mode if (not mode.known or mode.data is not None) else require
    if decisive is mode:
        passed = str(mode.data) in allowed if mode.known else None
    else:
        passed = is_true(require.data) if require.known else None
    yield judged("encryption_in_transit", "gcp_sql_ssl_required", resource, decisive, passed,
                  "SSL required for every connection")


def _gcp_network(resource: Resource) -> Iterator[Observation]:
    if resource.type != GCP_SQL:
        return
    public_ip = _gcp_value(resource, ("settings", "ip_configuration"), "ipv4_enabled", True)
    yield judged("network_exposure", "gcp_sql_no_public_ip", resource, public_ip,
                  is_false(public_ip.data) if public_ip.known else None, "no public IP")
    body, missing = _nested(resource, "settings", "ip_configuration")
    networks = body.block_values("authorized_networks") if body is not None else []
    if missing is not None or networks is None:
        yield judged("network_exposure", "gcp_sql_authorized_networks", resource,
                      missing or unknown(resource.at_block(), "authorized_networks"), None,
                          "authorized networks")
        return
    for network in networks:
        value = network.value("value")
        passed = str(value.data) not in OPEN_NETWORKS if value.known else None
        yield judged("network_exposure", "gcp_sql_authorized_networks", resource, value, passed,
                  "authorized network not open to the world")


def _engine(resource: Resource) -> Value:
    return resource.value("database_version")


def _gcp_flags(resource: Resource) -> Iterator[Observation]:
    if resource.type != GCP_SQL:
        return
    engine = _engine(resource)
    settings, missing = _nested(resource, "settings")
    flags = settings.block_values("database_flags") if settings is not None else []
    if flags is None or missing is not None or not engine.known:
        for _, flag, _, _, check, rule, _ in _flags_for(engine):
            yield judged(check, rule, resource, missing or unknown(resource.at_block(), "database_flags"),
                         None,
                          f"database flag {flag}")
        return
    written = {}
    for body in flags:
        name, value = body.value("name"), body.value("value")
        if name.known:
            written[str(name.data)] = value
    for _, flag, allowed, absent_ok, check, rule, _ in _flags_for(engine):
        origin = settings.collection_origin("database_flags") if settings else resource.at_block()
        yield _flag_observation(resource, written.get(flag), flag, allowed, absent_ok, check, rule, origin)


def _flags_for(engine: Value) -> list[tuple[str, str, tuple[str, ...], bool, str, str, str]]:
    if not engine.known:
        return [row for row in GCP_FLAGS if row[0] == "POSTGRES"]  # the engine's flags are unknown too
    return [row for row in GCP_FLAGS if str(engine.data or "").upper().startswith(row[0])]


def _flag_observation(resource: Resource, value: Value | None, flag: str, allowed: tuple[str, ...],
                      absent_ok: bool, check: str, rule: str, origin: Origin) -> Observation:
    if value is None:
        return judged(check, rule, resource, Value(None, origin), absent_ok,
                  f"database flag {flag} " + ("left at its default" if absent_ok else "set"))
    passed = str(value.data).lower() in allowed if value.known else None
    return judged(check, rule, resource, value, passed,
                  f"database flag {flag} set to {'/'.join(allowed[:3])}")


def _gcp_availability(resource: Resource) -> Iterator[Observation]:
    if resource.type != GCP_SQL:
        return
    availability = _gcp_value(resource, ("settings",), "availability_type", "ZONAL")
    yield judged("high_availability", "gcp_sql_regional", resource, availability,
                  str(availability.data).upper() == "REGIONAL" if availability.known else None,
                  "regional (high availability) instance")


SETTINGS: tuple[Setting, ...] = (*AWS_SETTINGS, *AZURE_SETTINGS, *GCP_SETTINGS)
RESOURCE_RULES: tuple[Callable[[Resource], Iterator[Observation]], ...] = (
    _aurora_mysql_audit, _performance_insights_key, _public_snapshot, _azure_ad_admin, _firewall_rule,
    _gcp_backups, _gcp_ssl, _gcp_network, _gcp_flags, _gcp_availability,
)
DATABASE_TYPES = frozenset(t for s in SETTINGS for t in s.types) | {
    "aws_db_snapshot", "azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule", *AZURE_SERVERS, GCP_SQL}


def resource_observations(resource: Resource) -> list[Observation]:
    """Every database rule that applies to one resource."""
    found = [obs for s in SETTINGS if resource.type in s.types if (obs := check_setting(s, resource))]
    for rule in RESOURCE_RULES:
        found.extend(rule(resource))
    return found


# rule id -> Checkov ids it corresponds to (for the bench and the rule documentation)
CHECKOV_IDS: dict[str, tuple[str, ...]] = {
    **{s.rule: s.checkov for s in SETTINGS},
    "aws_rds_cluster_audit_log": ("CKV_AWS_325",), "aws_rds_performance_insights_cmk": ("CKV_AWS_354",),
    "aws_rds_snapshot_private": ("CKV_AWS_302",), "azure_sql_ad_admin": ("CKV2_AZURE_27", "CKV2_AZURE_7"),
    "azure_sql_firewall": ("CKV_AZURE_11",), "gcp_sql_backups": ("CKV_GCP_14",),
    "gcp_sql_mysql_pitr": ("CKV2_GCP_20",), "gcp_sql_ssl_required": ("CKV_GCP_6",),
    "gcp_sql_no_public_ip": ("CKV_GCP_60",), "gcp_sql_authorized_networks": ("CKV_GCP_11",),
    "gcp_sql_regional": (),
    **{row[5]: (row[6],) for row in GCP_FLAGS},
}


# --- Azure SQL server policies: separate resources that point at their server ------------------

AZURE_AUDIT_TYPES = ("azurerm_mssql_server_extended_auditing_policy",)
AZURE_ALERT_TYPES = ("azurerm_mssql_server_security_alert_policy",)
AZURE_VA_TYPES = ("azurerm_mssql_server_vulnerability_assessment",)
MIN_AUDIT_RETENTION_DAYS = 90  # CIS Azure 4.1.3; 0 means kept forever


def _pointing_at(resources: list[Resource], types: tuple[str, ...], server: Resource) -> list[Resource]:
    name = f"{server.type}.{server.block.labels[1]}"
    return [r for r in resources if r.type in types
            and any(r.reference(key).startswith(name) for key in ("server_id", "server_name"))]


def azure_server_policies(resources: list[Resource]) -> Iterator[Observation]:
    """Auditing, threat detection and vulnerability assessment of each Azure SQL server."""
    for server in (r for r in resources if r.type in AZURE_SERVERS):
        yield from _azure_auditing(server, _pointing_at(resources, AZURE_AUDIT_TYPES, server))
        yield from _azure_alerts(server, _pointing_at(resources, AZURE_ALERT_TYPES, server))
        yield from _azure_assessment(server, _pointing_at(resources, AZURE_VA_TYPES, server))


def _azure_auditing(server: Resource, policies: list[Resource]) -> Iterator[Observation]:
    inline = server.blocks("extended_auditing_policy") or []
    found: list[Body] = [*inline, *policies]
    if not found:
        yield judged("audit_logging", "azure_sql_auditing", server, Value(None, server.at_block()), False,
                      "SQL auditing configured")
        return
    policy = found[0]
    enabled = policy.value("enabled", True)
    yield judged("audit_logging", "azure_sql_auditing", server, enabled,
                  is_true(enabled.data) if enabled.known else None, "SQL auditing")
    days = policy.value("retention_in_days", 0)
    kept = _number_or_none(days.data)
    passed = None if kept is None else (kept == 0 or kept >= MIN_AUDIT_RETENTION_DAYS)
    yield judged("audit_logging", "azure_sql_audit_retention", server, days, passed if days.known else None,
                  f"audit retention of at least {MIN_AUDIT_RETENTION_DAYS} days")


def _number_or_none(data: Any) -> float | None:
    try:
        return float(data) if data is not None and not isinstance(data, bool) else None
    except (TypeError, ValueError):
        return None


def _azure_alerts(server: Resource, policies: list[Resource]) -> Iterator[Observation]:
    if not policies:
        yield judged("threat_detection", "azure_sql_threat_detection", server, Value(None, server.at_block()),
                      False, "threat detection alert policy configured")
        return
    policy = policies[0]
    state = policy.value("state")
    yield judged("threat_detection", "azure_sql_threat_detection", policy, state,
                  str(state.data).lower() == "enabled" if state.known else None, "threat detection enabled")
    disabled = policy.value("disabled_alerts", [])
    yield judged("threat_detection", "azure_sql_threat_types", policy, disabled,
                  not disabled.data if disabled.known else None, "every threat detection type on")
    emails = policy.value("email_addresses", [])
    yield judged("threat_detection", "azure_sql_alert_recipients", policy, emails,
                  non_empty(emails.data) if emails.known else None, "alerts sent to named recipients")
    admins = policy.value("email_account_admins", False)
    yield judged("threat_detection", "azure_sql_alert_admins", policy, admins,
                  is_true(admins.data) if admins.known else None, "alerts sent to service administrators")


def _azure_assessment(server: Resource, assessments: list[Resource]) -> Iterator[Observation]:
    if not assessments:
        yield judged("database_hardening", "azure_sql_vulnerability_assessment", server,
                      Value(None, server.at_block()), False, "vulnerability assessment configured")
        return
    scans = assessments[0].blocks("recurring_scans") or []
    enabled = scans[0].value("enabled", False) if scans else Value(False, assessments[0].at_block())
    yield judged("database_hardening", "azure_sql_vulnerability_assessment", assessments[0], enabled,
                  is_true(enabled.data) if enabled.known else None, "recurring vulnerability scans")


CHECKOV_IDS.update({
    "azure_sql_auditing": ("CKV_AZURE_23",), "azure_sql_audit_retention": ("CKV_AZURE_24",),
    "azure_sql_threat_detection": ("CKV2_AZURE_13",), "azure_sql_threat_types": ("CKV_AZURE_25",),
    "azure_sql_alert_recipients": ("CKV_AZURE_26",), "azure_sql_alert_admins": ("CKV_AZURE_27",),
    "azure_sql_vulnerability_assessment": ("CKV2_AZURE_2", "CKV2_AZURE_3"),
})
DATABASE_TYPES = DATABASE_TYPES | frozenset((*AZURE_AUDIT_TYPES, *AZURE_ALERT_TYPES, *AZURE_VA_TYPES))
