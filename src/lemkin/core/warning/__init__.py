"""Watchlist analytics: event data, drift checks, the risk-factor catalogue, warning rules, opinion pool,
prioritisation and tiers (issue 5). Pure Python; ``apps/watchlist`` stores and shows what these compute.

Modules, in the order of the chapter's pipeline of judgment:

- :mod:`~lemkin.core.warning.events`: read UCDP GED and ACLED files, validate them whole, monthly aggregates;
- :mod:`~lemkin.core.warning.drift`: compare a new vintage with the previous one before anything is written;
- :mod:`~lemkin.core.warning.framework`: the UN Framework of Analysis risk factors and indicators;
- :mod:`~lemkin.core.warning.rules`: threshold, rise and z-score warning rules and their track record;
- :mod:`~lemkin.core.warning.pool`: the analysts' opinion pool, dissent, Brier scores;
- :mod:`~lemkin.core.warning.priority`: the slate of countries that get plans, under capacity;
- :mod:`~lemkin.core.warning.tiers`: the tier ladder, tier proposals from a risk run, trends.
"""
