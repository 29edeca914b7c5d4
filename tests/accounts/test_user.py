import pytest
from django.db import IntegrityError

from accounts.models import User
from org.models import Department
from wards.models import Ward


def test_vietnamese_names_read_family_name_first(db):
    user = User(username="an", first_name="An", last_name="Nguyễn Văn")
    assert user.get_full_name() == "Nguyễn Văn An"
    assert str(user) == "Nguyễn Văn An"
    assert str(User(username="chi-co-ten-dang-nhap")) == "chi-co-ten-dang-nhap"


def test_a_user_belongs_to_at_most_one_unit(db):
    with pytest.raises(IntegrityError):
        User.objects.create(
            username="hai-don-vi", department=Department.objects.first(), ward=Ward.objects.first()
        )
