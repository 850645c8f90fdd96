from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lemkin.site"
    label = "site"
    verbose_name = "Site"
