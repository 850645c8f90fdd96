from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lemkin.apps.accounts"
    label = "accounts"
    verbose_name = "People and access"

    def ready(self) -> None:
        from . import access  # noqa: F401  (connects the sign-in time stamp of sessions)
