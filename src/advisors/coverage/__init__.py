"""Who serves which village: the coverage problem, its diagnosis, the greedy strategy and
:func:`~advisors.coverage.api.assign`.
"""
