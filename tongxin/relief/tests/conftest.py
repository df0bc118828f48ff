from tongxin.demands.testing import catalogues  # noqa: F401 - autouse: the data migrations' rows, back after a flush
