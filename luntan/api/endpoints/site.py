"""``GET /api/v1/site``: the site's name, filing numbers, posting limits and statistics."""

from __future__ import annotations

from django.conf import settings

from luntan.api.auth import ApiRequest
from luntan.api.endpoints.common import ERRORS, router
from luntan.api.schemas import SiteOut
from luntan.boardpages import queries as index_queries
from luntan.core.models import get_site_settings, site_time_zone

TAGS = ["site"]


@router.get("/site", tags=TAGS, response={200: SiteOut, **ERRORS}, summary="Site information")
def site_info(request: ApiRequest):
    """The site: name, filing numbers (ICP, 公安备案), registration mode, posting limits
    and the board index's statistics (over the boards the caller may see)."""
    site = get_site_settings()
    data = index_queries.index_data(request.viewer)
    return {
        "name": site.site_name,
        "api_version": "1",
        "time_zone": str(site_time_zone()),
        "registration_mode": site.registration_mode,
        "icp_number": site.icp_number,
        "police_filing": site.police_filing,
        "posts_per_page": settings.LUNTAN_POSTS_PER_PAGE,
        "threads_per_page": settings.LUNTAN_THREADS_PER_PAGE,
        "limits": {
            "post_min_length": site.post_min_length,
            "post_max_length": site.post_max_length,
            "flood_seconds": site.flood_seconds,
            "edit_window_seconds": site.edit_window_seconds,
        },
        "stats": {
            "members": data.members,
            "posts": data.posts,
            "today": data.today,
            "yesterday": data.yesterday,
            "newest_member": data.newest_member,
        },
    }
