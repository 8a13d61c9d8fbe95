"""Bringing other systems' files into Heard: reading CSV and Excel, mapping columns, checking rows, running.

The parts, in the order a file meets them: ``reading`` (bytes to a header and rows of cells), ``mapping`` (which
column holds what, with guesses for the obvious names), ``rows`` (one row to an ``IncomingFeedback`` or named
problems) and ``run`` (a whole file checked, previewed, or fed to the intake service). The writes themselves are
in ``heard.listening.services.imports``.
"""
