from django.urls import re_path

from luntan.censor import views

app_name = "censor"

urlpatterns = [re_path(r"^censor/$", views.censor_words, name="words")]
