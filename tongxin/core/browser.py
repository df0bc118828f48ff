"""Browser journeys: Debian chromium via Playwright, every page checked with axe-core.

``checked_page`` fails a test on any WCAG 2.1 A/AA violation axe finds, and on any
Content-Security-Policy violation or JavaScript error the page reports.
"""

from pathlib import Path

import pytest

AXE_FILE = Path(__file__).parent / "tests" / "vendor" / "axe-4.14.1.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class CheckedPage:
    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"console {message.type}: {message.text}")

    def log_in(self, phone: str, password: str | None = None):
        """Log in through the login page (Chinese labels) and land on the home page."""
        from playwright.sync_api import expect

        from tongxin.core.testing import PASSWORD

        self.goto("/login/")
        self.page.get_by_label("手机号").fill(phone)
        self.page.get_by_label("密码").fill(password or PASSWORD)
        self.page.get_by_role("button", name="登录", exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("您好")
        self.check()

    def goto(self, path: str, *, axe: bool = True):
        self.page.goto(self.base_url + path)
        self.check(axe=axe)

    def check(self, *, axe: bool = True):
        """axe-core on the page as it is now; no CSP violations or script errors so far.

        ``axe=False`` only for third-party developer pages whose markup we do not own
        (Swagger UI nests buttons): they are still checked for CSP and script errors.
        """
        self.page.wait_for_load_state("load")
        assert not self.errors, self.errors
        if not axe:
            return
        self.page.evaluate(AXE_FILE.read_text())  # via the DevTools protocol: the page's CSP does not apply
        result = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"{self.page.url}: " + "\n".join(violations)
        assert not self.errors, self.errors


@pytest.fixture
def checked_page(page, live_server):
    """A 360 px wide page on the live server whose ``goto``/``check`` run axe-core."""
    page.set_viewport_size({"width": 360, "height": 740})
    yield CheckedPage(page, live_server.url)
    # Leave the app before the test's database goes away, so that no late request (the
    # browser fetches the icon after the page has loaded) reaches the server afterwards.
    page.goto("about:blank")
