"""No reads that span relations: `IssuingOffice.current()` is the one read."""
