"""A county portal built apart from the demo: real page skins, real column names, synthetic content.

Nothing here imports govaudit.demo: the point is to score govaudit on a portal its own generator never made.
"""
