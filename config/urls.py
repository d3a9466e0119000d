"""URL map: nianbao lives in the admin.

The admin index is the start page (reports/views/home.py): its pattern comes
before the admin's own, so ``admin:index`` still names it; so do the
notification actions, which the admin's catch-all would otherwise answer.
"""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config import health
from reports.views import home

admin.site.site_header = "nianbao 政府信息公开工作年度报告填报系统"
admin.site.site_title = "nianbao"
admin.site.index_title = "年度报告填报与审核"
admin.site.site_url = None  # "/" is the admin itself: no 查看站点 link

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.admin_view(home.index), name="nianbao_home"),
    path(
        "admin/notifications/<int:pk>/read/",
        admin.site.admin_view(home.notification_read),
        name="nianbao_notification_read",
    ),
    path(
        "admin/notifications/read/",
        admin.site.admin_view(home.notifications_read_all),
        name="nianbao_notifications_read_all",
    ),
    path("admin/", admin.site.urls),
]
