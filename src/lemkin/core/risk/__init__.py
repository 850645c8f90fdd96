"""Statistical risk assessment of mass-killing onset (pure Python, no Django).

* :mod:`~lemkin.core.risk.panel`: load and validate country-year panels (EWP layout or mapped columns).
* :mod:`~lemkin.core.risk.estimators`: ``ElasticNetLogit`` (the Early Warning Project model) and stronger models.
* :mod:`~lemkin.core.risk.models`: the model names used by the CLI and stored runs (``best`` included).
* :mod:`~lemkin.core.risk.backtest`: EWP's rolling, fully out-of-sample backtest, in EWP's FOOS layout.
* :mod:`~lemkin.core.risk.metrics`: AUC, top-30 recall, Brier score, reliability table.
* :mod:`~lemkin.core.risk.forecast`: per-country forecasts with rank, change and contributing factors.
* :mod:`~lemkin.core.risk.report`: a self-contained HTML report of a backtest.
"""
