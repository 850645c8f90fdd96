"""The analytical core: risk models, planning framework, markings, exercise world. Imports no web framework."""
