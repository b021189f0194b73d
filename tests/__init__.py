"""The test suite, a package: helpers are imported by module path (``tests.readers.pdfgen``, or
relative within a folder), never through ``sys.path`` edits. ``pyproject.toml`` puts the
repository root on pytest's path, so ``bench`` (the scripts under test) imports the same way."""
