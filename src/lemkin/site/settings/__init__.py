"""Settings modules: ``base`` (shared), ``dev`` (make run), ``test`` (the suite), ``production``."""
