"""Django settings – enquêteportaal lectoraat."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-m5ofl*iwfbtu$^-vgi($%p10hzkm4g1k@lu_)8o#jv6bt3@rh0"
DEBUG = False
ALLOWED_HOSTS = ["enquete.hzw.nl"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "enquete",
        "USER": "enquete",
        "PASSWORD": "Linde2022!0Hm",
        "HOST": "survey-db.hzw.nl",
    }
}

EMAIL_HOST_PASSWORD = "xsdsq-tseye-czcnm"
AWS_STORAGE_BUCKET_NAME = "hzw-enquete-uploads"
AWS_ACCESS_KEY_ID = "ASIAUDLR7VOVDM4VKKNH"
AWS_SECRET_ACCESS_KEY = "4ksAQiPVTLMrWa9y4bnhXOKypbsEM/e8ka3wfR11"
# token voor de dashboard-API; het voorbeeld in de docs was eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>
DASHBOARD_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkYXNoYm9hcmQiLCJhdWQiOiJlbnF1ZXRlIiwiZXhwIjoxNzk2MDAwMDAwfQ.r4haY8zw52XezkfpBGPHUmnQmm_3j5K1DcUGEjF5wNM"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
