"""Tests of the bench/ scripts (imported as the bench package)."""
