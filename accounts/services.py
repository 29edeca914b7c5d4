"""Users are created and changed in the admin; their roles are set up by reporting.services.roles_ensure."""
