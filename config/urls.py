"""URL map: nianbao lives in the admin."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "nianbao 政府信息公开工作年度报告填报系统"
admin.site.site_title = "nianbao"
admin.site.index_title = "年度报告填报与审核"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
