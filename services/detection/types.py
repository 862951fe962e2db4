"""Every finding type the detection engine and the code scanner emit: the public list, in one place.

A type name is a contract: baselines, ignore files, SARIF rule ids and reports key on it, so a type
is never renamed (detect-secrets learned this the hard way). Add new ones; deprecate, never rename.
Each entry carries the defaults a finding of that type gets: severity, the GDPR/UAVG articles it
engages and one remediation sentence. Detectors may lower the severity (placeholders, fixtures).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.results import Severity

# the namespaces before the dot; the five scanners that read the web, images, databases and models add
# their own (a cookie, a tracker, a web page, an API, an image, a database, a model), each in a block of
# its own below so that their tables do not interleave
CATEGORIES = ("pii", "secret", "special", "code",
              "cookie", "tracker", "web", "api", "image", "database", "ai")


@dataclass(frozen=True)
class TypeInfo:
    """Defaults and documentation of one finding type."""

    name: str
    severity: Severity
    articles: tuple[str, ...]
    remediation: str
    description: str

    @property
    def category(self) -> str:
        """The namespace before the dot: pii, secret, special or code."""
        return self.name.split(".", 1)[0]


_PII_ART = ("GDPR Art. 5(1)(c)", "GDPR Art. 32")
_SPECIAL_ART = ("GDPR Art. 9", "UAVG Art. 22", "GDPR Art. 32")
_SECRET_ART = ("GDPR Art. 32",)
_COOKIE_ART = ("ePrivacy Art. 5(3)", "Telecommunicatiewet Art. 11.7a", "GDPR Art. 6(1)(a)", "GDPR Art. 7")
_ROTATE = "Revoke and rotate this credential now, then load it from a secret manager or environment."

_ALL = (
    # --- personal data (GDPR Art. 4(1)) ---
    TypeInfo("pii.bsn", Severity.HIGH, ("UAVG Art. 46", "GDPR Art. 87", *_PII_ART),
             "Remove the BSN or process it only where a law requires it (UAVG Art. 46); encrypt at rest.",
             "Dutch citizen service number (burgerservicenummer), 11-proof checked"),
    TypeInfo("pii.iban", Severity.MEDIUM, _PII_ART,
             "Remove or pseudonymise the bank account number; keep it only in the payment system.",
             "International bank account number, ISO 13616 mod-97 checked"),
    TypeInfo("pii.credit_card", Severity.HIGH, ("PCI DSS 3.4", *_PII_ART),
             "Never store full card numbers; use the payment provider's token instead.",
             "Payment card number, Luhn and issuer range checked"),
    TypeInfo("pii.email", Severity.LOW, _PII_ART,
             "Remove personal e-mail addresses or replace them with role addresses or test domains.",
             "E-mail address (example and test domains are ignored)"),
    TypeInfo("pii.phone", Severity.LOW, _PII_ART,
             "Remove the phone number or replace it with a reserved test number.",
             "Phone number, validated by libphonenumber for NL and EU countries"),
    TypeInfo("pii.postcode", Severity.LOW, _PII_ART,
             "Remove the address or reduce it to the city when the full address is not needed.",
             "Dutch postcode with house number (an address)"),
    TypeInfo("pii.date_of_birth", Severity.MEDIUM, _PII_ART,
             "Remove the date of birth or keep only the year or an age band.",
             "A date next to birth-date words (geboortedatum, date of birth, DOB)"),
    TypeInfo("pii.passport", Severity.HIGH, ("UAVG Art. 46", *_PII_ART),
             "Do not keep copies of passport or ID-card numbers unless a law requires it.",
             "Dutch passport or identity-card number next to document words"),
    TypeInfo("pii.drivers_license", Severity.HIGH, ("UAVG Art. 46", *_PII_ART),
             "Do not keep driving licence numbers unless a law requires it.",
             "Driving licence number next to licence words"),
    TypeInfo("pii.national_id", Severity.HIGH, ("GDPR Art. 87", *_PII_ART),
             "Remove the national identification number or process it only on a legal basis.",
             "EU national identification number validated by python-stdnum"),
    TypeInfo("pii.ip_address", Severity.LOW, _PII_ART,
             "Treat client IP addresses as personal data: truncate or drop them after use.",
             "Public IPv4 or IPv6 address (private, loopback and documentation ranges ignored)"),
    # --- special categories (GDPR Art. 9, UAVG Art. 22-30) and criminal data (Art. 10) ---
    TypeInfo("special.health", Severity.HIGH, _SPECIAL_ART,
             "Health data needs an Art. 9(2) exception and a DPIA; remove it or restrict and encrypt it.",
             "Health or medical terms about a person"),
    TypeInfo("special.religion", Severity.HIGH, _SPECIAL_ART,
             "Religious belief is special-category data: remove it or document the Art. 9(2) exception.",
             "Religious or philosophical belief of a person"),
    TypeInfo("special.ethnicity", Severity.HIGH, _SPECIAL_ART,
             "Racial or ethnic origin is special-category data: remove it unless an exception applies.",
             "Racial or ethnic origin of a person"),
    TypeInfo("special.political", Severity.HIGH, _SPECIAL_ART,
             "Political opinion is special-category data: remove it unless an exception applies.",
             "Political opinion or party membership of a person"),
    TypeInfo("special.trade_union", Severity.HIGH, _SPECIAL_ART,
             "Trade-union membership is special-category data: remove it unless an exception applies.",
             "Trade-union membership or union role of a person"),
    TypeInfo("special.sexual_orientation", Severity.HIGH, _SPECIAL_ART,
             "Sexual orientation is special-category data: remove it unless an exception applies.",
             "Sexual orientation or sex life of a person"),
    TypeInfo("special.biometric", Severity.HIGH, _SPECIAL_ART,
             "Biometric data for identification needs an Art. 9(2) exception and a DPIA.",
             "Biometric identifiers (fingerprints, face templates) of a person"),
    TypeInfo("special.criminal", Severity.HIGH, ("GDPR Art. 10", "UAVG Art. 31", "GDPR Art. 32"),
             "Criminal-record data may only be processed under official authority (GDPR Art. 10).",
             "Criminal convictions or offences of a person"),
    # --- secrets (GDPR Art. 32: security of processing) ---
    TypeInfo("secret.aws_access_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "AWS access key id"),
    TypeInfo("secret.aws_secret_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "AWS secret access key"),
    TypeInfo("secret.gcp_service_account", Severity.CRITICAL, _SECRET_ART, _ROTATE,
             "Google Cloud service-account JSON with a private key"),
    TypeInfo("secret.gcp_api_key", Severity.HIGH, _SECRET_ART, _ROTATE, "Google API key (AIza…)"),
    TypeInfo("secret.azure_storage_key", Severity.CRITICAL, _SECRET_ART, _ROTATE,
             "Azure storage account key or connection string"),
    TypeInfo("secret.azure_client_secret", Severity.CRITICAL, _SECRET_ART, _ROTATE,
             "Azure AD application client secret"),
    TypeInfo("secret.github_token", Severity.CRITICAL, _SECRET_ART, _ROTATE, "GitHub token (ghp_, gho_, …)"),
    TypeInfo("secret.gitlab_token", Severity.CRITICAL, _SECRET_ART, _ROTATE, "GitLab token (glpat-, …)"),
    TypeInfo("secret.slack_token", Severity.HIGH, _SECRET_ART, _ROTATE, "Slack token or webhook URL"),
    TypeInfo("secret.stripe_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "Stripe secret or restricted key"),
    TypeInfo("secret.twilio_key", Severity.HIGH, _SECRET_ART, _ROTATE, "Twilio API key"),
    TypeInfo("secret.sendgrid_key", Severity.HIGH, _SECRET_ART, _ROTATE, "SendGrid API key"),
    TypeInfo("secret.openai_key", Severity.HIGH, _SECRET_ART, _ROTATE, "OpenAI-style API key (sk-…)"),
    TypeInfo("secret.mollie_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "Mollie live/test API key"),
    TypeInfo("secret.adyen_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "Adyen API key"),
    TypeInfo("secret.bunq_key", Severity.CRITICAL, _SECRET_ART, _ROTATE, "bunq API key"),
    TypeInfo("secret.exact_online", Severity.HIGH, _SECRET_ART, _ROTATE, "Exact Online client secret"),
    TypeInfo("secret.private_key", Severity.CRITICAL, _SECRET_ART, _ROTATE,
             "PEM or OpenSSH private key block"),
    TypeInfo("secret.jwt", Severity.MEDIUM, _SECRET_ART, _ROTATE, "JSON Web Token with a valid header"),
    TypeInfo("secret.password", Severity.HIGH, _SECRET_ART,
             "Remove the password from the file, change it, and load it from a secret store.",
             "Password assigned in code or configuration"),
    TypeInfo("secret.connection_string", Severity.HIGH, _SECRET_ART,
             "Remove credentials from the connection URL, change the password, inject it at runtime.",
             "Database or broker URL with an embedded password"),
    TypeInfo("secret.generic", Severity.MEDIUM, _SECRET_ART, _ROTATE,
             "High-entropy value assigned to a secret-like name"),
    # --- privacy findings about code (the code scanner) ---
    TypeInfo("code.pii_logging", Severity.MEDIUM, ("GDPR Art. 5(1)(c)", "GDPR Art. 32"),
             "Do not log personal data; log an internal id or a masked value instead.",
             "A logging or print call that writes a personal-data variable"),
    TypeInfo("code.pii_schema", Severity.INFO, ("GDPR Art. 30", "GDPR Art. 25"),
             "List this personal-data column in the record of processing and set a retention period.",
             "A schema, model or migration column holding personal data"),
    TypeInfo("code.tracker", Severity.MEDIUM, ("ePrivacy Art. 5(3)", "GDPR Art. 6", "GDPR Art. 7"),
             "Load the tracker only after consent and list it in the cookie notice.",
             "Third-party tracking or analytics SDK"),
    TypeInfo("code.insecure_http", Severity.LOW, ("GDPR Art. 32",),
             "Use https:// for every endpoint that may carry personal data.",
             "Plain-http endpoint (localhost and XML namespaces ignored)"),
    TypeInfo("code.non_eu_transfer", Severity.LOW, ("GDPR Art. 44", "GDPR Art. 46"),
             "Document the transfer basis (adequacy, SCCs) or choose an EU region for this service.",
             "Data sent to a service outside the EU/EEA"),

    # --- the website scanner: cookie., tracker., web. ---
    TypeInfo("cookie.before_consent", Severity.HIGH, _COOKIE_ART,
             "Set analytics and marketing cookies only after the visitor has given consent.",
             "An analytics or marketing cookie present before any consent was given"),
    TypeInfo("cookie.after_reject", Severity.HIGH, _COOKIE_ART,
             "Honour 'reject': set no analytics or marketing cookies and delete those set before.",
             "An analytics or marketing cookie present after the visitor chose 'reject all'"),
    TypeInfo("cookie.unclassified", Severity.LOW, ("ePrivacy Art. 5(3)", "Telecommunicatiewet Art. 11.7a"),
             "Find out what this cookie does; list it in the cookie policy and gate it if it is not needed.",
             "A cookie set before consent that the curated table does not know"),
    TypeInfo("tracker.before_consent", Severity.HIGH, _COOKIE_ART,
             "Load analytics and marketing scripts and pixels only after consent (let the consent "
             "platform gate them).",
             "A request to an analytics or marketing third party before any consent was given"),
    TypeInfo("tracker.after_reject", Severity.HIGH, _COOKIE_ART,
             "Honour 'reject': do not load analytics or marketing third parties after it.",
             "A request to an analytics or marketing third party after the visitor chose 'reject all'"),
    TypeInfo("tracker.non_eu_transfer", Severity.MEDIUM,
             ("GDPR Art. 44", "GDPR Art. 46", "GDPR Art. 13(1)(f)"),
             "Document the transfer basis (adequacy decision, SCCs) in the privacy notice, or use an EU "
             "provider.",
             "A page sends visitor data (address, identifiers) to a company outside the EU/EEA"),
    TypeInfo("web.no_consent_banner", Severity.HIGH, _COOKIE_ART,
             "Add a consent banner that asks before analytics or marketing cookies and trackers load.",
             "Analytics or marketing cookies or trackers are used, and no consent banner is shown"),
    TypeInfo("web.no_reject_first_layer", Severity.MEDIUM, ("GDPR Art. 7(3)", "GDPR Art. 4(11)",
                                                           "ePrivacy Art. 5(3)"),
             "Put a 'reject all' (Alles weigeren) button beside 'accept all' on the banner's first layer.",
             "The consent banner's first layer offers accept but no equally easy way to reject"),
    TypeInfo("web.preticked_consent", Severity.MEDIUM,
             ("GDPR Art. 4(11)", "GDPR Art. 7", "ePrivacy Art. 5(3)"),
             "Leave every non-necessary purpose unticked until the visitor ticks it (CJEU C-673/17, "
             "Planet49).",
             "A consent checkbox or switch for a non-necessary purpose is ticked in advance"),
    TypeInfo("web.cookie_wall", Severity.HIGH, ("GDPR Art. 7(4)", "GDPR Art. 4(11)", "ePrivacy Art. 5(3)"),
             "Let visitors use the site without accepting tracking (the AP holds cookie walls unlawful).",
             "The consent layer blocks the site until the visitor accepts"),
    TypeInfo("web.no_privacy_notice", Severity.MEDIUM, ("GDPR Art. 12", "GDPR Art. 13"),
             "Link a privacy notice (privacyverklaring) from every page, e.g. in the footer.",
             "No link to a privacy notice or cookie policy was found on the pages visited"),
    TypeInfo("web.privacy_notice_incomplete", Severity.LOW, ("GDPR Art. 13(1)(a)", "GDPR Art. 13(1)(b)"),
             "Name the controller (company, KvK number) and how to contact it or its DPO in the notice.",
             "The privacy notice does not name the controller or a way to contact it"),
    TypeInfo("web.form_over_http", Severity.HIGH, ("GDPR Art. 32", "GDPR Art. 5(1)(f)"),
             "Serve the form and its target over https only (and redirect http to https).",
             "A form that asks for personal data is sent over plain http"),
    TypeInfo("web.no_https", Severity.MEDIUM, ("GDPR Art. 32",),
             "Serve the site over https and redirect every http request to it.",
             "The site is served over plain http"),
    TypeInfo("web.no_hsts", Severity.LOW, ("GDPR Art. 32",),
             "Send Strict-Transport-Security (max-age of at least a year) on https answers.",
             "The https site sends no Strict-Transport-Security header"),
    TypeInfo("web.mixed_content", Severity.MEDIUM, ("GDPR Art. 32",),
             "Load every script, frame and image of an https page over https.",
             "An https page loads resources over plain http"),
    TypeInfo("web.security_headers", Severity.LOW, ("GDPR Art. 32", "GDPR Art. 25"),
             "Add the missing security headers (CSP, X-Content-Type-Options, Referrer-Policy, frame "
             "protection).",
             "Security headers that protect visitors' data are missing"),

    # --- the API scanner: api. ---
    TypeInfo("api.unauthenticated_personal_data", Severity.HIGH,
             ("GDPR Art. 32", "GDPR Art. 5(1)(f)", "GDPR Art. 25"),
             "Require authentication on this endpoint and return personal data only to those entitled to it.",
             "An endpoint answered a request without credentials with personal data"),
    TypeInfo("api.broken_object_authorization", Severity.HIGH,
             ("GDPR Art. 32", "GDPR Art. 5(1)(f)", "GDPR Art. 25"),
             "Check on every request that the object belongs to (or is shared with) the caller, not only "
             "that the caller is signed in.",
             "One user read another user's object by its id (OWASP API1: broken object level authorisation)"),
    TypeInfo("api.key_in_query", Severity.MEDIUM, ("GDPR Art. 32",),
             "Accept credentials only in a header: query strings end up in logs, proxies and history.",
             "An API key or token is accepted (or declared) as a query-string parameter"),
    TypeInfo("api.cors_any_origin_with_credentials", Severity.HIGH, ("GDPR Art. 32", "GDPR Art. 5(1)(f)"),
             "Allow only your own origins in Access-Control-Allow-Origin when credentials are allowed.",
             "CORS allows any origin (a wildcard or a reflected Origin) together with credentials"),
    TypeInfo("api.missing_security_header", Severity.LOW, ("GDPR Art. 32",),
             "Send X-Content-Type-Options: nosniff, HSTS on https, Cache-Control: no-store on personal data.",
             "A security header is missing from the API's responses"),
    TypeInfo("api.plain_http", Severity.MEDIUM, ("GDPR Art. 32", "GDPR Art. 5(1)(f)"),
             "Serve the API over https only and redirect or refuse plain http.",
             "The API is served over unencrypted http"),
    TypeInfo("api.verbose_error", Severity.MEDIUM, ("GDPR Art. 32",),
             "Return a generic error body; log stack traces and framework errors on the server only.",
             "A response shows a stack trace or a framework's error page"),
    TypeInfo("api.no_rate_limit", Severity.LOW, ("GDPR Art. 32",),
             "Limit requests per client (answer 429 with Retry-After) so data cannot be harvested in bulk.",
             "A bounded burst of requests was answered without any sign of rate limiting"),
    TypeInfo("api.undeclared_field", Severity.MEDIUM, ("GDPR Art. 5(1)(c)", "GDPR Art. 25"),
             "Return only the fields the schema declares; build responses from an allow-list, not the model.",
             "A response holds fields its schema does not declare (OWASP API3: excessive data exposure)"),
    TypeInfo("api.schema_mismatch", Severity.LOW, ("GDPR Art. 25",),
             "Make the responses match the published schema, or correct the schema.",
             "A response does not conform to the schema the API document declares"),

    # --- the image scanner: image. ---
    TypeInfo("image.gps_location", Severity.HIGH, ("GDPR Art. 4(1)", *_PII_ART),
             "Strip location metadata before a picture leaves the organisation (share it without EXIF).",
             "GPS position in a picture's EXIF or XMP metadata: where it was taken, often a home or a route"),
    TypeInfo("image.place_name", Severity.LOW, _PII_ART,
             "Remove the place fields from the picture's metadata unless the place is meant to be public.",
             "City or place written in a picture's IPTC or XMP metadata"),
    TypeInfo("image.person_name", Severity.MEDIUM, _PII_ART,
             "Remove author and owner names from picture metadata, or use the organisation's name instead.",
             "A person's name in a picture's metadata (EXIF Artist, XPAuthor, CameraOwnerName, IPTC By-line, "
             "XMP dc:creator)"),
    TypeInfo("image.device_serial", Severity.LOW, _PII_ART,
             "Strip device serial numbers from pictures before sharing: they link every photo to one camera.",
             "Camera body or lens serial number in a picture's metadata: links pictures to one device"),
    TypeInfo("image.device", Severity.INFO, ("GDPR Art. 5(1)(c)",),
             "Strip camera make and model from shared pictures when they are not needed.",
             "Camera make and model in a picture's metadata"),
    TypeInfo("image.timestamp", Severity.INFO, ("GDPR Art. 5(1)(c)",),
             "Strip capture times from shared pictures when they are not needed.",
             "When a picture was taken, from its metadata (with a position it says where someone was when)"),
    TypeInfo("image.thumbnail_differs", Severity.MEDIUM,
             ("GDPR Art. 5(1)(c)", "GDPR Art. 25", "GDPR Art. 32"),
             "Re-export the picture without metadata: its embedded thumbnail still shows what was cropped or "
             "edited out.",
             "EXIF thumbnail that is not a copy of the picture: the uncropped or unedited original survives"),
    TypeInfo("image.face", Severity.HIGH, ("GDPR Art. 9", "GDPR Art. 4(14)", "UAVG Art. 22", "GDPR Art. 32"),
             "Blur the faces or record consent or another Art. 9(2) ground for keeping identifiable faces.",
             "Faces in a picture: biometric data once processed to identify people (Art. 4(14), Recital 51)"),

    # --- the database scanner: database. ---
    TypeInfo("database.retention_exceeded", Severity.MEDIUM,
             ("GDPR Art. 5(1)(e)", "GDPR Art. 17", "GDPR Art. 30"),
             "Set a retention period for this table and delete or anonymise the rows older than it.",
             "Rows older than the retention period in a database table that holds personal data"),
    TypeInfo("database.personal_column_name", Severity.LOW, ("GDPR Art. 30",),
             "Check what this column holds; list it in the record of processing if it is personal data.",
             "A column named for personal data whose sampled values do not show it (empty, coded or other)"),

    # --- the AI model scanner: ai. ---
    TypeInfo("ai.unsafe_model_file", Severity.CRITICAL, ("GDPR Art. 32", "AI Act Art. 15(5)"),
             "Do not load this file; obtain the model again from a trusted source in safetensors or ONNX.",
             "A pickle-based model file that calls a dangerous function when it is loaded"),
    TypeInfo("ai.model_file_review", Severity.MEDIUM, ("GDPR Art. 32", "AI Act Art. 15(5)"),
             "Check the imported callables before loading, or convert the model to safetensors or ONNX.",
             "A pickle-based model file that imports callables outside the allow-list of ML data types"),
    TypeInfo("ai.model_unverifiable", Severity.MEDIUM, ("GDPR Art. 32", "AI Act Art. 15(5)"),
             "Treat the file as unsafe until it can be read: replace it with an intact copy.",
             "A model file not analysed to its end (empty, truncated, unknown protocol, too large)"),
    TypeInfo("ai.keras_lambda", Severity.HIGH, ("GDPR Art. 32", "AI Act Art. 15(5)"),
             "Replace the Lambda layer with a registered custom layer, and never load with safe_mode off.",
             "A Keras model with a Lambda layer, whose code runs when the model is loaded"),
    TypeInfo("ai.onnx_external_data", Severity.LOW, ("GDPR Art. 32",),
             "Ship external tensor data beside the model; check its locations stay inside the model folder.",
             "An ONNX model whose tensors refer to external files"),
    TypeInfo("ai.sensitive_input", Severity.MEDIUM, ("AI Act Art. 10(2)(f)", "GDPR Art. 5(1)(c)",
                                                     "Charter Art. 21"),
             "Justify the attribute as necessary, test the model for bias on it, or drop it and its proxies.",
             "A model input or training column named after a personal or protected attribute"),
    TypeInfo("ai.dataset_bias", Severity.HIGH, ("AI Act Art. 10(2)(f)", "AI Act Art. 10(2)(g)",
                                                "GDPR Art. 5(1)(a)"),
             "Examine why the outcome differs between groups, correct the data or the model, and record it.",
             "A difference in outcomes between groups of a protected attribute beyond the threshold"),
    TypeInfo("ai.model_card_missing", Severity.MEDIUM, ("AI Act Art. 11", "AI Act Art. 13"),
             "Write a model card covering the documented checklist (intended use, data, metrics, limits).",
             "No model card beside the model"),
    TypeInfo("ai.model_card_incomplete", Severity.LOW, ("AI Act Art. 11", "AI Act Art. 13"),
             "Add the missing sections to the model card.",
             "A model card that lacks items of the documented checklist"),
    TypeInfo("ai.act_prohibited", Severity.CRITICAL, ("AI Act Art. 5",),
             "Stop placing on the market, putting into service or using the system for this practice.",
             "An AI practice prohibited by Art. 5 of the AI Act"),
    TypeInfo("ai.act_high_risk", Severity.HIGH, ("AI Act Art. 6",),
             "Meet the high-risk requirements (Arts. 9-15, 17, 43, 49) and the deployer duties of Art. 26.",
             "A high-risk AI system under Art. 6 (Annex I or Annex III)"),
    TypeInfo("ai.act_annex_iii_exception", Severity.LOW, ("AI Act Art. 6(3)", "AI Act Art. 6(4)"),
             "Document why the Annex III system is not high-risk (Art. 6(4)) and register it (Art. 49(2)).",
             "An Annex III system that an Art. 6(3) condition takes out of the high-risk class"),
    TypeInfo("ai.act_transparency", Severity.MEDIUM, ("AI Act Art. 50",),
             "Tell people they deal with an AI system or AI-generated content, as Art. 50 requires.",
             "Transparency duties under Art. 50 of the AI Act"),
    TypeInfo("ai.act_gpai", Severity.MEDIUM, ("AI Act Art. 53",),
             "Keep the Art. 53 documentation, copyright policy and training summary (Art. 55 if systemic).",
             "Duties of a provider of a general-purpose AI model (Arts. 53-55)"),

)

TYPES: dict[str, TypeInfo] = {info.name: info for info in _ALL}


def type_info(name: str) -> TypeInfo:
    """The registered TypeInfo of `name`; KeyError for an unknown type is a programming error."""
    return TYPES[name]


def selected(name: str, kinds: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
    """True when `kinds` (categories like "pii" or full type names) selects type `name`."""
    return name in kinds or name.split(".", 1)[0] in kinds
