"""Detector families, one module per family; services/detection/registry.py lists them by hand."""
