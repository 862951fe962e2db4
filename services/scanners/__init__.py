"""The scanner registry: every scanner the platform knows, each declared once, written out by hand.

A declaration (services/scanners/declaration.py) says everything the rest of the platform needs to
know of a scanner without importing it: its request fields and options, the plans that include it,
what it needs on the machine and where its implementation lives. Adding a scanner is one module in
this package plus one declaration below. The UI form, the CLI, the REST API's validation and OpenAPI
schema, the plan checks, the worker entry and which workers the launcher starts all come from here.

Operators (and tests) may register further scanners without editing this file: DG_EXTRA_SCANNERS
names declarations as `module:ATTRIBUTE`, imported when the registry is first read. Explicit, like the
list below: nothing registers itself by being imported.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from services.scanners.base import Scanner
from services.scanners.declaration import Field, Requirement, ScannerDeclaration, load_attribute
from utils.config import IMAGE_MAX_FRAMES, IMAGE_MAX_PIXELS, get_settings
from utils.errors import ConfigError, ScannerNotAvailableError

ALL_PLANS = ("free", "starter", "professional", "enterprise")
STARTER_AND_UP = ("starter", "professional", "enterprise")
PROFESSIONAL_AND_UP = ("professional", "enterprise")
MIB = 1024 * 1024
KINDS_HELP = "finding categories or types to report, e.g. pii, secret, special, pii.bsn"

CODE = ScannerDeclaration(
    name="code", label="Code", submit_label="Start code scan", plans=ALL_PLANS,
    summary="secrets, personal data and personal-data handling (logging, schemas, trackers) in source code",
    implementation="services.scanners.code:CodeScanner",
    fields=(
        Field("archive", "path", "Upload an archive", "a zip or tar of the source tree", upload="archive"),
        Field("path", "path", "Path on the server", "a directory or file inside the allowed scan roots"),
        Field("git_url", "url", "Git URL",
              "https, ssh or file URL of a repository; an https one may carry user:token@"),
    ),
    one_of=("archive", "path", "git_url"),
    options=(
        Field("history", "bool", "Also look for secrets in earlier commits", default=False),
        Field("max_files", "int", "Most files to read", minimum=1, maximum=50_000),
        Field("max_file_bytes", "int", "Largest file to read (bytes)", minimum=1, maximum=64 * MIB),
        Field("kinds", "list", "Kinds", KINDS_HELP),
        Field("ignore", "json", "Ignore", "fingerprints of findings to suppress"),
        Field("baseline", "json", "Baseline", "fingerprints, or an earlier result, of accepted findings"),
    ),
)
WEBSITE = ScannerDeclaration(
    name="website", label="Website", submit_label="Start website scan", plans=STARTER_AND_UP,
    summary="cookies and trackers before consent, privacy notice, forms, headers, personal data on pages",
    implementation="services.scanners.website:WebsiteScanner",
    fields=(Field("url", "url", "Website URL", "http or https address of the site's start page",
                  required=True),),
    options=(
        Field("mode", "choice", "Mode", "browser: Chromium in three consent states; static: HTML and "
              "headers only (no browser needed)", choices=("browser", "static"), default="browser"),
        Field("max_pages", "int", "Most pages to visit", minimum=1, maximum=500, default=20),
        Field("max_depth", "int", "Links to follow from the start page", minimum=0, maximum=10, default=3),
        Field("page_timeout_s", "number", "Seconds one page may take", minimum=1, maximum=60, default=15),
        Field("total_timeout_s", "number", "Seconds the whole crawl may take", minimum=10, maximum=3600,
              default=600),
        Field("max_page_bytes", "int", "Largest page to read (bytes)", minimum=1024, maximum=20 * MIB),
        Field("delay_s", "number", "Pause between pages (seconds)", minimum=0, maximum=10, default=0.5),
    ),
    # static mode needs these only; browser mode's Chromium and Playwright are checked per request, so a
    # machine without a browser still runs static scans (services/scanners/website/scanner.py)
    requires=(Requirement("module", "bs4"), Requirement("module", "lxml"), Requirement("module", "yaml"),
              Requirement("module", "tldextract")),
    view="ui.components.views.website:render_website",
    report_section="services.reporting.sections.website:flowables",
)
AI_MODEL = ScannerDeclaration(
    name="ai_model", label="AI model", submit_label="Start AI model scan", plans=PROFESSIONAL_AND_UP,
    summary="unsafe model files, sensitive features, EU AI Act risk class, documentation gaps, dataset bias",
    implementation="services.scanners.ai_model:AiModelScanner",
    fields=(Field("path", "path", "Model file or directory",
                  "pickle, PyTorch, Keras, HDF5, safetensors or ONNX",
                  required=True, upload="file"),
            Field("dataset", "path", "Training dataset (optional)", "a CSV or Parquet file", upload="file"),
            Field("answers", "questionnaire", "EU AI Act questions", "question id -> answer",
                  source="services.scanners.ai_model:load_questionnaire")),
    options=(
        Field("max_file_bytes", "int", "Largest model file to read (bytes)", minimum=1, maximum=512 * MIB),
        Field("max_files", "int", "Most files to look at", minimum=1, maximum=1000),
        Field("protected_attribute", "text", "Protected attribute column of the dataset",
              "e.g. gender; at most 200 characters"),
        Field("label_column", "text", "Label column of the dataset", "the true outcome, 0/1 or yes/no"),
        Field("prediction_column", "text", "Prediction column of the dataset", "the model's outcome, 0/1"),
    ),
    # the two pickle analysers: without them no file-safety verdict can be given (the format readers and
    # fairlearn are imported when a file or dataset needs them, and are pinned in requirements.txt)
    requires=(Requirement("module", "picklescan"), Requirement("module", "fickling")),
    view="ui.components.views.ai_model:render",
    report_section="services.reporting.sections.ai_model:flowables",
)
DOCUMENT = ScannerDeclaration(
    name="document", label="Document", submit_label="Start document scan", plans=ALL_PLANS,
    summary="personal data and special categories in txt, csv, pdf, docx, xlsx, eml and more",
    implementation="services.scanners.document:DocumentScanner",
    fields=(Field("path", "path", "Document or archive (txt, csv, pdf, docx, xlsx, eml, zip ...)",
                  "a file, directory or archive inside the allowed scan roots", required=True,
                  upload="file"),),
    options=(
        Field("ocr", "bool", "Read scanned pages and images (OCR)", default=True),
        Field("ocr_languages", "text", "OCR languages", "tesseract languages, e.g. eng+nld"),
        Field("max_files", "int", "Most files to read", minimum=1, maximum=10_000),
        Field("max_file_bytes", "int", "Largest file to read (bytes)", minimum=1, maximum=100 * MIB),
        Field("archive_depth", "int", "Archives inside archives to open", minimum=1, maximum=5),
        Field("exclude_dirs", "list", "Folders to skip"),
        Field("kinds", "list", "Kinds", KINDS_HELP),
    ),
)
DATABASE = ScannerDeclaration(
    name="database", label="Database", submit_label="Start database scan", plans=PROFESSIONAL_AND_UP,
    summary="a personal-data map of a database: columns classified from their names and sampled values",
    implementation="services.scanners.database:DatabaseScanner",
    fields=(Field("dsn", "dsn", "Connection string",
                  "postgresql://user:password@host:5432/db, mysql://… or mariadb://…; a read-only user "
                  "is enough"),
            Field("path", "path", "SQLite file", "an uploaded SQLite database", upload="file")),
    one_of=("dsn", "path"),
    options=(Field("schemas", "list", "Schemas", "schemas (MySQL: databases) to read; default all"),
             Field("sample_size", "int", "Rows sampled per column", minimum=1, maximum=10_000),
             Field("retention_days", "int", "Retention period (days)",
                   "rows older than this in a table with personal data are reported", minimum=1,
                   maximum=36_500),
             Field("kinds", "list", "Kinds", KINDS_HELP)),
    requires=(Requirement("module", "psycopg2"), Requirement("module", "pymysql")),
    view="ui.components.views.database:render",
    report_section="services.reporting.sections.database:flowables",
)
IMAGE = ScannerDeclaration(
    name="image", label="Image", submit_label="Start image scan", plans=STARTER_AND_UP,
    summary="GPS and other metadata, personal data read from the pixels (OCR), faces, embedded thumbnails",
    implementation="services.scanners.image:ImageScanner",
    fields=(Field("path", "path", "Image, folder or archive (jpg, png, tiff, webp, gif, bmp, heic, zip ...)",
                  "a file, directory or archive inside the allowed scan roots", required=True,
                  upload="file"),),
    options=(
        Field("ocr", "bool", "Read text in the pictures (OCR)", default=True),
        Field("ocr_languages", "text", "OCR languages", "tesseract languages, e.g. eng+nld"),
        Field("faces", "bool", "Look for faces", default=True),
        Field("redact", "bool", "Make redacted copies (faces and text hidden, metadata stripped)",
              default=False),
        Field("max_files", "int", "Most images to read", minimum=1, maximum=10_000),
        Field("max_file_bytes", "int", "Largest image to read (bytes)", minimum=1, maximum=200 * MIB),
        # options may lower the default limits (DG_IMAGE_MAX_FRAMES, DG_IMAGE_MAX_PIXELS), never raise them
        Field("max_frames", "int", "Most pages or frames per image", minimum=1, maximum=IMAGE_MAX_FRAMES),
        Field("max_pixels", "int", "Most pixels per image", minimum=1, maximum=IMAGE_MAX_PIXELS),
        Field("archive_depth", "int", "Archives inside archives to open", minimum=1, maximum=5),
        Field("kinds", "list", "Kinds", "finding categories or types to report, e.g. pii, image, image.face"),
    ),
    # OpenCV and pillow-heif are pinned requirements; asking for them here would import cv2 (~50 MB) into
    # every UI and API process that checks availability
    requires=(Requirement("executable", "tesseract"),),
    view="ui.components.views.image:render", report_section="services.reporting.sections.image:flowables",
)
DPIA = ScannerDeclaration(
    name="dpia", label="DPIA", submit_label="Start DPIA", plans=ALL_PLANS,
    summary="whether a DPIA is required, the risk register and the residual risk, from questionnaire answers",
    implementation="services.scanners.dpia:DpiaScanner",
    fields=(Field("answers", "questionnaire", "Answers", "question id -> answer",
                  source="services.scanners.dpia:load_questionnaire"),
            Field("evidence", "evidence", "Evidence", "findings of earlier scans to cite")),
)
SOC2 = ScannerDeclaration(
    name="soc2", label="SOC 2", submit_label="Start SOC 2 assessment", plans=STARTER_AND_UP,
    summary="Trust Services Criteria evidence and gaps in a repository or configuration tree",
    implementation="services.scanners.soc2:Soc2Scanner",
    fields=(Field("path", "path", "Repository or configuration archive (optional)",
                  "a directory inside the allowed scan roots", upload="tree"),
            Field("answers", "questionnaire", "Answers", "question id -> true/false",
                  source="services.scanners.soc2:load_questionnaire")),
    any_of=("path", "answers"),
    options=(Field("code_scan", "bool", "Also scan the code for secrets", default=True),),
)
API = ScannerDeclaration(
    name="api", label="API", submit_label="Start API scan", plans=PROFESSIONAL_AND_UP,
    summary="unauthenticated personal data, object-level authorisation, CORS, headers, rate limits, verbose "
            "errors and undeclared fields of an HTTP API",
    implementation="services.scanners.api:ApiScanner",
    view="ui.components.views.api:render", report_section="services.reporting.sections.api:flowables",
    fields=(Field("base_url", "url", "Base URL", "the API's root, e.g. https://api.example.nl/v1",
                  required=True),
            Field("spec_file", "path", "OpenAPI document (upload)", "OpenAPI 3 or Swagger 2, JSON or YAML",
                  upload="file")),
    options=(
        Field("spec", "text", "OpenAPI document URL or path", "a URL, or a path inside the scan roots"),
        Field("bearer_token", "text", "Bearer token", "sent as Authorization: Bearer; never stored",
              secret=True),
        Field("api_key_header", "text", "API key header", "header name of the API key", default="X-API-Key"),
        Field("api_key", "text", "API key", "never stored", secret=True),
        Field("basic_user", "text", "Basic auth user"),
        Field("basic_password", "text", "Basic auth password", "never stored", secret=True),
        Field("other_bearer_token", "text", "Second user's bearer token", "for the object-level check",
              secret=True),
        Field("other_api_key", "text", "Second user's API key", "for the object-level check", secret=True),
        Field("other_basic_user", "text", "Second user's basic auth user"),
        Field("other_basic_password", "text", "Second user's basic auth password", secret=True),
        Field("allow_unsafe", "bool", "Also send POST, PUT, PATCH and DELETE (changes data!)", default=False),
        Field("max_operations", "int", "Most operations to read", minimum=1, maximum=1000),
        Field("max_requests", "int", "Most requests to send", minimum=1, maximum=5000),
        Field("rate_per_s", "number", "Requests per second", minimum=0.1, maximum=50.0),
        Field("burst", "int", "Requests in the rate-limit burst (0: no check)", minimum=0, maximum=50),
        Field("timeout_s", "number", "Seconds per request", minimum=0.5, maximum=60.0),
        Field("kinds", "list", "Kinds", "personal-data categories to report: pii, special, secret"),
    ),
)
REPORT = ScannerDeclaration(
    name="report", label="Report", submit_label="Build report", plans=ALL_PLANS,
    summary="one or more scan results as a branded PDF, or JSON, CSV or SARIF",
    implementation="services.scanners.report:ReportScanner",
    fields=(Field("results", "results", "Scans to report on", required=True),
            Field("format", "choice", "Format", choices=("pdf", "json", "csv", "sarif"), default="pdf"),
            Field("language", "choice", "Language", choices=("en", "nl"), default="en"),
            Field("output", "output", "Output file", "relative paths go among the organisation's reports",
                  required=True),
            Field("organisation", "text", "Organisation on the cover"),
            Field("title", "text", "Title"),
            Field("logo", "path", "Logo (PNG or JPEG)", upload="file")),
)
DIAGNOSTIC = ScannerDeclaration(
    name="diagnostic", label="Diagnostic", customer=False,
    summary="a scanner of nothing for drills and benchmarks: sleeps, fails, hangs or crashes on request",
    implementation="services.scanners.diagnostic:DiagnosticScanner",
    fields=(Field("sleep_s", "number", "Seconds to sleep", minimum=0),
            Field("step_s", "number", "Seconds between progress reports", minimum=0),
            Field("raise_error", "text", "Raise this error"),
            Field("ignore_deadline", "bool", "Ignore the deadline"),
            Field("crash", "bool", "Crash the worker")),
)

# the order is the ports' order: code 5001 ... report 5010 (services/scanner_processes/main.py)
BUILT_IN: tuple[ScannerDeclaration, ...] = (
    CODE, WEBSITE, AI_MODEL, DOCUMENT, DATABASE, IMAGE, DPIA, SOC2, API, REPORT, DIAGNOSTIC)


def declarations() -> dict[str, ScannerDeclaration]:
    """Every registered scanner by name: the built-in ones, then those DG_EXTRA_SCANNERS names."""
    return _registry(get_settings().extra_scanners)


@functools.lru_cache(maxsize=8)
def _registry(extra: tuple[str, ...]) -> dict[str, ScannerDeclaration]:
    found = {d.name: d for d in BUILT_IN}
    for target in extra:
        try:
            declaration = load_attribute(target)
        except (ImportError, AttributeError, ValueError) as error:
            raise ConfigError(f"DG_EXTRA_SCANNERS: cannot load {target!r} ({error})") from None
        if not isinstance(declaration, ScannerDeclaration):
            raise ConfigError(f"DG_EXTRA_SCANNERS: {target!r} is not a ScannerDeclaration")
        if declaration.name in found:
            raise ConfigError(f"DG_EXTRA_SCANNERS: a scanner called {declaration.name!r} is registered "
                              "already")
        found[declaration.name] = declaration
    return found


def scanner_names(*, customer: bool = True) -> tuple[str, ...]:
    """Registered scanner names in registration order (customer ones only, unless `customer` is False)."""
    return tuple(name for name, d in declarations().items() if d.customer or not customer)


def declaration(name: object) -> ScannerDeclaration:
    """The declaration of `name`; ScannerNotAvailableError (listing the known ones) when none."""
    found = declarations().get(name) if isinstance(name, str) else None
    if found is None:
        raise ScannerNotAvailableError(f"unknown scanner; known: {', '.join(scanner_names())}")
    return found


def unavailable_because(name: str) -> str | None:
    """Why `name` cannot run here ("not available yet", a requirement missing), or None when it can.

    The one place availability is decided: the UI, CLI, API, ProcessManager and launcher all ask here.
    """
    return declaration(name).unavailable_because()


def available_scanners(*, customer: bool = False) -> list[str]:
    """Names of the registered scanners that can run on this machine."""
    return [name for name in scanner_names(customer=customer) if unavailable_because(name) is None]


def require_available(name: object, *, customer: bool = True) -> ScannerDeclaration:
    """The declaration of a scanner that can run here; else ScannerNotAvailableError saying why."""
    found = declaration(name)
    if customer and not found.customer:
        raise ScannerNotAvailableError(f"unknown scanner; known: {', '.join(scanner_names())}")
    reason = found.unavailable_because()
    if reason is not None:
        raise ScannerNotAvailableError(f"the {found.name} scanner is {reason}")
    return found


def get_scanner(name: str) -> Scanner:
    """An instance of the scanner registered under `name`, or ScannerNotAvailableError."""
    scanner: Scanner = require_available(name, customer=False).load()
    return scanner


def plans_including(name: str) -> tuple[str, ...]:
    """The plans whose organisations may run `name`."""
    return declaration(name).plans


def scanners_in(plan: str) -> tuple[str, ...]:
    """The customer scanners a plan includes."""
    return tuple(name for name in scanner_names() if plan in declarations()[name].plans)


def fixed_port(name: str, base: int) -> int | None:
    """A built-in scanner's fixed port (code 5001 ... report 5010, diagnostic 5012; 5011 is the REST
    API's); None for one registered through DG_EXTRA_SCANNERS, which takes the next free port."""
    names = [d.name for d in BUILT_IN if d.customer]
    if name in names:
        return base + names.index(name)
    return base + len(names) + 1 if name == DIAGNOSTIC.name else None


def with_fields(kinds: Iterable[str]) -> tuple[str, ...]:
    """Customer scanners with a request field of one of `kinds` (e.g. those answering questionnaires)."""
    wanted = set(kinds)
    registered = declarations()
    return tuple(name for name in scanner_names() if any(f.kind in wanted for f in registered[name].fields))
