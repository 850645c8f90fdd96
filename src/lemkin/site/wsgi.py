"""WSGI entry point (``lemkin serve`` runs it under gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lemkin.site.settings.dev")
application = get_wsgi_application()
