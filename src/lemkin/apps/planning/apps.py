from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "lemkin.apps.planning"
    label = "planning"
    verbose_name = "Planning framework"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import services

        post_migrate.connect(services.load_packaged_catalog_if_empty, sender=self, dispatch_uid="lemkin-catalog")
