"""The two signals through which the ward list tells the task side about new units, without importing it.

`wards/` must never import `tasks/` (tasks build on wards). When an import creates or restores wards, tasks given
to "every ward" (or every district) must reach them; the receivers live in `tasks/receivers.py`.
"""

from django.dispatch import Signal

# Sent by services.ward_import_apply inside the import's transaction, after every write, so the assignments it
# leads to commit (or fail) with the import. Arguments: ward_import_id, ward_ids (wards created or restored),
# district_ids (the districts the file covers). Receivers return nothing.
wards_imported = Signal()

# Sent while building a preview (imports.plan_import), before anything is written. Arguments: ward_codes (wards
# the import will create or restore), retired_codes (wards it will retire), district_codes (the districts the
# file covers). Each receiver returns how many assignments applying the import will add; the preview shows the sum.
count_new_unit_assignments = Signal()
