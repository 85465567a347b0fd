"""Certificate PDF rendering, warm, in one worker-like process (`make bench`).

Measures ``certificates.rendering.certificate_pdf_render`` on a bilingual certificate with a logo,
a signature image and the QR code, next to a floor measured in the same process: WeasyPrint
rendering the same page's Latin text only (no images, no QR, no Urdu) with the same font
configuration and stylesheet. Rounds are interleaved so drift hits every variant alike. The QR
code is measured both ways it can be embedded: PNG data URI (what ships) and SVG data URI.

Target: full certificate p95 ≤ 3 × floor p95 (PNG). Exit status 1 when it is missed or when the
bytes of two renders of the same certificate differ. Needs no database.
Figures go to bench/results/certificate_pdf.json.
"""

import base64
import ctypes.util
import datetime
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "certificate_pdf.json"
WARMUP = 5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
TARGET_RATIO = 3.0


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()


def sample_certificate():
    from certificates.models import Certificate, CertificateTemplate
    from certificates.services import certificate_payload

    snapshot = {
        "learner_name": "Amina Bibi Khan",
        "learner_name_ur": "آمنہ بی بی خان",
        "course_title": "Freelancing: profiles, proposals and clients",
        "course_version": 1,
        "hours": 48,
        "grade": "A",
        "center_name": "Government Boys High School No. 1 IT Lab",
        "center_code": "GLT01",
        "district": "Gilgit",
        "shift": "second_shift",
        "completed_on": "2026-11-20",
        "issued_on": "2026-11-28",
        "signatory_name": "Dr. Sana Ali",
        "signatory_title": "Director, IT Centers Programme, Gilgit-Baltistan",
        "language": "both",
    }
    code, serial, kid = "7KQ2M9XD4RT8VA", "GB-GLT01-2026-00042", "hunar-20261101-AbCdEfGh"
    payload = certificate_payload(snapshot=snapshot, code=code, serial=serial, kid=kid)
    template = CertificateTemplate(name="Bench", signatory_name="x", signatory_title="y")
    return Certificate(
        code=code, serial=serial, kid=kid, snapshot=snapshot, payload=payload,
        signature=base64.urlsafe_b64encode(bytes(64)).rstrip(b"=").decode(), template=template,
        issued_at=datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC),
    )  # fmt: skip


def png_data_uri(size, colour) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def floor_html(certificate) -> str:
    from django.template.loader import render_to_string

    from certificates import rendering

    context = {
        "c": certificate.snapshot, "code": certificate.display_code, "serial": certificate.serial,
        "english": True, "urdu": False, "name_ur": "", "layout": "classic", "logo": "",
        "signature_image": "", "qr": "", "qr_mm": rendering.QR_MM,
        "created": certificate.issued_at.isoformat(), "author": rendering.AUTHOR,
    }  # fmt: skip
    return render_to_string(rendering.TEMPLATE, context)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
    }


def main() -> int:
    setup_django()
    import segno

    from certificates import rendering

    # Template images without a database: the same data URIs a rendition would give.
    logo, signature = png_data_uri((600, 240), (31, 95, 139)), png_data_uri((500, 160), (0, 0, 0))
    images = iter(())

    def image_data_uri(image):
        return next(images)

    rendering.image_data_uri = image_data_uri
    certificate = sample_certificate()
    floor = floor_html(certificate)

    def full(kind):
        nonlocal images
        images = iter((logo, signature))
        return rendering.certificate_pdf_render(certificate, qr_kind=kind)

    variants = {
        "floor (Latin text only)": lambda: rendering.html_to_pdf(floor),
        "certificate, QR as PNG": lambda: full("png"),
        "certificate, QR as SVG": lambda: full("svg"),
    }
    for _ in range(WARMUP):
        for run in variants.values():
            run()
    samples = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, run in variants.items():
            samples[name].append(timed(run))

    stable = full("png") == full("png")
    qr = segno.make(
        rendering.verify_url(certificate),
        error=rendering.QR_ERROR,
        micro=False,
        mask=rendering.QR_MASK,
    )
    modules = qr.symbol_size(border=0)[0]
    figures = {name: summary(values) for name, values in samples.items()}
    floor_figures = figures["floor (Latin text only)"]
    for values in figures.values():
        values["ratio_p50"] = round(values["p50_ms"] / floor_figures["p50_ms"], 2)
        values["ratio_p95"] = round(values["p95_ms"] / floor_figures["p95_ms"], 2)
    png_ratio = figures["certificate, QR as PNG"]["ratio_p95"]

    print(f"{'variant':<28}{'p50 ms':>9}{'p95 ms':>9}{'p50 × floor':>13}{'p95 × floor':>13}")
    for name, v in figures.items():
        print(f"{name:<28}{v['p50_ms']:>9}{v['p95_ms']:>9}{v['ratio_p50']:>13}{v['ratio_p95']:>13}")
    print(
        f"QR: {len(rendering.verify_url(certificate))} characters, version {qr.version}, "
        f"error {qr.error}, {modules} modules, {rendering.QR_MM / modules:.2f} mm a module at "
        f"{rendering.QR_MM} mm; PDF {len(full('png'))} bytes (PNG QR), {len(full('svg'))} (SVG)"
    )
    harfbuzz = bool(ctypes.util.find_library("harfbuzz-subset"))
    print(f"byte-stable: {stable}; harfbuzz-subset: {harfbuzz}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"max RSS {max_rss} MB; target: certificate p95 ≤ {TARGET_RATIO} × floor: {png_ratio}")

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "rounds": ROUNDS,
                "variants": figures,
                "qr": {"version": qr.version, "error": qr.error, "modules": modules},
                "byte_stable": stable,
                "max_rss_mb": max_rss,
                "target_ratio_p95": TARGET_RATIO,
            },
            indent=2,
        )
        + "\n"
    )
    if png_ratio > TARGET_RATIO or not stable:
        print("MISSED: the certificate's p95 is over its target, or its bytes are not stable.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
