"""Reader tests and the DOCX/PDF fixture builders (docx_fixtures, pdfgen) other tests import."""
