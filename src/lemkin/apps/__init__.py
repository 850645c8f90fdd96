"""Django apps, one per area of the chapter. Views and API call each app's ``services``."""
