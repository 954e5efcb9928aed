"""Training of legal-savvy persons: the problem, its named rules, the greedy planner,
:func:`~advisors.training.api.plan_training` and progress.
"""
