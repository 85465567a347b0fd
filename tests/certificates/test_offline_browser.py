"""The offline verifier in a real browser, with every network request refused."""

import json

import pytest

from certificates import signing, verification
from certificates.services import certificate_issue

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

PAGE_URL = "https://hunar.test/verify/offline/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def offline(client, completed_enrollment):
    """The served offline page and a genuine QR link, made before the browser starts (the ORM
    refuses to run while Playwright's event loop is active)."""
    certificate = certificate_issue(enrollment=completed_enrollment())
    response = client.get("/verify/offline/")
    headers = {"content-type": response["Content-Type"]}
    headers["content-security-policy"] = response["Content-Security-Policy"]
    return response.content, headers, verification.qr_link(certificate), certificate


def check_links(page_body, headers, links):
    """Open the page offline, check each link; the verdicts and every request the page made."""
    from playwright.sync_api import sync_playwright

    requests, verdicts = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))

            def serve(route):
                if route.request.url == PAGE_URL:
                    route.fulfill(status=200, headers=headers, body=page_body)
                else:
                    route.abort()

            page.route("**/*", serve)
            page.goto(PAGE_URL)
            for link in links:
                page.fill("#link", link)
                page.click("button[type=submit]")
                page.wait_for_selector("#verdict:not([hidden])")
                verdicts.append(
                    (page.inner_text("#verdict"), page.is_visible("#details"), page.content())
                )
                page.evaluate("document.getElementById('verdict').hidden = true")
        finally:
            browser.close()
    return verdicts, requests


def test_offline_page_verifies_genuine_and_rejects_tampered_links(offline):
    body, headers, link, certificate = offline
    fragment_payload, signature = link.split("#")[1].split(".")
    forged = json.loads(signing.b64url_decode(fragment_payload))
    forged["name"] = "Someone Else"
    tampered = f"{link.split('#')[0]}#{signing.b64url(signing.canonical(forged))}.{signature}"
    other_code = link.replace(f"/verify/{certificate.code}/", "/verify/0000000000000/")
    verdicts, requests = check_links(
        body, headers, [link, tampered, other_code, "not a link", link.split("#")[1]]
    )
    (valid, valid_details, valid_html), *rest = verdicts
    assert valid.startswith("VALID SIGNATURE") and valid_details
    assert "Amina Khan" in valid_html and certificate.serial in valid_html
    assert "Revocation cannot be checked offline" in valid_html
    assert rest[0][0].startswith("INVALID") and not rest[0][1]
    assert "Someone Else" not in rest[0][2].split('id="details"')[1].split("</dl>")[0]
    assert rest[1][0].startswith("INVALID")
    assert rest[2][0].startswith("This is not a Hunar QR link")
    assert rest[3][0].startswith("VALID SIGNATURE")  # the fragment alone is enough
    assert requests == [PAGE_URL]
