"""The REST API of DataGuardian Pro: a Flask app factory (`rest_api.app:create_app`) served by waitress.

`python -m rest_api --port 5011` runs it on the bind host; launcher.py starts it as process "api"
behind nginx at /api/v1. Every scan call goes through services.scan_service with the organisation
of the presented API key.
"""
