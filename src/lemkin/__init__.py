"""Lemkin: decision support for atrocity prevention.

The package follows the chapter's pipeline (warn, convene, assess, choose, plan, test, decide, act, learn):
``lemkin.core`` is plain Python usable as a library; ``lemkin.apps`` are thin Django apps, one per area of the
chapter; ``lemkin.site`` is the Django project; ``lemkin.cli`` is the one command line.
"""

__version__ = "0.1.0"
