"""The layers of the code (docs/architecture.md): every app names only itself and the apps below it.

An app "names" another by importing it (at any depth, inside functions too), by a string that Django resolves
("tasks.Assignment" in a foreign key, "reporting.review_report" as a permission, "tasks:home" as a URL,
"tasks/home.html" as a template, "admin:tasks_task_changelist"), or by loading its template tags. The project's
own wiring (settings, root URLs, the API router, Celery, WSGI), the base templates, the tests and the benchmarks
sit above every app and may name any of them.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. An app may name apps of a lower rank only; apps of the same rank not each other.
LAYERS = [
    {"lib"},  # cqdt_portal/lib: shared helpers
    {"plans", "wards", "documents"},  # legal documents; administrative units; the documents the portal issues
    {"org"},  # departments, and the notion of a unit (a department, a district or a ward)
    {"accounts"},  # the user, who belongs to a unit
    {
        "notifications"
    },  # a person's notifications: the inbox and the e-mails; the apps above say what happened
    {"tasks"},  # the plan: tasks, assignments, the status rule
    {"reminders"},  # deadline reminders
    {"reporting"},  # reports, reviews, evidence, extensions, roles, access
    {"dashboards"},  # home, summaries, matrix, period reports, seeding
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
APPS = set(RANK)
# Template tag libraries, by the app that defines them.
TAG_LIBRARIES = {"fields": "lib", "status": "tasks", "listing": "tasks", "matrix": "dashboards"}
# Templates that are not under templates/<app>/: which app renders them.
TEMPLATE_OWNERS = {
    "emails/notification_subject.txt": "notifications",
    "emails/notification_body.txt": "notifications",
    "emails": "reminders",
    "admin/import_upload.html": "lib",
    "admin/import_preview.html": "lib",
}
# Written before the code was housed by feature, these migrations record how the database was built then (the
# user's department, reports and reminders lived in the tasks app); a migration that has run is history and is
# never rewritten. Every later migration is checked like the code.
HISTORY = {
    "accounts/migrations/0002_initial.py",
    "tasks/migrations/0001_initial.py",
    "tasks/migrations/0002_review_extension_evidence.py",
    "tasks/migrations/0004_reminders.py",
}

STRING_PATTERNS = [
    re.compile(
        rf"^(?P<app>{'|'.join(APPS)})\.[A-Za-z_]\w*$"
    ),  # "tasks.Assignment", "reporting.review_report"
    re.compile(rf"^(?P<app>{'|'.join(APPS)}):\w+$"),  # "tasks:assignment_list"
    re.compile(rf"^(?:admin/)?(?P<app>{'|'.join(APPS)})/[\w/]+\.(?:html|txt)$"),  # "tasks/home.html"
    re.compile(rf"^admin:(?P<app>{'|'.join(APPS)})_\w+$"),  # "admin:tasks_task_changelist"
]
TEMPLATE_PATTERNS = [
    re.compile(rf"""\{{%\s*url\s+['"](?P<app>{"|".join(APPS)}):"""),
    re.compile(rf"""\{{%\s*url\s+['"]admin:(?P<app>{"|".join(APPS)})_"""),
    re.compile(rf"""\{{%\s*(?:include|extends)\s+['"](?:admin/)?(?P<app>{"|".join(APPS)})/"""),
]
LOAD = re.compile(r"\{%\s*load\s+([\w\s]+?)\s*%\}")


def app_of_module(dotted: str) -> str | None:
    if dotted == "cqdt_portal.lib" or dotted.startswith("cqdt_portal.lib."):
        return "lib"
    top = dotted.split(".")[0]
    return top if top in APPS else None


def app_of_path(path: Path) -> str | None:
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "templates":
        inner = rel.relative_to("templates")
        for prefix, owner in TEMPLATE_OWNERS.items():
            if str(inner) == prefix or str(inner).startswith(prefix + "/"):
                return owner
        parts = inner.parts[1:] if inner.parts[0] == "admin" else inner.parts
        return parts[0] if len(parts) > 1 and parts[0] in APPS else None
    return app_of_module(".".join(rel.with_suffix("").parts))


def names_in_python(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named |= {app_of_module(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                dotted = ".".join([*base, node.module] if node.module else base)
            else:
                dotted = node.module or ""
            named.add(app_of_module(dotted))
            named |= {app_of_module(f"{dotted}.{alias.name}") for alias in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for pattern in STRING_PATTERNS:
                if match := pattern.match(node.value):
                    named.add(match["app"])
    return named - {None}


def names_in_template(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    named = {m["app"] for pattern in TEMPLATE_PATTERNS for m in pattern.finditer(text)}
    for load in LOAD.finditer(text):
        named |= {TAG_LIBRARIES[lib] for lib in load.group(1).split() if lib in TAG_LIBRARIES}
    return named


def project_files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0].startswith(".") or rel.parts[0] in {
            "tests",
            "bench",
            "static",
            "staticfiles",
            "media",
        }:
            continue
        if path.suffix in {".py", ".html", ".txt"} and str(rel) not in HISTORY and path.is_file():
            owner = app_of_path(path)
            if owner is not None:
                yield path, owner


def offences() -> list[str]:
    found = []
    for path, owner in project_files():
        named = names_in_python(path) if path.suffix == ".py" else names_in_template(path)
        for other in sorted(named - {owner}):
            if RANK[other] >= RANK[owner]:
                found.append(f"{path.relative_to(ROOT)} ({owner}) names {other}")
    return found


def test_every_app_names_only_the_apps_below_it():
    assert offences() == []


def test_every_app_of_the_project_has_a_layer():
    project_apps = {
        app_of_module(config.name)
        for config in __import__("django.apps").apps.apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in config.path
    }
    assert project_apps == APPS


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The scanner itself: each way of naming a higher app is caught (so an empty list means something)."""
    source = tmp_path / "sample.py"
    source.write_text(
        "from tasks.models import Task\n"
        "def f():\n    import reporting.access\n"
        "FK = 'tasks.Assignment'\nPERM = 'reporting.review_report'\nURL = 'dashboards:home'\n"
        "TEMPLATE = 'tasks/home.html'\nADMIN = 'admin:tasks_task_changelist'\n",
        encoding="utf-8",
    )
    original = ROOT
    try:
        globals()["ROOT"] = tmp_path
        assert names_in_python(source) == {"tasks", "reporting", "dashboards"}
    finally:
        globals()["ROOT"] = original
    template = tmp_path / "t.html"
    template.write_text(
        "{% load status matrix %}{% url 'reporting:review_queue' %}{% include \"dashboards/_x.html\" %}",
        encoding="utf-8",
    )
    assert names_in_template(template) == {"tasks", "dashboards", "reporting"}


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (function-level imports included)."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0].startswith(".") or rel.parts[0] in {"tests", "bench"} or "migrations" in rel.parts:
            continue
        parts = rel.with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def test_no_module_imports_itself_back_through_others():
    graph = import_graph()
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" → ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_no_production_file_is_much_over_500_lines_and_no_app_holds_40_percent():
    lines = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0].startswith(".") or rel.parts[0] in {"tests", "bench"} or "migrations" in rel.parts:
            continue
        lines[rel] = path.read_text(encoding="utf-8").count("\n")
    assert [f"{rel}: {n}" for rel, n in lines.items() if n > 550] == []
    per_app = {}
    for rel, n in lines.items():
        app = app_of_module(".".join(rel.with_suffix("").parts)) or rel.parts[0]
        per_app[app] = per_app.get(app, 0) + n
    total = sum(per_app.values())
    assert {app: round(100 * n / total) for app, n in per_app.items() if n / total >= 0.4} == {}


def reverse_names_from_above() -> dict[str, set[str]]:
    """For each app, the names by which its models reach, backwards, the models of the apps above it
    (LegalDocument.tasks, Ward.assignments…): using them would be naming those apps too."""
    from django.apps import apps

    names: dict[str, set[str]] = {app: set() for app in APPS}
    for model in apps.get_models():
        owner = app_of_module(model.__module__)
        if owner is None:
            continue
        for relation in model._meta.related_objects:
            other = app_of_module(relation.related_model.__module__)
            if other is not None and RANK[other] > RANK[owner]:
                query_name = relation.field.related_query_name()
                names[owner] |= {relation.get_accessor_name(), query_name} - {None, "+"}
    return names


def test_no_app_reaches_the_apps_above_it_through_reverse_relations():
    names = reverse_names_from_above()
    found = []
    for path, owner in project_files():
        if not names[owner]:
            continue
        words = "|".join(sorted(names[owner]))
        pattern = re.compile(rf"""\.(?:{words})\b|\b(?:{words})__\w|['"](?:{words})['"]""")
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)} ({owner}): {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
