"""Benchmarks and long-running checks, run as scripts (``python bench/fuzz.py``); the tests import
them as the ``bench`` package (``from bench import fuzz``)."""
