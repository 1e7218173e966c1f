"""Choosing items for papers: practice selectors now, blueprints later (pure functions)."""
