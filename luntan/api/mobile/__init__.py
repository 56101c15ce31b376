"""The Discuz! X3.4 mobile API (``/api/mobile/index.php``, API level 4) that existing apps
(the open-source DiscuzHub clients) speak; see ``docs/api.md`` (mobile section) and
``../shared/discuz/mobile_api.md`` for the wire format it follows."""
