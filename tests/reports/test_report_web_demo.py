"""The demo's reports: Groruddalen's baseline and follow-up PDFs are stored once, marked synthetic, and
linked from the area page for every visitor."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader

from nabolag.demo_reports import add_demo_reports
from nabolag.services import Context
from nabolag.web.app import create_app


def test_demo_reports_are_stored_once_and_linked_as_synthetic(demo_ctx: Context) -> None:
    made = add_demo_reports(demo_ctx, languages=("nb",))
    assert sorted(r.kind for r in made) == ["baseline", "follow-up"]
    assert all(r.synthetic and r.format == "pdf" and r.language == "nb" for r in made)
    assert add_demo_reports(demo_ctx, languages=("nb",)) == []  # a second run adds nothing
    with TestClient(create_app(demo_ctx.settings), headers={"accept": "text/html"}) as client:
        page = client.get("/areas/groruddalen").text
        section = page[page.index('id="reports"'):page.index("</section>", page.index('id="reports"'))]
        assert section.count("syntetiske data") == 2
        for r in made:
            assert f'href="/areas/groruddalen/reports/{r.id}"' in section
            pdf = client.get(f"/areas/groruddalen/reports/{r.id}").content
            text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
            assert "SYNTETISKE DATA" in text and "Groruddalen" in text
