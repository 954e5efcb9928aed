"""Bad-input corpus: a tiny dataset and the CLI run on it with one bad value at a time."""
