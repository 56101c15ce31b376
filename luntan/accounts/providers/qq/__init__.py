"""QQ Connect (QQ登录) for django-allauth: an OAuth 2.0 provider with QQ's own openid step.

Configure it in the admin (社交应用 / Social applications): provider ``qq``, client id =
QQ 互联 APP ID, secret = APP Key. The callback URL to register at QQ 互联 is
``https://<site>/accounts/qq/login/callback/``.
"""
