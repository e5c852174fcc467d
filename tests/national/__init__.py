"""The national-scale benchmark (`make bench-national`): 300 partnerships and about five
million figures on one PostgreSQL, measured against the demo partnership alone.

Not a test: it prints figures and asserts nothing. See `__main__.py` for the order of work.
"""
