"""Agencies, people, roles, clearances and compartments; the one access-control point (``access``)."""
