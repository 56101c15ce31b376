"""管理中心 (``/admin-center/``): the administrators' control panel on the forum itself.

Discuz! X3.4's ``admin.php`` (管理中心) in luntan's pages: 首页 (statistics, queues,
health), 全局 (site settings, maintenance, mail), … Every write goes through
:mod:`luntan.admincenter.services` in a transaction and is written to the moderation
audit log (:mod:`luntan.moderation.audit`). Only administrators enter
(:func:`luntan.permissions.can_use_admin_center`), and they confirm their password again
after ``LUNTAN_ADMIN_SUDO_SECONDS`` (:mod:`luntan.admincenter.sudo`). Django's admin
(``/admin/``) stays for superusers. See ``docs/admin-center.md``.
"""
