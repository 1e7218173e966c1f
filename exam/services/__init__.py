"""Service layer: the database work behind the views and commands."""
