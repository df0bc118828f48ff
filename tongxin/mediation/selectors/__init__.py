"""Every read of the mediation case files, scoped (``selectors.cases``, ``selectors.stats``)."""
