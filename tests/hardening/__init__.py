"""Hostile-input and resource-limit tests."""
