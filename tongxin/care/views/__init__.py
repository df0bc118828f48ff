"""Care: one module per part (register and pairing; visits and campaigns)."""
