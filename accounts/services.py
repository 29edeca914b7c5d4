from django.contrib.auth.models import Group
from django.db import transaction

from .models import Role


@transaction.atomic
def roles_ensure() -> list[Group]:
    """One Django group per role, named by the role's code. Idempotent."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]
