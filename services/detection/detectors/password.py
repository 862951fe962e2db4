"""Passwords assigned in code and configuration (including .env, .properties, YAML and wp-config lines),
and credentials inside connection URLs."""

from __future__ import annotations

import re

from services.detection import context, masking, ocr
from services.detection.detector import Detector
from services.detection.detectors.generic import identifier_like
from services.detection.patterns import lazy_regex

PASSWORD_TYPE = "secret.password"
URL_TYPE = "secret.connection_string"
# `…_PASS` (DB_PASS, SMTP_PASS: upper case, the environment-variable convention), Ansible's documented
# connection variables (ansible_ssh_pass, ansible_become_pass) and `pass` after the account or service it
# opens ($db_pass, $dbpass, smtp_pass in PHP and scripts) abbreviate a password; any other lower-case
# `_pass` in code is mostly a stage (first_pass, render_pass), and bypass/compass name no account
_NAME = (r"(?:[\w.-]*(?:password|passwd|pwd|wachtwoord|passphrase|wachtw)[\w.-]*"
         r"|(?-i:[A-Z0-9_]*_PASS)(?![\w.-])|ansible_\w*pass(?![\w.-])"
         r"|[\w.-]*(?<![a-z])(?:db|database|sql|mysql|pg|postgres|smtp|mail|ftp|sftp|ldap|redis|admin|root|user"
         r"|ssh|login|proxy|keystore|truststore|store|key|bind|auth|vault|mq|amqp|rabbitmq|kafka|registry"
         r"|nexus|docker|git|svc|service)[_.-]?pass(?![\w.-]))")
# a name that ends in what the password is *about* holds that thing, not the password: a URL, a path or
# file, a form field or label, a rule, a hash ("password_reset_url", "PASSWORD_FILE", "password_hash");
# every language names such settings this way, so the suffix list generalises across configs
_ABOUT_SUFFIXES = ("url", "uri", "path", "file", "dir", "field", "label", "endpoint", "route", "regex",
                   "pattern", "policy", "length", "hint", "prompt", "message", "text", "title",
                   "placeholder", "hash", "hashed", "digest", "salt", "name", "id", "type", "expiry",
                   "expires", "ttl", "rule", "rules", "template", "view", "page", "form", "input",
                   "selector", "column", "header",
                   # a duration, a count or a bound *of* password handling (Django's PASSWORD_RESET_TIMEOUT,
                   # `password_max_age`, `password_retry_limit`): a setting with a number, named this way in
                   # every framework's settings
                   "timeout", "lifetime", "age", "interval", "attempts", "retries", "limit", "days", "hours",
                   "minutes", "seconds")
_NOT_ABOUT = "".join(rf"(?<![_.-]{suffix})" for suffix in _ABOUT_SUFFIXES)
# name = "value", name: 'value', name => "value", or unquoted config (name=value) ending at a delimiter
# an optional type annotation between name and operator: `password: str = "…"`, `var password string = "…"`
_TYPED = (r"(?:[ \t]*:[ \t]*[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?\??(?=[ \t]*=)"
          r"|[ \t]+(?:string|String|str)(?=[ \t]*=))?")
# a bare value starts after the operator and runs to a delimiter; `#` starts a comment only after
# whitespace (YAML 1.2 and INI/dotenv parsers read `pw: abc#12` as the value `abc#12`), so a `#` inside
# the value is part of it
_BARE_CHAR = r"[^\s\"'#;,&<>(){}\[\]]"
PASSWORD = lazy_regex(
    rf"(?i)(?<![\w.-]){_NAME}{_NOT_ABOUT}[\"'\]]{{0,3}}{_TYPED}\s*(?::=|=>|=|:)\s*"
    rf"(?:(?P<q>[\"'])(?P<value>[^\"'\s]{{4,200}})(?P=q)"
    rf"|(?P<bare>(?!=){_BARE_CHAR}(?:{_BARE_CHAR}|#){{5,199}})(?=[\s;,&\"']|$))"
)
_WORDS = r"(?:password|passwd|pwd|passphrase|wachtwoord)"
# put("db.password", "…"), setProperty("password", "…"), environ.get("DB_PASSWORD", "fallback"),
# config.set(s, "password", "…")
PASSWORD_PAIR = lazy_regex(rf"(?i)[\"'][\w.-]*{_WORDS}[\w.-]*[\"'][ \t]*,[ \t]*[\"']"
                           r"(?P<value>[^\"'\s]{4,200})[\"']")
# setPassword("…"), set_password('…'), withPassword("…"), builder.password("…")
PASSWORD_SETTER = lazy_regex(rf"(?i)(?:(?<![\w])(?:set|with)_?[\w]*{_WORDS}|\.{_WORDS})[ \t]*\([ \t]*[\"']"
                             r"(?P<value>[^\"'\s]{4,200})[\"'][ \t]*\)")
# <password>…</password>, <db.password>…</db.password>, <add key="DbPassword" value="…"/>; the same pair
# under name= (Spring and Maven <property name="…password" value="…"/>, <param>, MSBuild/WiX <Parameter
# Name= Value=>) and a keyed entry's text (<entry key="db.password">…</entry>, Java XML properties): XML
# configuration says "this value is the password" in these few ways across frameworks
PASSWORD_XML = lazy_regex(rf"(?i)<[\w.:-]*{_WORDS}[\w.:-]*>(?P<value>[^<>\s]{{3,200}})</[\w.:-]*{_WORDS}"
                          rf"|\b(?:key|name)=[\"'][\w.:-]*{_WORDS}[\w.:-]*[\"'][ \t]+value=[\"']"
                          r"(?P<attr>[^\"'<>\n]{3,200})[\"']"
                          r"|<(?:entry|item|add|setting|property|param)[ \t]+(?:key|name)="
                          rf"[\"'][\w.:-]*{_WORDS}"
                          r"[\w.:-]*[\"'][ \t]*>(?P<text>[^<>\s]{3,200})</")
# YAML: `password: welkomthuis` on a line of its own (every plain YAML scalar is a literal; code
# writes `password: str` or `password: SomeType`, which this leaves alone)
# Letter groups joined by hyphens (`Abcde-fGhij-KLmno`, the shape of Apple's and password managers'
# generated passwords) are literals too, unless they read as words (a slug such as `from-secret-store`)
PASSWORD_YAML = lazy_regex(rf"(?i)(?<![^\n])[ \t-]*[\w.-]*{_WORDS}[\w.-]*:[ \t]+"
                           r"(?P<value>[A-Za-z]{8,64}|[A-Za-z]{3,20}(?:-[A-Za-z]{3,20}){1,5})[ \t]*"
                           r"(?![^\r\n])")
# .env / shell / docker-compose list lines: `DB_PASSWORD=welkomzomer`, `export SMTP_PASS=zomervakantie`,
# `- POSTGRES_PASSWORD=hunter` — an upper-case environment name at the line start and a letters-only value
# up to the line end (values with digits or symbols are PASSWORD's). Environment variables are
# upper-case by convention (POSIX) and a line of nothing but NAME=value is configuration, not code.
PASSWORD_ENV = lazy_regex(r"(?<![^\n])[ \t]*(?:-[ \t]+|export[ \t]+)?[A-Z0-9_]*(?:PASSWORD|PASSWD|PWD|_PASS)"
                          r"[A-Z0-9_]*=[\"']?(?P<value>[A-Za-z]{6,64})[\"']?[ \t]*(?![^\r\n])")
# Java .properties / ini lines with a dotted lower-case key: `spring.datasource.password=welkomzomer`,
# unindented (code that passes `password=value` as an argument is indented) and letters only to the end
PASSWORD_PROPERTY = lazy_regex(r"(?<![^\n])(?!this\.|self\.)[a-z][\w-]*(?:\.[\w-]+)*\.[\w-]*"
                               r"(?:password|passwd|pwd)[ \t]*[=:][ \t]*(?P<value>[A-Za-z]{6,64})"
                               r"[ \t]*(?![^\r\n])")
_PROPERTY_PREFILTER = r"(?i)\.[\w-]*(?:password|passwd|pwd)[ \t]*[=:][ \t]*[A-Za-z]"
# WordPress wp-config.php and PHP constants: `define('DB_PASSWORD', 'welkomzomer');` holds the literal
# whatever its letters (define's second argument is the constant's value, never a label)
PHP_DEFINE = lazy_regex(r"(?i)\bdefine[ \t]*\([ \t]*[\"'][\w]*(?:password|passwd|pwd|_pass)[\"'][ \t]*,[ \t]*"
                        r"[\"'](?P<value>[^\"'\s]{4,200})[\"'][ \t]*\)")
_DEFINE_PREFILTER = r"(?i)define[ \t]*\("
# a `pass` key holding a quoted literal: the user/pass pair of mail, proxy and basic-auth objects
# (nodemailer's auth: {user, pass}, request's auth, YAML `pass:`); a stage named pass is a bare word or a
# number in code (first_pass = 1), never a quoted value with a digit or symbol under a key of its own
PASS_KEY = lazy_regex(r"(?i)(?<![\w.$-])[\"']?pass[\"']?[ \t]*(?::|=>)[ \t]*(?P<q>[\"'])"
                      r"(?P<value>[^\"'\s]{4,200})(?P=q)")
_PASS_KEY_PREFILTER = r"""(?i)pass["']?[ \t]*(?::|=>)[ \t]*["']"""
# calls whose signature puts the password second after the user, by the API's own documentation:
# Python's smtplib/ftplib/imaplib/poplib `login(user, password)`, requests' `auth=(user, password)` and
# HTTPBasicAuth/HTTPDigestAuth, JDBC `DriverManager.getConnection(url, user, password)`, .NET
# `NetworkCredential(user, password)`, Java `PasswordAuthentication`, Apache HttpClient
# `UsernamePasswordCredentials`, Spring `UsernamePasswordAuthenticationToken`: every language has these
CREDENTIAL_CALL = lazy_regex(
    r"(?:\.login|\bgetConnection|\bNetworkCredential|\bHTTP(?:Basic|Digest)Auth|\bPasswordAuthentication"
    r"|\bUsernamePassword(?:Credentials|AuthenticationToken)|\bauth[ \t]*=|\bnew[ \t]+\\?PDO|\bmysqli_connect"
    r"|\bnew[ \t]+\\?mysqli)[ \t]*\([ \t]*"
    r"(?:(?:[\w.$]+|[\"'][^\"'\n]{1,300}[\"'])[ \t]*,[ \t]*)?[\"'](?P<user>[^\"'\n]{1,100})[\"'][ \t]*,[ \t]*"
    r"[\"'](?P<value>[^\"'\s]{4,128})[\"']")
# PHP's `new PDO(dsn, user, password)` and `mysqli_connect(host, user, password)` (php.net) likewise, also
# written with the global namespace's backslash (`new \PDO(…)`) inside a namespaced class
# an environment lookup with a literal fallback: Kotlin's elvis (`System.getenv("DB_PASSWORD") ?: "…"`), PHP's
# `getenv('DB_PASSWORD') ?: '…'`, JavaScript's `process.env.DB_PASSWORD || "…"` / `?? "…"`; the fallback is
# the password used wherever the variable is unset (Python's `getenv(name, default)` is PASSWORD_PAIR's)
ENV_FALLBACK = lazy_regex(
    rf"(?i)(?:getenv[ \t]*\([ \t]*[\"'][\w.-]*{_WORDS}[\w.-]*{_NOT_ABOUT}[\"'][ \t]*\)"
    rf"|process\.env\.\w*{_WORDS}\w*{_NOT_ABOUT}"
    rf"|process\.env\[[ \t]*[\"'][\w.-]*{_WORDS}[\w.-]*{_NOT_ABOUT}[\"'][ \t]*\])"
    r"[ \t]*(?:\?:|\?\?|\|\|)[ \t]*"
    r"[\"'](?P<value>[^\"'\s]{4,200})[\"']")
_ENV_FALLBACK_PREFILTER = r"(?:\?:|\?\?|\|\|)[ \t]*[\"']"
# anonymous FTP's documented convention: user anonymous (or ftp), an e-mail address as the "password"
_ANONYMOUS_USERS = frozenset({"anonymous", "ftp"})
_CREDENTIAL_CALL_PREFILTER = (r"(?:\.login|getConnection|NetworkCredential|HTTP(?:Basic|Digest)Auth"
                              r"|PasswordAuthentication|UsernamePassword|auth[ \t]*=|PDO|mysqli_connect"
                              r"|mysqli)[ \t]*\(")
_ENV_PREFILTER = r"(?:PASSWORD|PASSWD|PWD|_PASS)[A-Z0-9_]*=[\"']?[A-Za-z]"
# hyperscan supersets (the forms stay on one line; see Detector.prefilter)
_PAIR_PREFILTER = rf"""(?i){_WORDS}[\w.-]*["'][ \t]*,"""
_SETTER_PREFILTER = rf"(?i){_WORDS}[ \t]*\("
_XML_PREFILTER = rf"""(?i){_WORDS}[\w.:-]*(?:>|["'][ \t]*>|["'][ \t]+value=)"""
_YAML_PREFILTER = rf"(?i){_WORDS}[\w.-]*:[ \t]+[A-Za-z]"
_SNAKE_NAME = lazy_regex(r"^[a-z]+(?:_[a-z0-9]+)+$")
# constants that name a password *state* (error codes, messages, flags), whose value is a code or text:
# `INVALID_PASSWORD = '28P01'` in a table of SQLSTATEs
PASSWORD_STATUS_NAMES = ("invalid_password", "wrong_password", "incorrect_password", "password_expired",
                         "password_mismatch", "password_required", "password_too_", "password_error",
                         "password_invalid", "bad_password")
_CAMEL_WORDS = lazy_regex(r"^[A-Z][a-z]+(?:[A-Z][a-z]*)+$")
SCHEMES = ("postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "amqp",
           "amqps", "mssql", "sqlserver", "ftp", "sftp", "smtp", "smtps", "ldap", "ldaps")
# the user may be empty: `redis://:password@host` is how Redis' URI scheme carries AUTH without ACL users
CONNECTION = lazy_regex(
    r"(?i)(?<![\w+.-])(?P<value>(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql"
    r"|sqlserver|jdbc:[a-z]+|ftp|sftp|smtps?|ldaps?|oracle|cockroachdb|clickhouse|cassandra|couchdb|neo4j"
    r"|bolt|nats|mqtts?|snowflake|db2)(?:\+[a-z0-9_]+)?://[^\s:/@\"'<>]{0,64}:[^\s@/\"'<>]{3,128}@[^\s\"'<>/]+)"
)
# ADO.NET / ODBC / OLE DB connection strings (`Server=…;User ID=…;Password=…;`, `Data Source=…;Pwd=…`):
# Microsoft's documented keyword=value;… syntax, the same in appsettings.json, Web.config, C# literals and
# .env; the whole string is the credential (one finding, the password inside it is part of it)
_ADO_PAIR = r"[A-Za-z][A-Za-z ]{0,30}[ \t]*=[ \t]*[^;\"'<>\n]{0,200}"
ADO_NET = lazy_regex(
    rf"(?<![\w;])(?P<value>(?:{_ADO_PAIR};[ \t]*){{1,12}}?(?i:password|pwd)[ \t]*=[ \t]*"
    rf"[^;\"'<>\n]{{3,128}}?(?=[;\"'<>\n]|$)(?:;[ \t]*{_ADO_PAIR})*;?)"
)
_ADO_PREFILTER = r"(?i);[ \t]*(?:password|pwd)[ \t]*="
_ADO_SERVER = lazy_regex(r"(?i)(?:^|;)[ \t]*(?:server|data source|host|hostname|address|addr|network address)"
                         r"[ \t]*=[ \t]*[^;\s]")
_ADO_PASSWORD = lazy_regex(r"(?i)(?:^|;)[ \t]*(?:password|pwd)[ \t]*=[ \t]*(?P<pw>[^;]+)")


def real_password(secret: str) -> bool:
    """A literal that is not a placeholder (`xxx`, `password`, `P@ssw0rd`, `***`): the password inside a
    connection string is judged as the password rules judge it (the string around it is no placeholder)."""
    return (literal_password(secret) and set(secret) != {"*"}
            and not context.downgrade_reasons(PASSWORD_TYPE, secret, ""))


def masked_head(value: str) -> str:
    """Evidence of a credential string that may end in its password: only its first characters shown."""
    return masking.mask(value, keep_end=0)


def ado_net_credentials(value: str) -> bool:
    """A server and a literal password (not `{0}`, `$(DbPassword)` or `***`) in one connection string."""
    found = _ADO_PASSWORD.search(value)
    if found is None or _ADO_SERVER.search(value) is None:
        return False
    secret = found.group("pw").strip()
    # `Password=your password` in a how-to is words, not a credential
    return real_password(secret) and not any(c.isspace() for c in secret)


# JDBC and driver URLs that carry the credentials as parameters instead of user:password@ (MySQL
# Connector/J `?user=…&password=…`, PostgreSQL JDBC `?password=`, SQL Server `;user=…;password=…`): the
# drivers' documented URL syntax; again the URL is the credential
URL_PARAMETERS = lazy_regex(
    r"(?i)(?<![\w+.-])(?P<value>(?:jdbc:[a-z0-9]+(?::[a-z0-9]+)*|postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?"
    r"|rediss?|amqps?|mssql|sqlserver|clickhouse)://[^\s\"'<>?;&]{1,200}[?;](?:[^\s\"'<>]{0,400}?[&;])?"
    r"(?:password|pwd)=[^&;\s\"'<>]{3,128})"
)
_URL_PARAMETER_PASSWORD = lazy_regex(r"(?i)[?&;](?:password|pwd)=(?P<pw>[^&;]+)$")


def url_parameter_literal(value: str) -> bool:
    """The password parameter is a literal, not `${DB_PASSWORD}` or `{password}`."""
    found = _URL_PARAMETER_PASSWORD.search(value)
    return found is not None and real_password(found.group("pw"))


# StackExchange.Redis configuration strings (the .NET Redis client, and Azure Cache for Redis' "connection
# string"): endpoints `host[:port]` separated by commas, then `option=value` pairs, one of them `password=`
# (the library's documented Configuration syntax). Quoted as a whole (a JSON value, a C# literal), so a
# call's keyword arguments (`connect(host, password=pw)`) never match; the string is the credential
_SE_ENDPOINT = r"[A-Za-z0-9][A-Za-z0-9.-]{0,200}(?::\d{1,5})?"
_SE_OPTION = r"[A-Za-z][A-Za-z0-9]{1,30}=[^,\s\"']{0,200}"
STACKEXCHANGE_REDIS = lazy_regex(
    rf"(?<=[\"'])(?P<value>{_SE_ENDPOINT}(?:,{_SE_ENDPOINT})*(?:,{_SE_OPTION})*?"
    rf",(?i:password)=[^,\s\"']{{3,128}}(?:,{_SE_OPTION})*)(?=[\"'])"
)
_SE_PASSWORD = lazy_regex(r"(?i)(?:^|,)password=(?P<pw>[^,]+)")


def stackexchange_credentials(value: str) -> bool:
    """A literal password that is no placeholder (`${REDIS_PASSWORD}`, `<password>`, `***`)."""
    found = _SE_PASSWORD.search(value)
    return found is not None and real_password(found.group("pw"))


# command-line flags that take a password as their argument, as servers and clients document them
# (redis-server `--requirepass`/`--masterauth`, mysql/mongo/psql-style `--password`), written in a shell
# line, a Dockerfile or a compose `command:` (`--flag value`, `--flag=value` or exec form `"--flag", "value"`)
# (auth_lines.py reads `--password value` in a shell line; these are the Redis flags, and the exec form)
CLI_PASSWORD = lazy_regex(r"(?i)(?<![\w-])--(?:(?:requirepass|masterauth)(?![\w-])"
                          r"(?:=|[ \t]+|[\"'][ \t]*,[ \t]*)|(?:password|passwd)[\"'][ \t]*,[ \t]*)"
                          r"[\"']?(?P<value>[^\s\"',\]\[]{4,128})")
_CLI_PREFILTER = r"(?i)--(?:requirepass|masterauth|password[\"']|passwd[\"'])"


def cli_password(value: str) -> bool:
    """A literal with a digit or a symbol, not a variable or the next flag."""
    return symbol_or_digit_literal(value) and not value.startswith("-")


# as read by OCR: a scheme with a misread letter ("postgresgl", "postgresq]"), and spaces in the
# password, which a URL cannot hold before its @
_URL_PART = r"[^\s@/\"'<>]"
OCR_CONNECTION = lazy_regex(
    r"(?i)(?<![\w+.-])(?P<value>(?:jdbc:)?[a-z][a-z0-9+|\]\[.-]{1,14}://[^\s:/@\"'<>]{1,64}:"
    rf"(?:{_URL_PART}| (?={_URL_PART}*@)){{3,128}}@[^\s\"'<>/]+)"
)
CLOSE_ENOUGH = 0.8  # difflib ratio: one letter wrong in a scheme of five or more
_NOT_LITERAL = lazy_regex(r"^(?:\$|%|\{|<|os\.|env|process\.env|getenv|settings\.|config\.|self\.|this\."
                          r"|none$"
                          r"|null$|true$|false$|nil$|undefined$|required$|optional$|str$|string$)",
                          re.IGNORECASE)


def literal_password(value: str) -> bool:
    """A literal, not a reference to a variable, template or environment lookup."""
    return not _NOT_LITERAL.search(value) and not value.endswith((")", "()"))


# a YAML tag in place of the value: `password: !vault |` (an Ansible Vault blob follows, encrypted),
# CloudFormation's `!Ref DbPassword`; every YAML tag is `!` and a name
_YAML_TAG = lazy_regex(r"^!!?[A-Za-z][\w:.-]*$")


# a secret-store reference in place of the value: `vault:secret/data/app#password`, `ref+vault://…#/key`,
# `sm://project/name` (a scheme, a path of slashes, an optional #field: how vault and sops tools write them)
_STORE_REFERENCE = lazy_regex(r"^[a-z][a-z0-9+.-]{1,20}:(?://)?[\w.-]+/[\w./-]*(?:#[\w./-]*)?$",
                              re.IGNORECASE)


def _bare_value_allowed(value: str) -> bool:
    # unquoted values are identifiers in code (password = user_password): a literal has a digit
    # or a symbol, as config files write them (DB_PASSWORD=s3cr3t!)
    return (literal_password(value) and bool(re.search(r"[\d!@#$%^&*+=?~]", value))
            and not _YAML_TAG.match(value) and not _STORE_REFERENCE.match(value))


def value_of(match: re.Match[str]) -> tuple[str, int, int]:
    """Quoted or bare password value and its span."""
    group = "value" if match.group("value") is not None else "bare"
    return match.group(group), match.start(group), match.end(group)


class XmlPasswordDetector(Detector):
    """Element text or the value attribute of a key="…Password" entry."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """Element text or attribute value."""
        group = next(g for g in ("value", "attr", "text") if match.group(g) is not None)
        return match.group(group), match.start(group), match.end(group)


def symbol_or_digit_literal(value: str) -> bool:
    """A literal with a digit or a symbol that is not a snake_case name: `("password", "Wachtwoord")` is a
    form label and `"password", "password_2"` a list of names (icon sets, enums), not a password."""
    return validate(value) and bool(re.search(r"[\d!@#$%^&*+=?~]", value)) and not _SNAKE_NAME.match(value)


def defined_password(value: str) -> bool:
    """A literal, not wp-config-sample.php's `password_here`."""
    return validate(value) and not value.lower().endswith("_here")


# the word "password" in the languages of our users' locale files (Rails nl.yml, messages_de.properties):
# `password: Wachtwoord` there is a form label, not a credential
PASSWORD_TRANSLATIONS = frozenset({"wachtwoord", "kennwort", "passwort", "senha", "salasana", "adgangskode",
                                   "heslo", "parola", "haslo", "lozinka", "jelszo", "passord", "losenord",
                                   "wagwoord", "contrasena", "motdepasse"})


def yaml_literal(value: str) -> bool:
    """A YAML plain scalar that is not a type name (`SecretStr`), a null/boolean word or the word
    "password" translated (a locale file's label); hyphenated groups must not read as a slug of words."""
    if "-" in value and (identifier_like(value) or value.islower() or value.isupper()):
        return False
    return validate(value) and not _CAMEL_WORDS.match(value) and value.lower() not in PASSWORD_TRANSLATIONS


class CredentialCallDetector(Detector):
    """The password argument, unless the user is anonymous FTP's."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """The second argument, or an empty value (fails validation) for an anonymous login."""
        if match.group("user").strip().lower() in _ANONYMOUS_USERS:
            return "", match.start("value"), match.start("value")
        return match.group("value"), match.start("value"), match.end("value")


class PasswordDetector(Detector):
    """The password pattern has two value groups (quoted and bare); pick the one that matched."""

    def value_of(self, match: re.Match[str]) -> tuple[str, int, int]:
        """Quoted or bare value."""
        value, start, end = value_of(match)
        if match.group("value") is None and not _bare_value_allowed(value):
            return "", start, start  # empty value fails validation
        return value, start, end


def validate(value: str) -> bool:
    """Non-empty literal."""
    return bool(value) and literal_password(value)


def url_password_literal(value: str) -> bool:
    """The password part of a URL is a literal, not ${VAR} or :password placeholders."""
    secret = value.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    return literal_password(secret)


DETECTORS = (
    PasswordDetector(PASSWORD_TYPE, PASSWORD, keywords=("pass", "pwd", "wachtw"), validate=validate,
                     check="literal value assigned to a password name", confidence=0.85,
                     name="password_assignment", negative_context=PASSWORD_STATUS_NAMES),
    Detector(URL_TYPE, CONNECTION, keywords=("://",), validate=url_password_literal,
             check="URL with user:password@host credentials", confidence=0.9, name="connection_url"),
    Detector(URL_TYPE, ADO_NET, keywords=("password", "pwd"), validate=ado_net_credentials,
             prefilter=_ADO_PREFILTER, check="ADO.NET/ODBC connection string with a server and a password",
             confidence=0.9, mask=masked_head, name="connection_string_keywords"),
    Detector(URL_TYPE, STACKEXCHANGE_REDIS, keywords=("password=",), validate=stackexchange_credentials,
             prefilter=r"(?i),password=", check="StackExchange.Redis configuration string with a password",
             confidence=0.9, mask=masked_head, name="stackexchange_redis_configuration"),
    Detector(URL_TYPE, URL_PARAMETERS, keywords=("://",), validate=url_parameter_literal,
             check="database URL with a password parameter", confidence=0.9, mask=masked_head,
             prefilter=r"(?i)://[^\s]*[?&;](?:password|pwd)=",
             name="connection_url_parameters"),
    Detector(PASSWORD_TYPE, CLI_PASSWORD,
             keywords=("--requirepass", "--masterauth", "--password", "--passwd"),
             validate=cli_password, prefilter=_CLI_PREFILTER, check="literal argument of a password flag",
             confidence=0.85, name="password_flag"),
    Detector(PASSWORD_TYPE, PASSWORD_PAIR, keywords=("pass", "pwd", "wachtw"),
             validate=symbol_or_digit_literal, prefilter=_PAIR_PREFILTER,
             check="literal paired with a password name (put/setProperty/environ default)", confidence=0.85,
             name="password_pair"),
    Detector(PASSWORD_TYPE, PASSWORD_SETTER, keywords=("pass", "pwd", "wachtw"), validate=validate,
             prefilter=_SETTER_PREFILTER,
             check="literal given to a password setter", confidence=0.85, name="password_setter"),
    XmlPasswordDetector(PASSWORD_TYPE, PASSWORD_XML, keywords=("pass", "pwd", "wachtw"), validate=validate,
                        prefilter=_XML_PREFILTER,
                        check="literal in a password XML element or key/value entry", confidence=0.85,
                        name="password_xml"),
    Detector(PASSWORD_TYPE, PASSWORD_ENV, keywords=("pass", "pwd"), validate=yaml_literal,
             prefilter=_ENV_PREFILTER,
             check="letters-only value of an upper-case password environment variable", confidence=0.8,
             name="password_env_line", priority=1),
    Detector(PASSWORD_TYPE, PASSWORD_PROPERTY, keywords=("pass", "pwd"), validate=yaml_literal,
             prefilter=_PROPERTY_PREFILTER,
             check="letters-only value of a dotted password property", confidence=0.8,
             name="password_property_line", priority=1),
    Detector(PASSWORD_TYPE, PASS_KEY, keywords=("pass",), validate=symbol_or_digit_literal,
             prefilter=_PASS_KEY_PREFILTER, check="literal under a `pass` key (user/pass auth object)",
             confidence=0.85, name="pass_key"),
    Detector(PASSWORD_TYPE, ENV_FALLBACK, keywords=("pass", "pwd", "wachtw"),
             validate=symbol_or_digit_literal,
             prefilter=_ENV_FALLBACK_PREFILTER, check="literal fallback of a password environment variable",
             confidence=0.85, name="password_env_fallback"),
    CredentialCallDetector(PASSWORD_TYPE, CREDENTIAL_CALL,
                           keywords=("login", "getconnection", "credential", "auth", "pdo", "mysqli"),
                           validate=symbol_or_digit_literal, prefilter=_CREDENTIAL_CALL_PREFILTER,
                           check="literal password argument of a login or credential call (user, password)",
                           confidence=0.85, name="credential_call"),
    Detector(PASSWORD_TYPE, PHP_DEFINE, keywords=("define",), validate=defined_password,
             prefilter=_DEFINE_PREFILTER,
             check="literal value of a PHP password constant (define)", confidence=0.85,
             name="php_define_password", priority=1),
    Detector(PASSWORD_TYPE, PASSWORD_YAML, keywords=("pass", "pwd", "wachtw"), validate=yaml_literal,
             prefilter=_YAML_PREFILTER,
             check="plain YAML value of a password key", confidence=0.8, name="password_yaml", priority=1),
)


def scheme_repaired(value: str) -> str:
    """The URL without inserted spaces and with its scheme replaced by the known one it resembles."""
    import difflib  # OCR'd text only: not a cost of every scan's start-up

    url = ocr.joined(value)
    scheme, rest = url.split("://", 1)
    prefix = "jdbc:" if scheme.lower().startswith("jdbc:") else ""
    close = difflib.get_close_matches(scheme[len(prefix):].lower(), SCHEMES, n=1, cutoff=CLOSE_ENOUGH)
    return f"{prefix}{close[0]}://{rest}" if close else url


def ocr_url_password_literal(value: str) -> bool:
    """A known scheme after repair, and a literal password."""
    scheme = value.split("://", 1)[0].lower().removeprefix("jdbc:")
    return scheme in SCHEMES and url_password_literal(value)


OCR_DETECTORS = (
    Detector(URL_TYPE, OCR_CONNECTION, keywords=("://",), validate=ocr_url_password_literal,
             repair=scheme_repaired, check="URL with user:password@host credentials, as read by OCR",
             confidence=0.85, name="connection_url_ocr", ocr=True, priority=1),
)
