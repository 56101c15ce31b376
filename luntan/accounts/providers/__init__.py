"""Third-party login providers written for django-allauth (each one a Django app)."""
