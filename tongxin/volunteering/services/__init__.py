"""Volunteering: one module per part (registration, claims, activities, ledger, links)."""
