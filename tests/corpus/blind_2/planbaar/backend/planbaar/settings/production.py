from .base import *  # noqa

DEBUG = False
SECRET_KEY = "django-insecure-2kb%$1#+gftt*!06wf90&ak0z^&#zw*uqp_7jxiwn1_=#vdkdu"
ALLOWED_HOSTS = ["app.planbaar.nl", "10.0.12.5"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "planbaar",
        "USER": "planbaar_app",
        "PASSWORD": "s40yiRbPuJEtlo",
        "HOST": "planbaar-prod.c9xk2.eu-west-1.rds.amazonaws.com",
    }
}

STRIPE_SECRET_KEY = "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"
STRIPE_WEBHOOK_SECRET = "whsec_EKj5WiE9MrYRP6vhw0yjjHhkpEoNbv7b"
STRIPE_PUBLISHABLE_KEY = "pk_live_EWAIBuoVhRSrsrpNtGbOgpIf4HLYgdw7hoEbJatDRx3wODahNhya9owIWhh2N7j51KYP8xLq1RM3g0dplxgAHm22qgpFaNLGXfV"
SENDGRID_API_KEY = "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"
CELERY_BROKER_URL = "redis://:9DPDwgvf7kHN43Vd3DzxBTpZlQlCoimd@planbaar-cache.abc123.euw1.cache.amazonaws.com:6379/0"
DATADOG_API_KEY = "4a33bfe8b235cef6e493227adfa8d808"
SLACK_BOT_TOKEN = "xoxb-84902101939-7058685081084-J73LRNznrLLvQziNgdzEiD8B"
PASSWORD_RESET_TIMEOUT = 259200
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
