"""Readers, one per format: validate the whole input first, report every problem with its place."""
