"""luntan's own JSON API, ``/api/v1/`` (django-ninja; see ``docs/api.md``).

The top layer: it may import every app below it; nothing imports it but ``luntan.urls``.
Endpoints parse input, ask :mod:`luntan.permissions` (through ``request.viewer``), call the
same read models and services as the pages (:class:`luntan.threads.page.ThreadPage`, the
posting pipeline, the search service) and answer JSON. Errors are RFC 9457 problem
details (:mod:`luntan.api.problems`).
"""
