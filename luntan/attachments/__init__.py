"""Attachments (附件): upload, validate, store, bind to posts, serve and render.

Public API (see ``docs/attachments.md``)::

    services.upload(user, uploaded_file) -> Attachment      # unbound, validated, stored
    services.bind(post, attachment_ids, user) -> list[Attachment]
    services.purge_orphans(older_than_seconds) -> int
    queries.attachments_for_posts(posts) -> dict[post_id, list[Attachment]]
    rendering.render_post_attachments(html, attachments) -> (html, list_html)
"""
