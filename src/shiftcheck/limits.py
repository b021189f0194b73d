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
    #: DOCX: deepest XML element nesting accepted (0 = no limit of its own; lxml stops at 256)
    max_xml_depth: int = 256
    #: PDF: most pages read (0 = no limit)
    max_pages: int = 2000
    #: PDF, both engines: largest decoded content of one page, in MB (0 = no limit). A dense text
    #: page holds ~20 KB; pdfminer would need minutes for 8 MB, and a Flate bomb inflates to a GB:
    #: a larger page is refused at once, measured without decoding past the limit
    #: (:mod:`shiftcheck.readers.pdf.content_size`)
    max_page_content_mb: int = 8
    #: seconds allowed to read and review one document (0 = no limit)
    timeout: float = 120.0
    #: memory (MB of address space) one document's review (read and analysis) may take on top of
    #: what the process already uses; enforced in the sandbox's child (shiftcheck.sandbox, 0 = no
    #: limit)
    max_memory_mb: int = 2048


DEFAULT_LIMITS = Limits()
