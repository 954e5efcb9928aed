"""On-site visits: the visit problem, its named rules, notice-board patterns, the greedy
scheduler and :func:`~advisors.visits.api.schedule_visits`.
"""
