"""The WSGI application Gunicorn serves: `gunicorn csp.wsgi`."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (read once the application has set Django up)

# Fail at start-up, not on the first visitor, when the deployment forgot its secret key.
if not settings.SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable to serve the site.")
