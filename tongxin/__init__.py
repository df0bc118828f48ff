"""Tongxin (同心): community co-governance for Chinese cities and villages."""

__version__ = "0.1.0"
