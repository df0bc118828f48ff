"""Mediation pages (``views.cases``, ``views.stats``)."""
