"""ASGI entry point: ``gunicorn -k uvicorn_worker.UvicornWorker luntan.asgi`` (``make run``).

Ordinary pages run as under WSGI (Django runs sync views in a thread); the live reply
streams (``/live/``, :mod:`luntan.live.views`) are coroutines, so open streams do not
hold workers.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luntan.settings")
application = get_asgi_application()
