"""Countries of concern, the Atrocities and Instability Watchlists, risk runs, indicators and warnings."""
