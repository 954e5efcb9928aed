"""(Placeholder while the training strategy is being written.)"""

from advisors.hookspecs import Register


def register(register: Register) -> None:
    """Register nothing yet."""
