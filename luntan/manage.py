"""The ``luntan`` console script: this project's ``manage.py``."""

import os
import sys


def main() -> None:
    """Run a Django management command (``luntan migrate``, ``luntan import_discuz`` …).

    Reads ``sys.argv`` like ``django-admin``; settings default to ``luntan.settings``.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luntan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
