"""Every write to the core's tables goes through these functions (one transaction each)."""
