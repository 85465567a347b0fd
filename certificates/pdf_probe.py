"""Read what the certificate check needs from one untrusted PDF, inside hard limits.

Run only by ``certificates.pdf_check`` as a child process, ``python -I pdf_probe.py BUDGET``
with the PDF on stdin and an empty environment. It imports nothing of Hunar or Django (no
settings, no secrets, no database in this process), limits itself with ``setrlimit`` before it
reads a byte, and prints one JSON object:

- ``{"status": "ok", "credential": "<credential.json text>" or null, "text": "<page text>"}``
- ``{"status": "over_budget"}``: a pypdf limit, the memory limit or the recursion limit was hit;
- ``{"status": "unreadable"}``: not a PDF pypdf can read.

CPU time past the budget ends the process with SIGXCPU; the parent also kills it at the wall
clock budget. Both mean "over budget" to the parent.
"""

import json
import logging
import resource
import sys


class _LimitWatch(logging.Handler):
    """Notes whether pypdf logged that it reached one of its limits."""

    seen = False

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lower()
        if "maximum" in message or "limit" in message:
            self.seen = True


def _limit(budget: dict) -> None:
    seconds = int(budget["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    memory = int(budget["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no files
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _pypdf_limits(budget: dict) -> dict:
    """pypdf's own limits, tightened to what a one-page certificate needs (fields this pypdf
    version knows; the process limits hold whatever the version)."""
    from pypdf import Configuration

    stream = int(budget["stream_bytes"])
    wanted = {
        "maximum_declared_stream_length": stream,
        "array_based_stream_maximum_output_length": stream,
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "image_maximum_buffer_size": stream,
        "stream_decoding_work_maximum_length": stream * 4,
        # Per stream, and pypdf skips a form XObject over it and goes on: the process limits,
        # not these, bound the total.
        "stream_parsing_work_maximum_count": int(budget["operators"]),
        "xform_maximum_invocations_per_extraction": int(budget["form_invocations"]),
        "page_tree_maximum_entries": int(budget["page_tree_entries"]),
        "page_tree_maximum_page_entries": int(budget["page_tree_entries"]) * 50,
        "jbig2dec_binary": None,  # never start another program
    }
    known = getattr(Configuration, "__dataclass_fields__", {})
    return {name: value for name, value in wanted.items() if name in known}


def _read(data: bytes, budget: dict) -> dict:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    credential = None
    content = (reader.attachments or {}).get(budget["attachment"])
    if content and len(content[0]) <= int(budget["credential_bytes"]):
        credential = content[0].decode("utf-8", errors="replace")
    text = ""
    if budget["want_text"]:
        pages = reader.pages
        text = " ".join(
            pages[index].extract_text() or ""
            for index in range(min(len(pages), int(budget["pages"])))
        )
    return {"status": "ok", "credential": credential, "text": text[: int(budget["text_chars"])]}


def main() -> None:
    budget = json.loads(sys.argv[1])
    _limit(budget)
    data = sys.stdin.buffer.read(int(budget["input_bytes"]) + 1)
    sys.setrecursionlimit(500)
    # pypdf catches some of its own limits (a form XObject over the token limit is skipped and
    # logged): such a log record means over budget too. Nothing goes to stderr, which the
    # parent holds in memory (only a crash's traceback does).
    limits_hit = _LimitWatch()
    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(limits_hit)
    pypdf_logger.propagate = False
    import pypdf
    from pypdf.errors import LimitReachedError

    try:
        limits = _pypdf_limits(budget)
        apply = getattr(pypdf, "apply_configuration", None)
        if apply is None:
            result = _read(data, budget)
        else:
            with apply(**limits):
                result = _read(data, budget)
    except (LimitReachedError, MemoryError, RecursionError):
        result = {"status": "over_budget"}
    except Exception:  # any other failure to read: the file names no certificate
        result = {"status": "unreadable"}
    if limits_hit.seen:
        result = {"status": "over_budget"}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
