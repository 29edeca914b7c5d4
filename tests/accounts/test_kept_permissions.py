"""A person's permissions are kept in the process (accounts/backends.py) but never outlive a change of role."""

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from reporting.models import Role
from reporting.services import roles_ensure
from tests.conftest import make_user


def _fresh(user):
    return User.objects.get(pk=user.pk)  # a new request reads the user again


def test_a_role_given_or_taken_counts_on_the_next_request(db):
    roles_ensure()
    user = make_user("can-bo-thu")
    assert not _fresh(user).has_perm("reporting.review_report")
    assert not _fresh(user).has_perm("reporting.review_report")  # kept, still no
    user.groups.add(Group.objects.get(name=Role.REVIEWER.value))
    assert _fresh(user).has_perm("reporting.review_report")
    user.groups.clear()
    assert not _fresh(user).has_perm("reporting.review_report")


def test_a_permission_taken_from_a_group_counts_on_the_next_request(db):
    roles_ensure()
    user = make_user("can-bo-thu", Role.REVIEWER)
    assert _fresh(user).has_perm("reporting.review_report")
    group = Group.objects.get(name=Role.REVIEWER.value)
    group.permissions.remove(Permission.objects.get(codename="review_report"))
    assert not _fresh(user).has_perm("reporting.review_report")


def test_superuser_and_inactive_are_read_from_the_user_row(db):
    user = make_user("can-bo-thu")
    assert not _fresh(user).has_perm("reporting.review_report")
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert _fresh(user).has_perm("reporting.review_report")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not _fresh(user).has_perm("reporting.review_report")
