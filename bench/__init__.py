"""Benchmarks: run each as `.venv/bin/python -m bench.<name>` (or as a script where its docstring says so)."""
