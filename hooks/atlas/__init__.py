"""Qwen Atlas data pipeline: pure functions from data/ to Markdown and HTML (no MkDocs imports)."""
