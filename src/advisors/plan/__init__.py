"""The published plan: :class:`~advisors.plan.plan.Plan`, its calendar events, event builders
and versions compared.
"""
