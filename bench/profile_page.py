"""Profile one page with pyinstrument: `python bench/profile_page.py /ma-tran-phuong/` (DATABASE_URL set).

Prints the call tree of one request (after a warm-up) as a signed-in city official.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from accounts.models import User  # noqa: E402


def main():
    url = sys.argv[1]
    client = Client()
    client.force_login(User.objects.get_or_create(username="bench-lanhdao")[0])
    client.get(url)
    profiler = Profiler(interval=0.001)
    with profiler:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
