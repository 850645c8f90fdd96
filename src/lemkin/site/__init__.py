"""The Django project: settings, URLs, base templates, static assets and the dashboard."""
