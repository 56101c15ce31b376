"""Root URL configuration; see the URL table in DESIGN.md."""

from django.contrib import admin
from django.urls import include, path

from luntan.accounts.mfa import admin_login, mfa_index
from luntan.accounts.views import signup, social_signup
from luntan.api.api import api
from luntan.api.mobile import views as mobile
from luntan.core.views import favicon

# Django's admin signs in through the site's log-in, never its own password-only form.
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("admin-center/", include("luntan.admincenter.urls")),
    path("api/v1/", api.urls),
    path("api/mobile/index.php", mobile.index, name="mobile_api"),
    path("uc_server/avatar.php", mobile.avatar, name="mobile_avatar"),
    path("static/image/smiley/<path:name>", mobile.smiley_image, name="mobile_smiley"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("luntan.accounts.urls")),
    path("", include("luntan.members.urls")),
    # allauth's sign-up, saving the member and their address in one transaction.
    path("accounts/signup/", signup, name="account_signup"),
    path("accounts/3rdparty/signup/", social_signup, name="socialaccount_signup"),
    # 两步验证: allauth's overview with the way back to a staff page (luntan.accounts.mfa).
    path("accounts/2fa/", mfa_index, name="mfa_index"),
    path("accounts/", include("allauth.urls")),
    path("search/", include("luntan.search.urls")),
    path("", include("luntan.polls.urls")),
    path("", include("luntan.favorites.urls")),
    path("", include("luntan.unread.urls")),
    path("", include("luntan.live.urls")),
    path("", include("luntan.notifications.urls")),
    path("", include("luntan.pms.urls")),
    path("", include("luntan.feeds.urls")),
    path("", include("luntan.credits.urls")),
    path("mod/", include("luntan.moderation.urls")),
    path("", include("luntan.attachments.urls")),
    path("", include("luntan.boardpages.urls")),
    path("", include("luntan.threads.urls")),
    path("", include("luntan.permissions.urls")),
    path("", include("luntan.bans.urls")),
    path("", include("luntan.censor.urls")),
    path("", include("luntan.siteadmin.urls")),
    path("", include("luntan.archiver.urls")),
    path("", include("luntan.importers.discuz.urls")),
]

handler400 = "luntan.core.views.bad_request"
handler404 = "luntan.core.views.page_not_found"
handler500 = "luntan.core.views.server_error"
