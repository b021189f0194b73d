"""Resource limits for reading untrusted documents. All configurable (CLI flags and config)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    #: largest input file accepted, in bytes
    max_bytes: int = 200 * MB
    #: DOCX: total uncompressed size of all zip members
    max_unzipped_bytes: int = 1024 * MB
    #: DOCX: largest compression ratio of one member (uncompressed / compressed)
    max_zip_ratio: float = 200.0
    #: DOCX: deepest XML element nesting accepted
    max_xml_depth: int = 256
    #: PDF: most pages read
    max_pages: int = 2000
    #: PDF, pdfminer engine: largest decoded content stream of one page, in MB (0 = no limit).
    #: A dense text page holds ~20 KB; pdfminer would need minutes for 8 MB, so a larger one is
    #: refused at once instead of running into --timeout
    max_page_content_mb: int = 8
    #: seconds allowed to read and review one document (0 = no limit)
    timeout: float = 120.0
    #: memory (MB of address space) one document's reader may take on top of what the process
    #: already uses; enforced in the sandboxed reader (shiftcheck.sandbox, 0 = no limit)
    max_memory_mb: int = 2048


DEFAULT_LIMITS = Limits()
