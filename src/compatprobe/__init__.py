"""compatprobe: observe what browsers do and render it as a compatibility table."""

__version__ = "0.1.0"
