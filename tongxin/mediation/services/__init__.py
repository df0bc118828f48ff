"""Every write to the mediation case files (``services.cases``)."""
