"""Translation work on the catalogs: the glossary fill, coverage, the reviewer's sheet.

:mod:`advisors.locale` reads the catalogs for the outputs; this package
writes them: :mod:`.glossary` fills Tibetan only from the sourced glossary,
:mod:`.coverage` counts what is translated and where a gap shows,
:mod:`.review` takes a reviewer's sheet back into a deployment's catalog,
:mod:`.pofile` writes ``.po`` files.
"""
