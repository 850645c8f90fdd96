from django.apps import AppConfig


class WatchlistConfig(AppConfig):
    name = "lemkin.apps.watchlist"
    label = "watchlist"
    verbose_name = "Watchlists"
