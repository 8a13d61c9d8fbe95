"""Reports: documents built from the other apps' selectors, as a web page, a PDF and a Word file."""
