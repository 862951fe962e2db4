"""Production settings for the webshop backend."""
import os

from .base import *  # noqa

DEBUG = False
SECRET_KEY = "db&^tka#g5tdnguu=#8u_$46p=7$^y61clc97ksumdxtl5c^d1"

ALLOWED_HOSTS = ["shop.koffiebranderij-demolen.nl", "10.0.4.12"]

ADMINS = [("Ruben Visser", "r.visser@koffiebranderij-demolen.nl")]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "Mq4#zT8!wLp96",
        "HOST": "10.0.4.20",
        "PORT": 5432,
    }
}

EMAIL_HOST = "smtp.sendgrid.net"
EMAIL_HOST_USER = "apikey"
EMAIL_HOST_PASSWORD = os.environ["SMTP_PASSWORD"]

AWS_ACCESS_KEY_ID = "AKIA64OBDHIEGJZOQJOP"
AWS_SECRET_ACCESS_KEY = "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"
AWS_STORAGE_BUCKET_NAME = "demolen-media"
AWS_S3_REGION_NAME = "eu-central-1"

CELERY_BROKER_URL = "amqp://shop:p9aTcnhLBdefFpkB@10.0.4.30:5672/shop"
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://:5Ic91x8xiReFJ1a0iLxu@cache-01.internal:6379/1",
    }
}
GOOGLE_MAPS_API_KEY = "AIzaSyhaIcN1lepMZRaKi4qd7oe4L6TIBKxvLm8"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
]
PASSWORD_RESET_TIMEOUT = 3600
