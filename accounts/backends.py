"""Django's ModelBackend, with each person's permissions kept in the process while the permission tables are
unchanged (cqdt_portal/lib/versions.py, topic "access"): the menu and the worklist ask for them on every page,
two queries each time (bench/, docs/benchmarks.md). A change of a person's groups or of a group's permissions
changes the token, so the next request computes them again. The token comes with the user, in the query that
reads the signed-in user on every request: keeping the permissions costs no query of its own (nor does the
reference data's token, read in the same query)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cqdt_portal.lib import versions

ACCESS_TOKEN_SQL = f"SELECT token FROM {versions.TABLE} WHERE topic = 'access'"
REFERENCE_TOKEN_SQL = f"SELECT token FROM {versions.TABLE} WHERE topic = 'reference'"


class KeptPermissionsBackend(ModelBackend):
    def get_user(self, user_id):
        # Both tokens come with the user, read at the start of every request (the reference data's for the
        # page's filter form: tasks.filters.FastFormFilterSet.reference_token). extra(): constant subqueries as
        # plain SQL, cheaper to build on every request than Subquery().
        users = get_user_model()._default_manager.extra(  # noqa: S610
            select={"access_token": ACCESS_TOKEN_SQL, "reference_token": REFERENCE_TOKEN_SQL}
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            # is_superuser is in the key: it lives on the user row, which no trigger watches (read every request).
            user_obj._perm_cache = versions.remembered(
                "access",
                ("permissions", user_obj.pk, user_obj.is_superuser),
                lambda: frozenset(ModelBackend.get_all_permissions(self, user_obj)),
                current=getattr(user_obj, "access_token", ""),
            )
        return user_obj._perm_cache
