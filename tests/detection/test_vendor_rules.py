"""Every secret rule has a true and a false example: the rule finds the first and does not alert on the
second.

The keys are generated here (seeded, so every run sees the same ones) in each service's documented
shape: prefix, alphabet and length. None is a real key and none is copied from another tool's test
files; the shapes were learned from the vendors' docs and gitleaks' rule definitions. A false example
is what the rule must not take for that vendor's key: a body one or two characters short or too long,
a filler (`xxxx…`), the key without the vendor's name next to it, or a variable in place of the value.
test_every_secret_rule_has_true_and_false_examples makes a new rule without cases fail.
"""

from __future__ import annotations

import base64
import random
import string

import pytest

from services.detection import registry, scan_text
from services.detection.detectors.checksums import with_base62_crc
from services.results import Severity

ACTIONABLE = 0.5
HEX = "0123456789abcdef"
HEX_UP = "0123456789ABCDEF"
DIGITS = string.digits
LOWER = string.ascii_lowercase
LOWER_NUM = string.ascii_lowercase + string.digits
UPPER_NUM = string.ascii_uppercase + string.digits
ALPHA = string.ascii_letters
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
# printable ASCII without space, quotes and backslash: the alphabet of symbol-rich generated secrets
PRINTABLE = "".join(c for c in string.printable if not c.isspace() and c not in "\"'`\\")
B64 = ALNUM + "+/"


def rnd(alphabet: str, length: int, salt: str = "") -> str:
    """A random-looking string, the same on every run for the same arguments."""
    generator = random.Random(f"{alphabet}|{length}|{salt}")
    return "".join(generator.choice(alphabet) for _ in range(length))


def uuid4(salt: str = "") -> str:
    """A random lowercase UUID."""
    h = rnd(HEX, 32, salt)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# (detector name, text it must find, text it must not alert on)
Case = tuple[str, str, str]

AWS: list[Case] = [
    ("aws_access_key_id", f"aws_access_key_id = {'AKIA' + rnd(UPPER_NUM, 16)}",
     f"aws_access_key_id = {'AKIA' + rnd(UPPER_NUM, 14)}"),
    ("aws_secret_access_key", f"aws_secret_access_key = {rnd(B64, 40)}",
     f"aws_secret_access_key = {rnd(LOWER_NUM, 40)}"),  # a lowercase hash, not mixed-case base64
    ("aws_session_token", f"aws_session_token = {rnd(B64, 300)}",
     f"aws_session_token = {rnd(B64, 60)}"),
    ("amazon_mws_token", f"mws = amzn.mws.{uuid4('mws')}",
     "mws = amzn.mws.00000000-0000-0000-0000-000000000000"),
    ("aws_bedrock_api_key", f"BEDROCK_KEY=ABSKQmVkcm9ja0FQSUtleS{rnd(B64, 100)}",
     "BEDROCK_KEY=ABSKQmVkcm9ja0FQSUtleS" + "A" * 100),
]

CLOUD: list[Case] = [
    ("gcp_service_account",
     '{"type": "service_account", "private_key_id": "' + rnd(HEX, 40) + '"}',
     '{"type": "service_account", "private_key_id": "' + rnd(HEX, 38) + '"}'),
    ("gcp_api_key", f"GOOGLE_KEY={'AIza' + rnd(URLSAFE, 35)}", f"GOOGLE_KEY={'AIza' + rnd(URLSAFE, 33)}"),
    ("azure_storage_key", f"AccountName=acme;AccountKey={rnd(B64, 86)}==;",
     f"AccountName=acme;AccountKey={rnd(B64, 80)}==;"),
    ("azure_client_secret", f"AZURE_SECRET={rnd(ALNUM, 3)}8Q~{rnd(URLSAFE, 34)}",
     f"AZURE_SECRET={rnd(ALNUM, 3)}8Q~{rnd(URLSAFE, 20)}"),
    ("google_oauth_client_secret", f"client_secret: GOCSPX-{rnd(URLSAFE, 28)}",
     "client_secret: GOCSPX-" + "x" * 28),
    ("google_oauth_access_token", f"token = ya29.{rnd(URLSAFE, 120)}", "token = ya29.short"),
    ("alibaba_access_key_id", f"id: LTAI{rnd(ALNUM, 20)}", f"id: LTAI{rnd(ALNUM, 8)}"),
    ("alibaba_secret_key", f"ALIBABA_CLOUD_ACCESS_KEY_SECRET={rnd(ALNUM, 30)}",
     f"CACHE_VERSION={rnd(ALNUM, 30)}"),
    ("digitalocean_token", f"DO_TOKEN=dop_v1_{rnd(HEX, 64)}", f"DO_TOKEN=dop_v1_{rnd(HEX, 60)}"),
    ("heroku_api_key", f"HEROKU=HRKU-AA{rnd(URLSAFE, 58)}", f"HEROKU=HRKU-AA{rnd(URLSAFE, 40)}"),
    ("heroku_api_key_legacy", f"HEROKU_API_KEY = '{uuid4('heroku')}'", f"REQUEST_ID = '{uuid4('heroku')}'"),
    ("cloudflare_origin_ca_key", f"ca = v1.0-{rnd(HEX, 24)}-{rnd(HEX, 146)}",
     f"ca = v1.0-{rnd(HEX, 24)}-{rnd(HEX, 40)}"),
    ("cloudflare_api_token", f"CLOUDFLARE_API_TOKEN={rnd(URLSAFE, 40)}", "CLOUDFLARE_API_TOKEN=${CF_TOKEN}"),
    ("flyio_token", f"FLY=fo1_{rnd(URLSAFE, 43)}", f"FLY=fo1_{rnd(URLSAFE, 30)}"),
    ("flyio_macaroon", f"FLY_API_TOKEN=fm2_{rnd(B64, 160)}", f"FLY_API_TOKEN=fm2_{rnd(B64, 40)}"),
    ("scalingo_token", f"SCALINGO=tk-us-{rnd(URLSAFE, 48)}", f"SCALINGO=tk-us-{rnd(URLSAFE, 20)}"),
    ("doppler_token", f"DOPPLER_TOKEN=dp.st.{rnd(ALNUM, 43)}", f"DOPPLER_TOKEN=dp.st.{rnd(ALNUM, 20)}"),
    ("vault_service_token", f"VAULT_TOKEN=hvs.{rnd(URLSAFE, 95)}", f"VAULT_TOKEN=hvs.{rnd(URLSAFE, 24)}"),
    ("vault_batch_token", f"VAULT_TOKEN=hvb.{rnd(URLSAFE, 150)}", f"VAULT_TOKEN=hvb.{rnd(URLSAFE, 40)}"),
    ("terraform_cloud_token", f"token = \"{rnd(ALNUM, 14)}.atlasv1.{rnd(URLSAFE, 67)}\"",
     f"token = \"{rnd(ALNUM, 14)}.atlasv1.{rnd(URLSAFE, 20)}\""),
    ("pulumi_token", f"PULUMI_ACCESS_TOKEN=pul-{rnd(HEX, 40)}", f"PULUMI_ACCESS_TOKEN=pul-{rnd(HEX, 30)}"),
    ("ibm_cloud_api_key", f"IBMCLOUD_API_KEY={rnd(URLSAFE, 44)}", f"IBMCLOUD_API_KEY={rnd(URLSAFE, 20)}"),
    ("yandex_api_key", f"yandex_key = AQVN{rnd(URLSAFE, 36)}", f"other_key = AQVN{rnd(URLSAFE, 36)}"),
    ("azure_devops_pat", f"AZURE_DEVOPS_PAT={rnd('abcdefghijklmnopqrstuvwxyz234567', 52)}",
     "AZURE_DEVOPS_PAT=$(System.AccessToken)"),
    ("azure_sas_token",  # a Service Bus / Event Hubs token: no storage service version
     f"SharedAccessSignature sr=amqps%3A%2F%2Facme.servicebus.windows.net&sig={rnd(ALNUM + '%', 44)}%3D"
     "&se=1893456000&skn=RootManageSharedAccessKey",
     f"https://acme.blob.core.windows.net/c?page=2&sig={rnd(ALNUM, 44)}%3D"),
    ("azure_storage_sas_token",
     f"https://acme.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sp=r&sig={rnd(ALNUM + '%', 44)}%3D",
     f"https://acme.blob.core.windows.net/c?page=2&sig={rnd(ALNUM, 44)}%3D"),
    ("azure_storage_key_named", f'storage_account_key = "{rnd(B64, 86)}=="',
     f'storage_account_key = "{rnd(B64, 80)}=="'),
    ("aws_secret_key_beside_key_id",
     f'provider "aws" {{\n  access_key = "AKIA{rnd(UPPER_NUM, 16)}"\n  secret_key = "{rnd(B64, 40)}"\n}}',
     f'provider "aws" {{\n  secret_key = "{rnd(LOWER_NUM, 40)}"\n}}'),
    ("gcp_service_account_key",
     '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n'
     + "\\n".join(rnd(B64, 64, str(i)) for i in range(4)) + '\\n-----END PRIVATE KEY-----\\n"}',
     '{"type": "authorized_user", "private_key": "-----BEGIN PRIVATE KEY-----\\n'
     + "\\n".join(rnd(B64, 64, str(i)) for i in range(4)) + '\\n-----END PRIVATE KEY-----\\n"}'),
    ("azure_shared_access_key",
     f"Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey={rnd(B64, 43)}=",
     "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=<key>"),
]

_GH_BODY = rnd(ALNUM, 30, "github")
GITHUB_VALID = with_base62_crc("ghp_", _GH_BODY)
GITHUB_BAD_CRC = GITHUB_VALID[:-1] + ("A" if GITHUB_VALID[-1] != "A" else "B")

CODE_HOSTING: list[Case] = [
    ("github_token", f"GITHUB_TOKEN={GITHUB_VALID}", f"GITHUB_TOKEN={GITHUB_VALID[:-2]}"),
    ("github_token_unverified", f"GITHUB_TOKEN={GITHUB_BAD_CRC}", f"GITHUB_TOKEN={GITHUB_VALID}"),
    ("gitlab_token", f"GITLAB_TOKEN=glpat-{rnd(URLSAFE, 20)}", "GITLAB_TOKEN=glpat-" + "x" * 20),
    ("gitlab_runner_registration", f"token: GR1348941{rnd(URLSAFE, 20)}",
     f"token: GR1348941{rnd(URLSAFE, 12)}"),
    ("gitlab_session_cookie", f"Cookie: _gitlab_session={rnd(HEX, 32)}",
     f"Cookie: _gitlab_session={rnd(HEX, 20)}"),
    ("bitbucket_app_password", f"BB_PASS=ATBB{rnd(ALNUM, 32)}", f"BB_PASS=ATBB{rnd(ALNUM, 10)}"),
    ("atlassian_api_token", f"JIRA=ATATT3{rnd(URLSAFE, 186)}", f"JIRA=ATATT3{rnd(URLSAFE, 50)}"),
    ("bitbucket_client_secret", f"BITBUCKET_CLIENT_SECRET={rnd(URLSAFE, 32)}",
     "BITBUCKET_CLIENT_SECRET=${SECRET}"),
    ("atlassian_api_token_legacy", f"JIRA_API_TOKEN={rnd(ALNUM, 24)}",
     f"BUILD_NUMBER_TOKEN={rnd(ALNUM, 24)}"),
    ("circleci_personal_token", f"CIRCLE=CCIPAT_{rnd(ALNUM, 22)}_{rnd(HEX, 40)}",
     f"CIRCLE=CCIPAT_{rnd(ALNUM, 22)}"),
    ("circleci_token", f"CIRCLECI_TOKEN={rnd(HEX, 40)}", f"GIT_COMMIT={rnd(HEX, 40)}"),
    ("buildkite_token", f"BUILDKITE=bkua_{rnd(HEX, 40)}", f"BUILDKITE=bkua_{rnd(HEX, 30)}"),
    ("travis_token", f"TRAVIS_TOKEN={rnd(ALNUM, 22)}", "TRAVIS_TOKEN=${TRAVIS_API}"),
    ("drone_token", f"DRONE_TOKEN={rnd(ALNUM, 32)}", f"DRONE_TOKEN={rnd(ALNUM, 12)}"),
    ("harness_token", f"HARNESS=pat.{rnd(URLSAFE, 22)}.{rnd(ALNUM, 24)}.{rnd(ALNUM, 20)}",
     f"HARNESS=pat.{rnd(URLSAFE, 22)}.{rnd(ALNUM, 10)}"),
    ("octopus_api_key", f"OCTOPUS=API-{rnd(UPPER_NUM, 26)}", "OCTOPUS=API-AUTHENTICATIONREQUIREDERR"),
    ("sonar_token", f"SONAR_TOKEN=sqp_{rnd(HEX, 40)}", f"SONAR_TOKEN=sqp_{rnd(HEX, 20)}"),
    ("sonar_token_legacy", f"sonar.login={rnd(LOWER_NUM, 40)}", f"sonar.projectKey={rnd(LOWER_NUM, 40)}"),
    ("snyk_token", f"SNYK_TOKEN={uuid4('snyk')}", "SNYK_TOKEN=00000000-0000-0000-0000-000000000000"),
    ("codecov_token", f"CODECOV_TOKEN={uuid4('codecov')}",
     "CODECOV_TOKEN=11111111-1111-1111-1111-111111111111"),
    ("sourcegraph_token", f"SRC_ACCESS_TOKEN=sgp_{rnd(HEX, 40)}", f"SRC_ACCESS_TOKEN=sgp_{rnd(HEX, 12)}"),
    ("infracost_token", f"INFRACOST_API_KEY=ico-{rnd(ALNUM, 32)}", f"INFRACOST_API_KEY=ico-{rnd(ALNUM, 12)}"),
    ("postman_api_key", f"POSTMAN=PMAK-{rnd(HEX, 24)}-{rnd(HEX, 34)}", f"POSTMAN=PMAK-{rnd(HEX, 24)}"),
    ("prefect_api_key", f"PREFECT_API_KEY=pnu_{rnd(ALNUM, 36)}", f"PREFECT_API_KEY=pnu_{rnd(ALNUM, 20)}"),
    ("readme_api_key", f"README_KEY=rdme_{rnd(LOWER_NUM, 70)}", f"README_KEY=rdme_{rnd(LOWER_NUM, 30)}"),
    ("linear_api_key", f"LINEAR=lin_api_{rnd(ALNUM, 40)}", f"LINEAR=lin_api_{rnd(ALNUM, 30)}"),
    ("linear_oauth_token", f"LINEAR=lin_oauth_{rnd(HEX, 64)}", f"LINEAR=lin_oauth_{rnd(HEX, 40)}"),
    ("netlify_token", f"NETLIFY=nfp_{rnd(ALNUM, 36)}", f"NETLIFY=nfp_{rnd(ALNUM, 20)}"),
    ("netlify_token_legacy", f"NETLIFY_AUTH_TOKEN={rnd(URLSAFE, 43)}", f"SITE_NAME_TOKEN={rnd(URLSAFE, 43)}"),
    ("vercel_token", f"VERCEL=vcp_{rnd(ALNUM, 56)}", f"VERCEL=vcp_{rnd(ALNUM, 30)}"),
    ("vercel_token_legacy", f"VERCEL_TOKEN={rnd(ALNUM, 24)}", "VERCEL_TOKEN=process.env.VERCEL"),
    ("render_api_key", f"RENDER=rnd_{rnd(ALNUM, 32)}", f"RENDER=rnd_{rnd(ALNUM, 12)}"),
    ("frameio_token", f"FRAMEIO=fio-u-{rnd(URLSAFE, 64)}", f"FRAMEIO=fio-u-{rnd(URLSAFE, 30)}"),
]

_NPM_VALID = with_base62_crc("npm_", rnd(ALNUM, 30, "npm"))
REGISTRIES: list[Case] = [
    ("npm_token", f"NPM_TOKEN={_NPM_VALID}", f"NPM_TOKEN={_NPM_VALID[:-3]}"),
    ("npm_token_unverified", f"NPM_TOKEN=npm_{rnd(ALNUM, 36)}", f"NPM_TOKEN={_NPM_VALID}"),
    ("npmrc_auth_token", f"//registry.acme.nl/:_authToken={rnd(URLSAFE, 40)}",
     "//registry.acme.nl/:_authToken=${NPM_TOKEN}"),
    ("pypi_token", f"password = pypi-AgEIcHlwaS5vcmc{rnd(URLSAFE, 120)}", "password = pypi-AgEIcHlwaS5vcmc"),
    ("rubygems_token", f"GEM_HOST_API_KEY=rubygems_{rnd(HEX, 48)}",
     f"GEM_HOST_API_KEY=rubygems_{rnd(HEX, 30)}"),
    ("nuget_api_key", f"NUGET_KEY=oy2{rnd(LOWER_NUM, 43)}", f"NUGET_KEY=oy2{rnd(LOWER_NUM, 20)}"),
    ("clojars_token", f"CLOJARS=CLOJARS_{rnd(LOWER_NUM, 60)}", f"CLOJARS=CLOJARS_{rnd(LOWER_NUM, 30)}"),
    ("docker_hub_token", f"DOCKER_PAT=dckr_pat_{rnd(URLSAFE, 27)}",
     f"DOCKER_PAT=dckr_pat_{rnd(URLSAFE, 12)}"),
    ("crates_io_token", f"[registry]\ntoken = \"cio{rnd(ALNUM, 32)}\"  # cargo",
     f"token = \"cio{rnd(ALNUM, 20)}\""),
    ("artifactory_api_key", f"ARTIFACTORY=AKCp{rnd(ALNUM, 69)}", f"ARTIFACTORY=AKCp{rnd(ALNUM, 30)}"),
    ("artifactory_reference_token", f"JF=cmVmdGtuOjAxOj{rnd(ALNUM, 50)}",
     f"JF=cmVmdGtuOjAxOj{rnd(ALNUM, 20)}"),
    ("artifactory_token", f"ARTIFACTORY_PASSWORD_TOKEN={rnd(ALNUM, 64)}",
     f"BUILD_DIGEST_TOKEN={rnd(ALNUM, 64)}"),
    ("sidekiq_gems_credentials", f"BUNDLE_GEMS__CONTRIBSYS__COM={rnd(HEX, 8)}:{rnd(HEX, 8, 'b')}",
     "BUNDLE_GEMS__CONTRIBSYS__COM=00000000:00000000"),
]

SAAS: list[Case] = [
    ("slack_token", f"SLACK=xoxb-{rnd(DIGITS, 12)}-{rnd(DIGITS, 13)}-{rnd(ALNUM, 24)}", "SLACK=xoxb-token"),
    ("slack_webhook",
     f"https://hooks.slack.com/services/T{rnd(UPPER_NUM, 8)}/B{rnd(UPPER_NUM, 10)}/{rnd(ALNUM, 24)}",
     "https://hooks.slack.com/services/T000/B000/XXXX"),
    ("stripe_key", f"STRIPE=sk_live_{rnd(ALNUM, 24)}", "STRIPE=sk_live_"),
    ("stripe_webhook_secret", f"STRIPE_WEBHOOK_SECRET=whsec_{rnd(ALNUM, 32)}",
     f"SVIX_SECRET=whsec_{rnd(ALNUM, 32)}"),
    ("whsec_webhook_secret", f"SIGNING_SECRET=whsec_{rnd(ALNUM, 32)}", "SIGNING_SECRET=whsec_"),
    ("twilio_key", f"TWILIO_API_KEY=SK{rnd(HEX, 32)}", f"TWILIO_API_KEY=SK{rnd(HEX, 30)}"),
    ("sendgrid_key", f"SENDGRID=SG.{rnd(URLSAFE, 22)}.{rnd(URLSAFE, 43)}", f"SENDGRID=SG.{rnd(URLSAFE, 22)}"),
    ("openai_key", f"OPENAI_API_KEY=sk-proj-{rnd(ALNUM, 48)}", "OPENAI_API_KEY=sk-" + "a" * 48),
    ("notion_token", f"NOTION=ntn_{rnd(DIGITS, 11)}{rnd(ALNUM, 35)}", f"NOTION=ntn_{rnd(DIGITS, 11)}"),
    ("notion_token_legacy", f"NOTION_KEY=secret_{rnd(ALNUM, 43)}", f"NOTION_KEY=secret_{rnd(ALNUM, 20)}"),
    ("asana_pat", f"ASANA=1/{rnd(DIGITS, 16)}:{rnd(HEX, 32)}", f"ASANA=1/{rnd(DIGITS, 16)}:{'0' * 32}"),
    ("asana_secret", f"ASANA_CLIENT_SECRET={rnd(LOWER_NUM, 32)}", f"PROJECT_SECRET_NAME={rnd(LOWER, 12)}"),
    ("contentful_pat", f"CONTENTFUL=CFPAT-{rnd(URLSAFE, 43)}", f"CONTENTFUL=CFPAT-{rnd(URLSAFE, 20)}"),
    ("contentful_token", f"CONTENTFUL_DELIVERY_TOKEN={rnd(URLSAFE, 43)}",
     "CONTENTFUL_DELIVERY_TOKEN=<token>"),
    ("typeform_token", f"TYPEFORM=tfp_{rnd(URLSAFE, 59)}", f"TYPEFORM=tfp_{rnd(URLSAFE, 20)}"),
    ("figma_token", f"FIGMA=figd_{rnd(URLSAFE, 40)}", f"FIGMA=figd_{rnd(URLSAFE, 20)}"),
    ("hubspot_private_app_token", f"HUBSPOT=pat-eu1-{uuid4('hubspot')}", "HUBSPOT=pat-eu1-"),
    ("hubspot_api_key_legacy", f"HUBSPOT_API_KEY={uuid4('hapi')}", f"TRACE_ID={uuid4('hapi')}"),
    ("zendesk_token", f"ZENDESK_API_TOKEN={rnd(ALNUM, 40)}", f"ZENDESK_API_TOKEN={rnd(ALNUM, 20)}"),
    ("freshdesk_api_key", f"FRESHDESK_KEY={rnd(ALNUM, 20)}", "FRESHDESK_KEY=abcdefghijklmnopqrst"),
    ("freshbooks_token", f"FRESHBOOKS_TOKEN={rnd(ALNUM, 64)}", f"FRESHBOOKS_TOKEN={rnd(ALNUM, 30)}"),
    ("trello_token", f"TRELLO_TOKEN={rnd(HEX, 64)}", f"GIT_SHA256={rnd(HEX, 64)}"),
    ("algolia_admin_key", f"ALGOLIA_ADMIN_KEY={rnd(HEX, 32)}", f"ALGOLIA_APP_ID={rnd(UPPER_NUM, 10)}"),
    ("mapbox_secret_token", f"MAPBOX=sk.eyJ{rnd(URLSAFE, 60)}.{rnd(URLSAFE, 22)}",
     f"MAPBOX=sk.eyJ{rnd(URLSAFE, 60)}"),
    ("okta_api_token", f"OKTA_API_TOKEN=00{rnd(URLSAFE, 40)}", f"OKTA_API_TOKEN={rnd(URLSAFE, 42)}"),
    ("auth0_client_secret", f"AUTH0_CLIENT_SECRET={rnd(URLSAFE, 64)}", "AUTH0_CLIENT_SECRET=${AUTH0_SECRET}"),
    ("onepassword_secret_key",
     f"A3-{rnd(UPPER_NUM, 6)}-{rnd(UPPER_NUM, 11)}-{rnd(UPPER_NUM, 5)}-{rnd(UPPER_NUM, 5, 'x')}"
     f"-{rnd(UPPER_NUM, 5, 'y')}",
     f"A3-{rnd(UPPER_NUM, 6)}-{rnd(UPPER_NUM, 11)}"),
    ("onepassword_service_account_token", f"OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ{rnd(B64, 300)}",
     f"OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ{rnd(B64, 40)}"),
    ("adobe_client_secret", f"ADOBE=p8e-{rnd(ALNUM, 32)}", f"ADOBE=p8e-{rnd(ALNUM, 20)}"),
    ("adafruit_io_key", f"AIO_KEY=aio_{rnd(ALNUM, 28)}", f"AIO_KEY=aio_{rnd(ALNUM, 12)}"),
    ("adafruit_key_legacy", f"ADAFRUIT_IO_KEY={rnd(LOWER_NUM, 32)}", f"ADAFRUIT_IO_KEY={rnd(LOWER_NUM, 12)}"),
    ("maxmind_license_key", f"MAXMIND={rnd(ALNUM, 6)}_{rnd(ALNUM, 29)}_mmk", f"MAXMIND={rnd(ALNUM, 6)}_mmk"),
    ("settlemint_token", f"SETTLEMINT=sm_pat_{rnd(ALNUM, 16)}", f"SETTLEMINT=sm_pat_{rnd(ALNUM, 8)}"),
    ("defined_networking_token", f"DN=dnkey-{rnd(URLSAFE, 26)}-{rnd(URLSAFE, 52)}",
     f"DN=dnkey-{rnd(URLSAFE, 26)}"),
    ("authress_access_key",
     f"AUTHRESS=sc_{rnd(ALNUM, 12)}.{rnd(ALNUM, 5)}.acc_{rnd(ALNUM, 20)}.{rnd(B64, 60)}",
     f"AUTHRESS=sc_{rnd(ALNUM, 12)}.{rnd(ALNUM, 5)}"),
    ("rapidapi_key", f"X-RapidAPI-Key: {rnd(URLSAFE, 50)}",
     f"X-RapidAPI-Host: {rnd(LOWER, 12)}.p.rapidapi.com"),
    ("beamer_token", f"BEAMER_TOKEN=b_{rnd(URLSAFE, 44)}", f"BEAMER_TOKEN=b_{rnd(URLSAFE, 20)}"),
    ("looker_client_secret", f"LOOKER_CLIENT_SECRET={rnd(ALNUM, 24)}",
     f"LOOKER_BASE_URL_SECRET={rnd(LOWER, 8)}"),
    ("dropbox_short_lived_token", f"DROPBOX_TOKEN=sl.{rnd(URLSAFE, 140)}",
     f"DROPBOX_TOKEN=sl.{rnd(URLSAFE, 40)}"),
    ("dropbox_long_lived_token", f"DROPBOX={rnd(ALNUM, 11)}AAAAAAAAAA{rnd(URLSAFE, 43)}",
     f"DROPBOX={rnd(ALNUM, 11)}AAAAAAAAAA{rnd(URLSAFE, 20)}"),
    ("dropbox_app_secret", f"DROPBOX_APP_SECRET={rnd(LOWER_NUM, 15)}",
     f"DROPBOX_APP_SECRET={rnd(LOWER_NUM, 8)}"),
    ("box_client_secret", f"BOX_CLIENT_SECRET={rnd(ALNUM, 32)}", f"BOX_CLIENT_SECRET={rnd(ALNUM, 16)}"),
    ("twitter_bearer_token", f"BEARER={'A' * 22}{rnd(ALNUM, 90)}", f"BEARER={'A' * 22}{rnd(ALNUM, 20)}"),
    ("twitter_secret", f"TWITTER_CONSUMER_SECRET={rnd(ALNUM, 50)}", f"TWITTER_HANDLE_SECRET={rnd(LOWER, 8)}"),
    ("facebook_page_token", f"FB=EAAG{rnd(ALNUM, 150)}", f"FB=EAAG{rnd(ALNUM, 40)}"),
    ("facebook_app_token", f"facebook token {rnd(DIGITS, 15)}|{rnd(URLSAFE, 27)}",
     f"row {rnd(DIGITS, 15)}|{rnd(URLSAFE, 27)}"),
    ("facebook_app_secret", f"FACEBOOK_APP_SECRET={rnd(HEX, 32)}", f"FACEBOOK_APP_ID={rnd(DIGITS, 15)}"),
    ("linkedin_client_secret", f"LINKEDIN_CLIENT_SECRET={rnd(ALNUM, 16)}",
     "LINKEDIN_CLIENT_SECRET=xxxxxxxxxxxxxxxx"),
    ("twitch_token", f"TWITCH_CLIENT_SECRET={rnd(LOWER_NUM, 30)}",
     f"TWITCH_CLIENT_SECRET={rnd(LOWER_NUM, 12)}"),
    ("etsy_token", f"ETSY_API_KEY={rnd(LOWER_NUM, 24)}", f"ETSY_API_KEY={rnd(LOWER_NUM, 12)}"),
    ("flickr_token", f"FLICKR_SECRET={rnd(LOWER_NUM, 32)}", f"FLICKR_SECRET={rnd(LOWER_NUM, 12)}"),
    ("nytimes_token", f"NYTIMES_API_KEY={rnd(URLSAFE, 32)}", f"NYTIMES_API_KEY={rnd(URLSAFE, 12)}"),
    ("spotify_client_secret", f"SPOTIFY_CLIENT_SECRET={rnd(HEX, 32)}",
     f"SPOTIFY_PLAYLIST_ID={rnd(ALNUM, 22)}"),
    ("youtube_client_secret", f"YOUTUBE_API_SECRET={rnd(URLSAFE, 24)}",
     f"YOUTUBE_VIDEO_ID={rnd(URLSAFE, 11)}"),
    ("reddit_client_secret", f"REDDIT_CLIENT_SECRET={rnd(URLSAFE, 27)}",
     f"REDDIT_CLIENT_SECRET={rnd(URLSAFE, 12)}"),
]

_DISCORD_ID = b64(rnd(DIGITS, 18, "discord").replace("0", "1", 1)).rstrip("=")
MESSAGING: list[Case] = [
    ("slack_config_token", f"SLACK=xoxe.xoxp-1-{rnd(UPPER_NUM, 164)}",
     f"SLACK=xoxe.xoxp-1-{rnd(UPPER_NUM, 40)}"),
    ("slack_app_token", f"SLACK_APP_TOKEN=xapp-1-{rnd(UPPER_NUM, 11)}-{rnd(DIGITS, 13)}-{rnd(HEX, 64)}",
     f"SLACK_APP_TOKEN=xapp-1-{rnd(UPPER_NUM, 11)}"),
    ("slack_workflow_webhook",
     f"https://hooks.slack.com/workflows/T{rnd(UPPER_NUM, 8)}/{rnd(ALNUM, 11)}/{rnd(DIGITS, 18)}"
     f"/{rnd(ALNUM, 24)}",
     "https://hooks.slack.com/workflows/T0/A0/1/x"),
    ("discord_bot_token", f"DISCORD_BOT_TOKEN={_DISCORD_ID}.{rnd(URLSAFE, 6)}.{rnd(URLSAFE, 38)}",
     f"DISCORD_BOT_TOKEN=MTIz{rnd(URLSAFE, 20)}.{rnd(URLSAFE, 6)}.{rnd(URLSAFE, 38)}"),
    ("discord_webhook", f"https://discord.com/api/webhooks/{rnd(DIGITS, 18)}/{rnd(URLSAFE, 68)}",
     f"https://discord.com/api/webhooks/{rnd(DIGITS, 18)}/short"),
    ("discord_client_secret", f"DISCORD_CLIENT_SECRET={rnd(URLSAFE, 32)}",
     f"DISCORD_GUILD_SECRET={rnd(LOWER, 10)}"),
    ("telegram_bot_token", f"TELEGRAM_BOT_TOKEN={rnd(DIGITS, 10)}:AA{rnd(URLSAFE, 33)}",
     f"TELEGRAM_BOT_TOKEN={rnd(DIGITS, 10)}:AA{rnd(URLSAFE, 20)}"),
    ("teams_webhook",
     f"https://acme.webhook.office.com/webhookb2/{uuid4('a')}@{uuid4('b')}/IncomingWebhook/{rnd(HEX, 32)}"
     f"/{uuid4('c')}",
     f"https://acme.webhook.office.com/webhookb2/{uuid4('a')}"),
    ("mattermost_token", f"MATTERMOST_TOKEN={rnd(LOWER_NUM, 26)}",
     f"MATTERMOST_TEAM={rnd(LOWER_NUM, 26)}"[:17]),
    ("gitter_token", f"GITTER_TOKEN={rnd(URLSAFE, 40)}", f"GITTER_TOKEN={rnd(URLSAFE, 12)}"),
    ("sendbird_token", f"SENDBIRD_API_TOKEN={rnd(HEX, 40)}", f"SENDBIRD_API_TOKEN={rnd(HEX, 20)}"),
    ("messagebird_key", f"MESSAGEBIRD_API_KEY={rnd(ALNUM, 25)}", f"MESSAGEBIRD_API_KEY={rnd(ALNUM, 12)}"),
    ("vonage_api_secret", f"VONAGE_API_SECRET={rnd(ALNUM, 16)}", "VONAGE_API_SECRET=aaaaaaaaaaaaaaaa"),
    ("pusher_secret", f"PUSHER_APP_SECRET={rnd(HEX, 20)}", f"PUSHER_APP_SECRET={rnd(HEX, 10)}"),
    ("twilio_auth_token", f"TWILIO_AUTH_TOKEN={rnd(HEX, 32)}", f"TWILIO_AUTH_TOKEN={rnd(HEX, 16)}"),
    ("mailgun_api_key", f"MAILGUN_API_KEY=key-{rnd(LOWER_NUM, 32)}",
     f"MAILGUN_API_KEY=key-{rnd(LOWER_NUM, 20)}"),
    ("mailgun_signing_key", f"MAILGUN_SIGNING_KEY={rnd(HEX, 32)}-{rnd(HEX, 8)}-{rnd(HEX, 8, 'x')}",
     f"MAILGUN_SIGNING_KEY={rnd(HEX, 32)}"),
    ("mailchimp_api_key", f"MAILCHIMP_KEY={rnd(HEX, 32)}-us14", f"build {rnd(HEX, 32)}-us14-backup.tar"),
    ("brevo_api_key", f"BREVO=xkeysib-{rnd(HEX, 64)}-{rnd(ALNUM, 16)}", f"BREVO=xkeysib-{rnd(HEX, 64)}"),
    ("postmark_server_token", f"POSTMARK_SERVER_TOKEN={uuid4('pm')}", f"POSTMARK_SERVER_ID={rnd(DIGITS, 8)}"),
    ("mandrill_api_key", f"MANDRILL_API_KEY={rnd(URLSAFE, 22)}", f"MANDRILL_API_KEY={rnd(URLSAFE, 12)}"),
    ("mailjet_secret", f"MAILJET_SECRET_KEY={rnd(HEX, 32)}", f"MAILJET_SECRET_KEY={rnd(HEX, 16)}"),
    ("sparkpost_api_key", f"SPARKPOST_API_KEY={rnd(HEX, 40)}", f"SPARKPOST_API_KEY={rnd(HEX, 20)}"),
    ("intercom_token", f"INTERCOM_ACCESS_TOKEN={rnd(URLSAFE, 60)}",
     f"INTERCOM_ACCESS_TOKEN={rnd(URLSAFE, 30)}"),
]

PAYMENTS: list[Case] = [
    ("mollie_key", f"MOLLIE=live_{rnd(ALNUM, 30)}", "MOLLIE=live_" + "x" * 30),
    ("adyen_key", f"ADYEN_API_KEY=AQE{rnd(URLSAFE + '.', 90)}", "ADYEN_API_KEY=AQE" + "x" * 90),
    ("bunq_key", f"BUNQ_API_KEY={rnd(HEX, 64)}", f"GIT_SHA256={rnd(HEX, 64)}"),
    ("exact_online_secret", f"EXACT_CLIENT_SECRET={rnd(ALNUM, 12)}", "EXACT_CLIENT_SECRET=${EXACT}"),
    ("square_access_token", f"SQUARE=sq0atp-{rnd(URLSAFE, 22)}", f"SQUARE=sq0atp-{rnd(URLSAFE, 12)}"),
    ("square_oauth_secret", f"SQUARE=sq0csp-{rnd(URLSAFE, 43)}", f"SQUARE=sq0csp-{rnd(URLSAFE, 20)}"),
    ("braintree_access_token", f"BT=access_token$production${rnd(LOWER_NUM, 16)}${rnd(HEX, 32)}",
     f"BT=access_token$production${rnd(LOWER_NUM, 16)}"),
    ("braintree_tokenization_key", f"BT_KEY=production_{rnd(LOWER_NUM, 8)}_{rnd(LOWER_NUM, 16)}",
     "BT_KEY=production_settings_configuration"),
    ("paypal_client_secret", f"PAYPAL_CLIENT_SECRET=E{rnd(URLSAFE, 79)}",
     f"PAYPAL_CLIENT_ID=A{rnd(URLSAFE, 79)}"),
    ("shopify_token", f"SHOPIFY=shpat_{rnd(HEX, 32)}", f"SHOPIFY=shpat_{rnd(HEX, 20)}"),
    ("plaid_access_token", f"PLAID=access-production-{uuid4('plaid')}", "PLAID=access-production-"),
    ("plaid_secret", f"PLAID_SECRET={rnd(HEX, 30)}", f"PLAID_CLIENT_NAME={rnd(LOWER, 10)}"),
    ("gocardless_token", f"GOCARDLESS_TOKEN=live_{rnd(URLSAFE, 40)}",
     f"GOCARDLESS_TOKEN=live_{rnd(URLSAFE, 20)}"),
    ("flutterwave_secret_key", f"FLW=FLWSECK-{rnd(HEX, 32)}-X", "FLW=FLWSECK-abc-X"),
    ("flutterwave_encryption_key", f"FLW_ENC=FLWSECK_TEST{rnd(HEX, 12)}", "FLW_ENC=FLWSECK_TEST"),
    ("razorpay_key_secret", f"RAZORPAY_KEY_SECRET={rnd(ALNUM, 24)}", f"RAZORPAY_KEY_SECRET={rnd(ALNUM, 12)}"),
    ("coinbase_token", f"COINBASE_API_SECRET={rnd(URLSAFE, 64)}", f"COINBASE_API_SECRET={rnd(URLSAFE, 30)}"),
    ("kraken_token", f"KRAKEN_PRIVATE_KEY={rnd(B64, 88)}", f"KRAKEN_PRIVATE_KEY={rnd(B64, 40)}"),
    ("kucoin_secret", f"KUCOIN_API_SECRET={uuid4('kucoin')}",
     "KUCOIN_API_SECRET=00000000-0000-0000-0000-000000000000"),
    ("bittrex_key", f"BITTREX_API_SECRET={rnd(HEX, 32)}", f"BITTREX_API_SECRET={rnd(HEX, 16)}"),
    ("binance_secret", f"BINANCE_SECRET={rnd(ALNUM, 64)}", f"BINANCE_SECRET={rnd(ALNUM, 30)}"),
    ("finicity_secret", f"FINICITY_SECRET={rnd(ALNUM, 20)}", f"FINICITY_SECRET={rnd(ALNUM, 10)}"),
    ("duffel_token", f"DUFFEL=duffel_live_{rnd(URLSAFE, 43)}", f"DUFFEL=duffel_live_{rnd(URLSAFE, 20)}"),
    ("easypost_key", f"EASYPOST=EZAK{rnd(ALNUM, 54)}", f"EASYPOST=EZAK{rnd(ALNUM, 20)}"),
    ("shippo_token", f"SHIPPO=shippo_live_{rnd(HEX, 40)}", f"SHIPPO=shippo_live_{rnd(HEX, 20)}"),
    ("lob_api_key", f"LOB_API_KEY=live_{rnd(HEX, 35)}", f"LOB_API_KEY=live_{rnd(HEX, 12)}"),
    ("chargebee_api_key", f"CHARGEBEE_API_KEY=live_{rnd(ALNUM, 32)}",
     f"CHARGEBEE_API_KEY=live_{rnd(ALNUM, 12)}"),
    ("squarespace_token", f"SQUARESPACE_API_KEY={uuid4('sqs')}", f"SQUARESPACE_SITE_ID={rnd(HEX, 24)}"),
    ("klarna_secret", f"KLARNA_SECRET=klarna_live_api_{rnd(URLSAFE, 48)}", "KLARNA_SECRET=klarna_live_api_x"),
]

OBSERVABILITY: list[Case] = [
    ("datadog_api_key", f"DD_API_KEY={rnd(HEX, 32)}", f"DD_SITE_KEY={rnd(HEX, 32)}"),
    ("new_relic_user_key", f"NEW_RELIC=NRAK-{rnd(UPPER_NUM, 27)}", f"NEW_RELIC=NRAK-{rnd(UPPER_NUM, 12)}"),
    ("new_relic_insert_key", f"NEW_RELIC=NRII-{rnd(URLSAFE, 32)}", f"NEW_RELIC=NRII-{rnd(URLSAFE, 12)}"),
    ("new_relic_browser_key", f"NEW_RELIC=NRJS-{rnd(HEX, 19)}", f"NEW_RELIC=NRJS-{rnd(HEX, 10)}"),
    ("new_relic_license_key", f"NEW_RELIC_LICENSE_KEY={rnd(HEX, 36)}NRAL",
     f"NEW_RELIC_LICENSE_KEY={'0' * 36}NRAL"),
    ("sentry_user_token", f"SENTRY=sntryu_{rnd(HEX, 64)}", f"SENTRY=sntryu_{rnd(HEX, 30)}"),
    ("sentry_org_token", f"SENTRY=sntrys_eyJ{rnd(B64, 120)}_{rnd(B64, 43)}",
     f"SENTRY=sntrys_eyJ{rnd(B64, 20)}"),
    ("sentry_auth_token", f"SENTRY_AUTH_TOKEN={rnd(HEX, 64)}", f"SENTRY_RELEASE={rnd(HEX, 40)}"),
    ("grafana_cloud_token", f"GRAFANA=glc_{rnd(B64, 80)}", f"GRAFANA=glc_{rnd(B64, 12)}"),
    ("grafana_service_account_token", f"GRAFANA=glsa_{rnd(ALNUM, 32)}_{rnd(HEX, 8)}",
     f"GRAFANA=glsa_{rnd(ALNUM, 32)}"),
    ("grafana_api_key", f"GRAFANA=eyJrIjoi{rnd(ALNUM, 90)}", f"GRAFANA=eyJrIjoi{rnd(ALNUM, 20)}"),
    ("dynatrace_token", f"DT=dt0c01.{rnd(UPPER_NUM, 24)}.{rnd(UPPER_NUM, 64)}",
     f"DT=dt0c01.{rnd(UPPER_NUM, 24)}"),
    ("sumologic_access_key", f"SUMO_ACCESS_KEY={rnd(ALNUM, 64)}", f"SUMO_ACCESS_KEY={rnd(ALNUM, 30)}"),
    ("splunk_hec_token", f"SPLUNK_HEC_TOKEN={uuid4('splunk')}",
     "SPLUNK_HEC_TOKEN=11111111-2222-3333-4444-555555555555"),
    ("pagerduty_token", f"PAGERDUTY_TOKEN={rnd(URLSAFE, 20)}", "PAGERDUTY_TOKEN=${PD_TOKEN}"),
    ("opsgenie_api_key", f"OPSGENIE_API_KEY={uuid4('og')}", f"OPSGENIE_TEAM_ID={rnd(LOWER, 8)}"),
    ("honeycomb_api_key", f"HONEYCOMB_API_KEY={rnd(ALNUM, 22)}", f"HONEYCOMB_API_KEY={rnd(ALNUM, 10)}"),
    ("bugsnag_api_key", f"BUGSNAG_API_KEY={rnd(HEX, 32)}", f"BUGSNAG_API_KEY={rnd(HEX, 16)}"),
    ("rollbar_token", f"ROLLBAR_ACCESS_TOKEN={rnd(HEX, 32)}", f"ROLLBAR_ACCESS_TOKEN={rnd(HEX, 16)}"),
    ("logzio_token", f"LOGZIO_TOKEN={rnd(ALPHA, 32)}", f"LOGZIO_TOKEN={rnd(ALPHA, 16)}"),
    ("launchdarkly_key", f"LD_SDK_KEY=sdk-{uuid4('ld')}", f"REQUEST=sdk-{uuid4('ld')}"),
    ("launchdarkly_token", f"LAUNCHDARKLY_ACCESS_TOKEN={rnd(URLSAFE, 40)}",
     f"LAUNCHDARKLY_ACCESS_TOKEN={rnd(URLSAFE, 20)}"),
    ("posthog_personal_key", f"POSTHOG=phx_{rnd(ALNUM, 43)}", f"POSTHOG=phx_{rnd(ALNUM, 20)}"),
    ("segment_write_key", f"SEGMENT_WRITE_KEY={rnd(ALNUM, 32)}", f"SEGMENT_WRITE_KEY={rnd(ALNUM, 16)}"),
]

AI: list[Case] = [
    ("huggingface_token", f"HF_TOKEN=hf_{rnd(ALPHA, 34)}", "HF_TOKEN=hf_" + "a" * 34),
    ("huggingface_org_token", f"HF_ORG=api_org_{rnd(ALPHA, 34)}", f"HF_ORG=api_org_{rnd(ALPHA, 20)}"),
    ("groq_api_key", f"GROQ=gsk_{rnd(ALNUM, 48)}", f"GROQ=gsk_{rnd(ALNUM, 20)}"),
    ("perplexity_api_key", f"PPLX=pplx-{rnd(ALNUM, 48)}", f"PPLX=pplx-{rnd(ALNUM, 20)}"),
    ("replicate_api_token", f"REPLICATE=r8_{rnd(ALNUM, 37)}", f"REPLICATE=r8_{rnd(ALNUM, 20)}"),
    ("xai_api_key", f"XAI=xai-{rnd(ALNUM, 80)}", f"XAI=xai-{rnd(ALNUM, 30)}"),
    ("openrouter_api_key", f"OPENROUTER=sk-or-v1-{rnd(HEX, 64)}", f"OPENROUTER=sk-or-v1-{rnd(HEX, 30)}"),
    ("langsmith_api_key", f"LANGSMITH=lsv2_pt_{rnd(HEX, 32)}_{rnd(HEX, 10)}",
     f"LANGSMITH=lsv2_pt_{rnd(HEX, 32)}"),
    ("pinecone_api_key", f"PINECONE=pcsk_{rnd(ALNUM, 6)}_{rnd(ALNUM, 60)}", f"PINECONE=pcsk_{rnd(ALNUM, 6)}"),
    ("pinecone_api_key_legacy", f"PINECONE_API_KEY={uuid4('pine')}", f"PINECONE_INDEX_ID={rnd(LOWER, 8)}"),
    ("cohere_api_key", f"COHERE_API_KEY={rnd(ALNUM, 40)}", f"COHERE_API_KEY={rnd(ALNUM, 20)}"),
    ("mistral_api_key", f"MISTRAL_API_KEY={rnd(ALNUM, 32)}", f"MISTRAL_API_KEY={rnd(ALNUM, 16)}"),
    ("deepseek_api_key", f"DEEPSEEK_API_KEY=sk-{rnd(HEX, 32)}", f"DEEPSEEK_API_KEY=sk-{rnd(HEX, 16)}"),
    ("together_api_key", f"TOGETHER_API_KEY={rnd(HEX, 64)}", f"TOGETHER_API_KEY={rnd(HEX, 30)}"),
    ("elevenlabs_api_key", f"ELEVENLABS_API_KEY=sk_{rnd(HEX, 48)}", f"ELEVENLABS_API_KEY=sk_{rnd(HEX, 20)}"),
    ("assemblyai_api_key", f"ASSEMBLYAI_API_KEY={rnd(HEX, 32)}", f"ASSEMBLYAI_API_KEY={rnd(HEX, 16)}"),
    ("azure_openai_key", f"AZURE_OPENAI_API_KEY={rnd(HEX, 32)}", f"AZURE_OPENAI_API_KEY={rnd(HEX, 16)}"),
    ("wandb_api_key", f"WANDB_API_KEY={rnd(HEX, 40)}", f"WANDB_API_KEY={rnd(HEX, 20)}"),
    ("privateai_api_key", f"PRIVATEAI_API_KEY={rnd(LOWER_NUM, 32)}",
     f"PRIVATEAI_API_KEY={rnd(LOWER_NUM, 16)}"),
    ("clarifai_pat", f"CLARIFAI_PAT={rnd(HEX, 32)}", f"CLARIFAI_PAT={rnd(HEX, 16)}"),
]

DATABASES: list[Case] = [
    ("planetscale_token", f"PLANETSCALE=pscale_tkn_{rnd(URLSAFE, 43)}",
     f"PLANETSCALE=pscale_tkn_{rnd(URLSAFE, 12)}"),
    ("clickhouse_secret_key", f"CLICKHOUSE_SECRET=4b1d{rnd(ALNUM, 38)}",
     f"CLICKHOUSE_SECRET=4b1d{rnd(ALNUM, 20)}"),
    ("databricks_token", f"DATABRICKS_TOKEN=dapi{rnd(HEX, 32)}", f"DATABRICKS_TOKEN=dapi{rnd(HEX, 16)}"),
    ("supabase_token", f"SUPABASE=sbp_{rnd(HEX, 40)}", f"SUPABASE=sbp_{rnd(HEX, 20)}"),
    ("supabase_secret_key", f"SUPABASE=sb_secret_{rnd(URLSAFE, 32)}",
     f"SUPABASE=sb_secret_{rnd(URLSAFE, 12)}"),
    ("neon_api_key", f"NEON=napi_{rnd(LOWER_NUM, 64)}", f"NEON=napi_{rnd(LOWER_NUM, 30)}"),
    ("astra_db_token", f"ASTRA=AstraCS:{rnd(ALPHA, 24)}:{rnd(HEX, 64)}", f"ASTRA=AstraCS:{rnd(ALPHA, 24)}"),
    ("airtable_pat", f"AIRTABLE=pat{rnd(ALNUM, 14)}.{rnd(HEX, 64)}", f"AIRTABLE=pat{rnd(ALNUM, 14)}"),
    ("airtable_api_key_legacy", f"AIRTABLE_API_KEY=key{rnd(ALNUM, 14)}",
     f"AIRTABLE_BASE_KEY=app{rnd(ALNUM, 14)}"),
    ("mongodb_atlas_private_key", f"MONGODB_ATLAS_PRIVATE_KEY={uuid4('atlas')}",
     "MONGODB_ATLAS_PRIVATE_KEY=<key>"),
    ("upstash_token", f"UPSTASH_REDIS_REST_TOKEN={rnd(ALNUM, 60)}",
     f"UPSTASH_REDIS_REST_TOKEN={rnd(ALNUM, 20)}"),
    ("firebase_database_secret", f"FIREBASE_SECRET={rnd(ALNUM, 40)}", f"FIREBASE_SECRET={rnd(ALNUM, 20)}"),
]

AUTH_LINES: list[Case] = [
    ("private_key",
     f"-----BEGIN RSA PRIVATE KEY-----\n{rnd(B64, 64)}\n{rnd(B64, 64, 'b')}\n-----END RSA PRIVATE KEY-----",
     "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"),
    ("jwt", "Authorization: " + b64('{"alg":"HS256","typ":"JWT"}').rstrip("=").replace("+", "-") + "."
     + b64('{"sub":"1234567890","name":"Jan"}').rstrip("=") + "." + rnd(URLSAFE, 43),
     "version eyJhbGciOi.eyJzdWIi.short"),
    ("http_basic_auth", f"Authorization: Basic {b64('deploy:' + rnd(ALNUM, 16))}",
     "Authorization: Basic $CREDENTIALS"),
    ("http_bearer_token", f"Authorization: Bearer {rnd(ALNUM, 40)}", "Authorization: Bearer $TOKEN"),
    ("curl_user_password", f"curl -u deploy:{rnd(ALNUM, 14)} https://api.acme.nl/v1",
     "curl -u deploy:$PASS https://api.acme.nl"),
    ("cli_password_flag", f"psql-backup --password {rnd(ALNUM, 14)}", "psql-backup --password $DB_PASS"),
    ("mysql_p_flag", f"mysql -u root -p{rnd(ALNUM, 14)} shop", "mysql -u root -p shop"),
    ("url_userinfo_password", f"git clone https://deploy:{rnd(ALNUM, 16)}@git.acme.nl/shop.git",
     "git clone https://deploy:${TOKEN}@git.acme.nl/shop.git"),
    ("netrc_password", f"machine api.acme.nl login deploy password {rnd(ALNUM, 16)}",
     "please enter the password twice"),
    ("registry_auth_entry", '{"auths": {"registry.acme.nl": {"auth": "' + b64("deploy:" + rnd(ALNUM,
                                                                                              16)) + '"}}}',
     '{"auths": {"registry.acme.nl": {"auth": "' + b64("deploy") + '"}}}'),
    ("k8s_secret_password", "kind: Secret\ndata:\n  db-password: " + b64(rnd(ALNUM, 16)) + "\n",
     "kind: ConfigMap\ndata:\n  db-password: " + b64(rnd(ALNUM, 16)) + "\n"),
    ("k8s_secret_value", "kind: Secret\ndata:\n  api-token: " + b64(rnd(ALNUM, 32)) + "\n",
     "kind: Secret\ndata:\n  tls.crt: " + b64(rnd(ALNUM, 32)) + "\n"),
    ("registry_login_password", f"docker login -u deploy -p {rnd(ALNUM, 14)} registry.acme.nl",
     "docker login -u deploy -p $CI_REGISTRY_PASSWORD registry.acme.nl"),
    ("client_password_flag", f"sqlcmd -S db01 -U sa -P {rnd(ALNUM, 14)} -i schema.sql",
     "sqlcmd -S db01 -U sa -P $(SQL_PASSWORD) -i schema.sql\nsqlcmd -S db01 -p -i schema.sql"),
    ("oracle_jdbc_password", f'url = "jdbc:oracle:thin:shop/{rnd(ALNUM, 14)}@db01:1521:ORCL"',
     'url = "jdbc:oracle:thin:scott/tiger@db01:1521:ORCL"'),
    ("named_value_password", f"env:\n  - name: DB_PASSWORD\n    value: \"{rnd(ALNUM, 14)}\"\n",
     "env:\n  - name: DB_PASSWORD_FILE\n    value: /run/secrets/db\n"),
    ("named_value_secret", f'[{{"name": "API_TOKEN", "value": "{rnd(ALNUM, 32)}"}}]',
     '[{"name": "API_TOKEN_URL", "value": "' + rnd(ALNUM, 32) + '"}]'),
    ("sshpass_password", f"sshpass -p '{rnd(ALNUM, 14)}' ssh deploy@web01.acme.nl",
     'sshpass -p "$SSHPASS" ssh deploy@web01.acme.nl'),
    ("powershell_plaintext_password",
     f'$pw = ConvertTo-SecureString "{rnd(ALNUM, 14)}" -AsPlainText -Force',
     "$pw = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force"),
    ("terraform_password_default",
     f'variable "db_password" {{\n  sensitive = true\n  default   = "{rnd(ALNUM, 14)}"\n}}\n',
     'variable "db_password" {\n  sensitive = true\n}\n'
     'variable "region" {\n  default = "eu-west-1a2b3c"\n}\n'),
    ("terraform_secret_default",
     f'variable "api_token" {{\n  type    = string\n  default = "{rnd(ALNUM, 32)}"\n}}\n',
     'variable "api_token" {\n  type    = string\n  default = ""\n}\n'),
]

PASSWORDS: list[Case] = [
    ("password_assignment", 'DB_PASSWORD = "Vr8!kLq2mZ"', 'DB_PASSWORD = os.environ["DB_PASSWORD"]'),
    ("connection_url", f"DATABASE_URL=postgres://shop:{rnd(ALNUM, 14)}@db.acme.nl/shop",
     "DATABASE_URL=postgres://shop:${PGPASSWORD}@db.acme.nl/shop"),
    ("password_pair", 'props.put("db.password", "Vr8!kLq2mZ");', 'labels.put("password", "Wachtwoord");'),
    ("password_setter", 'ds.setPassword("Vr8!kLq2mZ");', "ds.setPassword(secrets.get());"),
    ("password_xml", "<password>Vr8kLq2mZx</password>", "<password>${db.password}</password>"),
    ("password_property_line", "spring.datasource.password=welkomzomer\n",
     "login.password=Wachtwoord\n"),
    ("php_define_password", "define( 'DB_PASSWORD', 'welkomzomer' );",
     "define( 'DB_PASSWORD', 'password_here' );"),
    ("password_env_line", "export SMTP_PASS=zomervakantie\n", "SMTP_PASS=${MAIL_PASSWORD}\n"),
    ("pass_key", "auth: { user: 'noreply@acme.nl', pass: 'Vr8kLq2mZx' }", "pass: 'first'"),
    ("credential_call", 'smtp.login("noreply@acme.nl", "Vr8kLq2mZx")',
     'ftp.login("anonymous", "guest@acme.nl")'),
    ("generic_xml_pair", f'<add key="PaymentSecret" value="{rnd(ALNUM, 32)}"/>',
     '<add key="PaymentSecret" value="{PaymentSecret}"/>'),
    ("php_define_secret", f"define('LOGGED_IN_SALT', '{rnd(ALNUM, 24, 'a')}#!{rnd(ALNUM, 24, 'b')}');",
     "define('LOGGED_IN_SALT', 'put your unique phrase here');"),
    ("secret_property_line", "jwt.secret=Vr8kLq2mZx\n", "jwt.secret=${JWT_SECRET}\n"),
    ("password_yaml", "database:\n  password: welkomthuis\n", "class Settings:\n    password: SecretStr\n"),
    ("generic_high_entropy", f"api_token = '{rnd(ALNUM, 32)}'", "api_token = 'prod-db-credentials-v2-read'"),
    ("generic_pair", f'headers.put("X-Api-Key", "{rnd(ALNUM, 32)}");',
     'headers.put("X-Api-Key", "application-json-v2");'),
    ("generic_setter", f'client.setApiKey("{rnd(ALNUM, 32)}");',
     'client.setApiKey("your-api-key-goes-here");'),
    ("django_secret_key", "SECRET_KEY = 'django-insecure-" + rnd(LOWER_NUM + "!@#$%^&*(-_=+)", 50) + "'",
     "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']"),
]

# the classes of issue 15's fourth round: connection strings, vendor sections, vendor-named short secrets
_PW = rnd(ALNUM, 12, "round4") + "#7"
ROUND4: list[Case] = [
    ("connection_string_keywords",
     f'"Default": "Server=tcp:sql.acme.nl,1433;Initial Catalog=shop;User ID=app;Password={_PW};Encrypt=1;"',
     '"Default": "Server=sql.acme.nl;Initial Catalog=shop;Integrated Security=True;"'),
    ("connection_url_parameters",
     f"spring.datasource.url=jdbc:mysql://db.acme.nl:3306/shop?user=shop&password={_PW}&useSSL=true",
     "spring.datasource.url=jdbc:mysql://db.acme.nl:3306/shop?user=shop&password=${DB_PASSWORD}"),
    ("password_flag", f'command: ["redis-server", "--requirepass", "{_PW}"]',
     "command: redis-server --requirepass ${REDIS_PASSWORD}"),
    ("anthropic_api_key", f'ANTHROPIC_API_KEY = "sk-ant-api03-{rnd(URLSAFE, 93)}AA"',
     f'ANTHROPIC_API_KEY = "sk-ant-api03-{rnd(URLSAFE, 93)}BB"'),
    ("twilio_api_secret", f'TWILIO_API_SECRET = "{rnd(ALNUM, 32)}"',
     f'TWILIO_API_SECRET = "{rnd(ALNUM, 24)}"'),
    ("adyen_hmac_key", f'ADYEN_HMAC_KEY = "{rnd(HEX_UP, 64)}"',
     f'ADYEN_MERCHANT_ACCOUNT = "{rnd(HEX_UP, 60)}"'),
    ("adyen_section_key", f'"Adyen": {{\n  "Environment": "LIVE",\n  "HmacKey": "{rnd(HEX_UP, 64)}"\n}}',
     f'"Adyen": {{\n  "Environment": "LIVE",\n  "HmacKey": "{"A" * 64}"\n}}'),
    ("adyen_client_key", f'ADYEN_CLIENT_KEY = "live_{rnd(UPPER_NUM, 32)}"',
     f'ADYEN_CLIENT_KEY = "live_{rnd(UPPER_NUM, 32, "b")}"'),
    ("bunq_key_section", f'"Bunq": {{\n  "Environment": "PRODUCTION",\n  "ApiKey": "{rnd(HEX, 64)}"\n}}',
     f'"Other": {{\n  "Environment": "PRODUCTION",\n  "ApiKey": "{rnd(HEX, 64)}"\n}}'),
    ("exact_online_section",
     f'"ExactOnline": {{\n  "ClientId": "{{{uuid4("exact")}}}",\n  "ClientSecret": "{rnd(ALPHA, 12)}"\n}}',
     '"ExactOnline": {\n  "ClientSecret": "<client-secret>"\n}'),
    ("docker_auth_github_token",
     '{"auths": {"ghcr.io": {"auth": "' + b64("ci-bot:" + GITHUB_VALID) + '"}}}',
     '{"auths": {"ghcr.io": {"auth": "' + b64("ci-bot:" + _PW) + '"}}}'),
    ("sentry_dsn",
     f"SENTRY_DSN=https://{rnd(HEX, 32)}@o{rnd(DIGITS, 6)}.ingest.de.sentry.io/{rnd(DIGITS, 7)}",
     f"SENTRY_DSN=https://{'0' * 32}@o{rnd(DIGITS, 6)}.ingest.sentry.io/{rnd(DIGITS, 7)}"),
    ("laravel_app_key", f"APP_KEY=base64:{rnd(B64, 43)}=", "APP_KEY=base64:" + "A" * 43 + "="),
    ("jwt_signing_key_section",
     f'"Jwt": {{\n  "Issuer": "shop.acme.nl",\n  "Key": "{rnd(ALNUM, 48)}"\n}}',
     '"Jwt": {\n  "Issuer": "shop.acme.nl",\n  "Key": "use-a-long-random-signing-key-here"\n}'),
]

# round 7 (more shapes in test_secret_round7.py)
ROUND7: list[Case] = [
    ("twilio_auth_token_section",
     f'"Twilio": {{\n  "AccountSid": "AC{rnd(HEX, 32, "sid")}",\n  "AuthToken": "{rnd(HEX, 32, "tw")}"\n}}',
     '"Twilio": {\n  "AccountSid": "AC' + rnd(HEX, 32, "sid") + '",\n  "AuthToken": "${TWILIO_TOKEN}"\n}'),
    ("stackexchange_redis_configuration",
     f'"Cache": "cache.acme.nl:6380,password={rnd(ALNUM, 24, "se")},ssl=True,abortConnect=False"',
     '"Cache": "cache.acme.nl:6380,password=$(RedisPassword),ssl=True"'),
    ("gcp_public_api_key", f"  mapsBrowserKey: 'AIza{rnd(URLSAFE, 35, 'browser')}',",
     f"  mapsBrowserKey: 'AIza{rnd(URLSAFE, 20, 'browser')}',"),
    ("exact_online_client_secret",
     f'using ExactOnline.Client.Sdk.Controllers;\nconst string ClientSecret = "{rnd(ALNUM, 12, "ex")}";',
     f'using ExactOnline.Client.Sdk.Controllers;\nconst string ClientSecret = "{"a" * 12}";'),
    ("afas_profit_token",
     f'Token = "<token><version>1</version><data>{rnd(HEX_UP, 64, "afas")}</data></token>"',
     f'Token = "<token><version>1</version><data>{"0" * 64}</data></token>"'),
    ("afas_profit_token_base64",
     "Authorization: AfasToken "
     + b64(f"<token><version>1</version><data>{rnd(HEX_UP, 64, 'afas64')}</data></token>"),
     "Authorization: AfasToken " + b64(f"<token><version>1</version><data>{'A' * 64}</data></token>")),
    ("password_env_fallback", f'val pw = System.getenv("DB_PASSWORD") ?: "{rnd(ALNUM, 10, "fb")}#1"',
     'val pw = System.getenv("DB_PASSWORD") ?: ""'),
    ("generic_quoted_symbols", f'secret_key: "{rnd(PRINTABLE, 50, "sym")}"',
     'secret_key: "${SECRET_KEY:-changeme}#{fallback}!"'),
]

CASES: list[Case] = [*AWS, *CLOUD, *CODE_HOSTING, *REGISTRIES, *SAAS, *MESSAGING, *PAYMENTS, *OBSERVABILITY,
                     *AI,
                     *DATABASES, *AUTH_LINES, *PASSWORDS, *ROUND4, *ROUND7]


# rules whose every key is a test-mode key (Flutterwave's encryption keys carry FLWSECK_TEST): a test-mode
# key is an alert of low severity, never high
TEST_MODE_ONLY = frozenset({"flutterwave_encryption_key"})
# rules that recognise a public-by-design value so that the generic net does not alarm on it: always a note
NOTE_ONLY = frozenset({"adyen_client_key", "gcp_public_api_key"})


def _alerts_by(name: str, text: str) -> list[object]:
    return [f for f in scan_text(text) if f.explanation["detector"] == name and f.confidence >= ACTIONABLE]


@pytest.mark.parametrize(("name", "text"), [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_rule_finds_its_true_example(name: str, text: str) -> None:
    if name in TEST_MODE_ONLY:
        found = [f for f in scan_text(text) if f.explanation["detector"] == name]
        assert found and all(f.severity == Severity.LOW and f.confidence >= ACTIONABLE for f in found)
        return
    if name in NOTE_ONLY:
        found = scan_text(text)
        assert any(f.explanation["detector"] == name for f in found), f"{name} missed its true example"
        assert not [f for f in found if f.confidence >= ACTIONABLE], "a public-by-design value alerted"
        return
    assert _alerts_by(name, text), f"{name} missed its true example"


@pytest.mark.parametrize(("name", "text"), [(c[0], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_rule_does_not_alert_on_its_false_example(name: str, text: str) -> None:
    assert not _alerts_by(name, text), f"{name} alerted on its false example"


def test_every_secret_rule_has_true_and_false_examples() -> None:
    rules = {d.name for d in registry.ALL_DETECTORS if d.type.startswith("secret.") and not d.ocr}
    covered = {c[0] for c in CASES}
    assert rules - covered == set()
    assert len(covered) == len(CASES), "one case per rule: add shapes to the rule's own tests below"


def test_hyperscan_prefilter_lets_every_rule_see_its_examples() -> None:
    """A rule's `prefilter` expression (or its pattern) must report every line its pattern matches on."""
    pytest.importorskip("hyperscan")
    from services.detection import engine
    from services.detection.prefilter import shared
    from services.detection.registry import detectors_for

    detectors = detectors_for(frozenset({"secret"}))
    prefilter = shared(detectors)
    assert prefilter is not None
    text = "\n".join(f"{true}\n{false}" for _, true, false in CASES)
    plan = prefilter.plan(text)
    assert plan is not None

    def hits(found: list) -> list[tuple[str, int, int]]:
        return sorted((h.detector.name, h.start, h.end) for h in found)
    assert hits(engine._located_hits(text, detectors, plan)) == hits(engine._hits_everywhere(text, detectors))
