from django.urls import re_path

from luntan.censor import views

urlpatterns = [re_path(r"^censor/$", views.censor_words, name="censor-words")]
