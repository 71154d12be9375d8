"""Voisinage's domain: aggregates, events, value objects and counting rules.

Pure Python. Nothing here performs I/O or imports the other top-level packages.
"""
