"""The standard planning framework's catalog of tools and measures, kept in the database (administrators add and
retire tools without code); the framework itself is ``lemkin.core.planning``."""
