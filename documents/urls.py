"""No pages of its own (see views.py): nothing to route."""

app_name = "documents"
urlpatterns: list = []
