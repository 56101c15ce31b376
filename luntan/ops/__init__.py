"""Operations: backup and restore (``luntan backup`` / ``luntan restore``), ``/healthz``
and ``/metrics`` (docs/deployment.md)."""
