"""Built-in plugins: ordinary pluggy plugins inside the package, registered by dotted path."""
