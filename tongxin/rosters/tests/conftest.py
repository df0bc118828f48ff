from tongxin.demands.testing import catalogues  # noqa: F401
