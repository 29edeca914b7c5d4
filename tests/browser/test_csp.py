"""The pages satisfy the Content-Security-Policy: a real browser reports no blocked script, style or image."""

import pytest

from tasks.models import Assignment, Task
from tests.browser.conftest import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_content_security_policy(seeded_live_server, browser):
    admin = make_user("quantri")
    admin.is_staff = admin.is_superuser = True
    admin.set_password("mat-khau-rat-dai-2021")
    admin.save()
    task = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    assignment = Assignment.objects.filter(task=task).first()
    base = seeded_live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = []
    current = {"path": ""}
    page.on(
        "console",
        lambda m: (
            violations.append((current["path"], m.text[:120]))
            if "Content Security Policy" in m.text
            else None
        ),
    )
    login(page, base, "quantri", "mat-khau-rat-dai-2021")
    for path in [
        "/", "/tong-hop/", "/giao-viec/?district=001", "/ma-tran-phuong/", "/bao-cao-ky/", "/nhiem-vu/",
        f"/nhiem-vu/{task.pk}/", f"/giao-viec/{assignment.pk}/", "/van-ban/", "/dia-ban/", "/dia-ban/007/",
        "/don-vi/phuong/00001/", "/quan-tri/", "/quan-tri/tasks/assignment/", f"/quan-tri/tasks/task/{task.pk}/change/",
        "/api/docs/", "/api/assignments/",
    ]:  # fmt: skip
        current["path"] = path
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    context.close()
    assert violations == []
