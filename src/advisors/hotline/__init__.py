"""The 12348 hotline rota: the problem, its named rules, the greedy rota maker and
:func:`~advisors.hotline.api.hotline_rota`.
"""
