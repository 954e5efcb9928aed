"""What was done: service records, effective coverage, the quarterly assessment and the budget."""
