from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lemkin.apps.accounts"
    label = "accounts"
    verbose_name = "People and access"
