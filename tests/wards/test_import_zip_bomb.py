"""A small .xlsx that unzips to gigabytes is refused before it is parsed, with a message, writing nothing."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from wards.models import Ward, WardImport

ROW = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>'


def zip_bomb(path, unzipped_mb=300):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = ROW * (1024 * 1024 // len(ROW))
            for _ in range(unzipped_mb):
                sheet.write(chunk)
    return path


def test_a_zip_bomb_xlsx_is_refused_and_nothing_is_written(db, tmp_path):
    bomb = zip_bomb(tmp_path / "danh-muc.xlsx")
    assert bomb.stat().st_size < 2 * 1024 * 1024  # small on disk…
    wards = list(Ward.objects.values_list("code", "name", "valid_to"))
    with pytest.raises(CommandError, match="giải nén ra 29[0-9] MB, vượt giới hạn 100 MB"):
        call_command("import_wards", str(bomb), stdout=io.StringIO())
    assert list(Ward.objects.values_list("code", "name", "valid_to")) == wards
    assert not WardImport.objects.exists()
