from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lemkin.apps.cases"
    label = "cases"
    verbose_name = "Case files"
